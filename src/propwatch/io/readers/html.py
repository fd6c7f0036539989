"""Web pages: the main text, title, date and site name, extracted with trafilatura.

The stored text is what trafilatura extracts, laid out like the newspaper3k articles of PTC and
SemEval: the title, an empty line, then the paragraphs separated by empty lines. Offsets refer to
that stored text, never to the HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from propwatch import registry
from propwatch.errors import InputError
from propwatch.io.readers.base import Reader, ReadOptions, article_id, source_meta
from propwatch.io.readers.source import Source, check_not_binary, decode_text, is_wide_unicode
from propwatch.text.article import Article


def _extract(data: bytes | str) -> Any:
    # Imported here: trafilatura (lxml, htmldate, justext) takes a second to import, and most
    # runs read no HTML at all.
    import trafilatura

    return trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)


def layout_text(title: str | None, body: str) -> str:
    """Join a title and extracted body in the newspaper3k layout.

    Parameters
    ----------
    title : str or None
        The headline; dropped from the body's first line when the page repeats it there.
    body : str
        Extracted text, one paragraph per line.

    Returns
    -------
    str
        ``title + "\\n\\n" + paragraphs joined by "\\n\\n"`` (without the title part when None).
    """
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return "\n\n".join(([title] if title else []) + paragraphs)


@dataclass(frozen=True, slots=True)
class Page:
    """What trafilatura found in one HTML page (fields None when the page does not say)."""

    title: str | None
    text: str  # title and paragraphs in the newspaper3k layout (see :func:`layout_text`)
    language: str  # ISO 639-1 code, ``"en"`` when unknown
    url: str | None
    outlet: str | None  # site name
    published: str | None


def extract_page(data: bytes | str, where: str) -> Page:
    """Extract the article of an HTML page.

    Raises
    ------
    InputError
        Naming ``where``, when the page has no article text or the extractor fails on it.
    """
    try:
        document = _extract(data)
    except Exception as error:  # trafilatura, lxml and htmldate raise anything on hostile pages
        reason = f"cannot extract the page ({type(error).__name__}: {error})"
        raise InputError(where, reason) from None
    body = (document.text or "") if document is not None else ""
    if not body.strip():
        raise InputError(where, "no article text found in the HTML")
    title = (document.title or "").strip() or None
    return Page(
        title=title,
        text=layout_text(title, body),
        language=(document.language or "en").split("-")[0].lower(),
        url=document.url or None,
        outlet=document.sitename or None,
        published=document.date or None,
    )


def read_html(source: Source, options: ReadOptions) -> Iterator[Article | InputError]:
    """Yield the article extracted from one HTML page."""
    check_not_binary(source.data, source.name)
    # trafilatura finds a page's charset in its bytes, except UTF-16/32, which only the mark tells
    wide = is_wide_unicode(source.data)
    content, warnings = decode_text(source.data, source.name) if wide else (source.data, [])
    page = extract_page(content, source.name)
    yield Article(
        id=article_id(source, options),
        text=page.text,
        title=page.title,
        url=page.url,
        outlet=page.outlet,
        published=page.published,
        language=page.language,
        meta=source_meta(source, "html", warnings),
    )


registry.readers.add(
    "html",
    Reader(
        name="html",
        suffixes=(".html", ".htm"),
        read=read_html,
        description="web page; main text, title, date and site name extracted with trafilatura",
    ),
)
