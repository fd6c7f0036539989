"""The ``roles`` component: how an article casts the people, organisations and countries it names.

Mentions come either from the user (``article.meta["entity_mentions"]``, set by
:func:`attach_mentions` for ``propwatch analyze --entities MENTIONS.txt``) or from spaCy's NER
on the shared parse (``PERSON``, ``ORG``, ``GPE``, ``NORP``; see :func:`is_actor` for the ones
left out). NER mentions are merged per entity
(same name, or a surname alone that ends a longer name) and get the entity's roles, averaged
over its mentions; given mentions are classified one by one, as SemEval-2025 scores them.

Writes the ``entities`` layer (``docs/json-schema.md``): one span per mention, label = main
role, score = its probability, attrs ``entity``, ``main_role``, ``fine_roles``, ``sentence``
(``[start, end]`` of the supporting sentence) and, for given mentions, ``mention``.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from propwatch import registry
from propwatch.components.article import ArticleModelComponent
from propwatch.components.techniques import encoded_of
from propwatch.io.labels.semeval2025 import EntityMention, fix_utf16_offsets
from propwatch.models.article.datasets import QUOTE_MARKS, mention_context
from propwatch.models.article.roles import sentence_around
from propwatch.text.analysis import ENTITIES, SENTENCES, Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import parse_of
from propwatch.text.span import Span

GIVEN_MENTIONS = "entity_mentions"
NER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
LEADING_ARTICLE = re.compile(r"^(the|The)\s+")
POSSESSIVE = re.compile("['\u2019]s$")


@dataclasses.dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention.

    Parameters
    ----------
    start, end : int
        Offsets written out (for given mentions, exactly as the user gave them).
    entity : str
        Entity name (merged across mentions for NER).
    surface : str or None
        The user's mention string, written instead of the covered text.
    kind : str
        spaCy entity label for NER mentions.
    located : (int, int) or None
        Where the mention really is in the text when that differs from ``(start, end)``
        (SemEval files count some offsets in UTF-16 units).
    """

    start: int
    end: int
    entity: str
    surface: str | None = None
    kind: str = ""
    located: tuple[int, int] | None = None

    @property
    def where(self) -> tuple[int, int]:
        return self.located or (self.start, self.end)


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


def clean_name(text: str) -> str:
    """The mention without a leading "the" and a trailing possessive ``'s``."""
    return POSSESSIVE.sub("", LEADING_ARTICLE.sub("", text.strip()))


def merge_entities(mentions: list[Mention]) -> list[Mention]:
    """Give NER mentions one entity name per entity: a one-word person takes the longest
    person name that ends with it (``Biden`` → ``Joe Biden``)."""
    people = [m.entity for m in mentions if m.kind == "PERSON" and " " in m.entity]
    merged = []
    for mention in mentions:
        name = mention.entity
        if mention.kind == "PERSON" and " " not in name:
            longer = [p for p in people if p.split()[-1] == name]
            name = max(longer, key=len) if longer else name
        merged.append(dataclasses.replace(mention, entity=name))
    return merged


def is_actor(text: str, start: int, end: int, name: str) -> bool:
    """Whether the NER mention ``text[start:end]`` (named ``name``) can be an actor.

    Headlines are title-cased, so the small NER model takes runs of capitalised words for
    names ("Director Defends Four-Hour Interview"): a headline name counts only when the body
    names it too. A name that fills a whole quotation is the title of a work ("The Quiet
    Republic"), not someone the article casts.
    """
    headline_end = text.find("\n")
    body = text[headline_end:] if headline_end >= 0 else ""
    if start < headline_end and body.strip() and name not in body:
        return False
    quoted = start > 0 and end < len(text) and text[start - 1] in QUOTE_MARKS
    return not (quoted and text[end] in QUOTE_MARKS)


def ner_mentions(analysis: Analysis) -> list[Mention]:
    """People, organisations, countries and groups found by spaCy in the shared parse."""
    found = []
    for chunk in parse_of(analysis).chunks:
        for ent in chunk.doc.ents:
            name = clean_name(ent.text)
            start, end = chunk.start + ent.start_char, chunk.start + ent.end_char
            if ent.label_ in NER_LABELS and name and is_actor(analysis.text, start, end, name):
                found.append(Mention(start, end, name, kind=ent.label_))
    return merge_entities(found)


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
    reads_encoder = True
    requires = (SENTENCES,)
    assigns = (ENTITIES,)
    version = "4"

    def predict(self, analysis: Analysis) -> list[Span]:
        """One ``entities`` span per mention (given, else NER)."""
        given = GIVEN_MENTIONS in analysis.article.meta
        mentions = given_mentions(analysis) if given else ner_mentions(analysis)
        if not mentions:
            return []
        parsed, sentences = parse_of(analysis), analysis.layer(SENTENCES)
        encoded = encoded_of(analysis)
        contexts = [mention_context(parsed, sentences, *m.where, encoded) for m in mentions]
        main = self.model.predict_proba(contexts)
        fine = self.model.predict_fine_proba(contexts)
        groups = [[i] for i in range(len(mentions))] if given else self._groups(mentions)
        spans = []
        for members in groups:
            spans.extend(self._entity_spans(analysis, mentions, members, main, fine))
        return spans

    @staticmethod
    def _groups(mentions: list[Mention]) -> list[list[int]]:
        by_name: dict[str, list[int]] = defaultdict(list)
        for index, mention in enumerate(mentions):
            by_name[mention.entity.lower()].append(index)
        return list(by_name.values())

    def _entity_spans(
        self,
        analysis: Analysis,
        mentions: list[Mention],
        members: list[int],
        main: np.ndarray,
        fine: np.ndarray,
    ) -> list[Span]:
        """Spans of one entity's mentions, all with the roles of the averaged probabilities."""
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
