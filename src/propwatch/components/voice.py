"""The ``voice`` component: whose voice carries each persuasion technique.

A technique span is in a speaker's voice when it lies in one of that speaker's quotes (at least
half of the technique span inside a content piece), and in the author's voice otherwise. Each
technique span gets ``voice`` (``"author"`` or ``"quoted"``) and, when quoted and known,
``speaker``. The article label ``voices`` summarises them::

    {"techniques": 5, "author": 3, "quoted": 2, "author_share": 0.6, "quoted_share": 0.4,
     "speakers": [{"speaker": "Oliver Stone", "quotes": 2, "techniques": 2,
                   "by_technique": {"Loaded_Language": 2}}]}

``speakers`` lists every speaker with a quote, most techniques first; a speaker that could not
be resolved is ``null``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from propwatch import registry
from propwatch.pipeline.component import Component
from propwatch.text.analysis import QUOTES, TECHNIQUES, VOICES_LABEL, Analysis
from propwatch.text.span import Span

AUTHOR = "author"
QUOTED = "quoted"


def content_pieces(quote: Span) -> list[tuple[int, int]]:
    """The content pieces of a ``quotes`` span: its ``segments``, or the span itself."""
    return [(s, e) for s, e in quote.attrs.get("segments", [[quote.start, quote.end]])]


def quote_holding(technique: Span, quotes: Sequence[Span]) -> Span | None:
    """The quote holding at least half of ``technique`` (most overlap wins), if any."""
    best, best_overlap = None, 0
    for quote in quotes:
        overlap = sum(
            max(0, min(e, technique.end) - max(s, technique.start))
            for s, e in content_pieces(quote)
        )
        if 2 * overlap >= max(1, len(technique)) and overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best


class QuoteIndex:
    """The quotes of an article by where their content lies.

    :meth:`near` lists the quotes whose content may overlap a range, so giving every technique
    its voice costs the quotes near each technique, not all of them (a long text holds
    thousands of both, and comparing every technique with every quote grew with the square of
    the text).
    """

    def __init__(self, quotes: Sequence[Span]) -> None:
        self.quotes = list(quotes)
        hulls = [_hull(quote) for quote in self.quotes]
        self._order = sorted(range(len(hulls)), key=lambda i: hulls[i][0])
        self._starts = [hulls[i][0] for i in self._order]
        # The furthest end of any quote starting at or before each position of _order.
        self._reach = list(accumulate((hulls[i][1] for i in self._order), max))

    def near(self, start: int, end: int) -> list[Span]:
        """Every quote whose content overlaps ``[start, end)`` (and maybe a few more), in the
        order the article lists them."""
        position = bisect_left(self._starts, end)
        found = []
        while position > 0 and self._reach[position - 1] > start:
            position -= 1
            found.append(self._order[position])
        return [self.quotes[i] for i in sorted(found)]


def _hull(quote: Span) -> tuple[int, int]:
    pieces = content_pieces(quote) or [(quote.start, quote.end)]
    return min(s for s, _ in pieces), max(e for _, e in pieces)


def give_voice(technique: Span, quote: Span | None) -> Span:
    """``technique`` with ``voice`` (and ``speaker`` when quoted by a known speaker) set."""
    if quote is None:
        return technique.with_attrs(voice=AUTHOR)
    speaker = quote.attrs.get("speaker")
    if speaker is None:
        return technique.with_attrs(voice=QUOTED)
    return technique.with_attrs(voice=QUOTED, speaker=speaker)


def summarise(quotes: Sequence[Span], voiced: Sequence[tuple[Span, Span | None]]) -> dict[str, Any]:
    """The ``voices`` label from the quotes and each technique's holding quote (or ``None``)."""
    n_quotes: Counter[str | None] = Counter(q.attrs.get("speaker") for q in quotes)
    by_speaker: dict[str | None, Counter[str]] = defaultdict(Counter)
    for technique, quote in voiced:
        if quote is not None:
            by_speaker[quote.attrs.get("speaker")][technique.label] += 1
    quoted = sum(sum(c.values()) for c in by_speaker.values())
    total = len(voiced)
    order = sorted(
        n_quotes,
        key=lambda s: (-sum(by_speaker[s].values()), -n_quotes[s], str(s)),
    )
    speakers = [
        {
            "speaker": speaker,
            "quotes": n_quotes[speaker],
            "techniques": sum(by_speaker[speaker].values()),
            "by_technique": dict(sorted(by_speaker[speaker].items())),
        }
        for speaker in order
    ]
    return {
        "techniques": total,
        AUTHOR: total - quoted,
        QUOTED: quoted,
        "author_share": round((total - quoted) / total, 4) if total else 0.0,
        "quoted_share": round(quoted / total, 4) if total else 0.0,
        "speakers": speakers,
    }


@registry.components.register("voice")
class VoiceComponent(Component):
    """Set ``voice``/``speaker`` on every technique span and write the ``voices`` label."""

    name = "voice"
    requires = (QUOTES, TECHNIQUES)
    assigns = (VOICES_LABEL,)
    version = "1"

    def __call__(self, analysis: Analysis) -> Analysis:
        quotes = analysis.layer(QUOTES)
        near = QuoteIndex(quotes).near
        voiced = [(t, quote_holding(t, near(t.start, t.end))) for t in analysis.layer(TECHNIQUES)]
        analysis.set_layer(TECHNIQUES, (give_voice(t, q) for t, q in voiced))
        analysis.labels[VOICES_LABEL] = summarise(quotes, voiced)
        return analysis
