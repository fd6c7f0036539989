"""Hierarchical narrative classifier (SemEval-2025 subtask 2) with extractive evidence.

Two :class:`~propwatch.models.article.multilabel.MultiLabelTextClassifier` models score the
coarse narratives (``"URW: Discrediting Ukraine"``) and the subnarratives
(``"URW: Discrediting Ukraine: Situation in Ukraine is hopeless"``); a third scores whether the
text carries any narrative at all. A topic gate comes first: a fourth, words-only model tells
whether the text is about each domain's topic (``URW``: the Russia-Ukraine war, ``CC``: climate
change), learned from the SemEval-2025 documents of each topic against news on neither (see
:meth:`NarrativeClassifier.fit`); a text on neither topic is ``Other`` whatever the narrative
heads say, and a narrative is named only in a domain whose topic the text is on.
:func:`decide` turns the probabilities into a consistent answer: ``Other`` below a presence
gate, else the top narratives of one domain (the prefix before the first ``": "``), each with
its best subnarrative. The gate and the number of narratives are chosen for the best
samples-F1 on out-of-fold predictions; per-label thresholds alone did worse (every text
``Other``) on 200 training documents.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from propwatch.eval.measures import samples_f1
from propwatch.models.article.estimator import Estimator, check_fitted
from propwatch.models.article.multilabel import MultiLabelTextClassifier
from propwatch.models.article.store import split_prefix, with_prefix

OTHER = "Other"
SEPARATOR = ": "
PRESENT = "narrative"
# Presence gates and narrative counts searched when fitting.
GATE_GRID = np.round(np.arange(0.2, 0.851, 0.05), 2)
TOP_K_GRID = (1, 2, 3)
# The topic model also learns from each training text's first characters (about a headline and
# a first line): trained on whole articles alone, it put short texts on no topic (a two-line
# insult, a council notice) near its climate threshold.
LEAD_CHARS = 150


@dataclass(frozen=True, slots=True)
class Narrative:
    """One narrative found in a text.

    Parameters
    ----------
    narrative : str
        Coarse label, e.g. ``"URW: Discrediting Ukraine"``.
    subnarratives : tuple of str
        Full subnarrative labels under it (``"<narrative>: Other"`` when no specific one fits).
    score : float
        Probability of the narrative, in [0, 1].
    """

    narrative: str
    subnarratives: tuple[str, ...]
    score: float


def domain_of(label: str) -> str:
    """``"URW"`` for ``"URW: Discrediting Ukraine"``."""
    return label.split(SEPARATOR, 1)[0]


def parent_of(subnarrative: str) -> str:
    """``"URW: Discrediting Ukraine"`` for ``"URW: Discrediting Ukraine: <sub>"``."""
    return subnarrative.rsplit(SEPARATOR, 1)[0]


def without_other(labels: Sequence[str]) -> list[str]:
    """Drop the bare ``Other`` label (it means "no narrative", not a class of its own)."""
    return [label for label in labels if label != OTHER]


def decide(
    presence: np.ndarray,
    coarse: np.ndarray,
    fine: np.ndarray,
    labels: tuple[Sequence[str], Sequence[str]],
    rule: tuple[float, int],
    on_topic: Sequence[Collection[str]],
) -> list[list[Narrative]]:
    """Turn probabilities into consistent narratives per text.

    Parameters
    ----------
    presence : ndarray of shape (n_texts,)
        Probability that the text carries any narrative (else ``Other``).
    coarse : ndarray of shape (n_texts, n_narratives)
        Narrative probabilities, columns ``labels[0]``.
    fine : ndarray of shape (n_texts, n_subnarratives)
        Subnarrative probabilities, columns ``labels[1]``.
    labels : (sequence of str, sequence of str)
        Narrative and subnarrative names.
    rule : (float, int)
        ``(gate, top_k)``: texts with ``presence < gate`` get no narrative; the others get the
        ``top_k`` most probable narratives of the best narrative's domain, each with its most
        probable subnarrative.
    on_topic : sequence of collection of str
        Per text, the domains (``"URW"``, ``"CC"``) whose topic it is about; narratives of
        other domains are never named, and a text on no topic is ``Other``.

    Returns
    -------
    list of list of Narrative
        Per text, in decreasing score; empty means ``Other``.
    """
    coarse_labels, fine_labels = labels
    gate, top_k = rule
    domains = np.array([domain_of(label) for label in coarse_labels])
    fine_parents = np.array([parent_of(label) for label in fine_labels])
    results: list[list[Narrative]] = []
    for row in range(coarse.shape[0]):
        order = [j for j in np.argsort(-coarse[row], kind="stable") if domains[j] in on_topic[row]]
        if presence[row] < gate or not order:
            results.append([])
            continue
        same_domain = [j for j in order if domains[j] == domains[order[0]]][:top_k]
        narratives = []
        for j in same_domain:
            name = coarse_labels[j]
            children = np.flatnonzero(fine_parents == name)
            subs = (fine_labels[children[np.argmax(fine[row, children])]],) if children.size else ()
            narratives.append(Narrative(name, subs, float(coarse[row, j])))
        results.append(narratives)
    return results


def label_lists(narratives: list[Narrative]) -> tuple[list[str], list[str]]:
    """``(narratives, subnarratives)`` as the SemEval files write them (``Other`` when none)."""
    if not narratives:
        return [OTHER], [OTHER]
    fine = [sub for n in narratives for sub in (n.subnarratives or (f"{n.narrative}: {OTHER}",))]
    return [n.narrative for n in narratives], fine


class NarrativeClassifier(Estimator):
    """Narratives and subnarratives of a text, hierarchical and with ``Other``.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength of every logistic head.
    max_features : int, default=20000
        TF-IDF vocabulary size.
    min_df : int, default=2
    ngram_max : int, default=1
    folds : int, default=5
        Folds of the out-of-fold predictions that set thresholds and the rule.
    state_weight : float, default=1.0
        Weight of the text's technique-encoder mean state beside its words in every head
        (see :class:`MultiLabelTextClassifier`); 0 uses words only.
    topic_C : float, default=10.0
        Inverse regularisation strength of the topic heads (words only, unbalanced: a text
        on no topic is the common case).
    encoder : str, default=""
        Version of the technique model whose states the model reads.
    random_state : int, default=0

    Attributes
    ----------
    topics_ : MultiLabelTextClassifier
        One label per domain (``"URW"``, ``"CC"``): the text is about that domain's topic.
    presence_ : MultiLabelTextClassifier
        One label, ``"narrative"``: the text carries some narrative.
    coarse_ : MultiLabelTextClassifier
    fine_ : MultiLabelTextClassifier
    rule_ : tuple of (float, int)
        Presence gate and number of narratives, tuned for samples-F1 (coarse + fine).
    """

    def __init__(
        self,
        *,
        C: float = 1.0,
        presence_C: float = 10.0,
        max_features: int = 20000,
        min_df: int = 2,
        ngram_max: int = 1,
        folds: int = 5,
        state_weight: float = 1.0,
        topic_C: float = 10.0,
        encoder: str = "",
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.presence_C = presence_C
        self.max_features = max_features
        self.min_df = min_df
        self.ngram_max = ngram_max
        self.folds = folds
        self.state_weight = state_weight
        self.topic_C = topic_C
        self.encoder = encoder
        self.random_state = random_state

    def _head(self, C: float) -> MultiLabelTextClassifier:
        return MultiLabelTextClassifier(
            C=C,
            max_features=self.max_features,
            min_df=self.min_df,
            ngram_max=self.ngram_max,
            folds=self.folds,
            state_weight=self.state_weight,
            encoder=self.encoder,
            random_state=self.random_state,
        )

    def fit(
        self,
        texts: Sequence[str],
        narrative_sets: Sequence[Sequence[str]],
        subnarrative_sets: Sequence[Sequence[str]],
        *,
        topics: Sequence[str],
        off_topic_texts: Sequence[str] = (),
        states: ArrayLike | None = None,
        definitions: dict[str, str] | None = None,
        definition_states: Mapping[str, ArrayLike] | None = None,
    ) -> NarrativeClassifier:
        """Learn from texts with their narrative and subnarrative labels.

        Parameters
        ----------
        texts : sequence of str
        narrative_sets, subnarrative_sets : sequence of sequence of str
            Labels per text as in the SemEval files (``Other`` allowed, meaning none).
        topics : sequence of str
            The domain whose topic each text is about (``"URW"``, ``"CC"``), whether or not
            it carries a narrative.
        off_topic_texts : sequence of str, default=()
            News on neither topic: trained on by the topic heads only.
        states : array-like of shape (n_texts, n_dims), optional
            Technique-encoder mean state of each text; required when ``state_weight`` is set.
        definitions : dict of str to str, optional
            Taxonomy text (definition and examples) per narrative or subnarrative label; each
            becomes an extra training text for its label (and a subnarrative's for its parent).
        definition_states : mapping of str to array-like, optional
            Mean state of each definition text, keyed by label like ``definitions``.
        """
        definitions = definitions or {}
        definition_states = definition_states or {}
        coarse_sets = [without_other(labels) for labels in narrative_sets]
        fine_sets = [without_other(labels) for labels in subnarrative_sets]
        known = {label for labels in coarse_sets for label in labels}
        # (definition, label it trains): a subnarrative's definition also trains its parent.
        coarse_priors = [
            (label, label if label in known else parent_of(label))
            for label in definitions
            if label in known or parent_of(label) in known
        ]
        fine_priors = [(label, label) for label in definitions if label.count(SEPARATOR) == 2]

        def priors(pairs: list[tuple[str, str]]) -> dict[str, Any]:
            """The definitions in ``pairs`` as extra training texts of a head."""
            return {
                "prior_texts": [definitions[source] for source, _ in pairs],
                "prior_label_sets": [[target] for _, target in pairs],
                "prior_states": (
                    [definition_states[source] for source, _ in pairs]
                    if self.state_weight
                    else None
                ),
            }

        self.topics_ = self._fit_topics(texts, topics, off_topic_texts)
        self.presence_ = self._head(self.presence_C).fit(
            texts, [[PRESENT] if labels else [] for labels in coarse_sets], states=states
        )
        self.coarse_ = self._head(self.C).fit(
            texts, coarse_sets, states=states, **priors(coarse_priors)
        )
        self.fine_ = self._head(self.C).fit(texts, fine_sets, states=states, **priors(fine_priors))
        self.rule_ = self.tune_rule(narrative_sets, subnarrative_sets)
        return self

    def _fit_topics(
        self, texts: Sequence[str], topics: Sequence[str], off_topic_texts: Sequence[str]
    ) -> MultiLabelTextClassifier:
        """The topic heads, thresholds tuned for F1 out of fold (on whole texts only)."""
        all_texts = [*texts, *off_topic_texts]
        label_sets = [[topic] for topic in topics] + [[] for _ in off_topic_texts]
        return MultiLabelTextClassifier(
            C=self.topic_C,
            balanced=False,
            max_features=self.max_features,
            min_df=self.min_df,
            ngram_max=self.ngram_max,
            folds=self.folds,
            random_state=self.random_state,
        ).fit(
            all_texts,
            label_sets,
            prior_texts=[text[:LEAD_CHARS] for text in all_texts],
            prior_label_sets=label_sets,
        )

    def on_topic(self, texts: Sequence[str]) -> list[frozenset[str]]:
        """The domains whose topic each text is about (empty: neither topic)."""
        check_fitted(self, "topics_")
        return [frozenset(found) for found in self.topics_.predict(texts)]

    @property
    def _labels(self) -> tuple[list[str], list[str]]:
        return self.coarse_.labels_, self.fine_.labels_

    def oof_on_topic(self, n_texts: int) -> list[frozenset[str]]:
        """:meth:`on_topic` of the first ``n_texts`` training texts (the narrative texts come
        first among the topic model's), from its out-of-fold probabilities."""
        names = np.array(self.topics_.labels_)
        rows = self.topics_.oof_proba_[:n_texts]
        return [frozenset(names[row >= self.topics_.thresholds_]) for row in rows]

    def tune_rule(
        self,
        narrative_sets: Sequence[Sequence[str]],
        subnarrative_sets: Sequence[Sequence[str]],
        weights: np.ndarray | None = None,
    ) -> tuple[float, int]:
        """The presence gate and top-k with the best samples-F1 (coarse plus fine) on the
        training texts' out-of-fold probabilities, each text weighed by ``weights`` (e.g. to
        another share of ``Other`` documents; equal by default)."""
        best: tuple[float, float, int] = (-1.0, 0.5, 1)
        on_topic = self.oof_on_topic(len(narrative_sets))
        for gate in GATE_GRID:
            for top_k in TOP_K_GRID:
                rule = (float(gate), top_k)
                found = decide(
                    self.presence_.oof_proba_[:, 0],
                    self.coarse_.oof_proba_,
                    self.fine_.oof_proba_,
                    self._labels,
                    rule,
                    on_topic,
                )
                lists = [label_lists(n) for n in found]
                coarse = np.average(
                    samples_f1(narrative_sets, [c for c, _ in lists]), weights=weights
                )
                fine = np.average(
                    samples_f1(subnarrative_sets, [f for _, f in lists]), weights=weights
                )
                score = float(coarse + fine)
                # Ties keep the lower gate and fewer narratives (the grids are walked upwards).
                if score > best[0] + 1e-9:
                    best = (score, *rule)
        return best[1], best[2]

    def predict_narratives(
        self, texts: Sequence[str], states: ArrayLike | None = None
    ) -> list[list[Narrative]]:
        """Narratives per text, in decreasing score; an empty list means ``Other``."""
        check_fitted(self, "rule_")
        return decide(
            self.presence(texts, states),
            self.coarse_.predict_proba(texts, states),
            self.fine_.predict_proba(texts, states),
            self._labels,
            self.rule_,
            self.on_topic(texts),
        )

    def presence(self, texts: Sequence[str], states: ArrayLike | None = None) -> np.ndarray:
        """Probability that each text carries some narrative, shape (n_texts,)."""
        check_fitted(self, "rule_")
        return self.presence_.predict_proba(texts, states)[:, 0]

    def predict(
        self, texts: Sequence[str], states: ArrayLike | None = None
    ) -> list[tuple[list[str], list[str]]]:
        """``(narratives, subnarratives)`` per text, as the SemEval-2025 files write them."""
        return [label_lists(found) for found in self.predict_narratives(texts, states)]

    def support(self, sentences: Sequence[str], narrative: Narrative) -> np.ndarray:
        """How much each sentence supports ``narrative`` and its subnarratives.

        Returns
        -------
        ndarray of shape (n_sentences,)
            Sum of the linear contributions of the sentence to the narrative and to each of
            its subnarratives; positive values support it. A sentence whose words do not
            lean towards the narrative's topic (its contribution to the topic head is not
            positive) gets 0: evidence of a war narrative speaks of the war.
        """
        check_fitted(self, "rule_")
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        total = self.coarse_.contributions(sentences)[
            :, self.coarse_.labels_.index(narrative.narrative)
        ]
        fine_columns = [
            self.fine_.labels_.index(s) for s in narrative.subnarratives if s in self.fine_.labels_
        ]
        if fine_columns:
            total = total + self.fine_.contributions(sentences)[:, fine_columns].sum(axis=1)
        topic = self.topics_.labels_.index(domain_of(narrative.narrative))
        on_topic = self.topics_.contributions(sentences)[:, topic] > 0
        return np.where(on_topic, total, 0.0)

    def to_arrays(self) -> dict[str, np.ndarray]:
        check_fitted(self, "rule_")
        return {
            **with_prefix(self.topics_.to_arrays(), "topics"),
            **with_prefix(self.presence_.to_arrays(), "presence"),
            **with_prefix(self.coarse_.to_arrays(), "coarse"),
            **with_prefix(self.fine_.to_arrays(), "fine"),
        }

    def meta(self) -> dict[str, Any]:
        return {
            "params": self.get_params(),
            "rule": list(self.rule_),
            "topics": self.topics_.meta(),
            "presence": self.presence_.meta(),
            "coarse": self.coarse_.meta(),
            "fine": self.fine_.meta(),
        }

    @classmethod
    def from_arrays(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> NarrativeClassifier:
        model = cls(**meta["params"])
        model.coarse_ = MultiLabelTextClassifier.from_arrays(
            meta["coarse"], split_prefix(arrays, "coarse")
        )
        model.fine_ = MultiLabelTextClassifier.from_arrays(
            meta["fine"], split_prefix(arrays, "fine")
        )
        model.presence_ = MultiLabelTextClassifier.from_arrays(
            meta["presence"], split_prefix(arrays, "presence")
        )
        model.topics_ = MultiLabelTextClassifier.from_arrays(
            meta["topics"], split_prefix(arrays, "topics")
        )
        model.rule_ = (float(meta["rule"][0]), int(meta["rule"][1]))
        return model
