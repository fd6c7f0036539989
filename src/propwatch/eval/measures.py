"""Precision, recall and F-scores with one convention each, for everything propwatch scores.

The official scorers (``si``, ``st2``, ``narratives``…), the estimators' threshold tuning and
the training reports all compute their measures here, so a number means the same wherever it
is printed. Pure numpy, importing nothing else of propwatch: the inference models use it too.

Conventions (those of the PTC scorers, and of scikit-learn's formulas; see
:func:`propwatch.eval.result.official_prf` for the PTC one):

- :func:`precision` is 0 when nothing is predicted; :func:`recall` is 0 when nothing is gold.
- :func:`f_score` is ``(1 + b²)·tp / (b²·(tp + fn) + (tp + fp))``, and 1 when there is nothing
  to find and nothing was found (``tp = fp = fn = 0``), as the PTC scorers and SemEval-2023's
  micro averages (``zero_division=1``) score it. Micro-F1 (:func:`micro_f1`) sums the counts
  over labels first.
- :func:`samples_f1` is per document and follows SemEval-2025 subtask 2's official scorer
  instead: a document with no label on either side scores 0 (``zero_division=0``).

The SemEval-2023 macro averages over a class list (``zero_division=1`` per class) stay in the
scorers that reproduce them (:mod:`propwatch.eval.multilabel`, :mod:`propwatch.eval.roles`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


def precision(tp: float, fp: float) -> float:
    """``tp / (tp + fp)``; 0 when nothing is predicted."""
    return float(tp / (tp + fp)) if tp + fp else 0.0


def recall(tp: float, fn: float) -> float:
    """``tp / (tp + fn)``; 0 when nothing is gold."""
    return float(tp / (tp + fn)) if tp + fn else 0.0


def f_score(tp: float, fp: float, fn: float, beta: float = 1.0) -> float:
    """F-beta from counts: recall weighs ``beta`` times as much as precision.

    1.0 when ``tp = fp = fn = 0`` (nothing to find, nothing found).
    """
    beta2 = beta**2
    denominator = beta2 * float(tp + fn) + float(tp + fp)
    return float((1 + beta2) * float(tp) / denominator) if denominator else 1.0


def binary_counts(truth: ArrayLike, chosen: ArrayLike) -> tuple[Any, Any, Any]:
    """``(tp, fp, fn)`` of 0/1 or boolean arrays, summed over axis 0 (per column if 2-D)."""
    gold, pred = np.asarray(truth, dtype=bool), np.asarray(chosen, dtype=bool)
    return (gold & pred).sum(axis=0), (~gold & pred).sum(axis=0), (gold & ~pred).sum(axis=0)


def binary_f_score(truth: ArrayLike, chosen: ArrayLike, beta: float = 1.0) -> float:
    """:func:`f_score` of the items ``chosen`` (boolean, shape (n,)) against ``truth``."""
    return f_score(*binary_counts(truth, chosen), beta=beta)


def binary_prf(truth: ArrayLike, chosen: ArrayLike) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean arrays of shape (n,)."""
    tp, fp, fn = binary_counts(truth, chosen)
    return precision(tp, fp), recall(tp, fn), f_score(tp, fp, fn)


def accuracy(truth: Sequence[Any], guess: Sequence[Any]) -> float:
    """Share of items whose guess equals the truth (0 for no items)."""
    hits = [t == g for t, g in zip(truth, guess, strict=True)]
    return float(np.mean(hits)) if hits else 0.0


def label_counts(
    truth: Sequence[Sequence[str]], guess: Sequence[Sequence[str]]
) -> dict[str, tuple[int, int, int]]:
    """``(tp, fp, fn)`` of every label seen in ``truth`` or ``guess`` (label sets per item),
    sorted by label."""
    labels = sorted({label for labels in (*truth, *guess) for label in labels})
    counts = {label: [0, 0, 0] for label in labels}
    for gold, pred in zip(truth, guess, strict=True):
        wanted, given = set(gold), set(pred)
        for label in wanted & given:
            counts[label][0] += 1
        for label in given - wanted:
            counts[label][1] += 1
        for label in wanted - given:
            counts[label][2] += 1
    return {label: (tp, fp, fn) for label, (tp, fp, fn) in counts.items()}


def micro_f1(truth: Sequence[Sequence[str]], guess: Sequence[Sequence[str]]) -> float:
    """F1 of the label-set counts summed over labels (1.0 when no item has a label)."""
    rows = label_counts(truth, guess).values()
    return f_score(sum(r[0] for r in rows), sum(r[1] for r in rows), sum(r[2] for r in rows))


def macro_f1(truth: Sequence[Sequence[str]], guess: Sequence[Sequence[str]]) -> float:
    """Mean F1 over the labels seen in ``truth`` or ``guess`` (1.0 when there are none)."""
    scores = [f_score(*counts) for counts in label_counts(truth, guess).values()]
    return float(np.mean(scores)) if scores else 1.0


def per_label(
    truth: Sequence[Sequence[str]], guess: Sequence[Sequence[str]]
) -> dict[str, dict[str, float]]:
    """``{label: {"precision", "recall", "f1", "support"}}`` for every label seen; ``support``
    is the number of items whose truth has the label."""
    return {
        label: {
            "precision": precision(tp, fp),
            "recall": recall(tp, fn),
            "f1": f_score(tp, fp, fn),
            "support": tp + fn,
        }
        for label, (tp, fp, fn) in label_counts(truth, guess).items()
    }


def samples_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> NDArray[np.float64]:
    """F1 between the gold and predicted label sets of each document, shape (n_documents,).

    A document with no label on either side scores 0 (SemEval-2025 subtask 2's convention).
    """
    scores = []
    for truth, guess in zip(gold, pred, strict=True):
        wanted, given = set(truth), set(guess)
        if not wanted and not given:
            scores.append(0.0)  # where f_score would give 1.0
            continue
        both = len(wanted & given)
        scores.append(f_score(both, len(given) - both, len(wanted) - both))
    return np.array(scores, dtype=np.float64)


def paired_f1_se(
    a: NDArray[np.int64], b: NDArray[np.int64], *, draws: int = 1000, seed: int = 0
) -> float:
    """Standard error of F1(b) - F1(a) over resamples of items (e.g. articles).

    ``a`` and ``b`` hold one row per item, ``(matched, predicted, gold)``, for two systems on
    the same items; each draw resamples the items with replacement, the same draw for both, so
    what the systems share cancels out. A difference under two standard errors is noise.
    """
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(draws):
        pick = rng.integers(0, len(a), len(a))
        diffs.append(_count_f1(b[pick].sum(axis=0)) - _count_f1(a[pick].sum(axis=0)))
    return float(np.std(diffs))


def _count_f1(counts: NDArray[np.int64]) -> float:
    matched, predicted, gold = (int(c) for c in counts)
    return f_score(matched, predicted - matched, gold - matched)
