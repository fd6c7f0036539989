"""SemEval-2023 Task 3 submission files: subtasks 1 (genre), 2 (frames) and 3 (paragraphs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from propwatch import registry
from propwatch.io.writers.base import Writer, write_tsv_rows
from propwatch.text.analysis import PARAGRAPH_TECHNIQUES, PARAGRAPHS, TECHNIQUES, Analysis

GENRE = "genre"
GENRE_SCORES = "genre_scores"
FRAMES = "frames"


def submitted_genre(analysis: Analysis) -> str:
    """The article's genre, or its most probable one where the genre component was unsure:
    the scorer takes one of the three genres for every article."""
    genre = str(analysis.labels[GENRE])
    scores = analysis.labels.get(GENRE_SCORES) or {}
    if genre in scores or not scores:
        return genre
    return str(max(scores, key=scores.__getitem__))


def write_st1(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """One ``id, genre`` row per article (the most probable genre where it was unsure)."""
    write_tsv_rows(stream, ((a.article.id, submitted_genre(a)) for a in analyses))


def write_st2(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """One ``id, frame,frame,...`` row per article (an empty column when no frame)."""
    write_tsv_rows(stream, ((a.article.id, ",".join(a.labels[FRAMES])) for a in analyses))


def paragraph_rows(analysis: Analysis) -> Iterator[tuple[str, int, str]]:
    """``(id, line, techniques)`` per paragraph.

    The techniques are those of the ``paragraph_techniques`` label when the technique detector
    set it (scored on the whole paragraph, tuned for this task); otherwise those whose span
    overlaps the paragraph. Paragraphs come from the ``paragraphs`` layer (one span per
    non-empty line, ``attrs["line"]`` 1-based counting empty lines), so the numbering is
    SemEval-2023's.
    """
    techniques = analysis.layer(TECHNIQUES)
    listed = {
        int(item["line"]): item["techniques"]
        for item in analysis.labels.get(PARAGRAPH_TECHNIQUES, ())
    }
    for paragraph in analysis.layer(PARAGRAPHS):
        if PARAGRAPH_TECHNIQUES in analysis.labels:
            names = sorted(listed.get(paragraph.attrs["line"], ()))
        else:
            names = sorted({t.label for t in techniques if t.overlap(paragraph) > 0})
        yield analysis.article.id, paragraph.attrs["line"], ",".join(names)


def write_st3(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """One ``id, line, technique,technique,...`` row per non-empty line of each article."""
    write_tsv_rows(stream, (row for a in analyses for row in paragraph_rows(a)))


registry.writers.add(
    "semeval2023-st1",
    Writer(
        name="semeval2023-st1",
        suffix=".txt",
        media_type="text/tab-separated-values",
        requires=(GENRE,),
        write=write_st1,
        description="SemEval-2023 Task 3 subtask 1: id, genre",
    ),
)
registry.writers.add(
    "semeval2023-st2",
    Writer(
        name="semeval2023-st2",
        suffix=".txt",
        media_type="text/tab-separated-values",
        requires=(FRAMES,),
        write=write_st2,
        description="SemEval-2023 Task 3 subtask 2: id, comma-joined frames",
    ),
)
registry.writers.add(
    "semeval2023-st3",
    Writer(
        name="semeval2023-st3",
        suffix=".txt",
        media_type="text/tab-separated-values",
        requires=(PARAGRAPHS, TECHNIQUES),
        write=write_st3,
        description="SemEval-2023 Task 3 subtask 3: id, line, comma-joined techniques",
    ),
)
