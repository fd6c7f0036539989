"""Logistic-regression heads on sparse features, out-of-fold scores and F1 thresholds.

Predicting needs only :func:`sigmoid`, :func:`softmax` and :func:`decision`; scikit-learn is
imported by the functions that fit (see :mod:`propwatch.models.article.estimator`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

import numpy as np

from propwatch.eval.measures import binary_f_score
from propwatch.models.article.rows import SparseRows

if TYPE_CHECKING:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

# Intercept of a label never seen positive: its probability is ~5e-5 whatever the text.
ABSENT_INTERCEPT = -10.0
# Thresholds are searched on this grid of probabilities.
THRESHOLD_GRID = np.round(np.arange(0.05, 0.96, 0.025), 3)

Heads = tuple[np.ndarray, np.ndarray]
# A string: SciPy is imported for type checking only.
HeadFitter: TypeAlias = "Callable[[sparse.csr_matrix, np.ndarray], Heads]"


def sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -30, 30)))


def softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def class_rows(model: LogisticRegression) -> Heads:
    """One coefficient row and intercept per class of a fitted ``LogisticRegression``.

    Returns
    -------
    coef : ndarray of shape (n_classes, n_features)
    intercept : ndarray of shape (n_classes,)
        Rows in ``model.classes_`` order. sklearn keeps a single row for two classes; it is split
        into two opposite halves, which give the same probabilities under a softmax.
    """
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return coef, intercept


def fit_binary_heads(
    features: sparse.csr_matrix, targets: np.ndarray, *, C: float, balanced: bool, seed: int
) -> Heads:
    """One L2 logistic regression per label column.

    Parameters
    ----------
    features : sparse matrix of shape (n_samples, n_features)
    targets : ndarray of shape (n_samples, n_labels), 0/1
    C : float
        Inverse regularisation strength.
    balanced : bool
        Weight positives and negatives equally (``class_weight="balanced"``).
    seed : int
        Random state of the solver.

    Returns
    -------
    coef : ndarray of shape (n_labels, n_features), float32
    intercept : ndarray of shape (n_labels,), float32
    """
    from sklearn.linear_model import LogisticRegression

    n_labels = targets.shape[1]
    coef = np.zeros((n_labels, features.shape[1]), dtype=np.float32)
    intercept = np.full(n_labels, ABSENT_INTERCEPT, dtype=np.float32)
    for column in range(n_labels):
        target = targets[:, column]
        if target.min() == target.max():  # one class only: a constant answer
            intercept[column] = ABSENT_INTERCEPT if target.max() == 0 else -ABSENT_INTERCEPT
            continue
        model = LogisticRegression(
            C=C, class_weight="balanced" if balanced else None, max_iter=2000, random_state=seed
        ).fit(features, target)
        coef[column] = model.coef_[0]
        intercept[column] = model.intercept_[0]
    return coef, intercept


def decision(features: SparseRows, heads: Heads) -> np.ndarray:
    """Linear scores ``features @ coef.T + intercept``, shape (n_samples, n_labels)."""
    coef, intercept = heads
    return features.dot(coef) + intercept


def out_of_fold(
    features: sparse.csr_matrix,
    targets: np.ndarray,
    fit: HeadFitter,
    *,
    folds: int,
    seed: int,
    extra: tuple[sparse.csr_matrix, np.ndarray] | None = None,
) -> np.ndarray:
    """Decision values of each sample from heads fitted without it.

    Parameters
    ----------
    features, targets : as in :func:`fit_binary_heads`
    fit : callable
        ``fit(features, targets) -> heads``.
    folds : int
        Number of folds (shuffled with ``seed``).
    extra : (features, targets), optional
        Samples added to every training fold and never scored (e.g. label definitions).

    Returns
    -------
    ndarray of shape (n_samples, n_labels)
    """
    from scipy import sparse
    from sklearn.model_selection import KFold

    scores = np.zeros(targets.shape, dtype=np.float32)
    for train, held in KFold(folds, shuffle=True, random_state=seed).split(targets):
        train_x, train_y = features[train], targets[train]
        if extra is not None:
            train_x = sparse.vstack([train_x, extra[0]]).tocsr()
            train_y = np.vstack([train_y, extra[1]])
        scores[held] = decision(SparseRows.of(features[held]), fit(train_x, train_y))
    return scores


def best_threshold(probabilities: np.ndarray, truth: np.ndarray, default: float = 0.5) -> float:
    """The grid threshold with the best F1 of ``probabilities >= t`` against ``truth``.

    Ties go to the higher threshold (fewer false positives). ``default`` when ``truth`` has no
    positive.
    """
    if not truth.any():
        return default
    positive = truth.astype(bool)
    scores = [binary_f_score(positive, probabilities >= t) for t in THRESHOLD_GRID]
    best = max(range(len(scores)), key=lambda i: (scores[i], i))
    return float(THRESHOLD_GRID[best])
