"""JSON Lines: one article per line, ``{"id", "text", "title"?, "url"?, "outlet"?, ...}``.

A line that is not a valid record becomes an :class:`InputError` naming ``file:line``; the other
lines are still read. ``.jsonl.gz`` files are decompressed first (size limit applies after).
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from propwatch import registry
from propwatch.errors import InputError
from propwatch.io.readers.base import Reader, ReadOptions
from propwatch.io.readers.clean import display_name
from propwatch.io.readers.source import Source, check_not_binary, decode_text, describe_size
from propwatch.text.article import Article

# Optional string fields copied onto Article; any other key goes to Article.meta.
OPTIONAL_FIELDS = ("title", "url", "outlet", "published", "language")
# Meta keys that readers write; a record's own values for them are dropped, so that, say, a
# "warnings" field is never printed as if propwatch had raised it.
RESERVED_META = frozenset({"source", "reader", "warnings"})
_GZIP_MAGIC = b"\x1f\x8b"


def _decompress(source: Source, options: ReadOptions) -> bytes:
    if not source.data.startswith(_GZIP_MAGIC):
        return source.data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(source.data)) as stream:
            data = stream.read(options.max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(source.name, f"broken gzip data ({error})") from None
    if len(data) > options.max_bytes:
        raise InputError(
            source.name, f"decompressed data is above the {describe_size(options.max_bytes)} limit"
        )
    return data


def record_to_article(record: Any, where: str, warnings: list[str]) -> Article:
    """Check one decoded JSON value and build its :class:`Article`.

    Parameters
    ----------
    record : Any
        The parsed JSON value of one line.
    where : str
        ``file:line``, the source named by errors and stored in ``meta["source"]``.
    warnings : list of str
        Decoding warnings for this line, stored in ``meta["warnings"]``.

    Raises
    ------
    InputError
        When the value is not an object, or ``id``/``text``/an optional field has the wrong type.
    """
    if not isinstance(record, Mapping):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    article_id = record.get("id")
    if isinstance(article_id, bool) or not isinstance(article_id, str | int) or article_id == "":
        raise InputError(where, 'missing "id" (a non-empty string or integer)')
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, 'missing "text" (a non-empty string)')
    fields: dict[str, str | None] = {}
    for key in OPTIONAL_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(where, f'"{key}" must be a string or null')
        fields[key] = value
    own = {"id", "text", *OPTIONAL_FIELDS, *RESERVED_META}
    extra = {k: v for k, v in record.items() if k not in own}
    meta: dict[str, Any] = {**extra, "source": where, "reader": "jsonl"}
    if warnings:
        meta["warnings"] = warnings
    return Article(
        id=str(article_id),
        text=text,
        title=fields["title"],
        url=fields["url"],
        outlet=fields["outlet"],
        published=fields["published"],
        language=fields["language"] or "en",
        meta=meta,
    )


def _parse_lines(lines: Iterable[bytes], name: str) -> Iterator[Article | InputError]:
    """One article (or one :class:`InputError`) per non-blank line of the file ``name``."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        line, warnings = decode_text(raw.rstrip(b"\r\n"), where)
        line = line.removeprefix("\ufeff")  # a byte-order mark, as Windows tools write
        try:
            yield record_to_article(_parse(line, where), where, warnings)
        except InputError as error:
            yield error


def _parse(line: str, where: str) -> Any:
    """The JSON value of one line; :class:`InputError` when it is not JSON propwatch can hold."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        reason = error.msg.removesuffix(" at")  # "Unterminated string starting at"
        raise InputError(where, f"not valid JSON at column {error.colno}: {reason}") from None
    except RecursionError:
        raise InputError(where, "JSON nested too deeply") from None
    except ValueError:  # the only other failure: Python's limit on integer digits
        raise InputError(where, "JSON number with more than 4,300 digits") from None


def read_jsonl(source: Source, options: ReadOptions) -> Iterator[Article | InputError]:
    """Yield one article (or one :class:`InputError`) per non-blank line."""
    data = _decompress(source, options)
    check_not_binary(data, source.name)
    yield from _parse_lines(data.split(b"\n"), source.name)


def stream_jsonl(path: Path, options: ReadOptions) -> Iterator[Article | InputError]:
    """Like :func:`read_jsonl`, reading ``path`` line by line (any size, bounded memory)."""
    name = display_name(path)
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
        with gzip.open(path, "rb") if gzipped else path.open("rb") as stream:
            check_not_binary(stream.peek(8192)[:8192], name)
            yield from _parse_lines(stream, name)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(name, f"cannot read ({error})") from None


registry.readers.add(
    "jsonl",
    Reader(
        name="jsonl",
        suffixes=(".jsonl", ".jsonl.gz"),
        read=read_jsonl,
        stream=stream_jsonl,
        description='JSON Lines, one {"id", "text", "title"?, "url"?, ...} object per line',
    ),
)
