"""The measures every score goes through: one convention each, equal to scikit-learn's numbers."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score, fbeta_score, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from propwatch.eval.measures import (
    accuracy,
    binary_f_score,
    binary_prf,
    f_score,
    macro_f1,
    micro_f1,
    per_label,
    precision,
    recall,
    samples_f1,
)

TRUTH = [["Economic", "Political"], ["Political"], ["Security"], []]
GUESS = [["Economic"], ["Political", "Security"], [], ["Political"]]


def _binarized() -> tuple[np.ndarray, np.ndarray]:
    binarizer = MultiLabelBinarizer(classes=["Economic", "Political", "Security"]).fit([])
    return binarizer.transform(TRUTH), binarizer.transform(GUESS)


def test_empty_cases_follow_one_convention() -> None:
    assert (precision(0, 0), recall(0, 0)) == (0.0, 0.0)
    assert f_score(0, 0, 0) == 1.0  # nothing to find, nothing found (PTC, SemEval-2023 micro)
    assert f_score(0, 3, 2) == 0.0
    assert micro_f1([[], []], [[], []]) == 1.0
    assert samples_f1([[]], [[]]).tolist() == [0.0]  # SemEval-2025 subtask 2 per document


def test_label_set_measures_equal_sklearn_with_zero_division_0() -> None:
    y_true, y_pred = _binarized()
    assert micro_f1(TRUTH, GUESS) == f1_score(y_true, y_pred, average="micro", zero_division=0)
    assert micro_f1(TRUTH, GUESS) == 0.5  # tp 2, fp 2, fn 2
    assert macro_f1(TRUTH, GUESS) == f1_score(y_true, y_pred, average="macro", zero_division=0)
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    rows = per_label(TRUTH, GUESS)
    assert list(rows) == ["Economic", "Political", "Security"]
    assert [row["precision"] for row in rows.values()] == p.tolist()
    assert [row["recall"] for row in rows.values()] == r.tolist()
    assert [row["f1"] for row in rows.values()] == f.tolist()
    assert [row["support"] for row in rows.values()] == support.tolist() == [1, 2, 1]


def test_binary_measures_equal_sklearn() -> None:
    truth = np.array([True, True, False, True, False, False])
    chosen = np.array([True, False, True, True, False, False])
    expected = precision_recall_fscore_support(truth, chosen, average="binary", zero_division=0)
    assert binary_prf(truth, chosen) == expected[:3] == (2 / 3, 2 / 3, 2 / 3)
    assert binary_f_score(truth, chosen, beta=2.0) == fbeta_score(truth, chosen, beta=2.0)
    assert binary_f_score(truth, np.zeros(6, dtype=bool)) == 0.0


def test_accuracy_is_the_share_of_hits() -> None:
    assert accuracy(["opinion", "reporting", "satire"], ["opinion", "opinion", "satire"]) == 2 / 3
