"""HTML pages through trafilatura: stored text layout and metadata."""

from __future__ import annotations

from reader_helpers import Writer, messages, read_all

from propwatch.io.readers.html import layout_text
from propwatch.text.article import Article

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Harbour bridge to close for repairs | The Example Gazette</title>
<link rel="canonical" href="https://gazette.example/news/bridge-repairs">
<meta property="og:site_name" content="The Example Gazette">
<meta property="og:title" content="Harbour bridge to close for repairs">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article>
<h1>Harbour bridge to close for repairs</h1>
<p>The harbour bridge will close for six weeks from Monday, the city's transport office said
on Tuesday, while engineers replace worn cables.</p>
<p>Drivers should use the ring road instead, and extra ferries will run every twenty minutes
during the morning and evening rush.</p>
<p>&ldquo;We know this is a nuisance, but safety comes first,&rdquo; a spokeswoman said.</p>
</article>
<footer>&copy; 2024 The Example Gazette. All rights reserved.</footer>
</body></html>"""

EXPECTED_TEXT = (
    "Harbour bridge to close for repairs\n\n"
    "The harbour bridge will close for six weeks from Monday, the city's transport office said "
    "on Tuesday, while engineers replace worn cables.\n\n"
    "Drivers should use the ring road instead, and extra ferries will run every twenty minutes "
    "during the morning and evening rush.\n\n"
    "\u201cWe know this is a nuisance, but safety comes first,\u201d a spokeswoman said."
)


def test_page_gives_main_text_in_newspaper_layout_and_metadata(write: Writer) -> None:
    path = write("bridge.html", PAGE)
    (article,) = read_all([path])
    assert article == Article(
        id="bridge",
        text=EXPECTED_TEXT,  # no navigation, no footer; title repeated by <h1> appears once
        title="Harbour bridge to close for repairs",
        url="https://gazette.example/news/bridge-repairs",
        outlet="The Example Gazette",
        published="2024-03-05",
        language="en",
        meta={"source": str(path), "reader": "html"},
    )


def test_htm_suffix_and_upper_case_suffix_are_html(write: Writer) -> None:
    first = write("a.htm", PAGE)
    second = write("b.HTML", PAGE)
    assert messages(read_all([first, second])) == ["article a", "article b"]


def test_page_without_article_text_is_an_error(write: Writer) -> None:
    path = write("empty.html", "<html><head><title>Nothing</title></head><body></body></html>")
    assert messages(read_all([path])) == [f"{path}: no article text found in the HTML"]


def test_binary_file_named_html_is_an_error(write: Writer) -> None:
    path = write("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert messages(read_all([path])) == [f"{path}: binary file (contains NUL bytes), not text"]


def test_layout_text_drops_a_repeated_title_and_blank_lines() -> None:
    assert layout_text("Head", "Head\n  First  \n\nSecond") == "Head\n\nFirst\n\nSecond"
    assert layout_text(None, "First\nSecond") == "First\n\nSecond"


def test_page_in_a_declared_legacy_charset_is_decoded(write: Writer) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("&ldquo;", "\u201c").replace("&rdquo;", "\u201d")
    (article,) = read_all([write("legacy.html", page.encode("cp1252"))])
    assert article.text == EXPECTED_TEXT


def test_page_saved_as_utf16_with_a_byte_order_mark_is_decoded(write: Writer) -> None:
    path = write("bridge.html", ("\ufeff" + PAGE).encode("utf-16-le"))
    (article,) = read_all([path])
    assert isinstance(article, Article)
    assert article.text == EXPECTED_TEXT
