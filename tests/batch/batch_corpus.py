"""Corpora written by the tests themselves: text files, JSONL, Parquet and WARC."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Team-written sentences; each article combines them differently so every text is distinct.
SENTENCES = [
    "The council met on Tuesday to discuss the new budget for schools.",
    "Critics called the plan a disaster that would ruin the town.",
    '"We will never surrender our values," the mayor told reporters.',
    "According to the report, spending rose by four percent last year.",
    "Residents are worried about the closure of the old library.",
    "Officials insisted that the decision was final and fair.",
]


def article_text(number: int) -> str:
    """Title line, empty line, then three sentences chosen by ``number``."""
    body = " ".join(SENTENCES[(number + k) % len(SENTENCES)] for k in range(3))
    return f"Town news number {number}\n\n{body}\nArticle {number} ends here."


def page_html(title: str, paragraphs: Sequence[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>(c) Example</footer></body></html>"
    ).encode()


def write_warc(path: Path, pages: Sequence[tuple[str, bytes, str]], *, gzip: bool = True) -> bytes:
    """Write ``(url, body, content type)`` responses plus one request record; returns the bytes."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    request = writer.create_warc_record(
        pages[0][0], "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
    )
    writer.write_record(request)
    for url, body, content_type in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def news_pages(count: int) -> list[tuple[str, bytes, str]]:
    """``count`` HTML news pages on example.org, each with six distinct paragraphs."""
    return [
        (
            f"https://news.example.org/story-{n}",
            page_html(
                f"Story {n} headline",
                [f"{s} (story {n}, part {k})" for k, s in enumerate(SENTENCES)],
            ),
            "text/html; charset=utf-8",
        )
        for n in range(count)
    ]


def write_parquet(path: Path, rows: list[dict[str, object]]) -> None:
    pq.write_table(pa.Table.from_pylist(rows), path)


def write_jsonl(path: Path, records: Sequence[dict[str, object] | str]) -> None:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
