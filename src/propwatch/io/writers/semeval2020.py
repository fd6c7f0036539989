"""SemEval-2020 Task 11 submission files: ``semeval-si`` and ``semeval-flc`` (PTC layout).

Rows are tab-separated with end-exclusive offsets, exactly as the PTC label files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from propwatch import registry
from propwatch.io.writers.base import Writer, write_tsv_rows
from propwatch.text.analysis import TECHNIQUES, Analysis


def write_si(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """One ``id, start, end`` row per technique span (span identification)."""
    write_tsv_rows(
        stream,
        ((a.article.id, s.start, s.end) for a in analyses for s in a.layer(TECHNIQUES)),
    )


def write_flc(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """One ``id, technique, start, end`` row per technique span (fragment classification)."""
    write_tsv_rows(
        stream,
        ((a.article.id, s.label, s.start, s.end) for a in analyses for s in a.layer(TECHNIQUES)),
    )


registry.writers.add(
    "semeval-si",
    Writer(
        name="semeval-si",
        suffix=".txt",
        media_type="text/tab-separated-values",
        requires=(TECHNIQUES,),
        write=write_si,
        description="SemEval-2020 Task 11 SI: id, start, end",
    ),
)
registry.writers.add(
    "semeval-flc",
    Writer(
        name="semeval-flc",
        suffix=".txt",
        media_type="text/tab-separated-values",
        requires=(TECHNIQUES,),
        write=write_flc,
        description="SemEval-2020 Task 11 TC/FLC: id, technique, start, end",
    ),
)
