"""brat standoff: a folder with ``<id>.txt`` (the article text) and ``<id>.ann`` per article.

Each technique of a reviewed span is one text-bound line, ``T1<TAB>Loaded_Language 4 11<TAB>
corrupt``; the lines with the same offsets are one span with several techniques, and a span
with no technique named has the type :data:`UNNAMED`. ``annotation.conf`` lists the types
so that brat opens the folder as a collection. ``T`` lines are read with
:func:`propwatch.io.labels.brat.parse_text_bound`; other brat lines (relations, notes) are
skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from propwatch import registry
from propwatch.annotations.formats.base import (
    SPAN_FIELDS,
    AnnotatedArticle,
    AnnotationFormat,
    Reading,
    article_id_of,
    file_stem,
    reviewed_by_offsets,
    span_annotations,
)
from propwatch.errors import InputError
from propwatch.io.labels.brat import parse_text_bound
from propwatch.io.labels.tsv import read_text
from propwatch.schemes import load_scheme
from propwatch.text.span import Span

UNNAMED = "Technique"
CONFIG = "annotation.conf"


def _ann(article: AnnotatedArticle) -> str:
    lines: list[str] = []
    for (start, end), labels in reviewed_by_offsets(article).items():
        # The text field is for people; one line, since brat's lines end at a line break.
        covered = " ".join(article.text[start:end].splitlines())
        for label in labels or (UNNAMED,):
            lines.append(f"T{len(lines) + 1}\t{label} {start} {end}\t{covered}\n")
    return "".join(lines)


def _config(schemes: Sequence[str]) -> str:
    names = dict.fromkeys(t.name for scheme in schemes for t in load_scheme(scheme).techniques)
    entities = "\n".join([UNNAMED, *names])
    return f"[entities]\n{entities}\n\n[relations]\n\n[events]\n\n[attributes]\n"


def write_brat(articles: Sequence[AnnotatedArticle], path: Path) -> None:
    """The folder ``path`` with each article's ``.txt`` and ``.ann`` and ``annotation.conf``."""
    path.mkdir(parents=True, exist_ok=True)
    for article in articles:
        stem = file_stem(article.id)
        (path / f"{stem}.txt").write_text(article.text, encoding="utf-8", newline="")
        (path / f"{stem}.ann").write_text(_ann(article), encoding="utf-8", newline="")
    schemes = sorted({article.scheme for article in articles})
    (path / CONFIG).write_text(_config(schemes), encoding="utf-8")


def read_brat(path: Path) -> Reading:
    """The ``T`` lines of one ``.ann`` file; the text is ``<id>.txt`` beside it, if there."""
    reading = Reading()
    article_id = article_id_of(path.stem)
    rows = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.startswith("T"):
            continue
        where = f"{path}:{number}"
        try:
            _id, body = line.removesuffix("\r").split("\t", 1)
            label, pieces = parse_text_bound(where, body)
            if len(pieces) != 1:
                raise InputError(where, "a discontinuous span; propwatch spans are one piece")
        except ValueError:
            reading.problems.append(InputError(where, "a T line without a tab after its id"))
            continue
        except InputError as error:
            reading.problems.append(error)
            continue
        start, end = pieces[0]
        rows.append((where, article_id, Span(start, end, "" if label == UNNAMED else label)))
    reading.annotations = span_annotations(rows)
    text_file = path.with_suffix(".txt")
    if text_file.is_file():
        text = read_text(text_file)
        reading.annotations = [replace(a, text=text) for a in reading.annotations]
    return reading


registry.annotation_formats.add(
    "brat",
    AnnotationFormat(
        name="brat",
        suffix=".ann",
        folder=True,
        keeps=SPAN_FIELDS,
        write=write_brat,
        read=read_brat,
        description="brat standoff: a folder of <id>.txt and <id>.ann, with annotation.conf",
    ),
)
