"""Character offsets to token indices, with spaCy's three alignment modes.

``strict`` gives back None unless the range starts at a token start and ends at a token end;
``contract`` keeps the tokens that lie wholly inside the range; ``expand`` keeps every token the
range touches. Nothing snaps to token boundaries silently: the caller chooses.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from propwatch.errors import UnknownNameError
from propwatch.text.span import Span

_Starts = list[int]
_Ends = list[int]
_Rule = Callable[[_Starts, _Ends, int, int], tuple[int, int]]


def _strict(starts: _Starts, ends: _Ends, start: int, end: int) -> tuple[int, int]:
    first = bisect_left(starts, start)
    last = bisect_left(ends, end)
    aligned = first < len(starts) and starts[first] == start and last < len(ends)
    return (first, last + 1) if aligned and ends[last] == end else (0, 0)


def _contract(starts: _Starts, ends: _Ends, start: int, end: int) -> tuple[int, int]:
    return bisect_left(starts, start), bisect_right(ends, end)


def _expand(starts: _Starts, ends: _Ends, start: int, end: int) -> tuple[int, int]:
    return bisect_right(ends, start), bisect_left(starts, end)


ALIGNMENT_MODES: dict[str, _Rule] = {"strict": _strict, "contract": _contract, "expand": _expand}


class TokenIndex:
    """Look up which tokens a character range covers.

    Parameters
    ----------
    tokens : sequence of Span
        Non-overlapping token spans sorted by start (e.g. ``ParsedText.tokens()``).
    """

    def __init__(self, tokens: Sequence[Span]) -> None:
        self.tokens = list(tokens)
        self._starts = [token.start for token in self.tokens]
        self._ends = [token.end for token in self.tokens]

    def token_range(self, start: int, end: int, mode: str = "strict") -> tuple[int, int] | None:
        """The tokens of the character range ``[start, end)``.

        Parameters
        ----------
        start, end : int
            Character offsets, end exclusive.
        mode : {"strict", "contract", "expand"}, default="strict"
            How a range that cuts through a token is treated (see the module docstring).

        Returns
        -------
        tuple of (int, int) or None
            ``(token_start, token_end)``, token indices with an exclusive end; None when no
            token qualifies (or, in strict mode, when the range is misaligned).
        """
        rule = ALIGNMENT_MODES.get(mode)
        if rule is None:
            raise UnknownNameError("alignment mode", mode, list(ALIGNMENT_MODES))
        if start >= end:
            return None
        first, last = rule(self._starts, self._ends, start, end)
        return (first, last) if first < last else None

    def char_range(self, token_start: int, token_end: int) -> tuple[int, int]:
        """Character offsets ``(start, end)`` covered by tokens ``[token_start, token_end)``."""
        return self.tokens[token_start].start, self.tokens[token_end - 1].end
