"""WARC files from news crawls: one article per HTML response, main text from trafilatura.

Records are read one at a time with warcio (plain or gzipped WARC), so a crawl file of any size
runs in bounded memory. Only ``response`` and ``resource`` records with an HTML content type and
HTTP status 200 are articles; requests, metadata, redirects and images are passed over. The
stored text is laid out like the HTML reader's (title, empty line, paragraphs). The article id is
the record's ``WARC-Record-ID`` (``urn:uuid:...``), stable across reruns.

A page without extractable text is an :class:`~propwatch.errors.InputError` naming
``file@offset``; a record cut short (a truncated download) ends the file with an InputError,
because nothing after it can be trusted.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from propwatch import registry
from propwatch.errors import InputError
from propwatch.io.readers.base import Reader, ReadOptions
from propwatch.io.readers.clean import display_name
from propwatch.io.readers.html import extract_page
from propwatch.io.readers.source import Source
from propwatch.text.article import Article

ARTICLE_RECORD_TYPES = frozenset({"response", "resource"})
# warcio raises these (and its ArchiveLoadFailed, AttributeError among them) on records whose
# headers are cut or garbled.
_BROKEN_RECORD = (ValueError, AttributeError, EOFError, OSError, zlib.error)


def _is_html_page(record: Any) -> bool:
    if record.rec_type not in ARTICLE_RECORD_TYPES:
        return False
    if record.http_headers is not None:
        if record.http_headers.get_statuscode() != "200":
            return False
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    return "html" in content_type.lower()


def _is_complete(record: Any) -> bool:
    """False when the record's declared length was not all there (a truncated file)."""
    from warcio.limitreader import LimitReader

    stream = record.raw_stream
    return isinstance(stream, LimitReader) and stream.limit == 0


def _article(record: Any, html: bytes, where: str) -> Article:
    page = extract_page(html, where)
    url = record.rec_headers.get_header("WARC-Target-URI")
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or where).strip("<>")
    return Article(
        id=record_id,
        text=page.text,
        title=page.title,
        url=url,
        outlet=page.outlet or (urlsplit(url).hostname if url else None),
        published=page.published,
        language=page.language,
        meta={
            "source": where,
            "reader": "warc",
            "crawled": record.rec_headers.get_header("WARC-Date"),
        },
    )


def _iter_records(stream: BinaryIO, name: str) -> Iterator[Article | InputError]:
    # Imported here, like pyarrow by the Parquet reader: only WARC input needs warcio, and
    # every command that reads articles imports this module.
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(stream)
    # warcio writes a three-line note straight to stderr when a record's Content-Length is
    # wrong; the broken record is reported as an InputError instead, and stray lines would
    # break the CLI's one line per problem.
    records.INC_RECORD = ""
    where = f"{name}@0"
    try:
        for record in records:
            if not _is_html_page(record):
                continue
            html = record.content_stream().read()
            complete = _is_complete(record)
            # Only after the content is read: asking for the offset skips to the record's end.
            where = f"{name}@{records.get_record_offset()}"
            if not complete:
                raise InputError(where, "truncated WARC record (the file ends inside it)")
            try:
                yield _article(record, html, where)
            except InputError as error:
                yield error
    except (ArchiveLoadFailed, *_BROKEN_RECORD) as error:
        raise InputError(where, f"broken WARC record ({type(error).__name__}: {error})") from None


def read_warc(source: Source, options: ReadOptions) -> Iterator[Article | InputError]:
    """Yield one article per HTML page of a WARC file held in memory."""
    yield from _iter_records(io.BytesIO(source.data), source.name)


def stream_warc(path: Path, options: ReadOptions) -> Iterator[Article | InputError]:
    """Yield one article per HTML page, reading ``path`` record by record."""
    name = display_name(path)
    try:
        stream = path.open("rb")
    except OSError as error:
        raise InputError(name, f"cannot read ({error.strerror})") from None
    with stream:
        yield from _iter_records(stream, name)


registry.readers.add(
    "warc",
    Reader(
        name="warc",
        suffixes=(".warc", ".warc.gz"),
        read=read_warc,
        stream=stream_warc,
        description="WARC crawl file; main text of each HTML page extracted with trafilatura",
    ),
)
