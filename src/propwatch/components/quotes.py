"""The ``quotes`` component: direct quotes and reported speech with cue, source and speaker.

It reuses the shared spaCy parse (:func:`~propwatch.text.nlp.parse_of`) and writes the
``quotes`` layer described in ``docs/json-schema.md``: one span per attribution covering its
content (label ``direct`` or ``indirect``), with ``speaker``, ``source_start``/``source_end``
and ``cue_start``/``cue_end`` (absent when not found) and, for a quote interrupted by its cue
(``“…,” he said, “…”``), ``segments``: the content pieces as ``[start, end]`` pairs.
"""

from __future__ import annotations

from typing import Any

from propwatch import registry
from propwatch.models.quotes import Attribution, extract_attributions
from propwatch.pipeline.component import Component
from propwatch.text.analysis import QUOTES, SENTENCES, Analysis
from propwatch.text.nlp import parse_of
from propwatch.text.span import Span


def attribution_span(attribution: Attribution) -> Span:
    """The ``quotes`` layer span of one attribution."""
    attrs: dict[str, Any] = {"speaker": attribution.speaker}
    if attribution.source is not None:
        attrs["source_start"], attrs["source_end"] = attribution.source
    if attribution.cue is not None:
        attrs["cue_start"], attrs["cue_end"] = attribution.cue
    if len(attribution.content) > 1:
        attrs["segments"] = [list(piece) for piece in attribution.content]
    return Span(attribution.start, attribution.end, attribution.kind, 1.0, attrs)


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
    version = "6"  # 6: appositions end a content, a hearer object or "spoke on" reports nothing

    def __init__(self, *, max_breaks: int = 2) -> None:
        self.max_breaks = max_breaks

    def predict(self, analysis: Analysis) -> list[Attribution]:
        """Attributions of the article, in article offsets (one pass per parsed chunk)."""
        parsed = parse_of(analysis)
        # the chunks cover the text one after another: each ends where the next starts
        ends = [chunk.start for chunk in parsed.chunks[1:]] + [len(parsed.text)]
        return [
            attribution.shifted(chunk.start)
            for chunk, end in zip(parsed.chunks, ends, strict=True)
            for attribution in extract_attributions(
                chunk.doc, max_breaks=self.max_breaks, text=parsed.text[chunk.start : end]
            )
        ]

    def set_annotations(self, analysis: Analysis, attributions: list[Attribution]) -> None:
        analysis.set_layer(QUOTES, (attribution_span(a) for a in attributions))
