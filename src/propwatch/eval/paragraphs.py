"""``st3``: SemEval-2023 Task 3 subtask 3 (techniques per paragraph), as ``scorer-subtask-3.py``.

Items are (article id, paragraph line number) pairs; micro-F1 (official) and macro-F1 over the
binarized technique sets. The official scorer refuses a prediction file that misses a gold
paragraph (even one with no technique) or adds one; so does this scorer. PRED and GOLD may each
be one file or a folder of per-article ``*.txt`` files.
"""

from __future__ import annotations

from pathlib import Path

from propwatch.eval.multilabel import score_label_sets
from propwatch.eval.result import EvalOptions, Score
from propwatch.io.labels.semeval2023 import read_paragraph_labels
from propwatch.registry import scorers


@scorers.register("st3")
def score_paragraph_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """SemEval-2023 subtask 3: micro-F1 of technique sets per paragraph (id, line, techniques)."""
    return score_label_sets(
        "st3",
        read_paragraph_labels(pred),
        read_paragraph_labels(gold),
        options.classes,
        "paragraphs",
    )
