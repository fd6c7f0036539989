"""``csv``: one row per technique span, with a header, for spreadsheets and pandas."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from propwatch import registry
from propwatch.io.writers.base import Writer
from propwatch.text.analysis import TECHNIQUES, Analysis

HEADER = (
    "article_id",
    "technique",
    "category",
    "start",
    "end",
    "score",
    "voice",
    "speaker",
    "text",
)


def write_csv(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """Write the header, then ``HEADER``'s columns for each technique span (``\\n`` line ends)."""
    table = csv.writer(stream, lineterminator="\n")
    table.writerow(HEADER)
    for analysis in analyses:
        for span in analysis.layer(TECHNIQUES):
            table.writerow(
                (
                    analysis.article.id,
                    span.label,
                    span.attrs.get("category", ""),
                    span.start,
                    span.end,
                    f"{span.score:.4f}",
                    span.attrs.get("voice", ""),
                    span.attrs.get("speaker", ""),
                    span.text_of(analysis.text),
                )
            )


registry.writers.add(
    "csv",
    Writer(
        name="csv",
        suffix=".csv",
        media_type="text/csv",
        requires=(TECHNIQUES,),
        write=write_csv,
        description="one row per technique span, with a header",
    ),
)
