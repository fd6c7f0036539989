"""Plain-text articles, including the PTC/SemEval layout (title, empty line, body).

The whole file is the article text, exactly as stored: the title line stays in the text, CRLF
stays CRLF, so label offsets counted on the file apply unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator

from propwatch import registry
from propwatch.errors import InputError
from propwatch.io.readers.base import (
    Reader,
    ReadOptions,
    article_id,
    is_ptc_name,
    source_meta,
)
from propwatch.io.readers.source import Source, check_not_binary, decode_text
from propwatch.text.article import Article
from propwatch.text.segment import fits_a_headline


def title_of(text: str, *, first_line_is_title: bool) -> str | None:
    """The headline of a plain-text article, or None.

    Parameters
    ----------
    text : str
        The article text.
    first_line_is_title : bool
        True for the PTC/SemEval layout, where line 1 is the title even when line 2 is not empty.
        Otherwise line 1 is the title only when an empty line follows it (newspaper3k layout)
        and it is no longer than a headline (:func:`~propwatch.text.segment.fits_a_headline`):
        a long first paragraph is not shown as a heading.

    Returns
    -------
    str or None
        Line 1 without surrounding whitespace; None when it is blank or not a title.
    """
    lines = text.split("\n", 2)
    title = lines[0].strip()
    if not title:
        return None
    if first_line_is_title:
        return title
    followed_by_blank = len(lines) > 2 and not lines[1].strip()
    return title if followed_by_blank and fits_a_headline(title) else None


def read_txt(source: Source, options: ReadOptions) -> Iterator[Article | InputError]:
    """Yield the one article stored in a text file (see :func:`title_of` for the title)."""
    check_not_binary(source.data, source.name)
    text, warnings = decode_text(source.data, source.name)
    yield Article(
        id=article_id(source, options),
        text=text,
        title=title_of(text, first_line_is_title=is_ptc_name(source.file_name)),
        meta=source_meta(source, "txt", warnings),
    )


registry.readers.add(
    "txt",
    Reader(
        name="txt",
        suffixes=(".txt",),
        read=read_txt,
        description="plain text; article<ID>.txt files follow the PTC/SemEval layout",
    ),
)
