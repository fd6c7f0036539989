"""Turn per-token probabilities into character spans and per-paragraph scores."""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray

NEWLINE = re.compile("\n")


def token_runs(
    active: NDArray[np.bool_], breaks: NDArray[np.bool_], max_gap: int
) -> list[tuple[int, int]]:
    """Runs of active tokens as ``[first, last)``, bridging gaps of at most ``max_gap`` tokens.

    Parameters
    ----------
    active : ndarray of bool, shape (n_tokens,)
        Tokens whose probability passed the threshold.
    breaks : ndarray of bool, shape (n_tokens,)
        True where a line break separates a token from the previous one; runs never cross it.
    max_gap : int
        Longest stretch of inactive tokens merged into a surrounding run.
    """
    runs: list[tuple[int, int]] = []
    for index in np.flatnonzero(active):
        i = int(index)
        if runs and i - runs[-1][1] <= max_gap and not breaks[runs[-1][1] : i + 1].any():
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def technique_runs(
    probs: NDArray[np.float32], breaks: NDArray[np.bool_], threshold: float, skip: int
) -> list[tuple[int, int, int]]:
    """Fragments of one span run that carry a technique of their own, as ``(first, last, column)``.

    Real annotations put several techniques on one fragment (a slur is both name calling and
    loaded language) and short fragments of different techniques side by side; one label per
    run loses them. Here every technique column other than ``skip`` (the run's own technique)
    yields its runs of tokens whose probability passes ``threshold``, gaps of one token
    bridged, never across a line break.

    Parameters
    ----------
    probs : ndarray of shape (n_tokens, n_techniques)
        Technique probabilities of the run's tokens.
    breaks : ndarray of bool, shape (n_tokens,)
        :func:`line_breaks` of the same tokens.
    threshold : float
    skip : int
        Column already named for the whole run.
    """
    out = []
    for column in np.flatnonzero((probs >= threshold).any(axis=0)):
        if column == skip:
            continue
        for first, last in token_runs(probs[:, column] >= threshold, breaks, 1):
            out.append((first, last, int(column)))
    return out


def line_breaks(text: str, offsets: NDArray[np.int64]) -> NDArray[np.bool_]:
    """True for tokens preceded by a newline since the previous token, shape (n_tokens,)."""
    newlines = np.array([m.start() for m in NEWLINE.finditer(text)], dtype=np.int64)
    before = np.searchsorted(newlines, offsets[:, 0])  # newlines before each token's start
    out = np.zeros(offsets.shape[0], dtype=bool)
    out[1:] = before[1:] != before[:-1]
    return out


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so that it neither starts nor ends inside a word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def paragraph_max(
    probs: NDArray[np.float32], offsets: NDArray[np.int64], bounds: list[tuple[int, int]]
) -> NDArray[np.float32]:
    """Highest token probability per paragraph and column.

    A token belongs to the paragraph its start is in. ``offsets`` are in text order, so each
    paragraph's tokens are found by binary search: the time grows with the tokens, not with
    tokens times paragraphs (7.7 s of a 1 MB text's analysis went to this when every paragraph
    looked at every token).

    Returns
    -------
    ndarray of shape (n_paragraphs, n_columns)
        0 for paragraphs without tokens.
    """
    out = np.zeros((len(bounds), probs.shape[1]), dtype=np.float32)
    starts = offsets[:, 0]
    for row, (start, end) in enumerate(bounds):
        low, high = np.searchsorted(starts, [start, end], side="left")
        if high > low:
            out[row] = probs[low:high].max(0)
    return out
