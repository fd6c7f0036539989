"""Span-classifier calibration: the span head's answer re-weighed, plus what the article repeats.

The span head is fitted on the spans of its own training articles, where it is overconfident
and where technique frequencies differ from unseen news; and it reads one fragment at a time,
so it cannot see that the article repeats the fragment, which is what Repetition means (the
third most frequent technique of the SemEval-2020 dev set). A multinomial logistic layer
fitted on spans the head never saw corrects both::

    logits = [log(p_head), recurrence_features] @ weights + bias

It is fitted with its weights drawn towards "the head's log-probabilities unchanged", and only
on the techniques its spans hold: a technique it never saw keeps the head's probability, and
the layer shares out among the others the probability the head gives them. The weights live
beside the model's other files (:data:`FILE_NAME`); a model folder without them is used as
before.

Fitted on held-out PTC articles (2017-18), the layer also moves every answer towards their
technique shares, which newer news does not share; so it may be applied in part: with
``weight`` w the answer is the normalised geometric mean ``p_head ** (1 - w) *
p_calibrated ** w`` (w = 1 the layer as fitted, w = 0 the head alone).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from propwatch.models.techniques.heads import softmax

FILE_NAME = "calibration.npz"
NON_WORD = re.compile(r"\W+")
RECURRENCE_FEATURES = ("count_log", "twice", "thrice", "words_log", "twice_words_log")
EPSILON = 1e-4  # floor of a head probability before its log
FLOOR = 1e-6  # of a probability before the logarithm of a partial calibration


def normalise(text: str) -> str:
    """Lower case, every run of non-word characters as one space: how a reader hears a phrase."""
    return NON_WORD.sub(" ", text.lower()).strip()


def recurrence_features(text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float32]:
    """Features of how often each character span's wording occurs in ``text``.

    Returns
    -------
    ndarray of float32, shape (len(spans), len(RECURRENCE_FEATURES))
        log(1 + occurrences), occurs at least twice, at least three times, log(1 + words),
        and "twice" times the length (a repeated short fragment is a refrain or a slogan, a
        repeated long one more often a quotation given twice).
    """
    whole = f" {normalise(text)} "
    rows = np.zeros((len(spans), len(RECURRENCE_FEATURES)), dtype=np.float32)
    for row, (start, end) in enumerate(spans):
        fragment = normalise(text[start:end])
        if not fragment:
            continue
        count = whole.count(f" {fragment} ")  # whole words only: "war" is not in "award"
        words = np.log1p(len(fragment.split()))
        rows[row] = (np.log1p(count), count >= 2, count >= 3, words, (count >= 2) * words)
    return rows


def calibration_inputs(
    head_probs: NDArray[np.float32], recurrence: NDArray[np.float32]
) -> NDArray[np.float32]:
    """The layer's input rows: the head's log-probabilities, then the recurrence features."""
    return np.hstack([np.log(head_probs + EPSILON), recurrence]).astype(np.float32)


@dataclass(frozen=True)
class SpanCalibration:
    """Per scheme: weights (n_techniques + n_recurrence, n_techniques) and bias (n_techniques,).

    ``unseen`` marks, per scheme, the techniques the layer was not fitted on (none when the
    scheme is missing): their probabilities stay the head's. ``weight`` is how much of the
    layer is applied (see the module's notes); 1 unless the file says otherwise.
    """

    weights: Mapping[str, tuple[NDArray[np.float32], NDArray[np.float32]]]
    unseen: Mapping[str, NDArray[np.bool_]] = field(default_factory=dict)
    weight: float = 1.0

    @classmethod
    def load(cls, path: Path) -> SpanCalibration:
        with np.load(path) as arrays:
            schemes = sorted({name.split("/")[0] for name in arrays.files if "/" in name})
            return cls(
                {s: (arrays[f"{s}/weights"], arrays[f"{s}/bias"]) for s in schemes},
                {s: arrays[f"{s}/unseen"] for s in schemes if f"{s}/unseen" in arrays.files},
                float(arrays["weight"]) if "weight" in arrays.files else 1.0,
            )

    def save(self, path: Path) -> None:
        arrays: dict[str, NDArray[np.generic]] = {}
        for scheme, (weights, bias) in self.weights.items():
            arrays[f"{scheme}/weights"], arrays[f"{scheme}/bias"] = weights, bias
        for scheme, unseen in self.unseen.items():
            if unseen.any():
                arrays[f"{scheme}/unseen"] = unseen
        if self.weight != 1.0:
            arrays["weight"] = np.asarray(self.weight, dtype=np.float32)
        np.savez(path, **arrays)  # type: ignore[arg-type]

    def apply(
        self, scheme: str, head_probs: NDArray[np.float32], recurrence: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        """Calibrated technique distributions, shape like ``head_probs``."""
        if scheme not in self.weights or len(head_probs) == 0:
            return head_probs
        calibrated = self._fitted(scheme, head_probs, recurrence)
        if self.weight == 1.0:
            return calibrated
        mixed = np.exp(
            (1 - self.weight) * np.log(head_probs + FLOOR)
            + self.weight * np.log(calibrated + FLOOR)
        )
        return (mixed / mixed.sum(axis=1, keepdims=True)).astype(np.float32)

    def _fitted(
        self, scheme: str, head_probs: NDArray[np.float32], recurrence: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        """The layer's answer as fitted (weight 1)."""
        weights, bias = self.weights[scheme]
        logits = calibration_inputs(head_probs, recurrence) @ weights + bias
        unseen = self.unseen.get(scheme)
        if unseen is None or not unseen.any():
            return softmax(logits)
        seen = ~unseen
        out = head_probs.copy()
        share = head_probs[:, seen].sum(axis=1, keepdims=True)
        out[:, seen] = softmax(logits[:, seen]) * share
        return out
