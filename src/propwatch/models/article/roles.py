"""Entity role classifier (SemEval-2025 subtask 1): main role and fine roles of a mention.

A mention is seen three ways. As words: the words just left and right of it, the other words of
the sentence and the mention's own words, each tagged (``"L:invaded"``, ``"S:war"``,
``"E:russia"``), plus cues from the parse and the document (``"V:invade"``, ``"Q:1"``, see
:class:`MentionCues`), all weighted by TF-IDF. And as states of the shipped technique encoder
(:func:`mention_states`): the mean state of the mention's tokens beside that of its sentence.
And as word polarity (:func:`~propwatch.models.article.polarity.polarity_features`): how
warm or hostile the words around it, its governing verb and its sentence are, by a sentiment
lexicon that knows far more words than the training mentions hold.

The main role averages two multinomial logistic regressions, words and states, then mixes in
a class-balanced one on the polarity numbers (weight ``polarity_weight``, default one third);
the fine role comes from one on the states over the 22 fine roles, mixed the same way with one
(not balanced) on the polarity numbers, restricted to the children of the predicted main role
(learned from the training pairs). Exactly one fine role is given: 94% of the training
mentions have one, and the official score (exact match of the role set) rewards the single
most likely role. In 5-fold cross-validation by document (4 shuffles) over the 414 training
mentions (``bench/article_cv.py roles``): main-role accuracy 0.691 and fine-role exact match
0.223; 0.675 and 0.205 without the polarity view, 0.655 and 0.128 for words alone. States
alone find more protagonists and victims but miss antagonists (recall 0.86 against 0.95 for
the mean of words and states); the polarity view finds more protagonists and innocents (recall
0.19 -> 0.24 and 0.14 -> 0.21) without losing antagonists (see the model card).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propwatch.models.article.entities import QUOTE_MARKS
from propwatch.models.article.estimator import Estimator, check_fitted
from propwatch.models.article.features import TAGGED_PATTERN, TfidfFeatures
from propwatch.models.article.linear import class_rows, decision, softmax
from propwatch.models.article.polarity import polarity_features
from propwatch.models.article.rows import SparseRows
from propwatch.models.article.states import StateSoftmax
from propwatch.models.article.store import split_prefix, with_prefix
from propwatch.text.analysis import EncoderStates
from propwatch.text.nlp import ParsedText
from propwatch.text.segment import LINE_BREAK
from propwatch.text.span import Span

WORD = re.compile(r"\w+")
VERB_TAGS = ("VERB", "AUX")
MODIFIER_DEPS = ("amod", "compound", "appos")


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
    states : ndarray of float32, shape (n_dims,), default: empty
        The mention's :func:`mention_states`.
    """

    sentence: str
    start: int
    end: int
    cues: tuple[str, ...] = ()
    states: NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, dtype=np.float32))


