"""SemEval span files: 2020 Task 11 SI and TC files, 2023 Task 3 technique span files.

They hold the reviewed technique spans, one line per technique (tab-separated, end-exclusive
offsets), read with the PTC line readers of :mod:`propwatch.io.labels.semeval2020`:

- ``semeval2020-si``: one file, ``article_id start end`` (no technique);
- ``semeval2020-tc``: one file, ``article_id technique start end``;
- ``semeval2023-spans``: a folder of ``article<ID>-labels-subtask-3-spans.txt`` files in the
  TC layout, as the task's ``train-labels-subtask-3-spans/`` folder;
- ``semeval2023-paragraphs``: one file of subtask-3 paragraph labels, ``article_id line
  technique,technique,...`` for every paragraph (a non-blank line, numbered from 1 counting
  the blank ones), in name order: the techniques a ``paragraph`` annotation gives it, else
  those of the reviewed spans that overlap it. An import makes one ``paragraph`` annotation
  per row (``accept`` when the row says what the model said of the paragraph, else
  ``relabel``); the row's line is found in the stored text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from propwatch import registry
from propwatch.annotations.formats.base import (
    SPAN_FIELDS,
    AnnotatedArticle,
    AnnotationFormat,
    ReadAnnotation,
    Reading,
    file_stem,
    reviewed_by_offsets,
    span_annotations,
)
from propwatch.errors import InputError
from propwatch.io.labels.semeval2020 import UNKNOWN_TECHNIQUE, SpanLabel, si_label, tc_label
from propwatch.io.labels.tsv import Row, iter_lines, split_labels
from propwatch.io.writers.base import write_tsv_rows
from propwatch.text.annotation import PARAGRAPH, Annotation
from propwatch.text.segment import paragraphs
from propwatch.text.span import Span

SPANS_FILE = "article{}-labels-subtask-3-spans.txt"


def _rows(article: AnnotatedArticle) -> Iterator[tuple[str, str, int, int]]:
    """``(id, technique, start, end)`` per technique of each reviewed span (``?``: none)."""
    for (start, end), labels in reviewed_by_offsets(article).items():
        for label in labels or (UNKNOWN_TECHNIQUE,):
            yield article.id, label, start, end


def write_si(articles: Sequence[AnnotatedArticle], path: Path) -> None:
    """One ``id, start, end`` line per reviewed span."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_tsv_rows(
            stream,
            (
                (article.id, start, end)
                for article in articles
                for start, end in reviewed_by_offsets(article)
            ),
        )


def write_tc(articles: Sequence[AnnotatedArticle], path: Path) -> None:
    """One ``id, technique, start, end`` line per technique of each reviewed span."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_tsv_rows(stream, (row for article in articles for row in _rows(article)))


def write_spans_folder(articles: Sequence[AnnotatedArticle], path: Path) -> None:
    """A folder with one TC-layout span file per article."""
    path.mkdir(parents=True, exist_ok=True)
    for article in articles:
        write_tc([article], path / SPANS_FILE.format(file_stem(article.id)))


def _paragraph_rows(article: AnnotatedArticle) -> Iterator[tuple[str, int, str]]:
    """``(id, line, techniques)`` per paragraph of an article, as SemEval-2023 numbers them."""
    reviewed = article.reviewed_spans()
    given = article.paragraph_labels()
    for paragraph in paragraphs(article.text):
        names = given.get((paragraph.start, paragraph.end))
        if names is None:
            names = tuple(
                name
                for a in reviewed
                if paragraph.overlap(Span(a.start, a.end))
                for name in a.labels
            )
        yield article.id, paragraph.attrs["line"], ",".join(sorted(set(names)))


def write_paragraphs(articles: Sequence[AnnotatedArticle], path: Path) -> None:
    """One ``id, line, techniques`` line per paragraph of every article."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_tsv_rows(stream, (row for article in articles for row in _paragraph_rows(article)))


def read_paragraphs(path: Path) -> Reading:
    """One ``paragraph`` annotation per row, named by its line; a bad row is one problem."""
    reading = Reading()
    for row in iter_lines(path):
        try:
            row.check_fields(2, 3)
            line = row.integer(1, "paragraph line")
        except InputError as error:
            reading.problems.append(error)
            continue
        labels = split_labels(row.fields[2], ",") if len(row.fields) == 3 else ()
        annotation = Annotation(PARAGRAPH, "", 0, 0, labels)
        reading.annotations.append(
            ReadAnnotation(row.where, row.fields[0].strip(), annotation, line=line)
        )
    return reading


def _reader(parse: Callable[[Row], SpanLabel]) -> Callable[[Path], Reading]:
    def read(path: Path) -> Reading:
        reading = Reading()
        rows = []
        for row in iter_lines(path):
            try:
                label = parse(row)
            except InputError as error:
                reading.problems.append(error)
                continue
            rows.append((row.where, label.article_id, label.span))
        reading.annotations = span_annotations(rows)
        return reading

    return read


for _format in (
    AnnotationFormat(
        name="semeval2020-si",
        suffix=".txt",
        folder=False,
        keeps=("kind", "start", "end"),
        write=write_si,
        read=_reader(si_label),
        description="SemEval-2020 Task 11 SI file: id, start, end (no technique)",
    ),
    AnnotationFormat(
        name="semeval2020-tc",
        suffix=".txt",
        folder=False,
        keeps=SPAN_FIELDS,
        write=write_tc,
        read=_reader(tc_label),
        description="SemEval-2020 Task 11 TC file: id, technique, start, end",
    ),
    AnnotationFormat(
        name="semeval2023-spans",
        suffix=".txt",
        folder=True,
        keeps=SPAN_FIELDS,
        write=write_spans_folder,
        read=_reader(tc_label),
        description="SemEval-2023 Task 3 span files: a folder, one TC-layout file per article",
    ),
    AnnotationFormat(
        name="semeval2023-paragraphs",
        suffix=".txt",
        folder=False,
        keeps=("kind", "start", "end", "labels"),
        write=write_paragraphs,
        read=read_paragraphs,
        description="SemEval-2023 Task 3 subtask-3 paragraph labels: id, line, techniques "
        "(imported as paragraph annotations)",
    ),
):
    registry.annotation_formats.add(_format.name, _format)
