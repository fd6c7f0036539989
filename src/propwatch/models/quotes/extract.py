"""Attributions of an article: who said what, in direct quotes and in reported speech.

:func:`extract_attributions` is a pure function of the text and its spaCy parse. Reported clauses
come from the dependency rules in :mod:`.clauses`; a speech quote inside such a clause makes the
clause's content reach the whole quote; any other speech quote gets its cue and source from
:mod:`.direct`. Speakers are resolved in reading order so that a pronoun can take the previous
speaker (:mod:`.speakers`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Span

from propwatch.models.quotes.clauses import (
    SUBJECT_DEPS,
    Clause,
    Range,
    according_to_clauses,
    adjective_clauses,
    colon_clauses,
    impression_clauses,
    mention_of,
    noun_clauses,
    object_clauses,
    parenthetical_clauses,
    passive_clauses,
    subject_of,
    verb_clauses,
)
from propwatch.models.quotes.direct import find_cue, is_speech
from propwatch.models.quotes.marks import MARK, QuotedSpan, find_quoted_spans
from propwatch.models.quotes.speakers import (
    NameIndex,
    pronoun_kind,
    resolve_speaker,
    speaker_words,
)

DIRECT = "direct"
INDIRECT = "indirect"
# Reported speech of one word ("he denied it") tells a reader nothing, unless it is a name
# ("she praised Putin"); a quoted one-word answer (“Nonsense,” she said) is speech all the same.
MIN_INDIRECT_WORDS = 2
LOOK_BACK = 3  # drafts of reported speech a quote's continuation may skip back over


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution relation.

    Attributes
    ----------
    kind : str
        ``"direct"`` when the content opens and closes with quotation marks, else
        ``"indirect"`` (reported speech, possibly holding a partial quote).
    content : tuple of (int, int)
        Content segments, character offsets end-exclusive, in order; an interrupted quote
        (``“…,” he said, “…”``) has two.
    cue : (int, int) or None
        The cue (``said``, ``according to``, a headline colon).
    source : (int, int) or None
        The source mention.
    speaker : str or None
        Resolved speaker: a full name, or the mention's words when it names no one.
    """

    kind: str
    content: tuple[Range, ...]
    cue: Range | None
    source: Range | None
    speaker: str | None

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]

    def shifted(self, offset: int) -> Attribution:
        """The same attribution with every offset moved by ``offset`` characters."""

        def move(r: Range | None) -> Range | None:
            return None if r is None else (r[0] + offset, r[1] + offset)

        content = tuple((s + offset, e + offset) for s, e in self.content)
        return Attribution(self.kind, content, move(self.cue), move(self.source), self.speaker)


def _overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _clashes(draft: _Draft, other: _Draft) -> bool:
    """Whether a content piece of ``draft`` overlaps one of ``other``."""
    return any(_overlaps(a, b) for a in draft.content for b in other.content)


def content_kind(text: str, content: Range) -> str:
    """``direct`` when the content opens and closes with quotation marks (a trailing ``.`` or
    ``,`` after the closing mark allowed); reported speech with a partial quote is indirect."""
    opens = MARK.match(text[content[0] : content[1]])
    return DIRECT if opens and _closes(text, content) else INDIRECT


def _closes(text: str, content: Range) -> bool:
    """Whether ``text[content]`` ends with a quotation mark, final ``.,;:!?`` aside."""
    words = text[content[0] : content[1]].rstrip(".,;:!? ")
    return any(MARK.fullmatch(words[-n:]) for n in (1, 2))


class _Holders:
    """Which of some ranges hold a point, for many points: sorted by start once, then each
    point is a binary search, so n points against n ranges cost n log n, not n squared.

    Parameters
    ----------
    ranges : list of Range
        In any order; they may overlap or repeat, and an empty range holds nothing.
    """

    def __init__(self, ranges: list[Range]) -> None:
        order = sorted(range(len(ranges)), key=lambda i: ranges[i][0])
        self.starts = [ranges[i][0] for i in order]
        # for the ranges order[: k + 1]: the farthest end, the range that has it, and the
        # farthest end of the others (what remains when that range is skipped)
        self.reach: list[tuple[int, int, int]] = []
        end, owner, other = -1, -1, -1
        for i in order:
            if ranges[i][1] > end:
                end, owner, other = ranges[i][1], i, end
            else:
                other = max(other, ranges[i][1])
            self.reach.append((end, owner, other))

    def hold(self, point: int, skip: int = -1) -> bool:
        """Whether a range other than ``ranges[skip]`` has ``start <= point < end``."""
        k = bisect_right(self.starts, point) - 1
        if k < 0:
            return False
        end, owner, other = self.reach[k]
        return (other if owner == skip else end) > point


