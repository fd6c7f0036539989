"""propwatch ``quotes-tsv`` prediction files (see ``docs/json-schema.md``).

One quote per line, tab-separated, no header::

    id  quote_start  quote_end  source_start  source_end  cue_start  cue_end  speaker  kind

Offsets are end-exclusive character offsets into the article text; ``-1 -1`` marks a missing
source or cue span; ``speaker`` is the resolved speaker name (may be empty); ``kind`` is
``direct`` or ``indirect``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from propwatch.io.labels.tsv import Row, iter_rows
from propwatch.text.span import Span

MISSING = -1
N_FIELDS = 9


@dataclass(frozen=True, slots=True)
class PredictedQuote:
    """One predicted quote with its optional source and cue spans.

    Parameters
    ----------
    article_id : str
        The article's id.
    quote : Span
        The quoted content, end-exclusive character offsets.
    source, cue : Span or None
        The speaker mention and the cue (``said``), ``None`` when the file has ``-1``.
    speaker : str
        The resolved speaker name, ``""`` when unknown.
    kind : str
        ``"direct"`` or ``"indirect"`` as written by the predictor.
    """

    article_id: str
    quote: Span
    source: Span | None
    cue: Span | None
    speaker: str
    kind: str


def _optional_span(row: Row, index: int, name: str) -> Span | None:
    values = [row.fields[index].strip(), row.fields[index + 1].strip()]
    if values == [str(MISSING), str(MISSING)]:
        return None
    start, end = row.integer(index, f"{name}_start"), row.integer(index + 1, f"{name}_end")
    if start >= end:
        raise row.error(f"{name} start {start} must be smaller than end {end}")
    return Span(start, end, name)


def read_quotes_tsv(path: Path) -> list[PredictedQuote]:
    """Read a quotes-tsv file in file order.

    Raises
    ------
    InputError
        ``file:line`` for a line without 9 fields, a bad offset, or a missing quote span.
    """
    quotes = []
    for row in iter_rows(path, N_FIELDS, N_FIELDS):
        quote = _optional_span(row, 1, "quote")
        if quote is None:
            raise row.error("quote span is missing (-1)")
        quotes.append(
            PredictedQuote(
                article_id=row.fields[0].strip(),
                quote=quote,
                source=_optional_span(row, 3, "source"),
                cue=_optional_span(row, 5, "cue"),
                speaker=row.fields[7].strip(),
                kind=row.fields[8].strip(),
            )
        )
    return quotes
