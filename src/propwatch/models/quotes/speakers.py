"""Resolve a source mention to a speaker name through in-document coreference.

Rules, in order: a mention that holds a named entity resolves to the longest name in the document
that contains that entity's last word ("Stone" -> "Oliver Stone"); a personal pronoun resolves to
the most recent person named before it outside quotes; anything else keeps its own words as a
description ("a Kremlin spokesman").

The small NER model misses or mislabels unusual names ("Valen" as a place). A bare name that is
the source of a quote ("Valen said") is therefore taken as a person's name throughout the
article (:func:`speaker_words`), unless the article also uses it as a place ("in Valen").
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from propwatch.models.quotes.clauses import tokens_with
from propwatch.models.quotes.lexicon import (
    HONORIFICS,
    KNOWN_ROLES,
    PRONOUNS,
    SPEAKER_ENTITY_LABELS,
    role_key,
)
from propwatch.text.segment import title_end

POSSESSIVE_ENDINGS = ("\u2019s", "'s", "\u2019", "'")
PLACE_PREPOSITIONS = frozenset({"in", "into", "to", "from", "across", "near", "outside"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def clean_name(words: str) -> str:
    """Drop honorifics and a possessive ending: ``"Mrs. Clinton's"`` -> ``"Clinton"``."""
    for ending in POSSESSIVE_ENDINGS:
        if words.endswith(ending):
            words = words[: -len(ending)]
            break
    parts = words.split()
    while len(parts) > 1 and parts[0].lower() in HONORIFICS:
        parts.pop(0)
    return " ".join(parts)


@dataclass
class NameIndex:
    """Names of the people and organisations an article mentions.

    Attributes
    ----------
    full_names : dict of str to str
        Lower-cased name word -> the longest name holding that word, first seen wins ties.
    person_starts : list of int
        Character offsets of PERSON mentions outside quotes, sorted.
    person_names : list of str
        Full name of each mention in ``person_starts``.
    roles : dict of str to list of (int, str)
        Noun lemma -> (offset, full name) of each person the article gives that role
        ("director Oliver Stone", "Oliver Stone, the director"), in text order.
    """

    full_names: dict[str, str]
    person_starts: list[int]
    person_names: list[str]
    roles: dict[str, list[tuple[int, str]]]

    @property
    def persons(self) -> set[str]:
        """Full names of the people the article names (as a subject or in a role)."""
        return {*self.person_names, *(name for found in self.roles.values() for _, name in found)}

    @classmethod
    def build(
        cls,
        doc: Doc,
        text: str,
        quoted: list[tuple[int, int]],
        speakers: frozenset[str] = frozenset(),
    ) -> NameIndex:
        """Index the names of ``text``.

        Parameters
        ----------
        doc : spacy.tokens.Doc
            Parse of ``text``.
        quoted : list of (int, int)
            Character ranges inside speech quotes (names there are not the article's subjects).
        speakers : frozenset of str
            Lower-cased words of bare names that speak in the article (:func:`speaker_words`);
            they count as people even where NER did not tag them.
        """
        full_names: dict[str, str] = {}
        # Headline words are capitalised, so the parser often runs a name into the next word
        # ("Ben Carson Defends"): body names are taken first, headline names fill the gaps.
        # A person's words are held by person names only: "Trump" is "Donald Trump", not
        # "the Trump International Hotel", however long the hotel's name.
        headline_end = title_end(text)
        entities = doc.ents  # spaCy builds the tuple on every access
        people: set[str] = set()
        for in_body in (True, False):
            for ent in entities:
                if (
                    ent.label_ not in SPEAKER_ENTITY_LABELS
                    or (ent.start_char > headline_end) != in_body
                ):
                    continue
                person = ent.label_ == "PERSON"
                name = clean_name(ent.text)
                _add_name(full_names, name, longer_wins=in_body, person=person, people=people)
        speaking = [t for t in tokens_with(doc, "LOWER", speakers) if _is_name(t)]
        for token in speaking:
            if token.idx > headline_end:
                name = clean_name(_proper_name(token))
                _add_name(full_names, name, longer_wins=True, person=True, people=people)
        # Subjects only: "he" after "Trump attacked Clinton" is Trump far more often.
        subjects = [
            (ent.start_char, clean_name(ent.text))
            for ent in entities
            if ent.label_ == "PERSON" and ent.root.dep_ in SUBJECT_DEPS
        ]
        subjects += [
            (token.idx, _proper_name(token))
            for token in speaking
            if token.dep_ in SUBJECT_DEPS and token.ent_type_ != "PERSON"
        ]
        outside = sorted((start, name) for start, name in subjects if not _inside(start, quoted))
        starts = [start for start, _ in outside]
        names = [cls._full(full_names, name) for _, name in outside]
        return cls(full_names, starts, names, _roles(doc, full_names, speakers))

    @staticmethod
    def _full(full_names: dict[str, str], name: str) -> str:
        words = name.lower().split()
        return full_names.get(words[-1], name) if words else name

    def full_name(self, name: str) -> str:
        """The longest indexed name that holds the last word of ``name``."""
        return self._full(self.full_names, clean_name(name))

    def person_before(self, offset: int) -> tuple[int, str] | None:
        """(start, full name) of the last PERSON subject starting before ``offset``, if any."""
        i = bisect.bisect_left(self.person_starts, offset)
        return (self.person_starts[i - 1], self.person_names[i - 1]) if i else None


def _add_name(
    full_names: dict[str, str], name: str, *, longer_wins: bool, person: bool, people: set[str]
) -> None:
    """Index ``name`` under each of its words (a longer name replaces a shorter one).

    A name that holds a word before its last one is named after it ("Trump" in "the Trump
    University"): under a word that a person's name holds (``people``), such a name never
    replaces the person's, and a person's full name replaces it, however long it is.
    """
    words = name.lower().split()
    for word in words:
        known = full_names.get(word)
        named_after = not person and word != words[-1]
        if known is None:
            replace = True
        elif word in people:
            replace = not named_after and longer_wins and len(name) > len(known)
        else:
            known_after = known.lower().split()[-1] != word
            # a one-word "person" is as often a mislabelled organisation ("Fox", "State")
            full = person and len(words) > 1
            replace = (full and known_after) or (longer_wins and len(name) > len(known))
        if replace:
            full_names[word] = name
            if person:
                people.add(word)
            else:
                people.discard(word)


def _is_name(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.text[:1].isupper()


def _proper_name(token: Token) -> str:
    """The token with the names compounded right before it: "Marcus" + "Valen".

    A capitalised word opening the sentence joins only when NER calls it a person: there it is
    more often a role than a first name ("Filmmaker Marcus Valen").
    """
    doc, first = token.doc, token.i
    while first > 0:
        previous = doc[first - 1]
        joined = previous.dep_ == "compound" and previous.head == token and _is_name(previous)
        opening = previous.is_sent_start or previous.i == 0
        if not joined or previous.ent_type_ not in {"", "PERSON"}:
            break
        if opening and previous.ent_type_ != "PERSON":
            break
        first -= 1
    return doc[first : token.i + 1].text


def speaker_words(doc: Doc, text: str, mentions: Iterable[Span]) -> frozenset[str]:
    """Lower-cased head words of source mentions that are bare names of people.

    A bare name is a mention whose head is a capitalised proper noun that NER tagged as a
    person, as nothing, or as a place; a place name that the article also uses after "in",
    "to", "from"... is left out (countries speak too: "Russia said"). ``text`` is
    ``doc.text``, passed in because spaCy rebuilds it on every access.
    """
    headline_end = title_end(text)  # every headline word is capitalised
    found = {
        m.root.lower_
        for m in mentions
        if _is_name(m.root)
        and m.root.ent_type_ in {"", "PERSON", "GPE"}
        and m.start_char > headline_end
    }
    places = {
        t.lower_
        for t in tokens_with(doc, "DEP", ["pobj"])
        if t.head.lower_ in PLACE_PREPOSITIONS and t.ent_type_ == "GPE"
    }
    return frozenset(found - places)


def _roles(
    doc: Doc, full_names: dict[str, str], speakers: frozenset[str]
) -> dict[str, list[tuple[int, str]]]:
    """Role nouns tied to a person by apposition or compounding, for "the director" -> name."""
    roles: dict[str, list[tuple[int, str]]] = {}
    for token in tokens_with(doc, "DEP", ["appos", "compound"]):
        pairs = [(token, token.head), (token.head, token)]  # either side may be the name
        for noun, name in pairs:
            person = name.ent_type_ == "PERSON" or name.lower_ in speakers
            role_noun = noun.pos_ == "NOUN" or noun.lower_ in KNOWN_ROLES
            if role_noun and person:
                full = full_names.get(name.lower_, name.text)
                roles.setdefault(role_key(noun.lemma_.lower()), []).append((token.idx, full))
    return roles


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in ranges)


def mention_entity(mention: Span) -> Span | None:
    """The speaker-like named entity that heads ``mention``, if any.

    Only an entity holding the mention's syntactic head counts: in "a Kremlin spokesman" the
    head is "spokesman", so the mention is a description, not the Kremlin.
    """
    root = mention.root
    if root.ent_type_ not in SPEAKER_ENTITY_LABELS:
        return None
    doc = mention.doc
    start, end = root.i, root.i + 1  # walk the IOB tags: ``doc.ents`` is rebuilt per access
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def pronoun_kind(token: Token) -> str | None:
    """``"person"``, ``"group"``… for a personal pronoun, ``None`` for any other word."""
    return PRONOUNS.get(token.lower_) if token.pos_ == "PRON" else None


def resolve_speaker(mention: Span, names: NameIndex, last_speaker: tuple[int, str] | None) -> str:
    """The speaker's full name, or the mention's own words when it names no one.

    Parameters
    ----------
    mention : spacy.tokens.Span
        The source mention (``"he"``, ``"Stone"``, ``"a Kremlin spokesman"``).
    names : NameIndex
        Names of the article.
    last_speaker : (int, str) or None
        Start offset and name of the most recent person speaker before the mention; a pronoun
        takes it or the last PERSON subject, whichever is nearer.
    """
    entity = mention_entity(mention)
    if entity is not None:
        return names.full_name(entity.text)
    if len(mention) == 1 and pronoun_kind(mention[0]) == "person":
        candidates = [c for c in (last_speaker, names.person_before(mention.start_char)) if c]
        return max(candidates)[1] if candidates else mention.text
    described = _described_person(mention, names)
    if described is not None:
        return described
    head = mention.root  # a name the tagger missed ("Stone" in a headline)
    if head.text[:1].isupper() and head.lower_ in names.full_names:
        return names.full_names[head.lower_]
    return _description(mention)


def _description(mention: Span) -> str:
    """A mention that names no one, with an opening determiner in lower case: "The director"
    at a sentence start and "the director" later are one speaker.

    The words stop before a relative clause of the head ("groups, who say…" -> "groups").
    """
    relative = [c.left_edge.i for c in mention.root.rights if c.dep_ == "relcl"]
    end = max(mention.root.i + 1, min([mention.end, *relative]))
    while end > mention.root.i + 1 and mention.doc[end - 1].is_punct:
        end -= 1
    words = clean_name(mention.doc[mention.start : end].text.strip())
    if mention[0].pos_ in {"DET", "PRON"} and mention[0].text != "I":
        return words[:1].lower() + words[1:]
    return words


def _described_person(mention: Span, names: NameIndex) -> str | None:
    """The person a definite description refers to: "the director" -> the last person the
    article called a director before the mention."""
    root = mention.root
    definite = any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in root.children)
    if root.pos_ != "NOUN" or not definite:
        return None
    earlier = [
        name
        for offset, name in names.roles.get(role_key(root.lemma_.lower()), [])
        if offset < root.idx
    ]
    return earlier[-1] if earlier else None
