"""SemEval-2023 Task 3 label files (genre, frames, paragraph techniques, technique spans).

Formats (tab-separated; ``README-organizers.txt`` of the task documents them)::

    subtask 1:  article_id  genre                        (opinion / reporting / satire)
    subtask 2:  article_id  frame1,frame2,...            (may be empty)
    subtask 3:  article_id  paragraph  tech1,tech2,...   (paragraph = 1-based line number;
                                                          the technique field may be missing)
    spans:      article_id  technique  start  end        (train-labels-subtask-3-spans/)

Subtask-3 labels come as one file or as a folder of per-article files
(``article<ID>-labels-subtask-3.txt``); the span labels likewise.
"""

from __future__ import annotations

from pathlib import Path

from propwatch.io.labels.semeval2020 import SpanLabel, read_tc
from propwatch.io.labels.tsv import Row, iter_rows, label_files, split_labels

# Per-article files in the official folders end like this; .template files sit beside them.
PER_ARTICLE_PATTERN = "*.txt"

ParagraphKey = tuple[str, int]


def _store(table: dict, key: object, value: object, row: Row, seen: dict) -> None:
    # The official scorers keep the last duplicate silently; a duplicate is a broken file.
    if key in table:
        raise row.error(f"duplicate entry {key!r} (first at {seen[key]})")
    table[key] = value
    seen[key] = row.where


def read_genres(path: Path) -> dict[str, str]:
    """Read subtask-1 labels: ``{article_id: genre}``.

    Raises
    ------
    InputError
        ``file:line`` for a line without exactly 2 fields, an empty genre or a repeated id.
    """
    genres: dict[str, str] = {}
    seen: dict[str, str] = {}
    for row in iter_rows(path, 2, 2):
        genre = row.fields[1].strip()
        if not genre:
            raise row.error("empty genre")
        _store(genres, row.fields[0].strip(), genre, row, seen)
    return genres


def read_frames(path: Path) -> dict[str, tuple[str, ...]]:
    """Read subtask-2 labels: ``{article_id: (frame, ...)}`` in file order, possibly empty.

    Raises
    ------
    InputError
        ``file:line`` for a line with more than 2 fields or a repeated id.
    """
    frames: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for row in iter_rows(path, 1, 2):
        labels = split_labels(row.fields[1], ",") if len(row.fields) == 2 else ()
        _store(frames, row.fields[0].strip(), labels, row, seen)
    return frames


def read_paragraph_labels(path: Path) -> dict[ParagraphKey, tuple[str, ...]]:
    """Read subtask-3 paragraph labels from a file or a folder of per-article ``*.txt`` files.

    Returns
    -------
    dict
        ``{(article_id, paragraph): (technique, ...)}``; ``paragraph`` is the 1-based line
        number of the paragraph in the article file; the tuple may be empty.

    Raises
    ------
    InputError
        ``file:line`` for a line with fewer than 2 or more than 3 fields, a non-integer
        paragraph number or a repeated (article, paragraph).
    """
    labels: dict[ParagraphKey, tuple[str, ...]] = {}
    seen: dict[ParagraphKey, str] = {}
    for file in label_files(path, PER_ARTICLE_PATTERN):
        for row in iter_rows(file, 2, 3):
            key = (row.fields[0].strip(), row.integer(1, "paragraph number"))
            techniques = split_labels(row.fields[2], ",") if len(row.fields) == 3 else ()
            _store(labels, key, techniques, row, seen)
    return labels


def read_technique_spans(path: Path) -> list[SpanLabel]:
    """Read subtask-3 span labels (TC layout) from a file or a folder of per-article files."""
    return [label for file in label_files(path, PER_ARTICLE_PATTERN) for label in read_tc(file)]
