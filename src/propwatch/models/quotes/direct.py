"""Decide which quoted spans are speech, and find the cue and source of a direct quote.

A quoted span is speech unless it is a title ("the film “The Putin Interviews”") or a scare quote
(a few words with no punctuation of their own). A speech quote takes the nearest cue verb in its
own sentence: after it (``“…,” Stone said``), else before it (``Stone said: “…”``); a headline
``Stone: “…”`` takes the colon as cue; a quote that opens a sentence after narration takes the
subject of the previous sentence (``Stone was equally adamant. “Absolutely…”``).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from propwatch.models.quotes.clauses import (
    SUBJECT_DEPS,
    Range,
    agent_of,
    is_addressed,
    mention_of,
    paragraph_of,
    subject_of,
)
from propwatch.models.quotes.lexicon import SPEAKER_ENTITY_LABELS, SPEECH_VERBS, TITLE_CUES
from propwatch.models.quotes.marks import MARK, QuotedSpan

APOSTROPHES = frozenset("'\u2019")
SPEECH_END = frozenset(".,?!…:;—-")
SENTENCE_END = frozenset(".?!")
MIN_SPEECH_WORDS = 4  # a shorter quote needs its own punctuation to count as speech
MAX_TITLE_WORDS = 10
AFTER_WINDOW = 10  # tokens between a quote and a following "… said" (subject included)
BEFORE_WINDOW = 25
MENTION_POS = frozenset({"PROPN", "NOUN", "PRON"})


@dataclass(frozen=True, slots=True)
class Cue:
    """Where a direct quote's cue and source are."""

    cue: Range
    source: Span | None


def inner_text(text: str, quote: QuotedSpan) -> str:
    """The quoted words without the marks and surrounding spaces."""
    inner = text[quote.start : quote.end]
    return MARK.sub("", inner).strip()


def is_title(text: str, quote: QuotedSpan, doc: Doc) -> bool:
    """Whether the quoted span names a work or a label rather than reporting speech.

    Title case counts, except after a colon, where headlines put a quote in title case too.
    """
    inner = inner_text(text, quote)
    if text[: quote.start].rstrip().endswith(":"):
        return False
    before = doc.char_span(max(0, quote.start - 40), quote.start, alignment_mode="contract")
    # the words of the quote's own sentence: "…during the campaign. “Frankly…”" names no title
    preceding = [t for t in before or [] if not t.is_space]
    if preceding and preceding[-1].text in SENTENCE_END:
        preceding = []
    words = [t.lower_ for t in preceding if not t.is_punct and t.lower_ not in {"the", "a"}]
    if words and words[-1] in TITLE_CUES:
        return True
    # American style puts the sentence's comma inside the marks: “Morning Joe,” is a title too;
    # a comma within the words makes them a sentence ("“That is the way it is, Pieter.”").
    inner = inner.rstrip(",.")
    if "," in inner:
        return False
    if not inner or inner[-1] in SPEECH_END:
        return False
    tokens = inner.split()
    content_words = [w for w in tokens if len(w) > 3]
    capitalised = all(w[0].isupper() for w in content_words) and tokens[0][0].isupper()
    return capitalised and len(tokens) <= MAX_TITLE_WORDS and len(tokens) > 1


def is_partial(text: str, quote: QuotedSpan) -> bool:
    """Whether ``quote`` is a fragment woven into the reporter's sentence.

    ``an ISIS “co-founder.”``, ``that “imposing a tax” on…``: the quote starts in lower case
    right after a word, or runs on into lower-case words without punctuation of its own.
    """
    inner = inner_text(text, quote)
    before = text[: quote.start].rstrip()
    after = text[quote.end :].lstrip(" ")
    starts_mid_clause = bool(before) and (before[-1].isalnum() or before[-1] in APOSTROPHES)
    if starts_mid_clause and inner[0].islower():
        return True
    return inner[-1] not in SPEECH_END and after[:1].islower()


def is_speech(text: str, quote: QuotedSpan, doc: Doc) -> bool:
    """Whether ``quote`` reports what someone said (not a title, a fragment or a scare quote)."""
    inner = inner_text(text, quote)
    if not inner or is_title(text, quote, doc) or is_partial(text, quote):
        return False
    return inner[-1] in SPEECH_END or len(inner.split()) >= MIN_SPEECH_WORDS


def _is_speech_verb(token: Token) -> bool:
    """A speech verb whose speaker the sentence can name: not a question put to its subject
    by someone unnamed ("Asked about the talks, …"), which is the reporter's."""
    if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() not in SPEECH_VERBS:
        return False
    return not is_addressed(token) or agent_of(token) is not None


def _speaker_like(token: Token) -> bool:
    """Whether ``token`` can head a speaker's mention: a name, a pronoun, or a determined
    common noun ("the envoy", "a senior diplomat", "Keller's deputy"; a bare plural such as
    "prices" rarely speaks)."""
    return (
        token.pos_ in {"PROPN", "PRON"}
        or token.ent_type_ in SPEAKER_ENTITY_LABELS
        or (token.pos_ == "NOUN" and any(c.dep_ in {"det", "poss"} for c in token.children))
    )


