"""Named entities an article mentions: spaCy NER mentions, cleaned, filtered and merged per entity.

Both the roles component (at inference) and the training of the cast model (which entities an
article casts in a role at all, :mod:`.cast`) read entities this way, so they see the same ones.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict

from propwatch.text.nlp import ParsedText
from propwatch.text.segment import title_end

NER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
# Labels of a one-word mention that may be the surname of a person named in full.
SURNAME_KINDS = frozenset({"PERSON", "ORG"})
# Separates the photographer from the agency in a photo credit ("Name/Pool/Agency").
CREDIT_SEPARATOR = "/"
QUOTE_MARKS = '"\u201c\u201d'
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


def clean_name(text: str) -> str:
    """The mention without a leading "the" and a trailing possessive ``'s``."""
    return POSSESSIVE.sub("", LEADING_ARTICLE.sub("", text.strip()))


def merge_entities(mentions: list[Mention]) -> list[Mention]:
    """Give NER mentions one entity name per entity: a one-word person or organisation takes
    the longest person name that ends with it (``Biden`` → ``Joe Biden``).

    The small NER model often tags a surname alone as an organisation ("Lavrov's deputy"); a
    one-word place keeps its name ("Washington" is not George Washington).
    """
    # The longest full name ending with each surname (the first named, among equally long).
    full_names: dict[str, str] = {}
    for mention in mentions:
        name = mention.entity
        if mention.kind == "PERSON" and " " in name:
            surname = name.split()[-1]
            if len(name) > len(full_names.get(surname, "")):
                full_names[surname] = name
    merged = []
    for mention in mentions:
        name = mention.entity
        if mention.kind in SURNAME_KINDS and " " not in name:
            name = full_names.get(name, name)
        merged.append(dataclasses.replace(mention, entity=name))
    return merged


def is_actor(text: str, start: int, end: int, name: str, headline_end: int | None = None) -> bool:
    """Whether the NER mention ``text[start:end]`` (named ``name``) can be an actor.

    Headlines are title-cased, so the small NER model takes runs of capitalised words for
    names ("Director Defends Four-Hour Interview"): a headline name counts only when the body
    names it too. A name that fills a whole quotation is the title of a work ("The Quiet
    Republic"), not someone the article casts, and a name in a photo credit ("Name/Pool/AP")
    is the photographer's or the agency's. ``headline_end`` is :func:`title_end` of ``text``,
    found here unless given (a caller with many mentions finds it once).
    """
    around = text[max(0, start - 1) : end + 1]
    if CREDIT_SEPARATOR in around:
        return False
    if headline_end is None:
        headline_end = title_end(text)
    if start < headline_end:  # only headline mentions look at the body
        body = text[headline_end:]
        if body.strip() and name not in body:
            return False
    quoted = start > 0 and end < len(text) and text[start - 1] in QUOTE_MARKS
    return not (quoted and text[end] in QUOTE_MARKS)


def ner_mentions(parsed: ParsedText) -> list[Mention]:
    """People, organisations, countries and groups that spaCy finds in ``parsed``.

    A nationality or group used as an adjective ("Russian diplomat") describes someone else;
    the group itself is an entity only as a noun ("the Russians").
    """
    found = []
    headline_end = title_end(parsed.text)
    for chunk in parsed.chunks:
        for ent in chunk.doc.ents:
            if ent.label_ == "NORP" and ent.root.pos_ == "ADJ":
                continue
            name = clean_name(ent.text)
            start, end = chunk.start + ent.start_char, chunk.start + ent.end_char
            if (
                ent.label_ in NER_LABELS
                and name
                and is_actor(parsed.text, start, end, name, headline_end)
            ):
                found.append(Mention(start, end, name, kind=ent.label_))
    return merge_entities(found)


def entity_groups(mentions: list[Mention]) -> list[list[int]]:
    """Indices of ``mentions`` grouped by entity name (case-insensitive), in order of first
    mention."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for index, mention in enumerate(mentions):
        by_name[mention.entity.lower()].append(index)
    return list(by_name.values())
