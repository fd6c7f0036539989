"""Find text between quotation marks: straight, curly, doubled apostrophes, guillemets.

Pairing works paragraph by paragraph. A paragraph that opens a quote without closing it continues
into the next paragraph when that one starts with a quotation mark (the newspaper convention for
multi-paragraph quotes); otherwise the quote ends with its paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ``''`` is how some wires (NYT) write a straight double quote; it opens and closes like ``"``.
MARK = re.compile(r"''|[\"“”„«»]")
OPEN_ONLY = frozenset("“„«")
CLOSE_ONLY = frozenset("”»")
LINE_END = re.compile(r"[ \t\r\f\v]*(?:\n|\Z)")


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """Text between quotation marks.

    Attributes
    ----------
    start : int
        Character offset of the opening mark.
    end : int
        Character offset just after the closing mark (end-exclusive), or the end of the last
        paragraph the quote reaches when it is never closed.
    closed : bool
        Whether a closing mark was found.
    """

    start: int
    end: int
    closed: bool


def _paragraph_end(text: str, pos: int) -> int:
    """Offset of the line break that ends the paragraph holding ``pos`` (or the text end)."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _opens_paragraph(text: str, pos: int) -> bool:
    """Whether only whitespace lies between the previous line break and ``pos``."""
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip()


def _ends_line(text: str, pos: int) -> bool:
    """Whether only spaces lie between ``pos`` and the next line break or the text's end
    (reads those spaces only, so pairing stays linear in the text)."""
    return LINE_END.match(text, pos) is not None


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Pair the quotation marks of ``text``.

    Parameters
    ----------
    text : str
        The article text, unchanged.

    Returns
    -------
    list of QuotedSpan
        Sorted by start; spans never overlap. Stray closing marks are ignored.
    """
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    last = 0  # end of the last mark consumed by the open quote
    for match in MARK.finditer(text):
        pos, mark = match.start(), match.group()
        if open_at is not None and "\n" in text[last:pos]:
            if mark not in CLOSE_ONLY and _opens_paragraph(text, pos):
                last = match.end()  # the new paragraph's mark continues the open quote
                continue
            spans.append(QuotedSpan(open_at, _paragraph_end(text, last), False))
            open_at = None
        if open_at is None:
            # a mark that ends its line closes a quote whose opening mark is missing
            if mark not in CLOSE_ONLY and not _ends_line(text, match.end()):
                open_at, last = pos, match.end()
            continue
        if mark in OPEN_ONLY:  # a new opening mark: the previous quote was never closed
            spans.append(QuotedSpan(open_at, pos, False))
            open_at, last = pos, match.end()
            continue
        spans.append(QuotedSpan(open_at, match.end(), True))
        open_at = None
    if open_at is not None:
        spans.append(QuotedSpan(open_at, _paragraph_end(text, last), False))
    return spans
