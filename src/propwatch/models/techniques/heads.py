"""The small heads on top of the encoder, evaluated with numpy at inference.

Token head: one sigmoid per column of :class:`~propwatch.models.techniques.layout.Layout` over
``[hidden state, token features]``. Span head: a one-hidden-layer MLP over
:func:`span_vector` with one softmax block per scheme. The torch twins in
``propwatch/training/techniques/model.py`` compute exactly the same functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from propwatch.models.techniques.windows import States, pooled_rows

Array = NDArray[np.float32]


def span_vector(hidden: States, features: Array, first: int, last: int) -> Array:
    """Pooled representation of tokens ``[first, last)``.

    Parameters
    ----------
    hidden : ndarray of shape (n_tokens, hidden_size)
        float32, or int8 as kept for long texts (:class:`Int8States`).
    features : ndarray of shape (n_tokens, n_features)

    Returns
    -------
    ndarray of shape (3 * hidden_size + n_features + 1,)
        Mean and max of the span's states, its first state, mean features, log token length.
    """
    mean, peak = pooled_rows(hidden, first, last)
    start = np.asarray(hidden[first : first + 1], dtype=np.float32)[0]
    length = np.array([np.log1p(last - first) / 5.0], dtype=np.float32)
    parts = [mean, peak, start, features[first:last].mean(0), length]
    return np.concatenate(parts).astype(np.float32)


def sigmoid(x: Array) -> Array:
    return (1.0 / (1.0 + np.exp(-x))).astype(np.float32)


def softmax(x: Array) -> Array:
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return (shifted / shifted.sum(axis=-1, keepdims=True)).astype(np.float32)


@dataclass(frozen=True)
class Heads:
    """Weights of both heads (float32 arrays, ``x @ w + b`` convention)."""

    token_w: Array
    token_b: Array
    span_w: Array
    span_b: Array
    span_out: Mapping[str, tuple[Array, Array]]

    def token_probs(self, hidden: Array, features: Array) -> Array:
        """Per-token probabilities, shape (n_tokens, n_token_outputs)."""
        return sigmoid(np.concatenate([hidden, features], axis=1) @ self.token_w + self.token_b)

    def span_probs(self, vectors: Array, scheme: str) -> Array:
        """Technique distribution of each span, shape (n_spans, n_techniques of ``scheme``)."""
        inner = np.maximum(vectors @ self.span_w + self.span_b, 0.0)
        weight, bias = self.span_out[scheme]
        return softmax(inner @ weight + bias)

    def to_arrays(self) -> dict[str, Array]:
        arrays = {
            "token_w": self.token_w,
            "token_b": self.token_b,
            "span_w": self.span_w,
            "span_b": self.span_b,
        }
        for scheme, (weight, bias) in self.span_out.items():
            arrays[f"span_out_w:{scheme}"] = weight
            arrays[f"span_out_b:{scheme}"] = bias
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Array], schemes: list[str]) -> Heads:
        return cls(
            token_w=arrays["token_w"],
            token_b=arrays["token_b"],
            span_w=arrays["span_w"],
            span_b=arrays["span_b"],
            span_out={s: (arrays[f"span_out_w:{s}"], arrays[f"span_out_b:{s}"]) for s in schemes},
        )
