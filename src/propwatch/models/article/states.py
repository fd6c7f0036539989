"""A softmax classifier over encoder states: standardise, then multinomial logistic regression.

Genre and entity roles read the technique encoder's mean states (384 numbers per text span,
see :meth:`~propwatch.models.techniques.Encoded.mean_state`); both fit this head on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from propwatch.models.article.linear import class_rows, softmax
from propwatch.models.article.store import with_prefix


def standardization(states: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale (standard deviation) per dimension of ``states`` (n_samples, n_dims).

    A constant dimension carries no signal; its scale is 1 so nothing is divided by 0.
    """
    matrix = np.asarray(states, dtype=np.float64)
    mean, scale = matrix.mean(axis=0), matrix.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


@dataclass
class StateSoftmax:
    """Fitted weights: ``softmax(((x - mean) / scale) @ coef.T + intercept)``.

    Attributes
    ----------
    classes : list of str
        Column order of :meth:`proba`.
    mean, scale : ndarray of shape (n_dims,)
    coef : ndarray of shape (n_classes, n_dims)
    intercept : ndarray of shape (n_classes,)
    """

    classes: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def fit(
        cls, states: ArrayLike, labels: Sequence[str], *, C: float, balanced: bool, seed: int
    ) -> StateSoftmax:
        """Fit on ``states`` (n_samples, n_dims) with one label each (two distinct at least)."""
        from sklearn.linear_model import LogisticRegression  # training only

        matrix = np.asarray(states, dtype=np.float64)
        mean, scale = standardization(matrix)  # float64 while fitting, float32 once stored
        model = LogisticRegression(
            C=C,
            class_weight="balanced" if balanced else None,
            max_iter=5000,
            random_state=seed,
        ).fit((matrix - mean) / scale, list(labels))
        coef, intercept = class_rows(model)
        return cls(
            [str(c) for c in model.classes_],
            mean.astype(np.float32),
            scale.astype(np.float32),
            coef.astype(np.float32),
            intercept.astype(np.float32),
        )

    def proba(self, states: ArrayLike) -> np.ndarray:
        """Probabilities of shape (n_samples, n_classes), rows summing to 1."""
        standard = (np.asarray(states, dtype=np.float32) - self.mean) / self.scale
        return softmax(standard @ self.coef.T + self.intercept)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Weights as ``<prefix>.mean``… (classes go in the model's metadata)."""
        return with_prefix(
            {
                "mean": self.mean,
                "scale": self.scale,
                "coef": self.coef,
                "intercept": self.intercept,
            },
            prefix,
        )

    @classmethod
    def from_arrays(
        cls, classes: Sequence[str], arrays: dict[str, np.ndarray], prefix: str
    ) -> StateSoftmax:
        # Read by name, so a file lacking the part fails with the array's name (KeyError).
        mean, scale, coef, intercept = (
            arrays[f"{prefix}.{name}"] for name in ("mean", "scale", "coef", "intercept")
        )
        return cls(list(classes), mean, scale, coef, intercept)
