"""SemEval-2020 Task 11 (PTC) label files: span identification (SI), technique classification (TC).

Formats (tab-separated, one span per line, offsets already end-exclusive)::

    SI:  article_id  start  end
    TC:  article_id  technique  start  end      (the TC template has ``?`` as technique)

SemEval-2023 subtask-3 span files use the TC layout and are read with :func:`read_tc`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from propwatch.io.labels.tsv import Row, iter_lines
from propwatch.text.span import Span

# The TC template marks the spans to classify with this placeholder technique.
UNKNOWN_TECHNIQUE = "?"


@dataclass(frozen=True, slots=True)
class SpanLabel:
    """One span of one article, as listed in a label file.

    Parameters
    ----------
    article_id : str
        The article's id as written in the file (the digits of ``article<ID>.txt``).
    span : Span
        Character offsets into the article text (end-exclusive); ``span.label`` is the
        technique, ``""`` for SI rows and for ``?`` rows of the TC template.
    """

    article_id: str
    span: Span


def _span_label(row: Row, article_index: int, label: str, start_index: int) -> SpanLabel:
    start = row.integer(start_index, "start")
    end = row.integer(start_index + 1, "end")
    if start >= end:
        raise row.error(f"start {start} must be smaller than end {end}")
    return SpanLabel(row.fields[article_index].strip(), Span(start, end, label))


def si_label(row: Row) -> SpanLabel:
    """One SI line (``article_id start end``).

    Raises
    ------
    InputError
        ``file:line`` for a line without exactly 3 fields, a non-integer offset, or
        ``start >= end`` (the official scorer refuses these too).
    """
    row.check_fields(3, 3)
    return _span_label(row, 0, "", 1)


def tc_label(row: Row) -> SpanLabel:
    """One TC line (``article_id technique start end``); technique ``?`` gives the label ``""``.

    Raises
    ------
    InputError
        ``file:line`` for a line without exactly 4 fields, an empty technique, a non-integer
        offset, or ``start >= end``.
    """
    row.check_fields(4, 4)
    technique = row.fields[1].strip()
    if not technique:
        raise row.error("empty technique")
    label = "" if technique == UNKNOWN_TECHNIQUE else technique
    return _span_label(row, 0, label, 2)


def read_si(path: Path) -> list[SpanLabel]:
    """Read an SI file (``article_id start end``) in file order (errors: :func:`si_label`)."""
    return [si_label(row) for row in iter_lines(path)]


def read_tc(path: Path) -> list[SpanLabel]:
    """Read a TC file (``article_id technique start end``) in file order (errors:
    :func:`tc_label`)."""
    return [tc_label(row) for row in iter_lines(path)]
