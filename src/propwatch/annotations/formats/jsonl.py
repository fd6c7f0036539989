"""propwatch's own annotation format: JSON Lines, one article per line, nothing lost.

Each line is an object::

    {"id": "council-1", "scheme": "semeval2023", "text": "...",
     "annotations": [{"kind": "technique", "action": "relabel", "start": 4, "end": 18,
                      "labels": ["Name_Calling-Labeling"], "who": "alice",
                      "created_at": "2026-12-05T10:00:00Z", "text": "corrupt elites"}]}

``text`` of an annotation is the span's text, for people reading the file; an import checks
it, and the article's ``text``, against the stored article.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from propwatch import registry
from propwatch.annotations.formats.base import (
    AnnotatedArticle,
    AnnotationFormat,
    ReadAnnotation,
    Reading,
)
from propwatch.errors import InputError, PropwatchError
from propwatch.io.labels.tsv import read_text
from propwatch.text.annotation import Annotation, parse_time


def _line(article: AnnotatedArticle) -> dict[str, Any]:
    annotations = [
        {**a.to_dict(), "text": article.text[a.start : a.end]} for a in article.annotations
    ]
    return {
        "id": article.id,
        "scheme": article.scheme,
        "text": article.text,
        "annotations": annotations,
    }


def write_jsonl(articles: Sequence[AnnotatedArticle], path: Path) -> None:
    """One JSON object per article, UTF-8, ``\\n`` line ends."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        for article in articles:
            stream.write(json.dumps(_line(article), ensure_ascii=False) + "\n")


def _annotation(item: Any) -> tuple[Annotation, str | None]:
    if not isinstance(item, dict):
        raise PropwatchError("is not a JSON object")
    try:
        annotation = Annotation(
            kind=str(item["kind"]),
            action=str(item["action"]),
            start=int(item["start"]),
            end=int(item["end"]),
            labels=tuple(str(label) for label in item["labels"]),
            who=str(item["who"]),
            created_at=parse_time(str(item["created_at"])),
        )
    except KeyError as error:
        raise PropwatchError(f"has no {error.args[0]!r}") from None
    except (TypeError, ValueError) as error:
        raise PropwatchError(f"has a value of the wrong type ({error})") from None
    covered = item.get("text")
    return annotation, covered if isinstance(covered, str) else None


def _read_line(where: str, line: str, reading: Reading) -> None:
    try:
        article = json.loads(line)
    except json.JSONDecodeError as error:
        reading.problems.append(InputError(where, f"not JSON ({error.msg})"))
        return
    if not isinstance(article, dict) or not isinstance(article.get("id"), str):
        reading.problems.append(InputError(where, "not an object with a string 'id'"))
        return
    text = article.get("text")
    items = article.get("annotations")
    if not isinstance(items, list):
        reading.problems.append(InputError(where, "'annotations' is not a list"))
        return
    for number, item in enumerate(items, start=1):
        here = f"{where}: annotation {number}"
        try:
            annotation, covered = _annotation(item)
        except PropwatchError as error:
            reading.problems.append(InputError(here, str(error)))
            continue
        reading.annotations.append(
            ReadAnnotation(
                here, article["id"], annotation, text if isinstance(text, str) else None, covered
            )
        )


def read_jsonl(path: Path) -> Reading:
    """Every annotation of every line; a bad line or annotation is one problem."""
    reading = Reading()
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if line.strip():
            _read_line(f"{path}:{number}", line, reading)
    return reading


registry.annotation_formats.add(
    "jsonl",
    AnnotationFormat(
        name="jsonl",
        suffix=".jsonl",
        folder=False,
        keeps=("kind", "action", "start", "end", "labels", "who", "created_at"),
        write=write_jsonl,
        read=read_jsonl,
        description="propwatch JSON Lines: one article per line, every annotation field",
    ),
)
