"""Cast classifier: which of the entities an article names does it cast in a role at all?

SemEval-2025 annotators gave roles to the entities an article frames, about one in seven of
those spaCy finds in the training documents; the rest (a city where a meeting was held, a
newspaper cited in passing) have none. The role classifier alone gives every entity a role, so
the roles component keeps only the entities this model finds cast.

An entity is described by :func:`entity_vector`: the mean technique-encoder states of its
mentions and sentences (:func:`~propwatch.models.article.roles.mention_states`), how often it
is named, its NER types, and whether it is named in the title or inside a quotation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from propwatch.eval.measures import binary_f_score
from propwatch.models.article.entities import NER_LABELS
from propwatch.models.article.estimator import Estimator, check_fitted
from propwatch.models.article.linear import THRESHOLD_GRID
from propwatch.models.article.roles import MentionContext
from propwatch.models.article.states import StateSoftmax

CAST, NOT_CAST = "cast", "not cast"


def entity_vector(contexts: Sequence[MentionContext], kinds: Sequence[str]) -> NDArray[np.float32]:
    """Features of one entity from its mentions' contexts and NER labels.

    Returns
    -------
    ndarray of shape (2 * hidden_size + 3 + len(NER_LABELS),)
        Mean mention states, log(1 + mentions), one 0/1 per NER label, named in the title,
        named inside a quotation.
    """
    cues = {cue for context in contexts for cue in context.cues}
    extra = [
        np.log1p(len(contexts)),
        *(float(label in kinds) for label in NER_LABELS),
        float("I:1" in cues),
        float("Q:1" in cues),
    ]
    states = np.mean([context.states for context in contexts], axis=0)
    return np.concatenate([states, np.array(extra)]).astype(np.float32)


class CastClassifier(Estimator):
    """Logistic regression on standardised :func:`entity_vector` rows, with a tuned threshold.

    Parameters
    ----------
    C : float, default=0.01
        Inverse regularisation strength (strong: ~780 dimensions, a few thousand entities).
    beta : float, default=2.0
        ``threshold_`` maximises the F-beta score: recall counts ``beta`` times as much as
        precision, because a reader misses a dropped main actor more than an extra entity.
    folds : int, default=5
        Folds, split by document, of the out-of-fold probabilities that set ``threshold_``.
    encoder : str, default=""
        Version of the technique model whose states the model reads.
    random_state : int, default=0

    Attributes
    ----------
    head_ : StateSoftmax
    threshold_ : float
        Probability from which an entity counts as cast: the best F-beta out of fold.
    """

    def __init__(
        self,
        *,
        C: float = 0.01,
        beta: float = 2.0,
        folds: int = 5,
        encoder: str = "",
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.beta = beta
        self.folds = folds
        self.encoder = encoder
        self.random_state = random_state

    def _head(self, vectors: np.ndarray, cast: np.ndarray) -> StateSoftmax:
        labels = [CAST if c else NOT_CAST for c in cast]
        return StateSoftmax.fit(vectors, labels, C=self.C, balanced=False, seed=self.random_state)

    def fit(
        self, vectors: ArrayLike, cast: Sequence[bool], groups: Sequence[str]
    ) -> CastClassifier:
        """Learn from entity rows (n_entities, n_dims), whether each is cast, and its document.

        Every fold of documents needs cast and uncast entities.
        """
        from sklearn.model_selection import GroupKFold  # training only

        matrix, truth = np.asarray(vectors, dtype=np.float32), np.asarray(cast, dtype=bool)
        folds = GroupKFold(n_splits=min(self.folds, len(set(groups))))
        out_of_fold = np.zeros(len(truth), dtype=np.float32)
        for train, held in folds.split(matrix, truth, groups):
            head = self._head(matrix[train], truth[train])
            out_of_fold[held] = _cast_column(head, matrix[held])
        scores = [binary_f_score(truth, out_of_fold >= t, beta=self.beta) for t in THRESHOLD_GRID]
        self.threshold_ = float(THRESHOLD_GRID[int(np.argmax(scores))])
        self.head_ = self._head(matrix, truth)
        return self

    def predict_proba(self, vectors: ArrayLike) -> np.ndarray:
        """Probability that each entity is cast, shape (n_entities,)."""
        check_fitted(self, "head_")
        return _cast_column(self.head_, np.asarray(vectors, dtype=np.float32))

    def predict(self, vectors: ArrayLike) -> np.ndarray:
        """Whether each entity is cast, shape (n_entities,), bool."""
        return self.predict_proba(vectors) >= self.threshold_

    def to_arrays(self) -> dict[str, np.ndarray]:
        check_fitted(self, "head_")
        return self.head_.to_arrays("cast")

    def meta(self) -> dict[str, Any]:
        return {
            "params": self.get_params(),
            "classes": self.head_.classes,
            "threshold": self.threshold_,
        }

    @classmethod
    def from_arrays(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> CastClassifier:
        model = cls(**meta["params"])
        model.head_ = StateSoftmax.from_arrays(meta["classes"], arrays, "cast")
        model.threshold_ = float(meta["threshold"])
        return model


def _cast_column(head: StateSoftmax, vectors: np.ndarray) -> np.ndarray:
    return head.proba(vectors)[:, head.classes.index(CAST)]