def _source(verb: Token, quote: QuotedSpan) -> Span | None:
    subject = subject_of(verb)
    if is_addressed(verb):  # "“…?” Berg was asked by reporters": the agent or no one
        return mention_of(subject, (quote.start, quote.end)) if subject is not None else None
    if subject is None or quote.start <= subject.idx < quote.end:
        # "“…, a big mistake,” manager Ines Morel said Monday": the parser may give the verb a
        # second subject inside the quote; the one outside it speaks.
        outside = [
            c
            for c in verb.children
            if c.dep_ in SUBJECT_DEPS and not quote.start <= c.idx < quote.end
        ]
        # "“…,” said Stone": the parser sometimes leaves the inverted subject unlabelled; a
        # day ("said Monday") is when, not who.
        following = [
            t
            for t in verb.doc[verb.i + 1 : verb.i + 4]
            if t.pos_ in {"PROPN", "PRON"} and t.ent_type_ not in {"DATE", "TIME"}
        ]
        found = outside or following
        subject = found[0] if found else None
    return mention_of(subject, (quote.start, quote.end)) if subject is not None else None


def _cue_after(doc: Doc, text: str, quote: QuotedSpan, limit: int) -> Cue | None:
    """The cue in the words right after the quote, up to the end of the sentence.

    A quote that ends its own sentence (``“….” That's why, he added, …``) takes no cue from
    the next sentence.
    """
    span = doc.char_span(quote.end, limit, alignment_mode="contract")
    closed = inner_text(text, quote)[-1:] == "."
    tokens = [t for t in span or [] if not t.is_space]
    if closed and tokens and tokens[0].is_sent_start and tokens[0].text[:1].isupper():
        return None
    for token in (span or [])[:AFTER_WINDOW]:
        if token.text in SENTENCE_END or "\n" in token.text or MARK.fullmatch(token.text):
            return None
        if _is_speech_verb(token):
            return Cue((token.idx, token.idx + len(token.text)), _source(token, quote))
    return None


def _cue_before(doc: Doc, quote: QuotedSpan, limit: int) -> Cue | None:
    span = doc.char_span(limit, quote.start, alignment_mode="contract")
    tokens = list(span or [])[-BEFORE_WINDOW:]
    if len(tokens) > 1 and tokens[-1].is_space and tokens[-2].text == ":":
        # "Cruz continued:" ending the paragraph before a quote that fills the next one: the
        # line break is the colon's, not a sentence end (PolNeAR train: 15 such quotes had
        # no source)
        tokens.pop()
    colon = tokens[-1] if tokens and tokens[-1].text == ":" and tokens[-1].i > 0 else None
    for token in reversed(tokens):
        if token.text in SENTENCE_END or "\n" in token.text:
            break
        if _is_speech_verb(token):
            return Cue((token.idx, token.idx + len(token.text)), _source(token, quote))
    if colon is None:
        return None
    head: Token | None = doc[colon.i - 1]
    if head is not None and (
        head.pos_ not in MENTION_POS or (head.dep_ == "dobj" and head.pos_ != "PROPN")
    ):
        # "the envoy was firm: “…”": the subject of the clause the colon ends; so too when
        # the word before the colon is an object ("released the following statement:", "as
        # Cruz put it:"), which is what is said or where, not who says it
        clauses = [t for t in (head, *head.ancestors) if t.i < colon.i]
        subjects = [c for t in clauses for c in t.children if c.dep_ in SUBJECT_DEPS]
        head = next((c for c in subjects if _speaker_like(c)), None)
    if head is None:
        return None
    return Cue((colon.idx, colon.idx + 1), mention_of(head, (colon.idx, quote.end)))


def _cue_in_previous_sentence(doc: Doc, text: str, quote: QuotedSpan, limit: int) -> Cue | None:
    """``Stone was equally adamant. “Absolutely…”``: the previous sentence's subject speaks.

    Applies when the quote opens its sentence, right after a sentence of narration in the same
    paragraph whose main verb's subject is a person or a pronoun. A speech verb in that
    sentence wins (``“…,” said Reich, who served as… “…”``: the quote goes on from Reich's).
    """
    before = doc.char_span(
        max(limit, paragraph_of(text, quote.start)[0]), quote.start, alignment_mode="contract"
    )
    tokens = [t for t in before or [] if not t.is_space]
    if not tokens or tokens[-1].text not in SENTENCE_END:
        return None
    start = max((t.i + 1 for t in tokens[:-1] if t.text in SENTENCE_END), default=tokens[0].i)
    for token in doc[start : tokens[-1].i]:
        if _is_speech_verb(token):
            return Cue((token.idx, token.idx + len(token.text)), _source(token, quote))
    for token in doc[start : tokens[-1].i]:
        main = token.head.dep_ == "ROOT" and start <= token.head.i
        if token.dep_ in SUBJECT_DEPS and _speaker_like(token) and main:
            verb = token.head
            return Cue((verb.idx, verb.idx + len(verb.text)), mention_of(token, None))
    return None


def find_cue(
    doc: Doc, text: str, quote: QuotedSpan, previous_end: int, next_start: int
) -> Cue | None:
    """The cue and source of a speech quote, searched between its neighbouring quotes.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        Parse of the whole text.
    text : str
        ``doc.text`` (passed in because spaCy rebuilds it on every access).
    quote : QuotedSpan
        The quote.
    previous_end, next_start : int
        Character offsets that bound the search: the end of the previous quote and the start of
        the next one (or the text bounds).
    """
    return (
        _cue_after(doc, text, quote, next_start)
        or _cue_before(doc, quote, previous_end)
        or _cue_in_previous_sentence(doc, text, quote, previous_end)
    )