def sentence_around(sentences: Sequence[Span], start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` of the sentence holding the mention's start, grown to cover its end.

    ``sentences`` are sorted sentence spans; ``None`` when the start is in no sentence (e.g. in
    blank space). A binary search: a text's mentions cost their number times the logarithm of
    its sentences.
    """
    index = bisect_right(sentences, start, key=lambda sentence: sentence.start) - 1
    if index < 0 or sentences[index].end <= start:
        return None
    return sentences[index].start, max(sentences[index].end, end)


def mention_states(
    encoded: EncoderStates, mention: tuple[int, int], sentence: tuple[int, int]
) -> NDArray[np.float32]:
    """Mean encoder states of the mention and of its sentence, shape (2 * hidden_size,).

    ``mention`` and ``sentence`` are ``(start, end)`` character offsets into the encoded text.
    """
    return np.concatenate([encoded.mean_state(*mention), encoded.mean_state(*sentence)])


def mention_contexts(
    parsed: ParsedText,
    sentences: Sequence[Span],
    mentions: Sequence[tuple[int, int]],
    encoded: EncoderStates,
) -> list[MentionContext]:
    """Each mention ``(start, end)`` inside the sentence holding its start (grown to cover it).

    ``sentences`` are the sorted sentence spans of ``parsed.text``, ``encoded`` its technique
    encoder states; a mention outside every sentence (e.g. in blank space) gets the whole text
    as its context and itself as its sentence state. Each context carries the
    :class:`MentionCues` of the mention and its :func:`mention_states`. What the cues look up
    in the text is found once for all mentions, so the time grows with the text, not with
    mentions times text.
    """
    text = parsed.text
    cues = MentionCues(parsed)
    contexts = []
    for start, end in mentions:
        sentence = sentence_around(sentences, start, end)
        states = mention_states(encoded, (start, end), sentence or (start, end))
        if sentence is None:
            contexts.append(MentionContext(text, start, end, cues.of(start, end), states))
            continue
        first, stop = sentence
        contexts.append(
            MentionContext(
                text[first:stop], start - first, end - first, cues.of(start, end), states
            )
        )
    return contexts


def mention_context(
    parsed: ParsedText, sentences: Sequence[Span], start: int, end: int, encoded: EncoderStates
) -> MentionContext:
    """The :func:`mention_contexts` of the one mention ``[start, end)``."""
    return mention_contexts(parsed, sentences, [(start, end)], encoded)[0]


class MentionCues:
    """Tagged tokens about mentions of one parsed text (:meth:`of`).

    Line breaks, quotation marks, the chunk starts and the lower-cased text are found once
    here; each mention then costs binary searches, not a scan of the text (a 1 MB text has
    thousands of mentions).

    Parameters
    ----------
    parsed : ParsedText
    """

    def __init__(self, parsed: ParsedText) -> None:
        self.parsed = parsed
        text = parsed.text
        self._lowered = text.lower()
        self._line_breaks = [m.start() for m in re.finditer(re.escape(LINE_BREAK), text)]
        self._quote_marks = [m.start() for m in re.finditer(f"[{QUOTE_MARKS}]", text)]
        self._chunk_starts = [chunk.start for chunk in parsed.chunks]
        self._name_counts: dict[str, int] = {}  # occurrences of a lower-cased name, capped

    def of(self, start: int, end: int) -> tuple[str, ...]:
        """Tagged tokens about the mention ``[start, end)`` from the parse and the document.

        ``D:`` the dependency label of the mention's head token; ``H:`` that label with the
        lemma it hangs from; ``V:`` and ``VR:`` the governing verb's lemma, alone and with the
        label; ``M:`` lemmas of modifiers (adjectives, compounds, appositions); ``T:`` the
        entity types spaCy gives the mention; ``Q:1`` inside a quotation (an odd number of
        quotation marks before it on its line); ``N:`` times the name occurs in the text
        (capped at 6); ``P:`` the tenth of the text where it is; ``I:1`` in the title line.
        """
        text = self.parsed.text
        chunk = self.parsed.chunks[bisect_right(self._chunk_starts, start) - 1]
        local_start, local_end = start - chunk.start, end - chunk.start
        breaks_before = bisect_left(self._line_breaks, start)
        line_start = self._line_breaks[breaks_before - 1] + 1 if breaks_before else 0
        quotes = bisect_left(self._quote_marks, start) - bisect_left(self._quote_marks, line_start)
        cues = [
            f"Q:{quotes % 2}",
            f"N:{self._name_count(text[start:end].lower())}",
            f"P:{10 * start // max(1, len(text))}",
            f"I:{int(breaks_before == 0)}",
        ]
        span = chunk.doc.char_span(local_start, local_end, alignment_mode="expand")
        # The labels of the entities that overlap the mention are those of its tokens
        # (reading them from doc.ents would build a Span for every entity of the text, per
        # mention).
        types = {token.ent_type_ for token in span or () if token.ent_type_}
        cues += [f"T:{label}" for label in sorted(types)] or ["T:none"]
        if span is None:
            return tuple(cues)
        root = span.root
        cues += [f"D:{root.dep_}", f"H:{root.dep_}:{root.head.lemma_.lower()}"]
        verb = root
        for _ in range(4):
            if verb.pos_ in VERB_TAGS or verb.head is verb:
                break
            verb = verb.head
        if verb.pos_ in VERB_TAGS:
            cues += [f"V:{verb.lemma_.lower()}", f"VR:{root.dep_}:{verb.lemma_.lower()}"]
        cues += [f"M:{c.lemma_.lower()}" for c in root.children if c.dep_ in MODIFIER_DEPS]
        return tuple(cues)

    def _name_count(self, name: str) -> int:
        """Occurrences of ``name`` in the lower-cased text, capped at 6; once per name."""
        if name not in self._name_counts:
            self._name_counts[name] = min(self._lowered.count(name), 6)
        return self._name_counts[name]


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


class EntityRoleClassifier(Estimator):
    """Main role and fine role of entity mentions (:class:`MentionContext` with states).

    Parameters
    ----------
    C : float, default=10.0
        Inverse regularisation strength of the logistic regression on words.
    state_C : float, default=0.01
        The same for the two on encoder states (384 dimensions each for mention and sentence).
    polarity_C : float, default=0.1
        The same for the one on the polarity numbers (balanced classes: it is there to find
        the protagonists and innocents the other views miss, not to repeat their prior).
    polarity_weight : float, default=1/3
        Share of the polarity view in the main-role probabilities (the rest is the mean of the
        words and states views) and in the fine-role ones (the rest is the states view); 0
        leaves it out.
    encoder : str, default=""
        Version of the technique model whose states the model reads.
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
        Main roles from words.
    main_states_, fine_states_ : StateSoftmax
        Main and fine roles from states.
    main_polarity_, fine_polarity_ : StateSoftmax
        Main and fine roles from the polarity numbers.
    """

    def __init__(
        self,
        *,
        C: float = 10.0,
        state_C: float = 0.01,
        polarity_C: float = 0.1,
        polarity_weight: float = 1 / 3,
        encoder: str = "",
        window: int = 6,
        max_features: int = 20000,
        min_df: int = 1,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.state_C = state_C
        self.polarity_C = polarity_C
        self.polarity_weight = polarity_weight
        self.encoder = encoder
        self.window = window
        self.max_features = max_features
        self.min_df = min_df
        self.random_state = random_state

    def _features(self, contexts: Sequence[MentionContext]) -> SparseRows:
        return self.features_.transform([mention_tokens(c, self.window) for c in contexts])

    @staticmethod
    def _states(contexts: Sequence[MentionContext]) -> np.ndarray:
        return np.array([c.states for c in contexts], dtype=np.float32)

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
        from sklearn.linear_model import LogisticRegression  # training only

        words = LogisticRegression(C=self.C, max_iter=3000, random_state=self.random_state)
        words.fit(self._features(contexts).to_scipy(), main_roles)
        self.main_coef_, self.main_intercept_ = (a.astype(np.float32) for a in class_rows(words))
        states = self._states(contexts)
        self.main_states_ = StateSoftmax.fit(
            states, main_roles, C=self.state_C, balanced=False, seed=self.random_state
        )
        polarity = polarity_features(contexts)
        self.main_polarity_ = StateSoftmax.fit(
            polarity,
            main_roles,
            C=self.polarity_C,
            balanced=True,
            seed=self.random_state,
        )
        rows = [i for i, roles in enumerate(fine_role_sets) for _ in roles]
        fine = [r for roles in fine_role_sets for r in roles]
        self.fine_states_ = StateSoftmax.fit(
            states[rows], fine, C=self.state_C, balanced=False, seed=self.random_state
        )
        # Unbalanced: balancing 22 fine roles of a few examples each made it worse.
        self.fine_polarity_ = StateSoftmax.fit(
            polarity[rows], fine, C=self.polarity_C, balanced=False, seed=self.random_state
        )
        self.fine_roles_ = self.fine_states_.classes
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
        """Main-role probabilities of shape (n_mentions, n_main_roles), columns ``main_roles_``.

        The mean of the words model and the states model, mixed with the polarity model.
        """
        return self._main_proba(contexts, polarity_features(contexts))

    def predict_fine_proba(self, contexts: Sequence[MentionContext]) -> np.ndarray:
        """Fine-role probabilities of shape (n_mentions, n_fine_roles), rows summing to 1.

        The states model mixed with the polarity model (the same share as for main roles).
        """
        return self._fine_proba(contexts, polarity_features(contexts))

    def predict_both_proba(
        self, contexts: Sequence[MentionContext]
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict_proba` and :meth:`predict_fine_proba`, the polarity numbers (VADER
        scoring every sentence, most of the polarity view's cost) computed once for both."""
        polarity = polarity_features(contexts)
        return self._main_proba(contexts, polarity), self._fine_proba(contexts, polarity)

    def _main_proba(self, contexts: Sequence[MentionContext], polarity: np.ndarray) -> np.ndarray:
        check_fitted(self, "main_polarity_")
        words = softmax(decision(self._features(contexts), (self.main_coef_, self.main_intercept_)))
        pair = (words + self.main_states_.proba(self._states(contexts))) / 2
        return self._mixed(pair, self.main_polarity_.proba(polarity))

    def _fine_proba(self, contexts: Sequence[MentionContext], polarity: np.ndarray) -> np.ndarray:
        check_fitted(self, "fine_polarity_")
        states = self.fine_states_.proba(self._states(contexts))
        return self._mixed(states, self.fine_polarity_.proba(polarity))

    def _mixed(self, views: np.ndarray, polarity: np.ndarray) -> np.ndarray:
        return (1 - self.polarity_weight) * views + self.polarity_weight * polarity

    def predict_roles(
        self, contexts: Sequence[MentionContext]
    ) -> list[tuple[str, list[str], float]]:
        """``(main_role, fine_roles, main_role_probability)`` per mention."""
        if not contexts:
            return []
        main, fine_proba = self.predict_both_proba(contexts)
        fine = self.decide_fine(main, fine_proba)
        return [
            (self.main_roles_[int(np.argmax(row))], roles, float(row.max()))
            for row, roles in zip(main, fine, strict=True)
        ]

    def predict(self, contexts: Sequence[MentionContext]) -> list[str]:
        """The main role per mention."""
        return [main for main, _, _ in self.predict_roles(contexts)]

    def to_arrays(self) -> dict[str, np.ndarray]:
        check_fitted(self, "fine_polarity_")
        return {
            **with_prefix(self.features_.to_arrays(), "features"),
            "main_coef": self.main_coef_,
            "main_intercept": self.main_intercept_,
            **self.main_states_.to_arrays("main_states"),
            **self.fine_states_.to_arrays("fine_states"),
            **self.main_polarity_.to_arrays("main_polarity"),
            **self.fine_polarity_.to_arrays("fine_polarity"),
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
        model.main_states_ = StateSoftmax.from_arrays(model.main_roles_, arrays, "main_states")
        model.fine_states_ = StateSoftmax.from_arrays(model.fine_roles_, arrays, "fine_states")
        model.main_polarity_ = StateSoftmax.from_arrays(model.main_roles_, arrays, "main_polarity")
        model.fine_polarity_ = StateSoftmax.from_arrays(model.fine_roles_, arrays, "fine_polarity")
        return model
