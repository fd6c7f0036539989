"""Lines, paragraphs and chunks of an article text, by pure string work (no model).

Lines are cut at ``"\\n"`` only, as SemEval-2023 numbers them; a trailing ``"\\r"`` belongs to
the line break, not to the line. A paragraph is a line holding at least one non-whitespace
character; empty and whitespace-only lines are not paragraphs but still count in the numbering.
"""

from __future__ import annotations

from collections.abc import Iterator

from propwatch.text.span import Span

LINE_BREAK = "\n"
PARAGRAPH_LABEL = "paragraph"
# The longest title of the PTC, CheckThat! 2024 and SemEval-2023 articles has 31 words; a
# longer first line is a paragraph someone pasted, not a headline.
TITLE_MAX_WORDS = 40


def fits_a_headline(line: str) -> bool:
    """Whether ``line`` is no longer than a headline (:data:`TITLE_MAX_WORDS` words)."""
    # maxsplit: a megabyte-long line is never cut into all of its words
    return len(line.split(maxsplit=TITLE_MAX_WORDS)) <= TITLE_MAX_WORDS


def title_end(text: str) -> int:
    """End of the title line that opens a newspaper3k text, or -1 where there is none.

    A text of one line (a pasted paragraph or quote) has no title, nor has one whose first line
    is longer than any headline (:func:`fits_a_headline`).
    """
    end = text.find(LINE_BREAK)
    return end if end >= 0 and fits_a_headline(text[:end]) else -1


def lines(text: str) -> Iterator[tuple[int, int, int]]:
    """Yield every line of ``text`` with its number and offsets.

    Parameters
    ----------
    text : str
        Article text.

    Yields
    ------
    tuple of (int, int, int)
        ``(number, start, end)``: 1-based line number counting empty lines, and character
        offsets of the line without its ``"\\n"`` and without a ``"\\r"`` just before it.
    """
    start = 0
    number = 1
    while True:
        newline = text.find(LINE_BREAK, start)
        stop = len(text) if newline < 0 else newline
        end = stop - 1 if stop > start and text[stop - 1] == "\r" else stop
        yield number, start, end
        if newline < 0:
            return
        start = newline + 1
        number += 1


def paragraphs(text: str) -> list[Span]:
    """One span per non-blank line, labelled ``"paragraph"`` with ``attrs["line"]``.

    Parameters
    ----------
    text : str
        Article text.

    Returns
    -------
    list of Span
        In text order; each covers its whole line (leading spaces included) without the line
        break; ``attrs = {"line": n}`` with ``n`` the 1-based line number.
    """
    return [
        Span(start, end, PARAGRAPH_LABEL, attrs={"line": number})
        for number, start, end in lines(text)
        if text[start:end].strip()
    ]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` until it neither starts nor ends with whitespace (``str.isspace``).

    Returns ``(start, start)`` when the range holds only whitespace.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_at_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut ``[start, end)`` at every line break, trim each piece, and yield the non-empty ones.

    This is what keeps a sentence inside one paragraph whatever the sentence splitter did.
    """
    while start < end:
        newline = text.find(LINE_BREAK, start, end)
        stop = end if newline < 0 else newline
        piece = trim(text, start, stop)
        if piece[1] > piece[0]:
            yield piece
        start = stop + 1


def chunk_bounds(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive ranges of at most ``max_chars`` characters.

    A range ends just after a line break when one lies inside the window; a longer line is cut
    after its last whitespace in the window, and a line without any whitespace is cut hard.

    Parameters
    ----------
    text : str
        Article text.
    max_chars : int
        Largest range, in characters (positive).

    Returns
    -------
    list of (int, int)
        ``(start, end)`` ranges that cover ``text`` exactly, in order; empty for ``""``.
    """
    if max_chars <= 0:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            end = _cut_point(text, start, end)
        bounds.append((start, end))
        start = end
    return bounds


def _cut_point(text: str, start: int, limit: int) -> int:
    newline = text.rfind(LINE_BREAK, start, limit)
    if newline >= start:
        return newline + 1
    for position in range(limit - 1, start, -1):
        if text[position].isspace():
            return position + 1
    return limit
