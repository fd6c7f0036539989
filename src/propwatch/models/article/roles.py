"""Entity role classifier (SemEval-2025 subtask 1): main role and fine roles of a mention.

A mention is seen through its sentence: the words just left and right of it, the other words
of the sentence and the mention's own words, each tagged (``"L:invaded"``, ``"S:war"``,
``"E:russia"``) and weighted by TF-IDF. The main role comes from a multinomial logistic
regression; the fine roles from one logistic head per fine role, restricted to the children of
the predicted main role (the children are learned from the training pairs): the best child
always, others when their probability reaches a threshold tuned for exact match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from propwatch.models.article.features import TAGGED_PATTERN, TfidfFeatures
from propwatch.models.article.linear import (
    THRESHOLD_GRID,
    class_rows,
    decision,
    fit_binary_heads,
    sigmoid,
    softmax,
)
from propwatch.models.article.multilabel import binarize
from propwatch.models.article.store import split_prefix, with_prefix

WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class MentionContext:
    """A mention inside the sentence that holds it.

    Parameters
    ----------
    sentence : str
        The sentence text (or any context window).
    start, end : int
        Character offsets of the mention in ``sentence``, end-exclusive.
    """

    sentence: str
    start: int
    end: int


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def mention_tokens(context: MentionContext, window: int) -> str:
    """Space-joined tagged tokens of a mention (``E:``, ``L:``, ``R:``, ``S:`` prefixes)."""
    left = _words(context.sentence[: context.start])
    right = _words(context.sentence[context.end :])
    entity = _words(context.sentence[context.start : context.end])
    tokens = [f"E:{w}" for w in entity]
    tokens += [f"L:{w}" for w in left[-window:]]
    tokens += [f"R:{w}" for w in right[:window]]
    tokens += [f"S:{w}" for w in left + right]
    return " ".join(tokens)


class EntityRoleClassifier(BaseEstimator):
    """Main role and fine roles of entity mentions.

    Parameters
    ----------
    C : float, default=10.0
        Inverse regularisation strength of the main-role model; the fine-role heads use
        ``10 * C`` (each has few positives).
    window : int, default=6
        Words on each side of the mention that get their own ``L:``/``R:`` features.
    max_features : int, default=20000
    min_df : int, default=1
    folds : int, default=5
        Folds of the out-of-fold predictions that set the fine-role threshold.
    random_state : int, default=0

    Attributes
    ----------
    main_roles_ : list of str
    fine_roles_ : list of str
    children_ : dict of str to list of str
        Fine roles seen with each main role in training.
    features_ : TfidfFeatures
    main_coef_, main_intercept_ : ndarray of shape (n_main, n_features), (n_main,)
    fine_coef_, fine_intercept_ : ndarray of shape (n_fine, n_features), (n_fine,)
    threshold_ : float
        Probability at which a second (third…) fine role is added.
    """

    def __init__(
        self,
        *,
        C: float = 10.0,
        window: int = 6,
        max_features: int = 20000,
        min_df: int = 1,
        folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.window = window
        self.max_features = max_features
        self.min_df = min_df
        self.folds = folds
        self.random_state = random_state

    def _tokens(self, contexts: Sequence[MentionContext]) -> list[str]:
        return [mention_tokens(c, self.window) for c in contexts]

    def _fit_main(self, features: Any, main_roles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        model = LogisticRegression(C=self.C, max_iter=3000, random_state=self.random_state)
        model.fit(features, main_roles)
        # Columns in self.main_roles_ order, even when a fold lacks a role.
        coef = np.zeros((len(self.main_roles_), features.shape[1]), dtype=np.float32)
        intercept = np.full(len(self.main_roles_), -10.0, dtype=np.float32)
        rows, biases = class_rows(model)
        for name, row, bias in zip(model.classes_, rows, biases, strict=True):
            coef[self.main_roles_.index(name)] = row
            intercept[self.main_roles_.index(name)] = bias
        return coef, intercept

    def _fit_fine(self, features: Any, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return fit_binary_heads(
            features, targets, C=self.C * 10, balanced=True, seed=self.random_state
        )

    def fit(
        self,
        contexts: Sequence[MentionContext],
        main_roles: Sequence[str],
        fine_role_sets: Sequence[Sequence[str]],
    ) -> EntityRoleClassifier:
        """Learn from mentions, their main role and their fine roles."""
        self.main_roles_ = sorted(set(main_roles))
        self.fine_roles_ = sorted({r for roles in fine_role_sets for r in roles})
        self.children_ = {
            main: sorted(
                {
                    r
                    for m, roles in zip(main_roles, fine_role_sets, strict=True)
                    if m == main
                    for r in roles
                }
            )
            for main in self.main_roles_
        }
        self.features_ = TfidfFeatures(
            max_features=self.max_features,
            min_df=self.min_df,
            token_pattern=TAGGED_PATTERN,
            lowercase=False,
        ).fit(self._tokens(contexts))
        features = self.features_.transform(self._tokens(contexts))
        mains = np.array(main_roles)
        targets = binarize(fine_role_sets, self.fine_roles_)
        main_oof, fine_oof = self._out_of_fold(features, mains, targets)
        self.oof_main_ = [self.main_roles_[i] for i in main_oof.argmax(axis=1)]
        self.threshold_ = self._tune_threshold(main_oof, fine_oof, fine_role_sets)
        self.oof_fine_ = self.decide_fine(main_oof, fine_oof, self.threshold_)
        self.main_coef_, self.main_intercept_ = self._fit_main(features, mains)
        self.fine_coef_, self.fine_intercept_ = self._fit_fine(features, targets)
        return self

    def _out_of_fold(
        self, features: Any, mains: np.ndarray, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        main_oof = np.zeros((len(mains), len(self.main_roles_)), dtype=np.float32)
        fine_oof = np.zeros(targets.shape, dtype=np.float32)
        # Stratified by main role; a role rarer than the folds makes sklearn warn, not fail.
        n_folds = min(self.folds, max(2, min(np.unique(mains, return_counts=True)[1])))
        splitter = StratifiedKFold(n_folds, shuffle=True, random_state=self.random_state)
        for train, held in splitter.split(features, mains):
            main_oof[held] = softmax(
                decision(features[held], self._fit_main(features[train], mains[train]))
            )
            fine_oof[held] = sigmoid(
                decision(features[held], self._fit_fine(features[train], targets[train]))
            )
        return main_oof, fine_oof

    def decide_fine(
        self, main_proba: np.ndarray, fine_proba: np.ndarray, threshold: float
    ) -> list[list[str]]:
        """Fine roles per row: the best child of the row's main role, plus children >= threshold.

        Parameters
        ----------
        main_proba : ndarray of shape (n, n_main_roles)
        fine_proba : ndarray of shape (n, n_fine_roles)
        threshold : float
            Probability a second (third…) fine role needs.
        """
        results: list[list[str]] = []
        for row in range(main_proba.shape[0]):
            main = self.main_roles_[int(np.argmax(main_proba[row]))]
            columns = [self.fine_roles_.index(r) for r in self.children_.get(main, [])]
            if not columns:
                results.append([])
                continue
            ranked = sorted(columns, key=lambda c: -fine_proba[row, c])
            chosen = [ranked[0], *(c for c in ranked[1:] if fine_proba[row, c] >= threshold)]
            results.append([self.fine_roles_[c] for c in chosen])
        return results

    def _tune_threshold(
        self, main_oof: np.ndarray, fine_oof: np.ndarray, fine_role_sets: Sequence[Sequence[str]]
    ) -> float:
        def exact(threshold: float) -> float:
            found = self.decide_fine(main_oof, fine_oof, threshold)
            return float(
                np.mean([set(f) == set(g) for f, g in zip(found, fine_role_sets, strict=True)])
            )

        # Walk from high to low so that ties keep the stricter threshold.
        return float(max(THRESHOLD_GRID[::-1], key=exact))

    def predict_proba(self, contexts: Sequence[MentionContext]) -> np.ndarray:
        """Main-role probabilities of shape (n_mentions, n_main_roles), columns ``main_roles_``."""
        check_is_fitted(self, "main_coef_")
        features = self.features_.transform(self._tokens(contexts))
        return softmax(decision(features, (self.main_coef_, self.main_intercept_)))

    def predict_fine_proba(self, contexts: Sequence[MentionContext]) -> np.ndarray:
        """Fine-role probabilities of shape (n_mentions, n_fine_roles), each in [0, 1]."""
        check_is_fitted(self, "fine_coef_")
        features = self.features_.transform(self._tokens(contexts))
        return sigmoid(decision(features, (self.fine_coef_, self.fine_intercept_)))

    def predict_roles(
        self, contexts: Sequence[MentionContext]
    ) -> list[tuple[str, list[str], float]]:
        """``(main_role, fine_roles, main_role_probability)`` per mention."""
        if not contexts:
            return []
        main = self.predict_proba(contexts)
        fine = self.decide_fine(main, self.predict_fine_proba(contexts), self.threshold_)
        return [
            (self.main_roles_[int(np.argmax(row))], roles, float(row.max()))
            for row, roles in zip(main, fine, strict=True)
        ]

    def predict(self, contexts: Sequence[MentionContext]) -> list[str]:
        """The main role per mention."""
        return [main for main, _, _ in self.predict_roles(contexts)]

    def to_arrays(self) -> dict[str, np.ndarray]:
        check_is_fitted(self, "main_coef_")
        return {
            **with_prefix(self.features_.to_arrays(), "features"),
            "main_coef": self.main_coef_,
            "main_intercept": self.main_intercept_,
            "fine_coef": self.fine_coef_,
            "fine_intercept": self.fine_intercept_,
        }

    def meta(self) -> dict[str, Any]:
        return {
            "params": self.get_params(),
            "features": self.features_.get_params(),
            "main_roles": self.main_roles_,
            "fine_roles": self.fine_roles_,
            "children": self.children_,
            "threshold": self.threshold_,
        }

    @classmethod
    def from_arrays(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> EntityRoleClassifier:
        model = cls(**meta["params"])
        model.features_ = TfidfFeatures.from_arrays(
            meta["features"], split_prefix(arrays, "features")
        )
        model.main_roles_ = list(meta["main_roles"])
        model.fine_roles_ = list(meta["fine_roles"])
        model.children_ = {k: list(v) for k, v in meta["children"].items()}
        model.threshold_ = float(meta["threshold"])
        model.main_coef_ = arrays["main_coef"]
        model.main_intercept_ = arrays["main_intercept"]
        model.fine_coef_ = arrays["fine_coef"]
        model.fine_intercept_ = arrays["fine_intercept"]
        return model
