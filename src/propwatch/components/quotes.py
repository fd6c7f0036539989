"""The ``quotes`` and ``quote_tagger`` components: direct quotes and reported speech with cue,
source and speaker.

``quotes`` (rules) reuses the shared spaCy parse (:func:`~propwatch.text.nlp.parse_of`) and
writes the ``quotes`` layer described in ``docs/json-schema.md``: one span per attribution
covering its content (label ``direct`` or ``indirect``), with ``speaker``,
``source_start``/``source_end`` and ``cue_start``/``cue_end`` (absent when not found) and, for
a quote interrupted by its cue (``“…,” he said, “…”``), ``segments``: the content pieces as
``[start, end]`` pairs.

``quote_tagger`` runs after ``techniques`` and adds the reported speech that a learned tagger
over the technique encoder's states finds where the rules found none (see
:mod:`propwatch.models.quotes.learned`), when it can tell who speaks (see
:mod:`propwatch.models.quotes.tagged`); its spans carry ``tagged: true`` and the tagger's
confidence as their score, and no cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propwatch import registry
from propwatch.errors import InputError
from propwatch.models.quotes import Attribution, extract_attributions
from propwatch.models.quotes.learned import ContentTagger, StateRows, Tagged, cue_flags, outside
from propwatch.models.quotes.tagged import attribute_contents
from propwatch.pipeline.component import Component
from propwatch.text.analysis import ENCODER_STATES, QUOTES, SENTENCES, Analysis, EncoderStates
from propwatch.text.nlp import ParsedText, parse_of
from propwatch.text.span import Span


def attribution_span(attribution: Attribution, score: float = 1.0, **extra: Any) -> Span:
    """The ``quotes`` layer span of one attribution (``extra`` joins its attributes)."""
    attrs: dict[str, Any] = {"speaker": attribution.speaker, **extra}
    if attribution.source is not None:
        attrs["source_start"], attrs["source_end"] = attribution.source
    if attribution.cue is not None:
        attrs["cue_start"], attrs["cue_end"] = attribution.cue
    if len(attribution.content) > 1:
        attrs["segments"] = [list(piece) for piece in attribution.content]
    return Span(attribution.start, attribution.end, attribution.kind, score, attrs)


def span_attribution(span: Span) -> Attribution:
    """The attribution a ``quotes`` layer span was written from (its cue and source kept)."""
    attrs = span.attrs

    def pair(name: str) -> tuple[int, int] | None:
        start = attrs.get(f"{name}_start")
        return None if start is None else (int(start), int(attrs[f"{name}_end"]))

    pieces = attrs.get("segments", [[span.start, span.end]])
    content = tuple((int(s), int(e)) for s, e in pieces)
    return Attribution(span.label, content, pair("cue"), pair("source"), attrs.get("speaker"))


@registry.components.register("quotes")
class QuotesComponent(Component):
    """Assign the ``quotes`` layer from rules over the shared spaCy parse.

    Parameters
    ----------
    max_breaks : int, default=2
        A quote with no cue of its own continues the previous direct quote when at most this
        many line breaks separate them (2 reaches the next paragraph).
    """

    name = "quotes"
    requires = (SENTENCES,)
    assigns = (QUOTES,)
    # 6: appositions end a content, a hearer object or "spoke on" reports nothing; 7: the
    # subject inside a relative report ("which he said…", "what critics call…") is its source;
    # 8: a paragraph ending in "X said:" gives the quote after it its cue, and an object
    # before a headline-style colon ("released the following statement:") is not the source;
    # 9: the source of a relative clause's cue is its pronoun ("who"), the speaker its noun;
    # 10: a person's surname resolves to the person, not to a longer organisation name that
    # holds it ("Trump" -> "Donald Trump", not "Trump University"); 11: a direct quote's
    # cue verb with a subject inside the quote takes one outside it, never a day ("Monday");
    # 12: a cue borrows its subject through a chain of verbs ("X released…, praising Y but
    # insisting that Z")
    version = "12"

    def __init__(self, *, max_breaks: int = 2) -> None:
        self.max_breaks = max_breaks

    def predict(self, analysis: Analysis) -> list[Attribution]:
        """Attributions of the article, in article offsets (one pass per parsed chunk)."""
        return [
            attribution.shifted(chunk.start)
            for chunk, text in parse_of(analysis).chunk_texts()
            for attribution in extract_attributions(
                chunk.doc, max_breaks=self.max_breaks, text=text
            )
        ]

    def set_annotations(self, analysis: Analysis, attributions: list[Attribution]) -> None:
        analysis.set_layer(QUOTES, (attribution_span(a) for a in attributions))


# An attribution the tagger added, with its support (mean content probability).
Added = tuple[Attribution, float]


@registry.components.register("quote_tagger")
class QuoteTaggerComponent(Component):
    """Add to the ``quotes`` layer the contents a learned tagger finds where no rule quote lies.

    Parameters
    ----------
    model_dir : str or None, default=None
        Folder of a model written by ``propwatch train quotes``; ``None``: the shipped one.

    The tagger runs on one onnxruntime thread: its recurrent steps are small and sequential,
    and a second thread would only wait.
    """

    name = "quote_tagger"
    requires = (QUOTES, ENCODER_STATES)
    assigns = (QUOTES,)
    # 2: speakers' names as the quotes rules' version 10 resolves them (a surname is the
    # person's, not an organisation's named after them); 3: its subject step borrows a
    # subject through a chain of verbs, as the rules' version 12 does
    version = "3"

    def __init__(self, *, model_dir: str | None = None) -> None:
        self.tagger = ContentTagger(model_dir=model_dir)

    def model_files(self) -> list[Path]:
        return self.tagger.model_files()

    def predict(self, analysis: Analysis) -> list[Added]:
        """The attributions the tagger adds (article offsets), each with its support."""
        states = analysis.runtime(ENCODER_STATES)
        self.check_encoder(states)
        rules = [span_attribution(span) for span in analysis.layer(QUOTES)]
        return self.added(parse_of(analysis), rules, states.offsets, states.token_states)

    def check_encoder(self, states: EncoderStates) -> None:
        """Refuse states of another encoder than the one the tagger was trained on."""
        if states.encoder != self.tagger.encoder:
            raise InputError(
                str(self.tagger.model_dir),
                f"trained on technique encoder {self.tagger.encoder!r}, but the techniques "
                f"component's model has encoder {states.encoder!r}: "
                "retrain it with 'propwatch train quotes'",
            )

    def added(
        self,
        parsed: ParsedText,
        rules: Sequence[Attribution],
        offsets: NDArray[np.int64],
        states: StateRows,
    ) -> list[Added]:
        """Attributions of the sure tagged contents that overlap none of ``rules`` and have a
        speaker, each with the tagger's support (``offsets`` and ``states`` of the encoder's
        wordpieces)."""
        flags = cue_flags(parsed.text, parsed, offsets)
        tagging = self.tagger.tag(states, offsets, flags)
        new = outside(tagging.contents, ((r.start, r.end) for r in rules), len(parsed.text))
        return _by_chunk(parsed, new, tagging.sources, rules)

    def set_annotations(self, analysis: Analysis, added: list[Added]) -> None:
        spans = [attribution_span(a, round(support, 4), tagged=True) for a, support in added]
        analysis.set_layer(QUOTES, [*analysis.layer(QUOTES), *spans])


def _by_chunk(
    parsed: ParsedText,
    contents: Sequence[Tagged],
    sources: Sequence[Tagged],
    rules: Sequence[Attribution],
) -> list[Added]:
    """:func:`attribute_contents` on each parsed chunk, in article offsets, with each content's
    support (a content is cut at the end of the chunk it starts in)."""
    out: list[Added] = []
    for chunk, text in parsed.chunk_texts():
        shift, end = chunk.start, chunk.start + len(text)
        inside = [c for c in contents if shift <= c.start < end]
        if not inside:
            continue
        rules_here = [r.shifted(-shift) for r in rules if shift <= r.start < end]
        pieces = [(c.start, c.end) for c in _in_chunk(inside, shift, end)]
        here = _in_chunk(sources, shift, end)
        found = attribute_contents(chunk.doc, pieces, here, rules_here, text=text)
        out += [
            (a.shifted(shift), c.support)
            for a, c in zip(found, inside, strict=True)
            if a is not None
        ]
    return out


def _in_chunk(spans: Sequence[Tagged], start: int, end: int) -> list[Tagged]:
    """The spans starting in ``[start, end)``, in the chunk's offsets, cut at its end."""
    return [
        Tagged(s.start - start, min(s.end, end) - start, s.support)
        for s in spans
        if start <= s.start < end
    ]
