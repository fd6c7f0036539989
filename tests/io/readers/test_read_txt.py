"""Plain-text and PTC/SemEval-layout articles: ids, titles, exact text."""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_helpers import Writer, messages, read_all

from propwatch.errors import InputError, UnknownNameError
from propwatch.io.readers import ReadOptions
from propwatch.text.article import Article

PTC_TEXT = "Harbour bridge to close\r\n\r\nThe bridge closes on Monday.\r\n"


def test_ptc_layout_file_keeps_exact_text_and_uses_the_digits_as_id(write: Writer) -> None:
    path = write("article111222333.txt", PTC_TEXT.encode("utf-8"))
    (article,) = read_all([path])
    assert article == Article(
        id="111222333",
        text=PTC_TEXT,  # CRLF kept: label offsets count the \r
        title="Harbour bridge to close",
        meta={"source": str(path), "reader": "txt"},
    )


def test_ptc_title_is_line_one_even_without_an_empty_line_after_it(write: Writer) -> None:
    (article,) = read_all([write("article5.txt", "Headline\nSubtitle line\n\nBody")])
    assert (article.id, article.title) == ("5", "Headline")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Headline\n\nBody", "Headline"),
        ("  Headline \r\n\r\nBody", "Headline"),
        ("Just one line of text", None),
        ("Headline\n", None),
        ("First line\nsecond line\n\nBody", None),
        ("\n\nBody after empty lines", None),
        (" ".join(["word"] * 41) + "\n\nBody", None),  # a paragraph, longer than any headline
    ],
)
def test_plain_text_title_is_line_one_only_when_an_empty_line_follows(
    write: Writer, text: str, title: str | None
) -> None:
    (article,) = read_all([write("notes.txt", text)])
    assert (article.id, article.title, article.text) == ("notes", title, text)


@pytest.mark.parametrize(
    ("file_name", "id_from", "expected"),
    [
        ("article123.txt", "auto", "123"),
        ("EN_UA_DEV_100012.txt", "auto", "EN_UA_DEV_100012.txt"),
        ("EN_CC_100000.txt", "auto", "EN_CC_100000.txt"),
        ("my.story.txt", "auto", "my.story"),
        ("article123.txt", "stem", "article123"),
        ("article123.txt", "name", "article123.txt"),
        ("EN_UA_DEV_100012.txt", "digits", "100012"),
        ("EN_UA_DEV_100012.txt", "stem", "EN_UA_DEV_100012"),
    ],
)
def test_id_rules(write: Writer, file_name: str, id_from: str, expected: str) -> None:
    (article,) = read_all([write(file_name, "Some text")], ReadOptions(id_from=id_from))
    assert article.id == expected


def test_digits_rule_without_digits_is_an_input_error(write: Writer) -> None:
    path = write("story.txt", "Some text")
    assert messages(read_all([path], ReadOptions(id_from="digits"))) == [
        f"{path}: no id in the file name for --id-from digits"
    ]


def test_unknown_id_rule_stops_before_reading(tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError) as caught:
        read_all([tmp_path], ReadOptions(id_from="hash"))
    assert str(caught.value) == "unknown id rule 'hash'; choose one of: auto, digits, name, stem"


def test_byte_order_mark_stays_in_the_text(write: Writer) -> None:
    (article,) = read_all([write("bom.txt", b"\xef\xbb\xbfTitle\n\nBody")])
    assert article.text == "\ufeffTitle\n\nBody"


def test_invalid_utf8_is_replaced_with_a_warning_naming_the_file(write: Writer) -> None:
    path = write("latin.txt", b"Caf\xe9 society\n\nBody \xff\xfe end")
    (article,) = read_all([path])
    assert article.text == "Caf\ufffd society\n\nBody \ufffd\ufffd end"
    assert article.meta["warnings"] == [
        f"{path}: invalid UTF-8 at byte 3; undecodable bytes were replaced with U+FFFD"
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t\n", "empty file"),
        (b"GIF89a\x01\x00\x01\x00\x00\xff", "binary file (contains NUL bytes), not text"),
    ],
)
def test_unreadable_text_files(write: Writer, data: bytes, reason: str) -> None:
    path = write("bad.txt", data)
    (error,) = read_all([path])
    assert isinstance(error, InputError)
    assert (error.source, error.reason, str(error)) == (str(path), reason, f"{path}: {reason}")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_decoded(write: Writer, codec: str) -> None:
    path = write("article5.txt", "\ufeffTitle \u00e9\n\nBody \U0001f600 end.".encode(codec))
    (article,) = read_all([path])
    assert isinstance(article, Article)
    # the mark stays as U+FEFF, exactly as a UTF-8 mark does, so offsets agree across encodings
    assert article.text == "\ufeffTitle \u00e9\n\nBody \U0001f600 end."
    assert "warnings" not in article.meta


def test_utf16_without_a_byte_order_mark_is_refused_as_binary(write: Writer) -> None:
    (error,) = read_all([write("bad.txt", "Title\n\nBody".encode("utf-16-le"))])
    assert isinstance(error, InputError)
    assert error.reason == "binary file (contains NUL bytes), not text"


def test_a_20_mb_file_reads_whole(write: Writer) -> None:
    line = "Word " * 19 + "end.\n"  # 100 characters
    text = "Big file\n\n" + line * 200_000  # 20,000,010 characters
    (article,) = read_all([write("article9.txt", text)])
    assert (article.id, len(article.text), article.text[-5:]) == ("9", 20_000_010, "end.\n")


def test_size_limit_refuses_a_larger_file(write: Writer) -> None:
    path = write("big.txt", "x" * 2_500_000)
    assert messages(read_all([path], ReadOptions(max_bytes=1_000_000))) == [
        f"{path}: input is 2.5 MB, above the 1.0 MB limit"
    ]
