"""``st2``: SemEval-2023 Task 3 subtask 2 (framing), as the official ``scorer-subtask-2.py``.

Micro-F1 (official) and macro-F1 over each article's binarized frame set; predictions must cover
exactly the gold article ids. See :mod:`propwatch.eval.multilabel` for the class-list detail.
"""

from __future__ import annotations

from pathlib import Path

from propwatch.eval.multilabel import score_label_sets
from propwatch.eval.result import EvalOptions, Score
from propwatch.io.labels.semeval2023 import read_frames
from propwatch.registry import scorers


@scorers.register("st2")
def score_frame_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """SemEval-2023 subtask 2: micro-F1 of frame sets (id, frame,frame,...)."""
    return score_label_sets(
        "st2", read_frames(pred), read_frames(gold), options.classes, "articles"
    )
