"""``narratives``: SemEval-2025 Task 10 subtask 2, as the official ``subtask2_scorer.py``.

For each document, the binarized gold and predicted label sets give one binary F1
(:func:`propwatch.eval.measures.samples_f1`: sklearn ``f1_score`` with ``zero_division=0``, so
a document with no label on either side scores 0);
the score is the mean over documents (sklearn ``average="samples"``) and the standard deviation
is reported beside it, for narratives (coarse) and subnarratives (fine). The official scorer
prints ``F1@coarse: mean (std)`` and ``F1@fine``; the fine mean is the official ranking metric.
Predictions must cover exactly the gold documents.

Differences from the official code: it pairs documents in file order (wrong numbers when the
files list documents in different orders); here they are paired by id. It ignores labels
missing from the taxonomy files; here every label counts, which is the same for valid labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from propwatch.errors import ScoringError
from propwatch.eval.measures import samples_f1
from propwatch.eval.result import EvalOptions, Score, require_same_keys
from propwatch.io.labels.semeval2025 import DocumentNarratives, read_narratives
from propwatch.registry import scorers


def score_narratives(
    pred: Mapping[str, DocumentNarratives], gold: Mapping[str, DocumentNarratives]
) -> Score:
    """Score predicted narratives and subnarratives per document.

    Raises
    ------
    ScoringError
        When the document ids differ or gold is empty.
    """
    require_same_keys(gold, pred, "documents")
    if not gold:
        raise ScoringError("gold has no documents")
    keys = list(gold)
    coarse = samples_f1([gold[k].narratives for k in keys], [pred[k].narratives for k in keys])
    fine = samples_f1([gold[k].subnarratives for k in keys], [pred[k].subnarratives for k in keys])
    return Score(
        kind="narratives",
        official="f1_samples_fine",
        metrics={
            "f1_samples_fine": float(fine.mean()),
            "f1_samples_fine_std": float(fine.std()),
            "f1_samples_coarse": float(coarse.mean()),
            "f1_samples_coarse_std": float(coarse.std()),
        },
        counts={"documents": len(keys)},
    )


@scorers.register("narratives")
def score_narrative_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """SemEval-2025 subtask 2: samples-F1 of narratives (coarse) and subnarratives (fine)."""
    return score_narratives(read_narratives(pred), read_narratives(gold))
