"""Character range to token range, in spaCy's three modes."""

from __future__ import annotations

import pytest

from propwatch.errors import UnknownNameError
from propwatch.text.align import TokenIndex
from propwatch.text.span import Span

# "The big dog barked." -> The(0,3) big(4,7) dog(8,11) barked(12,18) .(18,19)
TOKENS = [Span(0, 3), Span(4, 7), Span(8, 11), Span(12, 18), Span(18, 19)]


@pytest.mark.parametrize(
    ("start", "end", "mode", "expected"),
    [
        (4, 11, "strict", (1, 3)),
        (5, 11, "strict", None),  # starts inside "big"
        (4, 12, "strict", None),  # ends on the space before "barked"
        (5, 11, "contract", (2, 3)),
        (5, 10, "contract", None),  # no whole token inside
        (4, 12, "contract", (1, 3)),
        (5, 10, "expand", (1, 3)),
        (3, 4, "expand", None),  # only the space between two tokens
        (17, 19, "expand", (3, 5)),
        (0, 19, "strict", (0, 5)),
        (7, 7, "expand", None),  # empty range
    ],
)
def test_token_range(start: int, end: int, mode: str, expected: tuple[int, int] | None) -> None:
    assert TokenIndex(TOKENS).token_range(start, end, mode) == expected


def test_char_range_of_token_range() -> None:
    assert TokenIndex(TOKENS).char_range(1, 3) == (4, 11)


def test_unknown_mode_lists_the_modes() -> None:
    with pytest.raises(UnknownNameError) as caught:
        TokenIndex(TOKENS).token_range(0, 3, "snap")
    assert str(caught.value) == (
        "unknown alignment mode 'snap'; choose one of: contract, expand, strict"
    )
