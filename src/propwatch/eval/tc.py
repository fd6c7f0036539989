"""``tc``: SemEval-2020 Task 11 technique classification, as the official ``task-TC_scorer.py``.

Predictions must list exactly the gold spans (same article ids, and per article the same
multiset of ``(start, end)``); otherwise the official scorer refuses the file, and so does this
one. Spans with several gold labels are aligned so that matches are maximised: for each
identical ``(article, start, end)`` the number of correct labels is the sum over techniques of
min(predicted count, gold count), which is what the official greedy alignment reaches. Then,
over the aligned (gold, predicted) label lists::

    micro P = micro R = micro F1 = accuracy = correct labels / gold spans

and per technique P, R, F1 with sklearn (zero division gives 0, as in the official scorer). The
per-technique table lists the techniques found in gold or predictions, not a fixed list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from propwatch.errors import ScoringError
from propwatch.eval.result import EvalOptions, Score, label_rows
from propwatch.io.labels.semeval2020 import SpanLabel, read_tc
from propwatch.registry import scorers

SpanKey = tuple[str, int, int]


def _labels_by_span(labels: Sequence[SpanLabel]) -> dict[SpanKey, Counter[str]]:
    table: dict[SpanKey, Counter[str]] = defaultdict(Counter)
    for item in labels:
        table[item.article_id, item.span.start, item.span.end][item.span.label] += 1
    return dict(table)


def _check_same_spans(pred: dict[SpanKey, Counter[str]], gold: dict[SpanKey, Counter[str]]) -> None:
    pred_articles = {key[0] for key in pred}
    gold_articles = {key[0] for key in gold}
    if pred_articles != gold_articles:
        raise ScoringError(
            "predictions do not match gold: article ids differ "
            f"({len(pred_articles - gold_articles)} only predicted, "
            f"{len(gold_articles - pred_articles)} only in gold)"
        )
    for key in sorted(set(pred) | set(gold)):
        n_pred, n_gold = (
            sum(pred.get(key, Counter()).values()),
            sum(gold.get(key, Counter()).values()),
        )
        if n_pred != n_gold:
            raise ScoringError(
                f"predictions do not match gold: article {key[0]} span [{key[1]}, {key[2]}) "
                f"is listed {n_pred} times in predictions and {n_gold} times in gold"
            )


def align_labels(
    pred: dict[SpanKey, Counter[str]], gold: dict[SpanKey, Counter[str]]
) -> tuple[list[str], list[str]]:
    """Gold and predicted label lists, aligned span by span so that matches are maximised."""
    y_true: list[str] = []
    y_pred: list[str] = []
    for key in sorted(gold):
        matched = gold[key] & pred[key]  # per technique: min(gold count, predicted count)
        for label in sorted(matched.elements()):
            y_true.append(label)
            y_pred.append(label)
        # Unmatched labels pair up arbitrarily: each pair is one error either way.
        y_true.extend(sorted((gold[key] - matched).elements()))
        y_pred.extend(sorted((pred[key] - matched).elements()))
    return y_true, y_pred


def score_tc(pred: Sequence[SpanLabel], gold: Sequence[SpanLabel]) -> Score:
    """Score predicted techniques of the gold spans.

    Raises
    ------
    ScoringError
        When the predicted spans are not exactly the gold spans, or gold is empty.
    """
    pred_table, gold_table = _labels_by_span(pred), _labels_by_span(gold)
    if not gold_table:
        raise ScoringError("gold has no spans to classify")
    _check_same_spans(pred_table, gold_table)
    y_true, y_pred = align_labels(pred_table, gold_table)
    # Imported here: scikit-learn takes about a second to import.
    from sklearn.metrics import precision_recall_fscore_support

    micro = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=0)
    labels = sorted(set(y_true) | set(y_pred))
    p, r, f, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    predicted = [y_pred.count(label) for label in labels]
    return Score(
        kind="tc",
        official="f1",
        metrics={"f1": float(micro[2]), "precision": float(micro[0]), "recall": float(micro[1])},
        counts={
            "gold_spans": len(y_true),
            "correct": sum(t == q for t, q in zip(y_true, y_pred, strict=True)),
        },
        per_label=label_rows(labels, p, r, f, support, predicted),
    )


@scorers.register("tc")
def score_tc_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """SemEval-2020 TC: micro-F1 (= accuracy) of techniques on the gold spans."""
    return score_tc(read_tc(pred), read_tc(gold))
