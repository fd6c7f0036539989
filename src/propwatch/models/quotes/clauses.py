"""Dependency rules for reported speech: the cue verb, its source and its reported clause.

"X said (that) Y", "Y, X said", "Y, X said, Z", "X told reporters Y", "X believes Y",
"according to X, Y", "X praised Y", "X's claim that Y", "X voiced support for Y",
"X is confident that Y", "X was called Y by Z".
Character ranges are (start, end) with an exclusive end, in the parsed text's offsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Span, Token

from propwatch.models.quotes.lexicon import (
    ADDRESSEE_VERBS,
    ADJECTIVE_CUES,
    CLAUSE_VERBS,
    HEARER_NOUNS,
    HEARER_VERBS,
    IMPRESSION_VERBS,
    NO_OBJECT_VERBS,
    NOUN_CUE_PREPOSITIONS,
    NOUN_CUES,
    OBJECT_VERBS,
    OWNERLESS_NOUN_CUES,
    PASSIVE_VERBS,
    SPEECH_VERBS,
    STANCE_VERBS,
    TOPIC_VERBS,
)

Range = tuple[int, int]

CLAUSE_DEPS = frozenset({"ccomp", "parataxis"})
CUE_VERB_POS = frozenset({"VERB", "AUX"})
OBJECT_DEPS = frozenset({"dobj", "xcomp", "oprd"})
# Children of a verb, after its object, that end what it reports: a coordinated verb, the
# person told, a second object or clause (already a part), punctuation.
TAIL_STOP = frozenset({"conj", "cc", "punct", "dative", "ccomp", "parataxis", *OBJECT_DEPS})
# A comma, semicolon or dash before a modifier sets it off from what is reported.
MAX_LABEL_WORDS = 5  # "JOEL BENENSON:", "Former Secretary Hillary Clinton:"
SET_OFF = frozenset({",", ";", "-", "--", "\u2013", "\u2014"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
IMPRESSION_COMPLEMENTS = frozenset({"xcomp", "acomp", "oprd", "attr"})
# Punctuation trimmed from the edges of a content or mention; closing quote marks are kept.
EDGE_PUNCT = frozenset(",;:.-\u2013\u2014")  # and en and em dashes
TIME_ENTITIES = frozenset({"DATE", "TIME"})
CONTRAST = frozenset({"while", "although", "though", "whereas"})
HEARER_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
MAX_DONORS = 3  # verbs a cue verb may borrow its subject through (see subject_of)


@dataclass(frozen=True, slots=True)
class Clause:
    """A cue with its source mention and reported content, as found in the parse.

    Attributes
    ----------
    cue : Range
        The cue word(s) (``said``, ``according to``).
    content : Range
        The reported clause.
    source : spacy.tokens.Span or None
        The source mention, ``None`` when the sentence names none.
    """

    cue: Range
    content: Range
    source: Span | None
    pieces: tuple[Range, ...] = ()


def tokens_with(doc: Doc, attr: str, values: Iterable[str]) -> list[Token]:
    """The tokens of ``doc`` whose attribute ``attr`` (``"POS"``, ``"DEP"``, ``"LOWER"``,
    ``"ORTH"``) is one of ``values``, in order.

    Each rule looks at one kind of token (verbs, colons...): reading that column of the parse
    at once and making Token objects for the matches only costs a fraction of walking every
    token, which made a Python object per token and rule (most of the rules' time).
    """
    wanted = np.array([doc.vocab.strings[value] for value in values], dtype=np.uint64)
    return [doc[int(i)] for i in np.flatnonzero(np.isin(doc.to_array(attr), wanted))]


def is_cue_verb(token: Token) -> bool:
    """Whether ``token`` is a verb that can report speech or a stance."""
    lemma = token.lemma_.lower()
    return token.pos_ in CUE_VERB_POS and (
        lemma in SPEECH_VERBS or lemma in STANCE_VERBS or lemma in CLAUSE_VERBS
    )


def token_range(doc: Doc, first: int, last: int) -> Range:
    """Characters from token ``first`` to token ``last`` (inclusive), trimmed of edge commas."""
    while first < last and (doc[first].text in EDGE_PUNCT or doc[first].is_space):
        first += 1
    while last > first and (doc[last].text in EDGE_PUNCT or doc[last].is_space):
        last -= 1
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def agent_of(verb: Token) -> Token | None:
    """The object of the passive ``verb``'s "by" phrase ("was told by aides" -> "aides")."""
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def is_addressed(verb: Token) -> bool:
    """Whether ``verb`` speaks of its subject as the one spoken to: an addressee verb in the
    passive ("Berg was asked") or as a participle without a subject ("When asked if…")."""
    if verb.lemma_.lower() not in ADDRESSEE_VERBS:
        return False
    deps = {child.dep_ for child in verb.children}
    return "nsubjpass" in deps or (verb.tag_ == "VBN" and not deps & SUBJECT_DEPS)


def subject_of(verb: Token) -> Token | None:
    """The subject of ``verb``, borrowed from the verb it is conjoined to when it has none.

    A relative pronoun gives way to the noun it stands for ("groups, who say…" -> "groups").
    The subject of an addressed verb (:func:`is_addressed`) is the hearer, so only its agent
    can be the speaker.
    """
    if is_addressed(verb):
        return agent_of(verb)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN", "PRON"}:
        return verb.head  # "a group backing Cruz": the participle describes who reports
    # The donors' chain: "X released a statement, praising Y but *insisting* that Z" borrows
    # from "praising", which borrows from "released" (PolNeAR train: a few dozen cues).
    chain = [verb]
    while len(chain) < MAX_DONORS + 1 and (donor := _subject_donor(chain[-1])) not in chain:
        chain.append(donor)
    for token in chain:
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS:
                relative = child.tag_ in {"WP", "WDT"} and token.dep_ == "relcl"
                return token.head if relative else child
        agent = agent_of(token)  # passive: "was said by aides"
        if agent is not None:
            return agent
    return None


def _subject_donor(verb: Token) -> Token:
    """The verb whose subject ``verb`` borrows: the one it is conjoined to or completes, or
    the one whose preposition it follows ("opened the meeting by thanking Y"); for
    a cue verb conjoined to a reported clause ("X said Y was… and urged…", see
    :func:`_before_next_report`), the verb that reports that clause."""
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in CUE_VERB_POS:
        return verb.head.head
    if verb.dep_ not in {"conj", "xcomp", "advcl"}:
        return verb
    head = verb.head
    if verb.dep_ == "conj" and head.dep_ in CLAUSE_DEPS and is_cue_verb(verb):
        return head.head
    return head


def mention_of(head: Token, outside: Range | None = None) -> Span | None:
    """The noun phrase headed by ``head``: the unbroken run of its subtree around it that stays
    out of ``outside``, trimmed of edge punctuation. ``None`` when ``head`` lies in ``outside``.

    A relative clause after the head describes the speaker and is left out ("The senator,
    whose speeches drew crowds, said…" -> "The senator"), unless it holds part of ``outside``:
    a subject borrowed by a relative clause's cue ("groups, who say…") keeps its pronoun.
    """
    if outside is not None and outside[0] <= head.idx < outside[1]:
        return None
    relative = {
        t.i
        for c in head.rights
        if c.dep_ == "relcl" and not _reaches(c, outside)
        for t in c.subtree
    }
    allowed = {
        t.i
        for t in head.subtree
        if t.i not in relative and (outside is None or not outside[0] <= t.idx < outside[1])
    }
    left = right = head.i
    while left - 1 in allowed:
        left -= 1
    while right + 1 in allowed:
        right += 1
    doc = head.doc
    while right > head.i and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    while left < head.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return doc[left : right + 1]


def _reaches(token: Token, outside: Range | None) -> bool:
    """Whether the subtree of ``token`` reaches into ``outside``."""
    if outside is None:
        return False
    return token.left_edge.idx < outside[1] and outside[0] <= token.right_edge.idx


def _spanned(parts: list[Token], first: int, last: int) -> tuple[int, int] | None:
    """First and last token index of the subtrees of ``parts`` within the characters
    ``[first, last)``, from the subtrees' edges (walking every subtree of a long chain of
    clauses, "X said Y said Z said…", would take quadratic time)."""
    doc = parts[0].doc
    lo = min(part.left_edge.i for part in parts)
    hi = max(part.right_edge.i for part in parts)
    while lo <= hi and doc[lo].idx < first:
        lo += 1
    while hi >= lo and doc[hi].idx >= last:
        hi -= 1
    return (lo, hi) if lo <= hi else None


def reported_clause(verb: Token) -> Token | None:
    """The head of the clause ``verb`` reports, or ``None`` when it takes no clause.

    A cue set into the verb's own clause ("Instead, she said, her boss told her…") is not
    what the verb reports: :func:`parenthetical_clauses` takes it.
    """
    for child in verb.children:
        if child.dep_ in CLAUSE_DEPS and not _is_parenthetical(child):
            return child
    return None


def _is_parenthetical(token: Token) -> bool:
    """Whether ``token`` is a cue verb with its own subject set into its head's clause."""
    has_subject = any(c.dep_ in SUBJECT_DEPS for c in token.children)
    return token.dep_ == "parataxis" and has_subject and is_cue_verb(token)


def paragraph_of(text: str, offset: int) -> Range:
    """The line holding ``offset``: (start, end) without its line break."""
    end = text.find("\n", offset)
    return text.rfind("\n", 0, offset) + 1, len(text) if end < 0 else end


def verb_clauses(doc: Doc, text: str) -> Iterator[Clause]:
    """Each "source + cue verb + reported clause" of ``doc``.

    The content is cut to the cue's paragraph: a parse that runs across a line break joins
    two paragraphs that the article keeps apart.
    """
    for verb in tokens_with(doc, "POS", CUE_VERB_POS):
        if not is_cue_verb(verb):
            continue
        clause = reported_clause(verb)
        if clause is None:
            continue
        # "X said Y, had Z": the parse hangs each further clause on the cue
        more = [c for c in verb.rights if c.i > clause.i and c.dep_ == "ccomp"]
        spanned = _spanned([clause, *more], *paragraph_of(text, verb.idx))
        if spanned is None:
            continue
        first, last = _before_next_report(clause, *spanned)
        content = token_range(doc, first, _before_aside(doc, first, last))
        subject = subject_of(verb)
        source = _source_mention(verb, subject, content) if subject is not None else None
        cue = (verb.idx, verb.idx + len(verb.text))
        yield Clause(cue, content, source, _around_cue(verb, clause, first, last))


def _source_mention(verb: Token, subject: Token, content: Range) -> Span | None:
    """The mention of ``verb``'s subject, kept out of the content and, when the verb hangs on
    its subject (a relative clause, "groups, who say…", or a participle, "a group backing
    Cruz"), out of the verb and what follows it too."""
    outside = (min(verb.left_edge.idx, content[0]), content[1]) if subject == verb.head else content
    return mention_of(subject, outside)


def _before_aside(doc: Doc, first: int, last: int) -> int:
    """The last of tokens ``first`` to ``last`` before trailing asides set off by a comma: a
    relative clause ("X said he backs Cruz, for whom he hosted a fundraiser" reports "he backs
    Cruz"), a clause of contrast (", while Y…") or an apposition that opens with an article or
    a number ("X said he backs Cruz, a senator from Texas"). PolNeAR ends a content before them
    (chosen on PolNeAR train)."""
    asides = [t for t in doc[first : last + 1] if _is_aside(t) and t.left_edge.i > first]
    for aside in sorted(asides, key=lambda t: t.left_edge.i, reverse=True):
        end = last
        while end > first and (doc[end].is_punct or doc[end].is_space):
            end -= 1
        if aside.right_edge.i >= end and _set_off(aside):
            last = aside.left_edge.i - 1
    return last


def _is_aside(token: Token) -> bool:
    """Whether ``token`` heads a relative clause, a clause of contrast (:data:`CONTRAST`) or
    an apposition that opens with a determiner or a number ("a senator", "the man who…", "45,
    the youngest"): one that opens otherwise is as often part of what is reported."""
    if token.dep_ == "advcl":
        return any(c.dep_ == "mark" and c.lower_ in CONTRAST for c in token.children)
    if token.dep_ == "appos":
        return token.left_edge.pos_ in {"DET", "NUM"}
    return token.dep_ == "relcl"


def _around_cue(verb: Token, clause: Token, first: int, last: int) -> tuple[Range, ...]:
    """The two pieces of a reported clause that its cue interrupts ("Many of the closures,
    he said, have involved…"), or none when the cue lies outside tokens ``first`` to
    ``last``. The cue's words are the verb and its other children (its subject)."""
    if not first < verb.i < last:
        return ()
    own = [
        t.i
        for child in verb.children
        if child != clause and not child.is_punct
        for t in child.subtree
        if first <= t.i <= last
    ]
    low, high = min([verb.i, *own]), max([verb.i, *own])
    if low <= first or high >= last:
        return ()
    doc = verb.doc
    return token_range(doc, first, low - 1), token_range(doc, high + 1, last)


def _before_next_report(head: Token, first: int, last: int) -> tuple[int, int]:
    """Tokens ``first`` to ``last`` (inclusive) of the clause ``head`` reports, ending before
    a cue verb without a subject coordinated to it: "X said Y and urged Z" reports Y, and
    "urged Z" is the next report of X, which the parse often hangs on Y's verb."""
    for child in head.rights:
        if (
            child.dep_ == "conj"
            and is_cue_verb(child)
            and not any(c.dep_ in SUBJECT_DEPS for c in child.children)
            and first < child.left_edge.i <= last
        ):
            end = child.left_edge.i - 1
            while end > first and (head.doc[end].is_punct or head.doc[end].dep_ == "cc"):
                end -= 1
            return first, end
    return first, last


def according_to_clauses(doc: Doc) -> Iterator[Clause]:
    """Each "according to X, Y" (and "Y, according to X") of ``doc``."""
    for token in tokens_with(doc, "LOWER", ["according"]):
        if token.i + 1 == len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        to = doc[token.i + 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            continue
        source = mention_of(objects[0])
        if source is None:
            continue
        sentence = token.sent
        cue = (token.idx, to.idx + len(to.text))
        end = objects[0].right_edge.i  # the source with any relative clause of its own
        before = (sentence.start, token.i - 1)
        after = (end + 1, sentence.end - 1)
        # The content is the longer side of the sentence around "according to X".
        first, last = max((before, after), key=lambda r: r[1] - r[0])
        if last < first:
            continue
        yield Clause(cue, token_range(doc, first, last), source)


def _clause_from(verb: Token, parts: list[Token], text: str) -> Clause | None:
    """A clause whose content runs over the subtrees of ``parts``, in the verb's paragraph.

    The verb needs a subject, unless it is a question put by no one named ("Asked about his
    speeches, …"): the reporter's question is reported, without a source.
    """
    spanned = _spanned(parts, *paragraph_of(text, verb.idx))
    if spanned is None:
        return None
    content = token_range(verb.doc, spanned[0], _before_aside(verb.doc, *spanned))
    subject = subject_of(verb)
    if subject is None and not is_addressed(verb):
        return None
    # a participle ("a group backing Cruz") stays out of the mention of the noun it describes
    outside = (min(verb.idx, content[0]), content[1]) if verb.dep_ == "acl" else content
    source = mention_of(subject, outside) if subject is not None else None
    return Clause((verb.idx, verb.idx + len(verb.text)), content, source)


def object_clauses(doc: Doc, text: str) -> Iterator[Clause]:
    """Each "X endorsed Y", "X called Y “Z”", "X wants to Y", "X talked about Y" of ``doc``.

    Only verbs with a subject count, and only when they report no clause (``verb_clauses``
    takes those). "X told CNN" reports nothing: CNN is who was told.
    """
    for verb in tokens_with(doc, "POS", ["VERB"]):
        if reported_clause(verb) is not None or _passive_cue(verb):
            continue
        lemma = verb.lemma_.lower()
        parts: list[Token] = []
        if is_object_cue(lemma):
            parts = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
            if lemma in HEARER_VERBS and parts and all(_names_someone(p) for p in parts):
                continue
        if not parts and lemma in TOPIC_VERBS:
            parts = [
                o
                for c in verb.children
                if c.dep_ == "prep" and c.lower_ in TOPIC_VERBS[lemma]
                for o in c.children
                if o.dep_ in {"pobj", "pcomp"}
            ]
        clause = _clause_from(verb, [*parts, *_tail(verb, parts)], text) if parts else None
        if clause is not None:
            yield clause


def _names_someone(token: Token) -> bool:
    """Whether the noun phrase headed by ``token`` names a person or a group: a name, a
    pronoun, a person, organisation or place entity, or one of :data:`~.lexicon.HEARER_NOUNS`
    ("told CNN", "told him", "told the crowd": the hearer, not what was said)."""
    return (
        token.pos_ in {"PROPN", "PRON"}
        or token.ent_type_ in HEARER_ENTITIES
        or token.lemma_.lower() in HEARER_NOUNS
    )


def is_object_cue(lemma: str) -> bool:
    """Whether a verb's object is what it reports: "endorsed X", "praised X", "denied X"."""
    cue_verb = lemma in SPEECH_VERBS or lemma in STANCE_VERBS
    return lemma in OBJECT_VERBS or (cue_verb and lemma not in NO_OBJECT_VERBS)


def _tail(verb: Token, parts: list[Token]) -> list[Token]:
    """The verb's modifiers after the first of ``parts``: what a verb reports runs to the end
    of its phrase ("praised X in the aftermath of Y", "endorsed X for president"), short of
    anything in :data:`TAIL_STOP` or set off by a comma."""
    first = min(part.i for part in parts)
    return [
        child
        for child in verb.rights
        if child.i > first
        and child.dep_ not in TAIL_STOP
        and not _set_off(child)
        and not _is_when(child)
    ]


def _is_when(token: Token) -> bool:
    """Whether ``token`` heads a phrase of time ("on Tuesday", "last week"): when the
    report was made, not what it reports."""
    return token.dep_ == "npadvmod" or any(
        t.ent_type_ in TIME_ENTITIES for t in token.subtree if t.dep_ in {"pobj", "npadvmod"}
    )


def _set_off(token: Token) -> bool:
    """Whether punctuation of :data:`SET_OFF` comes right before the subtree of ``token``."""
    first = token.left_edge
    return first.i > 0 and first.doc[first.i - 1].text in SET_OFF


def _passive_cue(verb: Token) -> bool:
    """Whether ``verb`` is a passive cue of :func:`passive_clauses` (its subject is what is
    reported, not who reports it)."""
    return verb.lemma_.lower() in PASSIVE_VERBS and any(
        c.dep_ == "nsubjpass" for c in verb.children
    )


def passive_clauses(doc: Doc, text: str) -> Iterator[Clause]:
    """Each "X was called Y", "X is seen as Y", "X was criticized (by Z)": a passive cue verb
    (:data:`~.lexicon.PASSIVE_VERBS`) whose subject is what is reported, with the verb's
    complement when it has one ("Y", "as Y"). The content runs from the subject to the end of
    the complement, in two pieces around the cue; the source is the "by" agent, if any.
    """
    for verb in tokens_with(doc, "POS", ["VERB"]):
        if not _passive_cue(verb):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if subjects[0].tag_ in {"WDT", "WP"}:
            continue
        complements = [c for c in verb.rights if c.dep_ in {"oprd", "xcomp"}] or [
            o
            for c in verb.rights
            if c.dep_ == "prep" and c.lower_ == "as"
            for o in c.children
            if o.dep_ == "pobj"
        ]
        first = _spanned([subjects[0]], *paragraph_of(text, verb.idx))
        if first is None:
            continue
        pieces = [token_range(doc, *first)]
        if complements:
            second = _spanned(complements[:1], *paragraph_of(text, verb.idx))
            if second is not None:
                pieces.append(token_range(doc, *second))
        cue = (verb.idx, verb.idx + len(verb.text))
        agent = agent_of(verb)
        source = mention_of(agent) if agent is not None else None
        yield Clause(cue, (pieces[0][0], pieces[-1][1]), source, tuple(pieces))


def impression_clauses(doc: Doc, text: str) -> Iterator[Clause]:
    """Each "X seems ready", "X appeared to lose his temper", "X seemed like an obstacle": an
    impression verb (:data:`~.lexicon.IMPRESSION_VERBS`) with a complement and a subject.

    No one is named: what is reported is the whole clause, subject included (as PolNeAR marks
    it). "It seems…" keeps its subject out, since "it" stands for the clause that follows.
    """
    for verb in tokens_with(doc, "POS", ["VERB"]):
        if verb.lemma_.lower() not in IMPRESSION_VERBS or reported_clause(verb) is not None:
            continue
        complements = [
            c
            for c in verb.rights
            if c.dep_ in IMPRESSION_COMPLEMENTS or (c.dep_ == "prep" and c.lower_ == "like")
        ]
        subjects = [c for c in verb.lefts if c.dep_ in SUBJECT_DEPS and c.lower_ != "it"]
        if not complements or not subjects or any(_reports(c) for c in complements):
            continue
        spanned = _spanned([subjects[0], *complements], *paragraph_of(text, verb.idx))
        if spanned is not None:
            content = token_range(doc, spanned[0], _before_aside(doc, *spanned))
            yield Clause((verb.idx, verb.idx + len(verb.text)), content, None)


def _reports(token: Token) -> bool:
    """Whether ``token`` is a cue ("seemed to show that Y", "seemed hopeful that Y"): its own
    clause reports Y, and the subject of the impression verb is its source."""
    if token.lower_ in ADJECTIVE_CUES:
        return True
    lemma = token.lemma_.lower()
    return token.pos_ in CUE_VERB_POS and (
        is_cue_verb(token) or is_object_cue(lemma) or lemma in TOPIC_VERBS
    )


def parenthetical_clauses(doc: Doc, text: str) -> Iterator[Clause]:
    """Each "Y, X said, Z" and "Y, X said": a cue verb set into the clause it reports.

    The content is that clause around the cue, in two pieces when the cue interrupts it.
    """
    for verb in tokens_with(doc, "DEP", ["parataxis"]):
        if not is_cue_verb(verb) or reported_clause(verb) is not None:
            continue
        head = verb.head
        if head.pos_ not in {"VERB", "AUX"}:
            continue
        spanned = _spanned([head], *paragraph_of(text, verb.idx))
        if spanned is None:
            continue
        sides = ((spanned[0], verb.left_edge.i - 1), (verb.right_edge.i + 1, spanned[1]))
        pieces = tuple(
            token_range(doc, lo, hi)
            for lo, hi in sides
            if lo < hi or (lo == hi and not doc[lo].is_punct)  # not a lone comma
        )
        subject = subject_of(verb)
        if not pieces or subject is None:
            continue
        content = (pieces[0][0], pieces[-1][1])
        cue = (verb.idx, verb.idx + len(verb.text))
        yield Clause(cue, content, mention_of(subject), pieces)


def noun_clauses(doc: Doc, text: str) -> Iterator[Clause]:
    """Each "X's claim that Y", "X's criticism of Y", "X voiced support for Y".

    The content is the noun's clause ("that…", "to…"), else the object of its preposition
    (:data:`~.lexicon.NOUN_CUE_PREPOSITIONS`). The source is the possessor, or the subject
    of the verb whose object the noun is. A noun with neither is left out, since a content
    without a speaker would show a reader an anonymous claim, unless it is one of
    :data:`~.lexicon.OWNERLESS_NOUN_CUES` ("the accusation that Y", "a promise to Y").
    """
    for noun in tokens_with(doc, "POS", ["NOUN"]):
        if noun.lemma_.lower() not in NOUN_CUES:
            continue
        parts = [c for c in noun.rights if c.dep_ in {"acl", "ccomp"}] or [
            o
            for c in noun.rights
            if c.dep_ == "prep" and c.lower_ in NOUN_CUE_PREPOSITIONS
            for o in c.children
            if o.dep_ in {"pobj", "pcomp"}
        ]
        spanned = _spanned(parts, *paragraph_of(text, noun.idx)) if parts else None
        holder = _holder(noun)
        if spanned is None:
            continue
        content = token_range(doc, *spanned)
        if holder is None:
            if noun.lemma_.lower() in OWNERLESS_NOUN_CUES:
                yield Clause((noun.idx, noun.idx + len(noun.text)), content, None)
            continue
        source = mention_of(holder, content)
        if source is not None:
            yield Clause((noun.idx, noun.idx + len(noun.text)), content, source)


def _holder(noun: Token) -> Token | None:
    """Whose claim, criticism or support ``noun`` is: its possessor ("Trump's claim"), else
    the subject of the verb it is the object of ("Trump voiced support")."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.rights:
        if child.dep_ in {"prep", "agent"} and child.lower_ in {"by", "from"}:
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if objects:
                return objects[0]
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        return subject_of(noun.head)
    return None


def adjective_clauses(doc: Doc, text: str) -> Iterator[Clause]:
    """Each "X is confident that Y", "X was critical of Y", "X is eager to Y".

    The adjective (:data:`~.lexicon.ADJECTIVE_CUES`) is the cue, its clause or the object of
    its preposition the content, and the subject of its verb the source.
    """
    for adjective in tokens_with(doc, "DEP", ["acomp"]):
        if adjective.lower_ not in ADJECTIVE_CUES:
            continue
        parts = [c for c in adjective.children if c.dep_ in {"ccomp", "xcomp"}] or [
            o
            for c in adjective.children
            if c.dep_ == "prep"
            for o in c.children
            if o.dep_ in {"pobj", "pcomp"}
        ]
        clause = _clause_from(adjective.head, parts, text) if parts else None
        if clause is not None:
            cue = (adjective.idx, adjective.idx + len(adjective.text))
            yield Clause(cue, clause.content, clause.source)


def colon_clauses(doc: Doc, text: str) -> Iterator[Clause]:
    """Each line that opens with a speaker and a colon: "Sanders: Brexit's message could…",
    "Q: You suffered from depression…", "JOEL BENENSON: This is a man who…".

    The speaker is a few words without a verb, ending in a name or written in capitals; what
    follows the colon, to the end of the line, is what they said. A common noun names no
    speaker ("Editor's note:", "Poll:").
    """
    for colon in tokens_with(doc, "ORTH", [":"]):
        start, end = paragraph_of(text, colon.idx)
        label = doc.char_span(start, colon.idx, alignment_mode="contract")
        if label is None or not _is_speaker_label(label):
            continue
        said = doc.char_span(colon.idx + 1, end, alignment_mode="contract")
        if said is not None and sum(not t.is_punct for t in said) >= 2:
            yield Clause(
                (colon.idx, colon.idx + 1), token_range(doc, said.start, said.end - 1), label
            )


def _is_speaker_label(label: Span) -> bool:
    """Whether the words before a line's colon name a speaker: at most
    :data:`MAX_LABEL_WORDS` capitalised words without a verb, ending in a name or pronoun, or
    all in capitals as transcripts write their speakers (chosen on PolNeAR train: other labels
    that end in a common noun are rarely speakers)."""
    return (
        0 < len(label) <= MAX_LABEL_WORDS
        and label[0].text[:1].isupper()
        and (label[-1].pos_ in {"PROPN", "PRON", "X"} or label.text.isupper())
        and not any(t.pos_ in {"VERB", "AUX"} or t.is_punct for t in label)
    )
