"""Entity role classifier (SemEval-2025 subtask 1): main role and fine roles of a mention.

A mention is seen through its sentence: the words just left and right of it, the other words
of the sentence and the mention's own words, each tagged (``"L:invaded"``, ``"S:war"``,
``"E:russia"``), plus cues from the parse and the document (``"V:invade"``, ``"Q:1"``, see
:func:`~propwatch.models.article.datasets.mention_cues`), all weighted by TF-IDF. The main role
comes from a multinomial logistic regression; the fine role from a second one over the 22 fine
roles, restricted to the children of the predicted main role (learned from the training
pairs). Exactly one fine role is given: 94% of the training mentions have one, and the official
score (exact match of the role set) rewards the single most likely role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from propwatch.models.article.features import TAGGED_PATTERN, TfidfFeatures
from propwatch.models.article.linear import class_rows, decision, softmax
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
    cues : tuple of str, default=()
        Extra tagged tokens about the mention (syntax, quoting, place in the document).
    """

    sentence: str
    start: int
    end: int
    cues: tuple[str, ...] = ()


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def mention_tokens(context: MentionContext, window: int) -> str:
    """Space-joined tagged tokens of a mention (``E:``, ``L:``, ``R:``, ``S:`` prefixes, cues)."""
    left = _words(context.sentence[: context.start])
    right = _words(context.sentence[context.end :])
    entity = _words(context.sentence[context.start : context.end])
    tokens = [f"E:{w}" for w in entity]
    tokens += [f"L:{w}" for w in left[-window:]]
    tokens += [f"R:{w}" for w in right[:window]]
    tokens += [f"S:{w}" for w in left + right]
    tokens += context.cues
    return " ".join(tokens)


class EntityRoleClassifier(BaseEstimator):
    """Main role and fine role of entity mentions.

    Parameters
    ----------
    C : float, default=10.0
        Inverse regularisation strength of both logistic regressions.
    window : int, default=6
        Words on each side of the mention that get their own ``L:``/``R:`` features.
    max_features : int, default=20000
    min_df : int, default=1
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
    """

    def __init__(
        self,
        *,
        C: float = 10.0,
        window: int = 6,
        max_features: int = 20000,
        min_df: int = 1,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.window = window
        self.max_features = max_features
        self.min_df = min_df
        self.random_state = random_state

    def _features(self, contexts: Sequence[MentionContext]) -> Any:
        return self.features_.transform([mention_tokens(c, self.window) for c in contexts])

    def _fit_softmax(
        self, features: Any, labels: Sequence[str], classes: list[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        model = LogisticRegression(C=self.C, max_iter=3000, random_state=self.random_state)
        model.fit(features, labels)
        coef, intercept = class_rows(model)
        order = [list(model.classes_).index(name) for name in classes]
        return coef[order].astype(np.float32), intercept[order].astype(np.float32)

    def fit(
        self,
        contexts: Sequence[MentionContext],
        main_roles: Sequence[str],
        fine_role_sets: Sequence[Sequence[str]],
    ) -> EntityRoleClassifier:
        """Learn from mentions, their main role and their fine roles.

        A mention with several fine roles counts once per role for the fine-role model.
        """
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
        ).fit([mention_tokens(c, self.window) for c in contexts])
        features = self._features(contexts)
        self.main_coef_, self.main_intercept_ = self._fit_softmax(
            features, main_roles, self.main_roles_
        )
        rows = [i for i, roles in enumerate(fine_role_sets) for _ in roles]
        fine = [r for roles in fine_role_sets for r in roles]
        self.fine_coef_, self.fine_intercept_ = self._fit_softmax(
            features[rows], fine, self.fine_roles_
        )
        return self

    def decide_fine(self, main_proba: np.ndarray, fine_proba: np.ndarray) -> list[list[str]]:
        """Fine roles per row: the most probable child of the row's most probable main role.

        Parameters
        ----------
        main_proba : ndarray of shape (n, n_main_roles)
        fine_proba : ndarray of shape (n, n_fine_roles)
        """
        results: list[list[str]] = []
        for main_row, fine_row in zip(main_proba, fine_proba, strict=True):
            main = self.main_roles_[int(np.argmax(main_row))]
            children = self.children_.get(main, [])
            best = max(children, key=lambda r: fine_row[self.fine_roles_.index(r)], default=None)
            results.append([best] if best else [])
        return results

    def predict_proba(self, contexts: Sequence[MentionContext]) -> np.ndarray:
        """Main-role probabilities of shape (n_mentions, n_main_roles), columns ``main_roles_``."""
        check_is_fitted(self, "main_coef_")
        return softmax(decision(self._features(contexts), (self.main_coef_, self.main_intercept_)))

    def predict_fine_proba(self, contexts: Sequence[MentionContext]) -> np.ndarray:
        """Fine-role probabilities of shape (n_mentions, n_fine_roles), rows summing to 1."""
        check_is_fitted(self, "fine_coef_")
        return softmax(decision(self._features(contexts), (self.fine_coef_, self.fine_intercept_)))

    def predict_roles(
        self, contexts: Sequence[MentionContext]
    ) -> list[tuple[str, list[str], float]]:
        """``(main_role, fine_roles, main_role_probability)`` per mention."""
        if not contexts:
            return []
        main = self.predict_proba(contexts)
        fine = self.decide_fine(main, self.predict_fine_proba(contexts))
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
        model.main_coef_ = arrays["main_coef"]
        model.main_intercept_ = arrays["main_intercept"]
        model.fine_coef_ = arrays["fine_coef"]
        model.fine_intercept_ = arrays["fine_intercept"]
        return model
