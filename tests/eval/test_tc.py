"""``tc``: accuracy on the gold spans with best alignment of repeated spans."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from propwatch.errors import ScoringError
from propwatch.eval.tc import score_tc

GOLD_ROWS = [("A", "X", 0, 5), ("A", "Y", 0, 5), ("A", "X", 10, 20), ("B", "Z", 0, 3)]

MakeSpans = Callable[..., list]  # the ``spans`` fixture of conftest.py


def test_micro_f1_is_accuracy_after_best_alignment(spans: MakeSpans) -> None:
    pred = spans(("A", "Z", 0, 5), ("A", "Y", 0, 5), ("A", "Y", 10, 20), ("B", "Z", 0, 3))
    score = score_tc(pred, spans(*GOLD_ROWS))
    # A[0,5): gold {X, Y}, pred {Y, Z} -> 1 match; A[10,20): X vs Y -> 0; B: Z = Z -> 1.
    # Micro P = R = F1 = 2 correct / 4 gold spans = 0.5.
    assert score.metrics == {"f1": 0.5, "precision": 0.5, "recall": 0.5}
    assert score.counts == {"gold_spans": 4, "correct": 2}
    rows = {row.label: row for row in score.per_label}
    # X: gold 2, predicted 0 -> P 0 (0/0), R 0/2, F1 0.
    assert (rows["X"].precision, rows["X"].recall, rows["X"].f1) == (0.0, 0.0, 0.0)
    # Y: gold 1, predicted 2, 1 correct -> P 1/2, R 1/1, F1 2/3. Z likewise.
    for label in ("Y", "Z"):
        assert (rows[label].precision, rows[label].recall) == (0.5, 1.0)
        assert rows[label].f1 == pytest.approx(2 / 3)
        assert (rows[label].support, rows[label].predicted) == (1, 2)


def test_labels_of_one_span_are_matched_whatever_their_order(spans: MakeSpans) -> None:
    gold = spans(("A", "X", 0, 5), ("A", "Y", 0, 5))
    pred = spans(("A", "Y", 0, 5), ("A", "X", 0, 5))
    assert score_tc(pred, gold).metrics["f1"] == 1.0


def test_predictions_must_list_the_gold_spans(spans: MakeSpans) -> None:
    pred = spans(("A", "X", 0, 5), ("A", "X", 10, 20), ("B", "Z", 0, 3))
    with pytest.raises(ScoringError) as caught:
        score_tc(pred, spans(*GOLD_ROWS))
    assert str(caught.value) == (
        "predictions do not match gold: article A span [0, 5) is listed 1 times in "
        "predictions and 2 times in gold"
    )


def test_predictions_must_cover_the_gold_articles(spans: MakeSpans) -> None:
    with pytest.raises(ScoringError) as caught:
        score_tc(spans(("A", "X", 0, 5)), spans(*GOLD_ROWS))
    assert str(caught.value) == (
        "predictions do not match gold: article ids differ (0 only predicted, 1 only in gold)"
    )
