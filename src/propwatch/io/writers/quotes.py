"""``quotes-tsv``: one row per quote with its content, source and cue spans and the speaker."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from propwatch import registry
from propwatch.io.writers.base import Writer, write_tsv_rows
from propwatch.text.analysis import QUOTES, Analysis

MISSING = -1


def quote_rows(analysis: Analysis) -> Iterator[tuple[object, ...]]:
    """``(id, quote_start, quote_end, source_start, source_end, cue_start, cue_end, speaker,
    kind)`` per quote; -1 for a missing source or cue, an empty speaker when unknown."""
    for span in analysis.layer(QUOTES):
        attrs = span.attrs
        yield (
            analysis.article.id,
            span.start,
            span.end,
            attrs.get("source_start", MISSING),
            attrs.get("source_end", MISSING),
            attrs.get("cue_start", MISSING),
            attrs.get("cue_end", MISSING),
            # A speaker name with a tab or line break would break the row structure.
            " ".join((attrs.get("speaker") or "").split()),
            span.label,
        )


def write_quotes(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """Write :func:`quote_rows` for every analysis, tab-separated, no header."""
    write_tsv_rows(stream, (row for a in analyses for row in quote_rows(a)))


registry.writers.add(
    "quotes-tsv",
    Writer(
        name="quotes-tsv",
        suffix=".tsv",
        media_type="text/tab-separated-values",
        requires=(QUOTES,),
        write=write_quotes,
        description="id, quote/source/cue offsets (-1 if missing), speaker, direct|indirect",
    ),
)
