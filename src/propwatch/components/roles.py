"""The ``roles`` component: how an article casts the people, organisations and countries it names.

Mentions come either from the user (``article.meta["entity_mentions"]``, set by
:func:`attach_mentions` for ``propwatch analyze --entities MENTIONS.txt``) or from spaCy's NER
on the shared parse (:func:`~propwatch.models.article.entities.ner_mentions`). NER mentions
are merged per entity (same name, or a surname alone that ends a longer name) and get the
entity's roles, averaged over its mentions; the cast model
(:mod:`propwatch.models.article.cast`) tells which entities the article casts in a role at all
(most it names, it does not). Given mentions are classified one by one, as SemEval-2025 scores
them.

Writes the ``entities`` layer (``docs/json-schema.md``): one span per mention, label = main
role, score = its probability, attrs ``entity``, ``main_role``, ``fine_roles``, ``sentence``
(``[start, end]`` of the supporting sentence), for NER entities ``cast`` (whether the
article casts the entity in a role) and ``cast_score`` (its probability), and for given
mentions ``mention``.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from propwatch import registry
from propwatch.components.article import ArticleModelComponent
from propwatch.io.labels.semeval2025 import EntityMention, fix_utf16_offsets
from propwatch.models.article.cast import CastClassifier, entity_vector
from propwatch.models.article.entities import Mention, entity_groups, ner_mentions
from propwatch.models.article.roles import MentionContext, mention_contexts, sentence_around
from propwatch.text.analysis import ENCODER_STATES, ENTITIES, SENTENCES, Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import parse_of
from propwatch.text.span import Span

GIVEN_MENTIONS = "entity_mentions"


def attach_mentions(
    articles: Iterable[Article], mentions: Sequence[EntityMention]
) -> Iterator[Article]:
    """Give each article the mentions listed for its id (none for ids the list lacks).

    Stored in ``article.meta["entity_mentions"]`` as ``{"start", "end", "entity"}`` dicts with
    the file's offsets (end-exclusive), which the output repeats unchanged; the component
    repairs UTF-16 offsets only to find the mention's sentence.
    """
    by_doc: dict[str, list[EntityMention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc_id].append(mention)
    for article in articles:
        rows = [
            {"start": m.start, "end": m.end, "entity": m.entity} for m in by_doc.get(article.id, [])
        ]
        yield dataclasses.replace(article, meta={**article.meta, GIVEN_MENTIONS: rows})


def given_mentions(analysis: Analysis) -> list[Mention]:
    """The user's mentions, located in the text (UTF-16 offsets repaired for the context).

    A mention whose offsets fall outside the text cannot be written as a span and is dropped.
    """
    text = analysis.text
    found = []
    for row in analysis.article.meta[GIVEN_MENTIONS]:
        given = EntityMention("", str(row["entity"]), int(row["start"]), int(row["end"]))
        if not 0 <= given.start < given.end <= len(text):
            continue
        fixed = fix_utf16_offsets(given, text)
        located = None if fixed == given else (fixed.start, fixed.end)
        found.append(Mention(given.start, given.end, given.entity, given.entity, "", located))
    return found


@registry.components.register("roles")
class RolesComponent(ArticleModelComponent):
    """Assign main and fine roles to named entities (SemEval-2025 Task 10 subtask 1)."""

    name = "roles"
    kind = "roles"
    also_loads = ("cast",)
    requires = (SENTENCES, ENCODER_STATES)
    assigns = (ENTITIES,)
    version = "6"

    def __init__(self, *, model_dir: str | None = None) -> None:
        super().__init__(model_dir=model_dir)
        self._cast_model: CastClassifier | None = None

    def predict(self, analysis: Analysis) -> list[Span]:
        """One ``entities`` span per mention (given, else NER)."""
        given = GIVEN_MENTIONS in analysis.article.meta
        parsed = parse_of(analysis)
        mentions = given_mentions(analysis) if given else ner_mentions(parsed)
        if not mentions:
            return []
        sentences = analysis.layer(SENTENCES)
        encoded = self.encoder_states(analysis)
        contexts = mention_contexts(parsed, sentences, [m.where for m in mentions], encoded)
        main, fine = self.model.predict_both_proba(contexts)
        groups: list[tuple[list[int], dict[str, Any]]]
        if given:
            groups = [([i], {}) for i in range(len(mentions))]
        else:
            groups = self._cast_entities(mentions, contexts)
        spans = []
        for members, cast in groups:
            spans.extend(self._entity_spans(analysis, mentions, members, main, fine, cast))
        return spans

    @property
    def cast_model(self) -> CastClassifier:
        """The model that tells which NER entities the article casts (loaded on first use)."""
        if self._cast_model is None:
            self._cast_model = self.load_kind("cast")
        return self._cast_model

    def _cast_entities(
        self, mentions: list[Mention], contexts: list[MentionContext]
    ) -> list[tuple[list[int], dict[str, Any]]]:
        """Mention indices of each entity, with attrs ``cast`` and ``cast_score``."""
        groups = entity_groups(mentions)
        vectors = [
            entity_vector([contexts[i] for i in members], [mentions[i].kind for i in members])
            for members in groups
        ]
        probabilities = self.cast_model.predict_proba(vectors)
        threshold = self.cast_model.threshold_
        return [
            (members, {"cast": bool(p >= threshold), "cast_score": round(float(p), 4)})
            for members, p in zip(groups, probabilities, strict=True)
        ]

    def _entity_spans(
        self,
        analysis: Analysis,
        mentions: list[Mention],
        members: list[int],
        main: np.ndarray,
        fine: np.ndarray,
        cast: dict[str, Any],
    ) -> list[Span]:
        """Spans of one entity's mentions, all with the roles of the averaged probabilities.

        ``cast`` holds the cast attrs of NER entities (empty for given mentions).
        """
        main_mean = main[members].mean(axis=0, keepdims=True)
        fine_mean = fine[members].mean(axis=0, keepdims=True)
        column = int(np.argmax(main_mean[0]))
        role = self.model.main_roles_[column]
        fine_roles = self.model.decide_fine(main_mean, fine_mean)[0]
        # The supporting sentence: where the chosen role is most probable.
        best = members[int(np.argmax(main[members, column]))]
        where = mentions[best].where
        sentence = list(sentence_around(analysis.layer(SENTENCES), *where) or where)
        attrs: dict[str, Any] = {
            "entity": mentions[members[0]].entity,
            "main_role": role,
            "fine_roles": fine_roles,
            "sentence": sentence,
            **cast,
        }
        spans = []
        for index in members:
            mention = mentions[index]
            extra = {"mention": mention.surface} if mention.surface is not None else {}
            spans.append(
                Span(
                    mention.start,
                    mention.end,
                    role,
                    float(main_mean[0, column]),
                    {**attrs, **extra},
                )
            )
        return spans

    def set_annotations(self, analysis: Analysis, spans: list[Span]) -> None:
        analysis.set_layer(ENTITIES, spans)
