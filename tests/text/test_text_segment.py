"""Lines, paragraphs and chunks: exact offsets on small hand-written texts."""

from __future__ import annotations

from itertools import pairwise

import pytest

from propwatch.text.segment import (
    chunk_bounds,
    lines,
    paragraphs,
    split_at_lines,
    title_end,
    trim,
)
from propwatch.text.span import Span


def test_lines_count_empty_lines_and_drop_line_breaks() -> None:
    text = "Title\r\n\r\nBody one\n\nBody two"
    assert list(lines(text)) == [(1, 0, 5), (2, 7, 7), (3, 9, 17), (4, 18, 18), (5, 19, 27)]


def test_lines_of_text_ending_with_newline_has_an_empty_last_line() -> None:
    assert list(lines("a\n")) == [(1, 0, 1), (2, 2, 2)]
    assert list(lines("")) == [(1, 0, 0)]


def test_paragraphs_are_non_blank_lines_numbered_like_semeval_2023() -> None:
    text = "Title\n\nFirst paragraph.\n \t\nSecond\r\n"
    assert paragraphs(text) == [
        Span(0, 5, "paragraph", attrs={"line": 1}),
        Span(7, 23, "paragraph", attrs={"line": 3}),
        Span(27, 33, "paragraph", attrs={"line": 5}),
    ]


def test_paragraph_keeps_leading_spaces_and_excludes_only_the_line_break() -> None:
    text = "  indented \r\n"
    (paragraph,) = paragraphs(text)
    assert paragraph.text_of(text) == "  indented "


def test_paragraphs_of_blank_text_are_empty() -> None:
    assert paragraphs("") == []
    assert paragraphs("\n\r\n \u00a0\n") == []


def test_trim_strips_unicode_whitespace_only() -> None:
    text = "\u00a0 \u200bword\t\u3000"
    assert trim(text, 0, len(text)) == (2, 7)  # U+200B is not whitespace, U+3000 is
    assert trim("   ", 0, 3) == (3, 3)


def test_split_at_lines_cuts_at_line_breaks_and_drops_blank_pieces() -> None:
    text = "One two\r\n\nthree  \n"
    assert list(split_at_lines(text, 0, len(text))) == [(0, 7), (10, 15)]


@pytest.mark.parametrize(
    ("text", "max_chars", "expected"),
    [
        ("", 5, []),
        ("abc", 5, [(0, 3)]),
        ("ab\ncd\nef", 6, [(0, 6), (6, 8)]),  # cut after the last line break in the window
        ("one two three", 6, [(0, 4), (4, 8), (8, 13)]),  # long line: after the last space
        ("abcdefgh", 3, [(0, 3), (3, 6), (6, 8)]),  # no whitespace at all: hard cut
    ],
)
def test_chunk_bounds(text: str, max_chars: int, expected: list[tuple[int, int]]) -> None:
    assert chunk_bounds(text, max_chars) == expected


def test_chunk_bounds_rejects_non_positive_size() -> None:
    with pytest.raises(ValueError, match="max_chars must be positive, got 0"):
        chunk_bounds("abc", 0)


def test_chunk_bounds_of_a_20_mb_text_cover_it_exactly_in_whole_lines() -> None:
    line = "Word " * 19 + "end.\n"  # 100 characters
    text = line * 200_000
    bounds = chunk_bounds(text, 100_000)
    assert len(bounds) == 200
    assert bounds[0] == (0, 100_000) and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(bounds))
    assert all(text[end - 1] == "\n" for _, end in bounds)


def test_a_title_is_a_short_first_line_that_the_text_goes_on_after() -> None:
    assert title_end("Harbour fees rise\n\nThe board raised its fees.") == 17
    assert title_end("The board raised its fees, and fishermen are angry.") == -1
    pasted = " ".join(["word"] * 41) + "\n\nA second paragraph."
    assert title_end(pasted) == -1  # longer than any headline: a pasted paragraph
    assert title_end(" ".join(["word"] * 40) + "\nBody") == 40 * 5 - 1
