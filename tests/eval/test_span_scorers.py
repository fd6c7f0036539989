"""``si`` and ``flc``: partial-overlap span credit, hand-computed cases."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from propwatch.errors import ScoringError
from propwatch.eval.flc import score_flc
from propwatch.eval.si import score_si
from propwatch.eval.spans import merge_overlapping
from propwatch.text.span import Span

MakeSpans = Callable[..., list]  # the ``spans`` fixture of conftest.py


def test_si_partial_overlaps_and_an_article_without_predictions(spans: MakeSpans) -> None:
    gold = spans(("A", "", 0, 10), ("A", "", 20, 30), ("B", "", 0, 4))
    pred = spans(("A", "", 5, 15), ("A", "", 20, 25))
    score = score_si(pred, gold)
    # p1=[5,15) x g1=[0,10): overlap 5 -> P credit 5/10, R credit 5/10.
    # p2=[20,25) x g2=[20,30): overlap 5 -> P credit 5/5, R credit 5/10.
    # P = (0.5 + 1) / 2 predicted = 0.75; R = (0.5 + 0.5) / 3 gold (B counts) = 1/3.
    # F1 = 2 * 0.75 * (1/3) / (0.75 + 1/3) = 0.5 / (13/12) = 6/13.
    assert score.metrics["precision"] == pytest.approx(0.75)
    assert score.metrics["recall"] == pytest.approx(1 / 3)
    assert score.metrics["f1"] == pytest.approx(6 / 13)
    assert score.counts == {"predicted_spans": 2, "gold_spans": 3}
    assert score.notes == ()


def test_si_merges_overlapping_gold_but_not_touching_spans(spans: MakeSpans) -> None:
    gold = spans(("A", "", 0, 10), ("A", "", 5, 12), ("A", "", 12, 15))
    pred = spans(("A", "", 0, 12))
    score = score_si(pred, gold)
    # Gold becomes [0,12) and [12,15) (touching spans stay apart): 2 gold spans.
    # P = 12/12 / 1 = 1; R = (12/12 + 0) / 2 = 0.5; F1 = 2 * 1 * 0.5 / 1.5 = 2/3.
    assert score.counts["gold_spans"] == 2
    assert score.metrics["precision"] == pytest.approx(1.0)
    assert score.metrics["recall"] == pytest.approx(0.5)
    assert score.metrics["f1"] == pytest.approx(2 / 3)


def test_si_merges_overlapping_predictions(spans: MakeSpans) -> None:
    gold = spans(("A", "", 0, 10))
    pred = spans(("A", "", 0, 6), ("A", "", 4, 10))
    # Predictions merge into [0,10): one span, exact match.
    score = score_si(pred, gold)
    assert score.counts == {"predicted_spans": 1, "gold_spans": 1}
    assert score.metrics["f1"] == pytest.approx(1.0)


def test_si_article_only_in_predictions_counts_against_precision(spans: MakeSpans) -> None:
    gold = spans(("A", "", 0, 10), ("B", "", 0, 5))
    pred = spans(("A", "", 0, 10), ("C", "", 0, 5))
    score = score_si(pred, gold)
    # P = 1 / 2 (C's span earns nothing); R = 1 / 2 (B is missed); F1 = 0.5.
    assert score.metrics["precision"] == pytest.approx(0.5)
    assert score.metrics["recall"] == pytest.approx(0.5)
    assert score.metrics["f1"] == pytest.approx(0.5)
    assert score.notes == (
        "1 predicted articles are not in gold (e.g. C); their spans count as wrong",
    )


def test_si_refuses_more_predicted_than_gold_articles(spans: MakeSpans) -> None:
    with pytest.raises(ScoringError) as caught:
        score_si(spans(("A", "", 0, 1), ("B", "", 0, 1)), spans(("A", "", 0, 1)))
    assert str(caught.value) == "predictions cover 2 articles but gold only 1"


def test_an_article_without_gold_spans_is_scored_when_the_articles_are_listed(
    spans: MakeSpans,
) -> None:
    pred = spans(("A", "Doubt", 0, 4), ("B", "Doubt", 0, 4))
    gold = spans(("A", "Doubt", 0, 4))
    # B has no gold span: its prediction is a false alarm, not a reason to stop
    assert score_si(pred, gold, articles=["A", "B"]).metrics["precision"] == pytest.approx(0.5)
    assert score_flc(pred, gold, articles=["A", "B"]).metrics["f1"] == pytest.approx(2 / 3)
    with pytest.raises(ScoringError) as caught:
        score_si(pred, gold, articles=["A"])
    assert str(caught.value) == "prediction for article 'B', which is not scored"


def test_si_empty_files_score_one_and_no_predictions_score_zero(spans: MakeSpans) -> None:
    assert score_si([], []).metrics["f1"] == 1.0
    assert score_si([], spans(("A", "", 0, 3))).metrics == {
        "f1": 0.0,
        "precision": 0.0,
        "recall": 0.0,
    }


def test_merge_overlapping_is_sorted_and_disjoint(spans: MakeSpans) -> None:
    merged = merge_overlapping([Span(8, 9), Span(0, 3), Span(2, 5), Span(5, 6), Span(1, 2)])
    assert merged == [Span(0, 5), Span(5, 6), Span(8, 9)]


def test_flc_credits_only_same_technique_pairs(spans: MakeSpans) -> None:
    gold = spans(("A", "Loaded", 0, 10), ("A", "Doubt", 0, 10))
    pred = spans(("A", "Loaded", 0, 5), ("A", "Doubt", 20, 30))
    score = score_flc(pred, gold)
    # Loaded [0,5) x Loaded [0,10): P credit 5/5 = 1, R credit 5/10 = 0.5.
    # Loaded [0,5) x Doubt [0,10) overlaps but the techniques differ: no credit.
    # P = 1 / 2 = 0.5; R = 0.5 / 2 = 0.25; F1 = 2 * 0.5 * 0.25 / 0.75 = 1/3.
    assert score.metrics["precision"] == pytest.approx(0.5)
    assert score.metrics["recall"] == pytest.approx(0.25)
    assert score.metrics["f1"] == pytest.approx(1 / 3)
    doubt, loaded = score.per_label
    # Loaded: P = 1/1, R = 0.5/1, F1 = 2/3; Doubt: nothing credited.
    assert (loaded.label, loaded.precision, loaded.recall) == ("Loaded", 1.0, 0.5)
    assert loaded.f1 == pytest.approx(2 / 3)
    assert (doubt.label, doubt.precision, doubt.recall, doubt.f1) == ("Doubt", 0.0, 0.0, 0.0)
    assert (doubt.support, doubt.predicted) == (1, 1)


def test_flc_merges_overlaps_within_a_technique_only(spans: MakeSpans) -> None:
    gold = spans(("A", "Loaded", 0, 6), ("A", "Loaded", 4, 10), ("A", "Doubt", 2, 8))
    score = score_flc(gold, gold)
    # Loaded spans merge into [0,10); Doubt [2,8) overlaps it but stays: 2 spans.
    assert score.counts == {"predicted_spans": 2, "gold_spans": 2}
    assert score.metrics["f1"] == pytest.approx(1.0)
