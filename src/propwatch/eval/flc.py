"""``flc``: fragment-level classification, the ``si`` formula restricted to same-technique pairs.

This is the PTC FLC scorer (``task-FLC_scorer.py``, NLP4IF 2019; SemEval-2023 span scoring uses
the same formula): overlapping spans of the same technique are merged per article in each file,
and a (predicted p, gold g) pair credits |p ∩ g| / |p| to precision and |p ∩ g| / |g| to recall
only when both carry the same technique. Per technique t, P_t and R_t divide the credit of
pairs labelled t by the predicted and gold span counts of t.

Difference from the official code: its per-technique recall reuses the precision credit as
numerator (``technique_Spr_prec`` passed twice); here R_t uses the recall credit, so the
per-technique table is the definition above. The overall P, R and F1 are unaffected.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from propwatch.eval.result import EvalOptions, LabelScore, Score, official_prf
from propwatch.eval.spans import overlap_credit
from propwatch.io.labels.semeval2020 import SpanLabel, read_tc
from propwatch.registry import scorers


def score_flc(
    pred: Sequence[SpanLabel], gold: Sequence[SpanLabel], articles: Sequence[str] | None = None
) -> Score:
    """Score labelled predicted spans against labelled gold spans (``articles``: see
    :func:`~propwatch.eval.spans.overlap_credit`)."""
    credit = overlap_credit(pred, gold, by_label=True, articles=articles)
    rows = []
    for label in credit.labels():
        p, r, f = official_prf(
            credit.precision[label],
            credit.n_predicted[label],
            credit.recall[label],
            credit.n_gold[label],
        )
        rows.append(LabelScore(label, p, r, f, credit.n_gold[label], credit.n_predicted[label]))
    n_pred, n_gold = sum(credit.n_predicted.values()), sum(credit.n_gold.values())
    precision, recall, f1 = official_prf(
        sum(credit.precision.values()), n_pred, sum(credit.recall.values()), n_gold
    )
    return Score(
        kind="flc",
        official="f1",
        metrics={"f1": f1, "precision": precision, "recall": recall},
        counts={"predicted_spans": n_pred, "gold_spans": n_gold},
        per_label=tuple(rows),
        notes=credit.notes(),
    )


@scorers.register("flc")
def score_flc_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """Technique span F1: si credit between same-technique spans (id, technique, start, end)."""
    return score_flc(read_tc(pred), read_tc(gold), options.articles)