def _drop_nested(clauses: list[Clause]) -> list[Clause]:
    """Keep a clause only if its cue is not inside another clause's content (one level only)."""
    holders = _Holders([c.content for c in clauses])
    return [c for i, c in enumerate(clauses) if not holders.hold(c.cue[0], skip=i)]


def _widen(content: Range, quotes: list[QuotedSpan]) -> tuple[Range, list[QuotedSpan]]:
    """A content range widened to the quotes it touches, and those quotes."""
    touched = [q for q in quotes if _overlaps((q.start, q.end), content)]
    start = min([content[0], *(q.start for q in touched)])
    end = max([content[1], *(q.end for q in touched)])
    return (start, end), touched


@dataclass
class _Draft:
    content: list[Range]
    cue: Range | None
    source: Span | None
    # the mention that names the speaker when ``source`` is a relative pronoun ("who")
    named: Span | None = None

    @property
    def naming(self) -> Span | None:
        """The mention the speaker's name is resolved from."""
        return self.named if self.named is not None else self.source

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]


def _clause_drafts(
    doc: Doc, text: str, quotes: list[QuotedSpan], speech: list[QuotedSpan]
) -> tuple[list[_Draft], set[QuotedSpan]]:
    clauses = [
        *verb_clauses(doc, text),
        *according_to_clauses(doc),
        *object_clauses(doc, text),
        *impression_clauses(doc, text),
        *parenthetical_clauses(doc, text),
        *passive_clauses(doc, text),
        *noun_clauses(doc, text),
        *adjective_clauses(doc, text),
        *colon_clauses(doc, text),
    ]
    # A cue inside a speech quote is the speaker's own reporting, not the article's.
    quoted = _Holders([(q.start, q.end) for q in speech])
    clauses = [c for c in clauses if not quoted.hold(c.cue[0])]
    drafts, used = [], set()
    for clause in _drop_nested(clauses):
        content, touched = _widen(clause.content, quotes)
        interrupted = bool(clause.pieces) and not any(
            _overlaps(clause.cue, piece) for piece in clause.pieces
        )
        if touched and _overlaps(clause.cue, content) and not interrupted:
            continue  # the "clause" runs through the cue: a parse across a quote boundary
        used.update(touched)
        if interrupted:  # each piece with the quotes it touches, the cue between them
            pieces = [_widen(piece, quotes)[0] for piece in clause.pieces]
        else:
            pieces = list(clause.pieces) if clause.pieces and not touched else [content]
        source = clause.source
        if source is None:
            source = _inner_source(doc, clause.cue, pieces)
        relative = _relative_pronoun(doc, clause.cue, source)
        if relative is not None:
            drafts.append(_Draft(pieces, clause.cue, relative, named=source))
        else:
            drafts.append(_Draft(pieces, clause.cue, source))
    return drafts, used


# Words that open a relative or free relative clause whose cue's subject follows them: "which
# he said…", "what critics call…", "that analysts expect…".
RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})


