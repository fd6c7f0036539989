"""JSON Lines input: records, per-line errors that name file:line, gzip, stdin."""

from __future__ import annotations

import gzip
import json

import pytest
from reader_helpers import Writer, messages, read_all

from propwatch.io.readers import ReadOptions
from propwatch.text.article import Article

GOOD = {
    "id": "a1",
    "text": "Title\r\n\r\nBody \U0001f600 text.",
    "title": "Title",
    "url": "https://news.example/a1",
    "outlet": "News Example",
    "published": "2024-01-02",
    "topic": "transport",
}


def lines(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_record_becomes_an_article_with_extra_keys_in_meta(write: Writer) -> None:
    path = write("batch.jsonl", lines(GOOD, {"id": 7, "text": "Second"}))
    first, second = read_all([path])
    assert first == Article(
        id="a1",
        text=GOOD["text"],
        title="Title",
        url="https://news.example/a1",
        outlet="News Example",
        published="2024-01-02",
        meta={"topic": "transport", "source": f"{path}:1", "reader": "jsonl"},
    )
    assert (second.id, second.text, second.title) == ("7", "Second", None)


def test_bad_lines_are_errors_naming_file_and_line_and_other_lines_are_read(
    write: Writer,
) -> None:
    path = write(
        "mixed.jsonl",
        lines(
            {"id": "ok1", "text": "Fine."},
            "this is not json",
            '{"id": "x", "text": "unterminated}',
            '["a", "list"]',
            {"text": "no id"},
            {"id": True, "text": "boolean id"},
            {"id": "t", "text": ""},
            {"id": "u", "text": "Fine.", "url": 5},
            "",
            {"id": "ok2", "text": "Also fine."},
        ),
    )
    assert messages(read_all([path])) == [
        "article ok1",
        f"{path}:2: not valid JSON at column 1: Expecting value",
        f"{path}:3: not valid JSON at column 21: Unterminated string starting",
        f"{path}:4: expected a JSON object, got list",
        f'{path}:5: missing "id" (a non-empty string or integer)',
        f'{path}:6: missing "id" (a non-empty string or integer)',
        f'{path}:7: missing "text" (a non-empty string)',
        f'{path}:8: "url" must be a string or null',
        "article ok2",  # line 9 is blank and skipped
    ]


def test_invalid_utf8_in_a_line_warns_with_file_and_line(write: Writer) -> None:
    path = write("latin.jsonl", b'{"id": "1", "text": "ok"}\n{"id": "2", "text": "caf\xe9"}\n')
    first, second = read_all([path])
    assert "warnings" not in first.meta
    assert second.text == "caf\ufffd"
    assert second.meta["warnings"] == [
        f"{path}:2: invalid UTF-8 at byte 24; undecodable bytes were replaced with U+FFFD"
    ]


def test_gzipped_jsonl(write: Writer) -> None:
    path = write("batch.jsonl.gz", gzip.compress(lines(GOOD).encode("utf-8")))
    (article,) = read_all([path])
    assert (article.id, article.text) == ("a1", GOOD["text"])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\n\n", "empty file"),
        (b'{"id": "1"}\x00\n', "binary file (contains NUL bytes), not text"),
    ],
)
def test_unreadable_jsonl_files(write: Writer, data: bytes, reason: str) -> None:
    path = write("bad.jsonl", data)
    assert messages(read_all([path])) == [f"{path}: {reason}"]


def test_stdin_as_jsonl_with_the_format_option() -> None:
    data = lines(GOOD, "oops").encode("utf-8")
    assert messages(read_all(["-"], ReadOptions(format="jsonl"), stdin=data)) == [
        "article a1",
        "<stdin>:2: not valid JSON at column 1: Expecting value",
    ]


def test_gzipped_stdin_is_decompressed_within_the_size_limit() -> None:
    data = gzip.compress(lines({"id": "z", "text": "x" * 5000}).encode("utf-8"))
    options = ReadOptions(format="jsonl", max_bytes=1000)
    assert len(data) < 1000
    assert messages(read_all(["-"], options, stdin=data)) == [
        "<stdin>: decompressed data is above the 1,000 bytes limit"
    ]
