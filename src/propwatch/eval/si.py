"""``si``: SemEval-2020 Task 11 span identification, as the official ``task-SI_scorer.py``.

Definition (all spans as sets of character indices, overlaps merged per article in both files,
as the official scorer does for gold always and for predictions with ``-m``)::

    P  = sum over (p, g) pairs in the same article of |p ∩ g| / |p|   /  number of predicted spans
    R  = sum over (p, g) pairs in the same article of |p ∩ g| / |g|   /  number of gold spans
    F1 = 2PR / (P + R)   (0 when P or R is 0; 1 when both files are empty)

Gold articles without predictions count in R's denominator. Predicted articles that are not in
gold are allowed (the official scorer logs them and scores on): their spans count in P's
denominator without credit. More predicted than gold articles is refused, as officially.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from propwatch.eval.result import EvalOptions, Score, official_prf
from propwatch.eval.spans import overlap_credit
from propwatch.io.labels.semeval2020 import SpanLabel, read_si
from propwatch.registry import scorers


def score_si(
    pred: Sequence[SpanLabel], gold: Sequence[SpanLabel], articles: Sequence[str] | None = None
) -> Score:
    """Score predicted spans against gold spans; labels are ignored (``articles``: see
    :func:`~propwatch.eval.spans.overlap_credit`)."""
    credit = overlap_credit(pred, gold, by_label=False, articles=articles)
    n_pred, n_gold = credit.n_predicted[""], credit.n_gold[""]
    precision, recall, f1 = official_prf(credit.precision[""], n_pred, credit.recall[""], n_gold)
    return Score(
        kind="si",
        official="f1",
        metrics={"f1": f1, "precision": precision, "recall": recall},
        counts={"predicted_spans": n_pred, "gold_spans": n_gold},
        notes=credit.notes(),
    )


@scorers.register("si")
def score_si_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """SemEval-2020 SI: partial-overlap span F1 (PRED and GOLD: id, start, end)."""
    return score_si(read_si(pred), read_si(gold), options.articles)