def _inner_source(doc: Doc, cue: Range, pieces: list[Range]) -> Span | None:
    """The subject of the cue verb when it lies inside the content's extent but is not
    reported: in the gap between two pieces ("which", *he said*, "was unfair") or between a
    relative word that opens the content and the cue ("which *critics* considered too risky",
    "what *economists* call spending"). The clause rules keep a source out of the whole
    content, so these reports came out without a speaker (PolNeAR train: 85 speakers more
    right, none lost)."""
    verb = doc.char_span(*cue, alignment_mode="expand")
    if verb is None or len(verb) != 1:
        return None
    subject = subject_of(verb[0])
    start, end = pieces[0][0], pieces[-1][1]
    if subject is None or not start <= subject.idx < cue[0]:
        return None
    words = doc.char_span(start, end, alignment_mode="expand")
    opener = words[0] if words is not None and len(words) else None
    relative = opener is not None and opener.tag_ in RELATIVE_TAGS and opener.i < subject.i
    in_gap = not any(s <= subject.idx < e for s, e in pieces)
    # a content that runs through its own cue: "It is no surprise, Mr. Garin said, that…"
    through = any(s <= cue[0] and cue[1] <= e for s, e in pieces)
    if not (in_gap or through or relative):
        return None
    return mention_of(subject, (cue[0], end))


def _relative_pronoun(doc: Doc, cue: Range, source: Span | None) -> Span | None:
    """The relative pronoun subject of a cue verb heading a relative clause, when ``source``
    is the noun it stands for ("Barkley, *who* said he votes…"). PolNeAR marks the pronoun as
    the source, as it marks "he"; the speaker stays the noun's name (PolNeAR train: about 85
    contents had gold source "who" and our source the noun)."""
    if source is None:
        return None
    verb = doc.char_span(*cue, alignment_mode="expand")
    if verb is None or len(verb) != 1 or verb[0].dep_ != "relcl":
        return None
    pronouns = [c for c in verb[0].children if c.dep_ in SUBJECT_DEPS and c.tag_ in RELATIVE_TAGS]
    if not pronouns or source.root != verb[0].head:
        return None
    return doc[pronouns[0].i : pronouns[0].i + 1]


def _quote_drafts(
    doc: Doc, text: str, quotes: list[QuotedSpan], speech: list[QuotedSpan]
) -> list[_Draft]:
    """One draft per speech quote not covered by a clause, with the cue found near it."""
    drafts: list[_Draft] = []
    bounds = [0, *(q.end for q in quotes)]
    starts = [*(q.start for q in quotes), len(text)]
    position = {q: i for i, q in enumerate(quotes)}
    for quote in speech:
        i = position[quote]
        cue = find_cue(doc, text, quote, bounds[i], starts[i + 1])
        content = [(quote.start, quote.end)]
        drafts.append(_Draft(content, cue.cue if cue else None, cue.source if cue else None))
    return drafts


def _continues(text: str, last: _Draft, draft: _Draft, max_breaks: int) -> bool:
    """Whether nothing but ``last``'s own cue (or white space) separates the two quotes."""
    if text.count("\n", last.end, draft.start) > max_breaks:
        return False
    gap_is_cue = last.cue is not None and last.end <= last.cue[0] < draft.start
    return gap_is_cue or not text[last.end : draft.start].strip()


def _merge_continuations(text: str, drafts: list[_Draft], max_breaks: int) -> list[_Draft]:
    """Join a direct quote to the previous direct quote of the same speech.

    Same speech: both share a cue (``“…,” he said, “…”``), or the later one has no cue and
    only the earlier one's cue sentence or white space lies between them, across at most
    ``max_breaks`` line breaks (``“…,” he said. “…”``, or a paragraph that is only a quote).
    ``drafts`` are sorted by start.
    """
    merged: list[_Draft] = []
    for draft in drafts:
        last = _open_quote(text, merged, draft) if MARK.match(text, draft.start) else None
        if last is not None:
            same_cue = draft.cue is not None and draft.cue == last.cue
            follows = draft.cue is None and _continues(text, last, draft, max_breaks)
            if same_cue or follows:
                last.content.extend(draft.content)
                continue
        merged.append(draft)
    return merged


def _open_quote(text: str, merged: list[_Draft], draft: _Draft) -> _Draft | None:
    """The quote ``draft`` may continue: the last draft, or the direct quote before reported
    speech that lies after its cue ("“…,” said Pardo, who said he would not vote. “…”": the
    relative clause is Pardo's reported speech inside the gap). Reported speech that ends in
    a quote goes on as a direct quote does ("Teachers are “tired…,” she said. “…”")."""
    for back in range(len(merged) - 1, max(-1, len(merged) - 1 - LOOK_BACK), -1):
        candidate = merged[back]
        if MARK.match(text, candidate.start) or _closes(text, (candidate.start, candidate.end)):
            inside = all(
                candidate.cue is not None and candidate.cue[0] < d.start and d.end <= draft.start
                for d in merged[back + 1 :]
            )
            return candidate if inside else None
    return None


