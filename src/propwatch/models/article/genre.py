"""Genre classifier (SemEval-2023 subtask 1): one label per article, e.g. opinion/reporting/satire.

The input is the article's mean encoder state from the shipped technique model
(:meth:`~propwatch.models.techniques.Encoded.mean_state`): that encoder was fine-tuned to find
persuasion techniques, which opinion and satire use far more than reporting. Its probabilities
are moved to a news prior, and an article whose most probable genre stays below
``unsure_below``, or is one of ``never_decided``, is called :data:`UNSURE`. Scores and the
choices behind them: the model card.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from propwatch.models.article.estimator import Estimator, check_fitted
from propwatch.models.article.states import StateSoftmax

# What news people paste is mostly reporting and rarely satire; the training sets are not
# (SemEval-2023: 319 opinion, 30 reporting, 9 satire). Chosen among 45/50/5, 55/40/5 and
# 70/28/2 by macro-F1 over the PTC dev articles and PolNeAR's dev reports (see the model card).
NEWS_PRIOR = {"reporting": 0.55, "opinion": 0.40, "satire": 0.05}
# The answer when no genre is clearly supported.
UNSURE = "unsure"
# Out of fold, weighted to the news prior, the most probable genre was right 51% of the time
# when its probability was 0.5 to 0.6, 57% at 0.6 to 0.7 and 73% or more above 0.7
# (bench/genre_unsure.py): a genre is clearly supported where it is right at least two times
# in three, from 0.7 up.
UNSURE_BELOW = 0.7
# Out of fold the model decided satire 21 times over whole articles and their first 30 to 240
# words, and was right 4 times (bench/genre_length.py); it found none of our five sanity
# satires and called a sixty-word rant satire. By the same two-in-three rule it never decides
# satire: it says "unsure, most probably satire" instead.
NEVER_DECIDED = ("satire",)


class GenreClassifier(Estimator):
    """Multinomial logistic regression on standardised encoder states, balanced classes, whose
    probabilities are then moved to the genres' share in news (``prior``).

    Balanced weights matter: the training genres are ~90% opinion, and without them the model
    answers ``opinion`` for everything. Balanced, it treats the genres as equally common, so
    satire came out for one ordinary article in ten; weighting each genre's probability by its
    ``prior`` share (Bayes' rule from a uniform to that prior) asks satire for strong evidence.

    Parameters
    ----------
    C : float, default=0.01
        Inverse regularisation strength (strong: 384 dimensions, a few hundred articles).
    prior : dict of str to float or None, default=NEWS_PRIOR
        Share of each genre among the articles the model will see; genres not named keep
        their uniform share. None: the balanced model's probabilities as they are.
    unsure_below : float, default=UNSURE_BELOW
        :meth:`decide` answers :data:`UNSURE` when the most probable genre is less probable
        than this (in [0, 1]; 0: never).
    never_decided : sequence of str, default=NEVER_DECIDED
        Genres :meth:`decide` never answers, however probable (it answers :data:`UNSURE`):
        those whose decisions were right less than two times in three out of fold.
    encoder : str, default=""
        Version of the technique model whose states the model reads; kept with the model so a
        mismatch can be refused.
    random_state : int, default=0
        Seed of the solver.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Genre names, sorted.
    head_ : StateSoftmax
    """

    def __init__(
        self,
        *,
        C: float = 0.01,
        prior: dict[str, float] | None = NEWS_PRIOR,
        unsure_below: float = UNSURE_BELOW,
        never_decided: Sequence[str] = NEVER_DECIDED,
        encoder: str = "",
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.prior = prior
        self.unsure_below = unsure_below
        self.never_decided = never_decided
        self.encoder = encoder
        self.random_state = random_state

    def fit(self, states: ArrayLike, genres: Sequence[str]) -> GenreClassifier:
        """Learn from ``states`` (n_articles, n_dims) and one genre each (at least two distinct)."""
        self.head_ = StateSoftmax.fit(
            states, genres, C=self.C, balanced=True, seed=self.random_state
        )
        self.classes_ = np.array(self.head_.classes, dtype=object)
        return self

    def predict_proba(self, states: ArrayLike) -> np.ndarray:
        """Probabilities, shape (n_articles, n_classes), rows summing to 1, columns ``classes_``."""
        check_fitted(self, "head_")
        probabilities = self.head_.proba(states)
        if not self.prior:
            return probabilities
        uniform = 1 / len(self.head_.classes)
        weights = np.array([self.prior.get(c, uniform) / uniform for c in self.head_.classes])
        shifted = probabilities * weights
        return shifted / shifted.sum(axis=1, keepdims=True)

    def predict(self, states: ArrayLike) -> np.ndarray:
        """The most probable genre per article, shape (n_articles,) (scorers need a genre)."""
        return self.classes_[self.predict_proba(states).argmax(axis=1)]

    def decide(self, states: ArrayLike) -> np.ndarray:
        """The most probable genre, or :data:`UNSURE` where it is below ``unsure_below`` or
        one of ``never_decided``.

        Returns an array of str of shape (n_articles,).
        """
        probabilities = self.predict_proba(states)
        best = self.classes_[probabilities.argmax(axis=1)]
        unsure = (probabilities.max(axis=1) < self.unsure_below) | np.isin(
            best, list(self.never_decided)
        )
        return np.where(unsure, UNSURE, best)

    def sentence_push(self, states: ArrayLike, shares: ArrayLike, genre: str) -> np.ndarray:
        """How much each sentence of one article moves it towards ``genre``.

        The article's state is the mean of its token states, so it is the mean of its
        sentences' states weighted by their share of the tokens, and the head's scores are
        linear in it: each sentence adds its share times its own state's score. A sentence's
        push is that addition to the score of ``genre`` minus the mean score of all genres
        (the prior adds the same to every sentence and is left out).

        Parameters
        ----------
        states : array-like of shape (n_sentences, n_dims)
            Mean encoder state of each sentence.
        shares : array-like of shape (n_sentences,)
            Each sentence's share of the article (in [0, 1]).
        genre : str
            One of ``classes_``.

        Returns
        -------
        ndarray of shape (n_sentences,)
            Positive values push towards ``genre``.
        """
        check_fitted(self, "head_")
        head = self.head_
        direction = head.coef[head.classes.index(genre)] - head.coef.mean(axis=0)
        standard = (np.asarray(states, dtype=np.float32) - head.mean) / head.scale
        return np.asarray(shares, dtype=np.float32) * (standard @ direction)

    def to_arrays(self) -> dict[str, np.ndarray]:
        check_fitted(self, "head_")
        return self.head_.to_arrays("genre")

    def meta(self) -> dict[str, Any]:
        return {"params": self.get_params(), "classes": self.head_.classes}

    @classmethod
    def from_arrays(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> GenreClassifier:
        model = cls(**meta["params"])
        model.head_ = StateSoftmax.from_arrays(meta["classes"], arrays, "genre")
        model.classes_ = np.array(model.head_.classes, dtype=object)
        return model
