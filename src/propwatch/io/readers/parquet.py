"""Parquet tables with one article per row: a text column, an id column, optional metadata.

The text and id columns are named by ``ReadOptions.text_column`` / ``id_column`` (``--text-column``,
``--id-column``); columns named like the JSONL fields (``title``, ``url``, ``outlet``,
``published``, ``language``) fill the same Article fields, as text whatever their type. Rows
are read one record batch at a time, so a table of any size runs in bounded memory. A row
without text becomes an :class:`~propwatch.errors.InputError` naming ``file:row`` (rows count
from 1).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from propwatch import registry
from propwatch.errors import InputError
from propwatch.io.readers.base import Reader, ReadOptions
from propwatch.io.readers.clean import display_name
from propwatch.io.readers.jsonl import OPTIONAL_FIELDS
from propwatch.io.readers.source import Source
from propwatch.text.article import Article

if TYPE_CHECKING:
    import pyarrow.parquet as pq

_BATCH_ROWS = 256  # rows per record batch: a few MB of news text


def _open(stream: str | BinaryIO, name: str) -> pq.ParquetFile:
    # Imported here: only Parquet input needs pyarrow (0.1 s to import), and every command
    # that reads articles imports this module.
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(stream)
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(name, f"not a readable Parquet file ({error})") from None


def _check_columns(table: pq.ParquetFile, name: str, options: ReadOptions) -> list[str]:
    present = set(table.schema_arrow.names)
    for column, option in (
        (options.text_column, "--text-column"),
        (options.id_column, "--id-column"),
    ):
        if column not in present:
            raise InputError(
                name,
                f"no column {column!r} (columns: {', '.join(sorted(present))}); "
                f"name one with {option}",
            )
    extras = [field for field in OPTIONAL_FIELDS if field in present]
    return [options.text_column, options.id_column, *extras]


def _as_text(value: Any) -> str | None:
    """A cell as Article metadata text, whatever the column's type: dates and timestamps as ISO
    8601, structs and lists as JSON, numbers as written; None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _row_article(row: dict[str, Any], where: str, options: ReadOptions) -> Article:
    text = row[options.text_column]
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, f"no text in column {options.text_column!r}")
    article_id = _as_text(row[options.id_column])
    if not article_id:
        raise InputError(where, f"no id in column {options.id_column!r}")
    fields = {key: _as_text(row.get(key)) for key in OPTIONAL_FIELDS}
    return Article(
        id=article_id,
        text=text,
        title=fields["title"],
        url=fields["url"],
        outlet=fields["outlet"],
        published=fields["published"],
        language=fields["language"] or "en",
        meta={"source": where, "reader": "parquet"},
    )


def _iter_rows(
    stream: str | BinaryIO, name: str, options: ReadOptions
) -> Iterator[Article | InputError]:
    import pyarrow as pa

    table = _open(stream, name)
    columns = _check_columns(table, name, options)
    number = 0
    try:
        for batch in table.iter_batches(batch_size=_BATCH_ROWS, columns=columns):
            for row in batch.to_pylist():
                number += 1
                try:
                    yield _row_article(row, f"{name}:{number}", options)
                except InputError as error:
                    yield error
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(name, f"broken Parquet data after row {number} ({error})") from None


def read_parquet(source: Source, options: ReadOptions) -> Iterator[Article | InputError]:
    """Yield one article per row of a Parquet file held in memory (stdin, small files)."""
    yield from _iter_rows(io.BytesIO(source.data), source.name, options)


def stream_parquet(path: Path, options: ReadOptions) -> Iterator[Article | InputError]:
    """Yield one article per row, reading ``path`` one record batch at a time."""
    yield from _iter_rows(str(path), display_name(path), options)


registry.readers.add(
    "parquet",
    Reader(
        name="parquet",
        suffixes=(".parquet",),
        read=read_parquet,
        stream=stream_parquet,
        description="Parquet table, one article per row (--text-column, --id-column)",
    ),
)
