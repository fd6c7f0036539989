"""SemEval-2020 Task 11 submission files: ``semeval-si`` and ``semeval-flc`` (PTC layout).

Rows are tab-separated with end-exclusive offsets, exactly as the PTC label files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from propwatch import registry
from propwatch.io.writers.base import Writer, write_tsv_rows
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.span import Span


def write_si(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """One ``id, start, end`` row per stretch of text inside technique spans (span
    identification names no technique, so a fragment with several, or one inside another
    span, is written once as part of the stretch)."""
    write_tsv_rows(
        stream,
        (
            (a.article.id, start, end)
            for a in analyses
            for start, end in _stretches(a.layer(TECHNIQUES))
        ),
    )


def _stretches(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Overlapping spans merged, ordered by start."""
    merged: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span.end))
        else:
            merged.append((span.start, span.end))
    return merged


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
