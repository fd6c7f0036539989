"""Speakers for the reported speech a learned tagger found where the rules found none.

The tagger (:mod:`.learned`) tags contents and source mentions; the two are linked here. A
content's speaker is the first found of these steps (chosen on held-out PolNeAR training
articles, where the added contents' speakers went from 0.63 right with the parse alone to
0.83):

1. the nearest tagged source before it in its paragraph, if the tagger is sure of it
   (:data:`SURE_SOURCE`);
2. the nearest tagged source in the sentences it touches, if the tagger is sure of it;
3. the subject of the cue verb it hangs on ("X *made clear* that...");
4. the nearest tagged source before it in its paragraph, or in its sentences, however sure;
5. the subject of the verb it hangs on or of its sentence's main verb;
6. the speaker of the last rule quote before it in its paragraph.

A content none of them gives a speaker to is not added: a quote of nobody misleads. Tagged
sources are first widened to whole words and kept only when their head is a noun, a name or a
pronoun (a stray quotation mark or "the" would otherwise win the nearest-source link). Names
are resolved as the rules resolve theirs (:func:`~.speakers.resolve_speaker`): "he" is the
last person the rules heard before it, "Stone" is "Oliver Stone".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.tokens import Doc, Span

from propwatch.models.quotes.clauses import (
    CUE_VERB_POS,
    Range,
    mention_of,
    paragraph_of,
    subject_of,
)
from propwatch.models.quotes.direct import MENTION_POS, is_speech
from propwatch.models.quotes.extract import Attribution, content_kind
from propwatch.models.quotes.learned import CUE_VERBS, Tagged
from propwatch.models.quotes.marks import find_quoted_spans
from propwatch.models.quotes.speakers import NameIndex, resolve_speaker, speaker_words

# A tagged source the tagger is at least this sure of (mean P(B) + P(I)) is trusted before the
# parse; 0.6 and 0.8 gave 137 right speakers of 168 on held-out training articles, 0.7 138.
SURE_SOURCE = 0.7
Found = tuple[Range | None, str]  # the source mention (None: unknown) and the speaker's name


def snap(doc: Doc, text: str, source: Tagged) -> Tagged | None:
    """``source`` widened to whole words, trimmed of punctuation and kept to its head's line, or
    ``None`` when its head is not a noun, a name or a pronoun."""
    mention = doc.char_span(source.start, source.end, alignment_mode="expand")
    if mention is None or mention.root.pos_ not in MENTION_POS:
        return None
    first, last = paragraph_of(text, mention.root.idx)
    words = [t for t in mention if not (t.is_punct or t.is_space) and first <= t.idx < last]
    if not words:
        return None
    return Tagged(words[0].idx, words[-1].idx + len(words[-1]), source.support)


class SpeakerFinder:
    """Speakers of tagged contents in one parsed text (a chunk of an article).

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parse; every offset is in ``text``.
    text : str
        ``doc.text``.
    rules : sequence of Attribution
        The rules' attributions of the text, in text order.
    sources : sequence of Tagged
        The tagger's source mentions.
    """

    def __init__(
        self, doc: Doc, text: str, rules: Sequence[Attribution], sources: Sequence[Tagged]
    ) -> None:
        self.doc, self.text, self.rules = doc, text, rules
        self.sources = [m for s in sources if (m := snap(doc, text, s)) is not None]
        spans = [r.source for r in rules if r.source is not None]
        spans += [(s.start, s.end) for s in self.sources]
        mentions = [w for s, e in spans if (w := doc.char_span(s, e, "expand")) is not None]
        quoted = [(q.start, q.end) for q in find_quoted_spans(text) if is_speech(text, q, doc)]
        self.names = NameIndex.build(doc, text, quoted, speaker_words(doc, text, mentions))
        self.steps: tuple[Callable[[Range], Found | None], ...] = (
            lambda c: self.before(c, least=SURE_SOURCE),
            lambda c: self.in_sentences(c, least=SURE_SOURCE),
            lambda c: self.subject(c, cue_only=True),
            self.before,
            self.in_sentences,
            self.subject,
            self.rule_before,
        )

    def find(self, content: Range) -> Found | None:
        """The speaker of the first step of the module docstring that finds one."""
        for step in self.steps:
            found = step(content)
            if found is not None:
                return found
        return None

    def before(self, content: Range, least: float = 0.0) -> Found | None:
        """The tagged source ending last before ``content`` in its paragraph, if sure enough."""
        text = self.text
        before = [
            s for s in self.sources if s.end <= content[0] and "\n" not in text[s.end : content[0]]
        ]
        if not before:
            return None
        best = max(before, key=lambda s: s.end)
        return self._named(best) if best.support >= least else None

    def in_sentences(self, content: Range, least: float = 0.0) -> Found | None:
        """The tagged source outside ``content`` nearest it in the sentences it touches (the
        surer one on a tie), if sure enough."""
        low, high = self._sentences_of(content)
        near = [
            s
            for s in self.sources
            if s.start < high and s.end > low and not (s.start < content[1] and content[0] < s.end)
        ]
        if not near:
            return None
        best = min(near, key=lambda s: (max(content[0] - s.end, s.start - content[1]), -s.support))
        return self._named(best) if best.support >= least else None

    def subject(self, content: Range, cue_only: bool = False) -> Found | None:
        """The subject of the verb ``content`` hangs on, else of its sentence's main verb,
        outside it; with ``cue_only``, only when that verb is a cue verb."""
        words = self.doc.char_span(*content, alignment_mode="expand")
        if words is None or not len(words):
            return None
        for verb in (words.root.head, words.root.sent.root):
            subject = subject_of(verb)
            mention = None if subject is None else mention_of(subject, content)
            if mention is not None and len(mention):
                cue = verb.pos_ in CUE_VERB_POS and verb.lemma_.lower() in CUE_VERBS
                if cue_only and not cue:
                    return None
                return (mention.start_char, mention.end_char), self.name(mention)
        return None

    def rule_before(self, content: Range) -> Found | None:
        """The source and speaker of the last rule quote before ``content`` in its paragraph."""
        before = [
            r
            for r in self.rules
            if r.end <= content[0] and r.speaker and "\n" not in self.text[r.end : content[0]]
        ]
        if not before:
            return None
        last = max(before, key=lambda r: r.end)
        return last.source, str(last.speaker)

    def name(self, mention: Span) -> str:
        """The speaker's name for a source mention, as the rules resolve theirs; a pronoun
        takes the last person the rules heard before it."""
        people = [
            (r.source[0], r.speaker)
            for r in self.rules
            if r.source is not None
            and r.source[0] < mention.start_char
            and r.speaker in self.names.persons
        ]
        return resolve_speaker(mention, self.names, max(people) if people else None)

    def _named(self, source: Tagged) -> Found:
        mention = self.doc.char_span(source.start, source.end, alignment_mode="expand")
        name = self.text[source.start : source.end] if mention is None else self.name(mention)
        return (source.start, source.end), name

    def _sentences_of(self, content: Range) -> Range:
        words = self.doc.char_span(*content, alignment_mode="expand")
        if words is None or not len(words):
            return content
        sentences = {token.sent for token in (words[0], words[-1])}
        return min(s.start_char for s in sentences), max(s.end_char for s in sentences)


def attribute_contents(
    doc: Doc,
    contents: Sequence[Range],
    sources: Sequence[Tagged],
    rules: Sequence[Attribution],
    text: str | None = None,
) -> list[Attribution | None]:
    """The attribution of each content (offsets in ``doc``), or ``None`` where no speaker is
    found (see the module docstring).

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parse the offsets refer to.
    contents : sequence of (int, int)
        Tagged contents that overlap none of ``rules``.
    sources : sequence of Tagged
        The tagger's source mentions in ``doc``.
    rules : sequence of Attribution
        The rules' attributions of ``doc``, in text order.
    text : str or None
        ``doc.text``, when the caller has it.
    """
    if not contents:
        return []
    text = doc.text if text is None else text
    finder = SpeakerFinder(doc, text, rules, sources)
    out: list[Attribution | None] = []
    for content in contents:
        found = finder.find(content)
        if found is None:
            out.append(None)
            continue
        source, speaker = found
        out.append(Attribution(content_kind(text, content), (content,), None, source, speaker))
    return out
