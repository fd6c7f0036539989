"""Multi-label text classifier: TF-IDF (optionally with encoder states), one logistic head per
label, tuned thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from propwatch.models.article.estimator import Estimator, check_fitted
from propwatch.models.article.features import TfidfFeatures
from propwatch.models.article.linear import (
    best_threshold,
    decision,
    fit_binary_heads,
    out_of_fold,
    sigmoid,
)
from propwatch.models.article.rows import SparseRows
from propwatch.models.article.states import standardization
from propwatch.models.article.store import split_prefix, with_prefix

if TYPE_CHECKING:
    from scipy import sparse


def binarize(label_sets: Sequence[Sequence[str]], labels: Sequence[str]) -> np.ndarray:
    """0/1 matrix of shape (n_samples, n_labels); labels outside ``labels`` are ignored."""
    column = {label: index for index, label in enumerate(labels)}
    matrix = np.zeros((len(label_sets), len(labels)), dtype=np.int8)
    for row, names in enumerate(label_sets):
        for name in names:
            if name in column:
                matrix[row, column[name]] = 1
    return matrix


def _required(states: ArrayLike | None) -> ArrayLike:
    if states is None:
        raise ValueError("this model reads encoder states: pass states=")
    return states


class MultiLabelTextClassifier(Estimator):
    """Assign any number of labels to a text.

    Each label gets an L2 logistic regression on shared TF-IDF features and a probability
    threshold chosen for the best F1 on out-of-fold predictions of the training set. With
    ``state_weight > 0`` each text also brings a dense vector (the technique encoder's mean
    state), standardised and appended to its TF-IDF row; every method then takes ``states``.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength of every head.
    balanced : bool, default=True
        Weight positives and negatives equally in each head.
    max_features, min_df, ngram_max : int
        Passed to :class:`~propwatch.models.article.features.TfidfFeatures`.
    folds : int, default=5
        Folds of the out-of-fold predictions that set the thresholds.
    state_weight : float, default=0.0
        L2 norm the standardised states are scaled to (a TF-IDF row has norm 1); 0 ignores
        states.
    encoder : str, default=""
        Version of the technique model whose states the model reads.
    random_state : int, default=0
        Seed of the folds and the solver.

    Attributes
    ----------
    labels_ : list of str
        Label names in column order.
    features_ : TfidfFeatures
    coef_ : ndarray of shape (n_labels, n_features)
    intercept_ : ndarray of shape (n_labels,)
    thresholds_ : ndarray of shape (n_labels,)
        Probability at or above which a label is assigned.
    state_mean_, state_scale_ : ndarray of shape (n_dims,)
        Standardisation of the states (only with ``state_weight``).
    oof_proba_ : ndarray of shape (n_samples, n_labels)
        Out-of-fold probabilities of the training texts (not saved).
    """

    def __init__(
        self,
        *,
        C: float = 1.0,
        balanced: bool = True,
        max_features: int = 20000,
        min_df: int = 2,
        ngram_max: int = 1,
        folds: int = 5,
        state_weight: float = 0.0,
        encoder: str = "",
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.balanced = balanced
        self.max_features = max_features
        self.min_df = min_df
        self.ngram_max = ngram_max
        self.folds = folds
        self.state_weight = state_weight
        self.encoder = encoder
        self.random_state = random_state

    def _features(self, texts: Sequence[str], states: ArrayLike | None) -> SparseRows:
        """TF-IDF rows of ``texts``, followed by their scaled states when the model reads them."""
        tfidf = self.features_.transform(list(texts))
        if not self.state_weight:
            return tfidf
        standard = np.asarray(_required(states), dtype=np.float32) - self.state_mean_
        standard /= self.state_scale_
        scaled = standard * (self.state_weight / np.sqrt(standard.shape[1]))
        return tfidf.with_columns(scaled)

    def _fit_heads(
        self, features: sparse.csr_matrix, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        return fit_binary_heads(
            features, targets, C=self.C, balanced=self.balanced, seed=self.random_state
        )

    def fit(
        self,
        texts: Sequence[str],
        label_sets: Sequence[Sequence[str]],
        *,
        states: ArrayLike | None = None,
        prior_texts: Sequence[str] = (),
        prior_label_sets: Sequence[Sequence[str]] = (),
        prior_states: ArrayLike | None = None,
    ) -> MultiLabelTextClassifier:
        """Learn from ``texts`` and their label sets.

        Parameters
        ----------
        texts : sequence of str
        label_sets : sequence of sequence of str
            Labels of each text (possibly empty).
        states : array-like of shape (n_texts, n_dims), optional
            Encoder states of the texts; required when ``state_weight`` is set.
        prior_texts, prior_label_sets, prior_states : optional
            Extra labelled texts such as label definitions (and their states): always trained
            on, never used to choose thresholds.
        """
        self.labels_ = sorted(
            {name for names in [*label_sets, *prior_label_sets] for name in names}
        )
        all_texts = [*texts, *prior_texts]
        self.features_ = TfidfFeatures(
            max_features=self.max_features, min_df=self.min_df, ngram_max=self.ngram_max
        ).fit(all_texts)
        if self.state_weight:
            mean, scale = standardization(_required(states))
            self.state_mean_, self.state_scale_ = mean.astype(np.float32), scale.astype(np.float32)
        features = self._features(texts, states).to_scipy()
        targets = binarize(label_sets, self.labels_)
        extra = None
        if prior_texts:
            extra = (
                self._features(prior_texts, prior_states).to_scipy(),
                binarize(prior_label_sets, self.labels_),
            )
        self.oof_proba_ = sigmoid(
            out_of_fold(
                features,
                targets,
                self._fit_heads,
                folds=self.folds,
                seed=self.random_state,
                extra=extra,
            )
        )
        self.thresholds_ = np.array(
            [
                best_threshold(self.oof_proba_[:, j], targets[:, j])
                for j in range(len(self.labels_))
            ],
            dtype=np.float32,
        )
        if extra is not None:
            from scipy import sparse

            features = sparse.vstack([features, extra[0]]).tocsr()
            targets = np.vstack([targets, extra[1]])
        self.coef_, self.intercept_ = self._fit_heads(features, targets)
        return self

    def decision_function(
        self, texts: Sequence[str], states: ArrayLike | None = None
    ) -> np.ndarray:
        """Linear scores of shape (n_texts, n_labels)."""
        check_fitted(self, "coef_")
        return decision(self._features(texts, states), (self.coef_, self.intercept_))

    def predict_proba(self, texts: Sequence[str], states: ArrayLike | None = None) -> np.ndarray:
        """Probabilities of shape (n_texts, n_labels), each label independent, in [0, 1]."""
        return sigmoid(self.decision_function(texts, states))

    def predict(self, texts: Sequence[str], states: ArrayLike | None = None) -> list[list[str]]:
        """The labels whose probability reaches their threshold, per text, in label order."""
        chosen = self.predict_proba(texts, states) >= self.thresholds_
        return [[self.labels_[j] for j in np.flatnonzero(row)] for row in chosen]

    def contributions(self, texts: Sequence[str]) -> np.ndarray:
        """How much each text (e.g. a sentence) pushes each label up, without the intercept.

        Only the words count (the TF-IDF part of the weights): states describe a whole text.

        Returns
        -------
        ndarray of shape (n_texts, n_labels)
            ``tfidf(text) @ coef.T``; positive values support the label.
        """
        check_fitted(self, "coef_")
        words = self.coef_[:, : self.features_.n_features]
        return self.features_.transform(list(texts)).dot(words)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Learned state as named arrays (see :mod:`propwatch.models.article.store`)."""
        check_fitted(self, "coef_")
        return {
            **with_prefix(self.features_.to_arrays(), "features"),
            "labels": np.array(self.labels_, dtype=str),
            "coef": self.coef_.astype(np.float32),
            "intercept": self.intercept_.astype(np.float32),
            "thresholds": self.thresholds_.astype(np.float32),
            **self._state_arrays(),
        }

    def _state_arrays(self) -> dict[str, np.ndarray]:
        if not self.state_weight:
            return {}
        return {
            "state_mean": self.state_mean_.astype(np.float32),
            "state_scale": self.state_scale_.astype(np.float32),
        }

    def meta(self) -> dict[str, Any]:
        return {"params": self.get_params(), "features": self.features_.get_params()}

    @classmethod
    def from_arrays(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> MultiLabelTextClassifier:
        """Rebuild a fitted classifier from :meth:`meta` and :meth:`to_arrays` output."""
        model = cls(**meta["params"])
        model.features_ = TfidfFeatures.from_arrays(
            meta["features"], split_prefix(arrays, "features")
        )
        model.labels_ = [str(label) for label in arrays["labels"]]
        model.coef_ = arrays["coef"]
        model.intercept_ = arrays["intercept"]
        model.thresholds_ = arrays["thresholds"]
        if model.state_weight:
            model.state_mean_ = arrays["state_mean"]
            model.state_scale_ = arrays["state_scale"]
        return model
