"""Fit the span-classifier calibration on held-out gold spans.

The span head's probabilities on its own training spans are overconfident, so the calibration
is fitted on spans the head never saw (the held-out articles of ``propwatch train
techniques``): a multinomial logistic regression whose weights are L2-penalised towards the
identity on the head's log-probabilities ("change nothing"); see
:mod:`propwatch.models.techniques.calibration`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from propwatch.models.techniques.calibration import (
    RECURRENCE_FEATURES,
    SpanCalibration,
    calibration_inputs,
    recurrence_features,
)
from propwatch.models.techniques.heads import softmax
from propwatch.models.techniques.tagger import Encoded, TechniqueTagger
from propwatch.training.techniques.data import GoldSpan

# Calibration inputs (n_spans, n_techniques + n_recurrence) and class index of each span.
Rows = tuple[NDArray[np.float32], NDArray[np.int64]]

# Chosen on the SemEval-2020 dev set among 1e-4, 1e-3 and 1e-2 (TC 0.570 / 0.561 / 0.559).
L2 = 1e-4


def fit_towards_identity(
    inputs: NDArray[np.float32], labels: NDArray[np.int64], n_classes: int, l2: float
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Weights (n_inputs, n_classes) and bias (n_classes,) of a penalised softmax regression.

    The first ``n_classes`` inputs are log-probabilities of the classes; the penalty
    ``l2 * |weights - identity|^2 + l2 * |bias|^2`` pulls the fit towards passing them
    through unchanged. Only the classes among ``labels`` are fitted, as a softmax over them:
    with no example of a class the likelihood would push its logit down without end (the
    penalty is small), so a technique the held-out articles lack could never be named again.
    The columns of the other classes stay the identity with no bias, and
    :meth:`~propwatch.models.techniques.calibration.SpanCalibration.apply` leaves their
    probabilities as the head gives them.
    """
    seen = np.unique(labels)
    n, width = inputs.shape
    identity = np.zeros((width, len(seen)))
    identity[seen, np.arange(len(seen))] = 1.0
    onehot = (labels[:, None] == seen[None, :]).astype(np.float64)
    target = np.searchsorted(seen, labels)

    def loss(flat: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        weights = flat[: width * len(seen)].reshape(width, len(seen)) + identity
        probs = softmax((inputs @ weights + flat[width * len(seen) :]).astype(np.float32))
        value = -np.log(probs[np.arange(n), target] + 1e-12).mean() + l2 * (flat @ flat)
        residual = (probs - onehot) / n
        grad = np.concatenate([(inputs.T @ residual).ravel(), residual.sum(0)]) + 2 * l2 * flat
        return float(value), grad

    start = np.zeros(width * len(seen) + len(seen))
    found = minimize(loss, start, jac=True, method="L-BFGS-B")
    weights = np.eye(width, n_classes)
    weights[:, seen] = found.x[: width * len(seen)].reshape(width, len(seen)) + identity
    bias = np.zeros(n_classes)
    bias[seen] = found.x[width * len(seen) :]
    return weights.astype(np.float32), bias.astype(np.float32)


def span_examples(
    tagger: TechniqueTagger,
    texts: Mapping[str, str],
    encoded: Mapping[str, Encoded],
    gold: Mapping[str, Sequence[GoldSpan]],
    scheme: str,
) -> Rows:
    """Calibration inputs and class of every gold span of ``scheme`` in ``texts``."""
    names = list(tagger.layout_.techniques[scheme])
    rows: list[NDArray[np.float32]] = []
    labels: list[int] = []
    for key, text in texts.items():
        spans = [(s, e, t) for s, e, t in gold.get(key, []) if t in names]
        if not spans:
            continue
        bounds = [(s, e) for s, e, _t in spans]
        probs = tagger.classify(text, bounds, scheme, encoded[key], calibrated=False)
        rows.append(calibration_inputs(probs, recurrence_features(text, bounds)))
        labels.extend(names.index(t) for _s, _e, t in spans)
    if not rows:
        width = len(names) + len(RECURRENCE_FEATURES)
        return np.zeros((0, width), dtype=np.float32), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.asarray(labels, dtype=np.int64)


def fit_calibration(
    tagger: TechniqueTagger,
    corpora: Mapping[str, tuple[Mapping[str, str], Mapping[str, Sequence[GoldSpan]]]],
    encoded: Mapping[str, Mapping[str, Encoded]],
    l2: float = L2,
    extra: Mapping[str, Rows] | None = None,
) -> SpanCalibration:
    """One calibration per scheme of ``corpora`` (scheme to texts and gold spans), fitted on
    their gold spans and on the scheme's ``extra`` rows (spans other heads answered out of
    fold, see :mod:`.out_of_fold`)."""
    weights, unseen = {}, {}
    for scheme, (texts, gold) in corpora.items():
        inputs, labels = span_examples(tagger, texts, encoded[scheme], gold, scheme)
        if extra and scheme in extra:
            inputs = np.concatenate([inputs, extra[scheme][0]])
            labels = np.concatenate([labels, extra[scheme][1]])
        if len(labels):
            n_classes = len(tagger.layout_.techniques[scheme])
            weights[scheme] = fit_towards_identity(inputs, labels, n_classes, l2)
            unseen[scheme] = ~np.isin(np.arange(n_classes), labels)
    return SpanCalibration(weights, unseen)