def _inherit_sources(text: str, drafts: list[_Draft], max_breaks: int) -> None:
    """Give a direct quote without a source the source of the attribution just before it.

    Reporters leave the speaker out when a quote goes on from the previous speaker's words.
    """
    for previous, draft in pairwise(drafts):
        if draft.source is not None or previous.source is None:
            continue
        near = text.count("\n", previous.end, draft.start) <= max_breaks
        if near and MARK.match(text, draft.start):
            draft.source, draft.named = previous.source, previous.named


def extract_attributions(
    doc: Doc, *, max_breaks: int = 2, text: str | None = None
) -> list[Attribution]:
    """All attributions of a parsed article.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        spaCy parse (tagger, parser, NER) of the whole article text; offsets refer to
        ``doc.text``.
    max_breaks : int, default=2
        A direct quote without a cue of its own continues the previous direct quote when at
        most this many line breaks lie between them (2: the next paragraph).
    text : str or None, default=None
        ``doc.text``, when the caller has it: spaCy rebuilds it from every token on each
        access.

    Returns
    -------
    list of Attribution
        Sorted by content start; contents never overlap.
    """
    text = doc.text if text is None else text
    quotes = find_quoted_spans(text)
    speech = [q for q in quotes if is_speech(text, q, doc)]
    drafts, used = _clause_drafts(doc, text, quotes, speech)
    drafts += _quote_drafts(doc, text, quotes, [q for q in speech if q not in used])
    drafts.sort(key=lambda d: d.content[0])
    kept: list[_Draft] = []
    reach: _Draft | None = None  # the kept draft that ends last
    for draft in _merge_continuations(text, drafts, max_breaks):
        # overlapping contents: the earlier, already kept draft wins; a draft may lie in the
        # gap between the pieces of an interrupted quote
        if any(_clashes(draft, other) for other in (reach, kept[-1] if kept else None) if other):
            continue
        kept.append(draft)
        if reach is None or draft.end > reach.end:
            reach = draft
    _inherit_sources(text, kept, max_breaks)
    kept = [
        d
        for d in kept
        if content_kind(text, (d.start, d.end)) == DIRECT or _tells_something(doc, d.content)
    ]
    return _resolve(doc, text, kept, [(q.start, q.end) for q in speech])


def _tells_something(doc: Doc, content: list[Range]) -> bool:
    """Whether the content pieces hold :data:`MIN_INDIRECT_WORDS` words (not punctuation or
    quotation marks) or a name."""
    pieces = (doc.char_span(start, end, alignment_mode="expand") for start, end in content)
    words = [t for piece in pieces for t in piece or [] if not (t.is_punct or t.is_space)]
    return len(words) >= MIN_INDIRECT_WORDS or any(t.pos_ == "PROPN" for t in words)


def _resolve(doc: Doc, text: str, drafts: list[_Draft], quoted: list[Range]) -> list[Attribution]:
    speakers = speaker_words(doc, text, [d.naming for d in drafts if d.naming is not None])
    names = NameIndex.build(doc, text, quoted, speakers)
    last_speaker: tuple[int, str] | None = None
    result = []
    for draft in drafts:
        speaker = None
        source = None
        if draft.source is not None and draft.naming is not None:
            source = (draft.source.start_char, draft.source.end_char)
            mention = draft.naming
            speaker = resolve_speaker(mention, names, last_speaker)
            if speaker in names.persons or _is_person_pronoun(mention):
                last_speaker = (mention.start_char, speaker)
        kind = content_kind(text, (draft.start, draft.end))
        result.append(Attribution(kind, tuple(draft.content), draft.cue, source, speaker))
    return result


def _is_person_pronoun(mention: Span) -> bool:
    return len(mention) == 1 and pronoun_kind(mention[0]) == "person"
