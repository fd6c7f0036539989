"""Hostile inputs at the reader boundary: each is one error naming it, or a cleaned article."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from reader_helpers import Writer, messages, read_all

from propwatch.errors import InputError
from propwatch.io.readers.clean import (
    MAX_META_DEPTH,
    clean_article,
    display_name,
    escape_controls,
    has_visible_text,
    one_line,
)
from propwatch.io.readers.jsonl import record_to_article
from propwatch.text.article import Article

INVISIBLE_ONLY = ["\u00a0\u00a0", "\u3000", "\u200b\u200c\u200d", "\ufeff\u2060", " \u202e\u2066"]


@pytest.mark.parametrize("text", INVISIBLE_ONLY)
def test_text_of_only_invisible_characters_is_empty(write: Writer, text: str) -> None:
    path = write("blank.txt", text)
    assert messages(read_all([path])) == [
        f"{path}: empty text (only whitespace or invisible characters)"
    ]


def test_visible_text_is_kept_whatever_its_script() -> None:
    assert all(has_visible_text(t) for t in ["\u200ba", "\ufffd", "خبر", "\u0301", "👍"])


def test_utf32_with_its_mark_is_read_as_utf32(write: Writer) -> None:
    path = write("wide.txt", "\ufeffTitle\n\nBody.".encode("utf-32-le"))
    [article] = read_all([path])
    assert isinstance(article, Article)
    assert article.text == "\ufeffTitle\n\nBody." and "warnings" not in article.meta


def test_file_names_are_shown_printable_and_distinct(write: Writer, tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"bad\xff\nname.txt")
    with open(raw, "wb") as stream:
        stream.write(b"Title\n\nBody.")
    [article] = read_all([tmp_path])
    assert isinstance(article, Article)
    assert article.id == "bad\\xff\\x0aname"
    assert article.meta["source"] == f"{tmp_path}/bad\\xff\\x0aname.txt"
    assert display_name("a\u202etxt.exe") == "a\\u202etxt.exe"


def test_links_pipes_and_loops_are_errors_and_reading_goes_on(
    write: Writer, tmp_path: Path
) -> None:
    write("z_good.txt", "Good\n\nBody.")
    os.symlink("loop_b.txt", tmp_path / "loop_a.txt")
    os.symlink("loop_a.txt", tmp_path / "loop_b.txt")
    os.symlink("missing.warc", tmp_path / "dangling.warc")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    os.mkfifo(tmp_path / "fifo.jsonl")
    loop = "cannot read (Too many levels of symbolic links)"
    assert messages(read_all([tmp_path])) == [
        f"{tmp_path}/dangling.warc: cannot read (No such file or directory)",
        f"{tmp_path}/fifo.jsonl: not a regular file (a pipe, device or socket)",
        f"{tmp_path}/loop_a.txt: {loop}",
        f"{tmp_path}/loop_b.txt: {loop}",
        "article z_good",
        f"{tmp_path}/zero.txt: not a regular file (a pipe, device or socket)",
    ]


def test_a_name_too_long_for_the_file_system_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 300 + ".txt")
    assert messages(read_all([path])) == [f"{path}: cannot read (File name too long)"]


def test_a_reader_that_fails_unexpectedly_costs_only_its_input(
    write: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise AssertionError("library bug")

    monkeypatch.setattr("propwatch.io.readers.html._extract", broken)
    page, text = write("a.html", "<p>Page</p>"), write("b.txt", "Title\n\nBody.")
    assert messages(read_all([page, text])) == [
        f"{page}: cannot extract the page (AssertionError: library bug)",
        "article b",
    ]
    monkeypatch.setattr("propwatch.io.readers.txt.decode_text", broken)
    assert messages(read_all([text])) == [f"{text}: cannot read (AssertionError: library bug)"]


def test_an_input_without_articles_says_so(write: Writer, tmp_path: Path) -> None:
    empty = tmp_path / "empty.parquet"
    pq.write_table(
        pa.table({"id": pa.array([], pa.string()), "text": pa.array([], pa.string())}), empty
    )
    crawl = write("garbage.warc", b"WARC/1.0\r\nnot a header\r\n\r\n")
    assert messages(read_all([empty, crawl])) == [
        f"{empty}: no articles in this file",
        f"{crawl}: no articles in this file",
    ]


def test_jsonl_lines_that_python_cannot_parse_are_errors(write: Writer) -> None:
    lines = [
        '{"id": ' + "9" * 5000 + ', "text": "a"}',
        "[" * 100_000,
        '\ufeff{"id": 1, "text": "t"}',
    ]
    path = write("x.jsonl", "\n".join(lines))
    assert messages(read_all([path])) == [
        f"{path}:1: JSON number with more than 4,300 digits",
        f"{path}:2: JSON nested too deeply",
        "article 1",
    ]


def test_lone_surrogates_become_replacement_characters_everywhere(write: Writer) -> None:
    line = '{"id": "a\\ud800", "text": "x\\udfffy", "title": "t\\ud800", "k\\ud800": "v\\udc00"}'
    path = write("s.jsonl", line)
    [article] = read_all([path])
    assert isinstance(article, Article)
    assert (article.id, article.text, article.title) == ("a\\ud800", "x\ufffdy", "t\ufffd")
    assert article.meta["k\ufffd"] == "v\ufffd"
    assert article.meta["warnings"] == [
        f"{path}:1: lone surrogates (invalid UTF-16 halves) replaced with U+FFFD"
    ]


def test_a_records_own_reader_keys_are_not_taken_as_propwatchs() -> None:
    record = {"id": "w", "text": "Body.", "warnings": 5, "source": "/etc/passwd", "reader": [1]}
    article = record_to_article(record, "x.jsonl:1", [])
    assert article.meta == {"source": "x.jsonl:1", "reader": "jsonl"}


def test_metadata_must_be_shallow_json() -> None:
    deep: list[object] = []
    for _ in range(MAX_META_DEPTH + 1):
        deep = [deep]
    article = Article(id="d", text="Body.", meta={"source": "d.jsonl:1", "deep": deep})
    with pytest.raises(
        InputError, match=f"d.jsonl:1: metadata nested deeper than {MAX_META_DEPTH}"
    ):
        clean_article(article)
    with pytest.raises(InputError, match="metadata is not plain JSON data"):
        clean_article(Article(id="o", text="Body.", meta={"x": object()}))


def test_parquet_metadata_of_any_type_becomes_text(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    table = {"id": [7], "text": ["Body."], "title": [1], "url": [{"host": "a"}], "outlet": [1.5]}
    pq.write_table(pa.table(table), path)
    [article] = read_all([path])
    assert isinstance(article, Article)
    assert (article.id, article.title, article.url, article.outlet) == (
        "7",
        "1",
        json.dumps({"host": "a"}),
        "1.5",
    )


def test_messages_stay_on_one_bounded_line() -> None:
    assert one_line("a\nb\x1b[31m\u202ec") == "a b\\x1b[31m\\u202ec"
    long = one_line("/in/" + "x" * 500 + ": the reason")
    assert len(long) == 300 and long.startswith("/in/xxx") and long.endswith(": the reason")
    assert escape_controls("\ud800") == "\\ud800"
