"""The Parquet and WARC readers, through the same ``read_inputs`` every command uses."""

from __future__ import annotations

from pathlib import Path

from batch_corpus import news_pages, write_parquet, write_warc

from propwatch.errors import InputError
from propwatch.io.readers import ReadOptions, read_inputs
from propwatch.io.readers.base import Reader
from propwatch.io.readers.source import Source
from propwatch.io.readers.warc import read_warc
from propwatch.registry import readers


def _describe(items: list) -> list[tuple[str, str]]:
    return [
        ("error", str(i)) if isinstance(i, InputError) else (i.id, i.text.split("\n")[0])
        for i in items
    ]


def test_parquet_rows_become_articles_with_configured_columns(tmp_path: Path) -> None:
    path = tmp_path / "news.parquet"
    write_parquet(
        path,
        [
            {"url": "https://a.example/1", "body": "Title one\n\nBody one.", "outlet": "A"},
            {"url": "https://a.example/2", "body": "   ", "outlet": "A"},
            {"url": None, "body": "Title three\n\nBody three.", "outlet": "B"},
        ],
    )
    options = ReadOptions(text_column="body", id_column="url")
    items = list(read_inputs([str(path)], options=options))
    assert _describe(items) == [
        ("https://a.example/1", "Title one"),
        ("error", f"{path}:2: no text in column 'body'"),
        ("error", f"{path}:3: no id in column 'url'"),
    ]
    first = items[0]
    assert (first.text, first.outlet, first.url, first.meta["source"]) == (
        "Title one\n\nBody one.",
        "A",
        "https://a.example/1",
        f"{path}:1",
    )


def test_parquet_without_the_text_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "news.parquet"
    write_parquet(path, [{"id": "1", "content": "x"}])
    items = list(read_inputs([str(path)]))
    assert _describe(items) == [
        ("error", f"{path}: no column 'text' (columns: content, id); name one with --text-column")
    ]


def test_warc_html_responses_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    pages = news_pages(2)
    pages.insert(1, ("https://news.example.org/logo.png", b"\x89PNG\r\n", "image/png"))
    write_warc(path, pages)
    items = list(read_inputs([str(path)]))
    assert [(i.url, i.title, i.outlet) for i in items] == [
        ("https://news.example.org/story-0", "Story 0 headline", "news.example.org"),
        ("https://news.example.org/story-1", "Story 1 headline", "news.example.org"),
    ]
    text = items[0].text
    assert text.startswith("Story 0 headline\n\nThe council met on Tuesday")
    assert "Home | World" not in text
    assert items[0].id.startswith("urn:uuid:")
    assert items[0].meta["reader"] == "warc"


def test_truncated_warc_keeps_earlier_records_and_names_the_cut(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc", news_pages(3), gzip=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: len(whole) - 300])  # inside the last record's HTML
    items = list(read_inputs([str(cut)]))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "InputError"]
    assert str(items[2]).startswith(f"{cut}@")
    assert str(items[2]).endswith(": truncated WARC record (the file ends inside it)")


def test_warc_page_without_article_text_is_an_error_for_that_page_only(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    empty = ("https://news.example.org/empty", b"<html><body></body></html>", "text/html")
    write_warc(path, [empty, *news_pages(1)], gzip=False)
    items = list(read_warc(Source(str(path), path.read_bytes(), path), ReadOptions()))
    assert [type(i).__name__ for i in items] == ["InputError", "Article"]
    assert str(items[0]).endswith(": no article text found in the HTML")


def test_streaming_readers_are_registered() -> None:
    for name, suffixes in [("parquet", (".parquet",)), ("warc", (".warc", ".warc.gz"))]:
        reader: Reader = readers.get(name)
        assert (reader.suffixes, reader.stream is not None) == (suffixes, True)
