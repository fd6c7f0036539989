"""Genre classifier (SemEval-2023 subtask 1): one label per text, e.g. opinion/reporting/satire."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from propwatch.models.article.features import TfidfFeatures
from propwatch.models.article.linear import class_rows, softmax
from propwatch.models.article.store import split_prefix, with_prefix


class GenreClassifier(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression on word TF-IDF, with balanced class weights.

    Balanced weights matter: the training genres are ~90% opinion, and without them the model
    answers ``opinion`` for everything.

    Parameters
    ----------
    C : float, default=0.1
        Inverse regularisation strength.
    max_features, min_df, ngram_max : int
        Passed to :class:`~propwatch.models.article.features.TfidfFeatures`.
    random_state : int, default=0
        Seed of the solver.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Genre names, sorted.
    features_ : TfidfFeatures
    coef_ : ndarray of shape (n_classes, n_features)
    intercept_ : ndarray of shape (n_classes,)
    """

    def __init__(
        self,
        *,
        C: float = 0.1,
        max_features: int = 20000,
        min_df: int = 3,
        ngram_max: int = 1,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.max_features = max_features
        self.min_df = min_df
        self.ngram_max = ngram_max
        self.random_state = random_state

    def fit(self, texts: Sequence[str], genres: Sequence[str]) -> GenreClassifier:
        """Learn from ``texts`` and one genre name each (at least two distinct genres)."""
        self.features_ = TfidfFeatures(
            max_features=self.max_features, min_df=self.min_df, ngram_max=self.ngram_max
        ).fit(list(texts))
        model = LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state
        ).fit(self.features_.transform(list(texts)), list(genres))
        self.classes_ = model.classes_
        coef, intercept = class_rows(model)
        self.coef_ = coef.astype(np.float32)
        self.intercept_ = intercept.astype(np.float32)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of shape (n_texts, n_classes), rows summing to 1, columns ``classes_``."""
        check_is_fitted(self, "coef_")
        scores = np.asarray(self.features_.transform(list(texts)) @ self.coef_.T)
        return softmax(scores + self.intercept_)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The most probable genre per text, shape (n_texts,)."""
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]

    def to_arrays(self) -> dict[str, np.ndarray]:
        check_is_fitted(self, "coef_")
        return {
            **with_prefix(self.features_.to_arrays(), "features"),
            "classes": np.array(self.classes_, dtype=str),
            "coef": self.coef_,
            "intercept": self.intercept_,
        }

    def meta(self) -> dict[str, Any]:
        return {"params": self.get_params(), "features": self.features_.get_params()}

    @classmethod
    def from_arrays(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> GenreClassifier:
        model = cls(**meta["params"])
        model.features_ = TfidfFeatures.from_arrays(
            meta["features"], split_prefix(arrays, "features")
        )
        model.classes_ = np.array([str(c) for c in arrays["classes"]], dtype=object)
        model.coef_ = arrays["coef"]
        model.intercept_ = arrays["intercept"]
        return model
