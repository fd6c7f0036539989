"""Attributions for contents a learned tagger found where the rules found none.

The tagger (:mod:`.learned`) finds what is said, not who says it. Its speaker is taken from the
parse: the subject of the verb the content hangs on, else of its sentence's main verb, outside
the content ("Officials, it was reported, *said the plan would fail*"); when neither names
anyone, the speaker of the last rule attribution before it in the same paragraph (reported
speech that goes on from a speaker's words). The mention is resolved to a name the way the
rules' are (:func:`~.speakers.resolve_speaker`).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from propwatch.models.quotes.clauses import Range, mention_of, subject_of
from propwatch.models.quotes.extract import Attribution, content_kind
from propwatch.models.quotes.marks import find_quoted_spans
from propwatch.models.quotes.speakers import NameIndex, resolve_speaker, speaker_words


def source_mention(doc: Doc, content: Range) -> Span | None:
    """The subject of the verb ``content`` hangs on, or of its sentence's root, outside it."""
    words = doc.char_span(*content, alignment_mode="expand")
    if words is None or not len(words):
        return None
    for verb in (words.root.head, words.root.sent.root):
        subject = subject_of(verb)
        mention = None if subject is None else mention_of(subject, content)
        if mention is not None and len(mention):
            return mention
    return None


def _same_paragraph(text: str, earlier: Attribution, content: Range) -> bool:
    return earlier.end <= content[0] and "\n" not in text[earlier.end : content[0]]


def attribute_contents(
    doc: Doc, contents: Sequence[Range], rules: Sequence[Attribution], text: str | None = None
) -> list[Attribution]:
    """Attributions of ``contents`` (offsets in ``doc``), given the rules' ``rules`` of it.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parse the contents' offsets refer to.
    contents : sequence of (int, int)
        Contents that overlap none of ``rules``.
    rules : sequence of Attribution
        The rules' attributions of ``doc``, in text order.
    text : str or None
        ``doc.text``, when the caller has it.
    """
    if not contents:
        return []
    text = doc.text if text is None else text
    sources = [doc.char_span(*r.source) for r in rules if r.source is not None]
    speakers = speaker_words(doc, text, [s for s in sources if s is not None])
    quoted = [(q.start, q.end) for q in find_quoted_spans(text)]
    names = NameIndex.build(doc, text, quoted, speakers)
    found = []
    for content in contents:
        mention = source_mention(doc, content)
        before = [r for r in rules if r.speaker and _same_paragraph(text, r, content)]
        if mention is not None:
            # a pronoun takes the last speaker before it, as in the rules' reading order
            last = max(
                (
                    (r.source[0], r.speaker)
                    for r in rules
                    if r.source and r.speaker and r.source[0] < mention.start_char
                ),
                default=None,
            )
            source: Range | None = (mention.start_char, mention.end_char)
            speaker: str | None = resolve_speaker(mention, names, last)
        elif before:
            previous = max(before, key=lambda r: r.end)
            source, speaker = previous.source, previous.speaker
        else:
            source = speaker = None
        found.append(Attribution(content_kind(text, content), (content,), None, source, speaker))
    return found
