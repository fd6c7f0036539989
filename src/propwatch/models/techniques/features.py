"""Cheap per-token features the uncased encoder cannot see: casing, quotes, title, repetition.

They are concatenated to the encoder's hidden states before the heads, at training and at
inference alike, so this module is the single definition of them.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

WORD = re.compile(r"\w+(?:['\u2019]\w+)*")  # apostrophes: straight and typographic
OPEN_QUOTES = {"“", "«"}
CLOSE_QUOTES = {"”", "»"}
STRAIGHT_QUOTE = '"'
MIN_REPEATED_WORD = 4  # shorter words repeat by grammar, not by rhetoric

FEATURE_NAMES = (
    "all_caps",
    "title_case",
    "in_quotes",
    "in_title_line",
    "word_repeated",
    "bigram_repeated",
    "word_count_log",
)
N_FEATURES = len(FEATURE_NAMES)


def quote_mask(text: str) -> NDArray[np.bool_]:
    """True for characters inside double quotes; quote state resets at every line break.

    Returns
    -------
    ndarray of bool, shape (len(text),)
    """
    inside = np.zeros(len(text), dtype=bool)
    state = False
    for i, char in enumerate(text):
        if char == "\n":
            state = False
        elif char in OPEN_QUOTES:
            state = True
        elif char in CLOSE_QUOTES:
            state = False
        elif char == STRAIGHT_QUOTE:
            state = not state
        inside[i] = state
    return inside


def _word_features(text: str) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Index of the word covering each character (-1 outside words) and per-word features."""
    words = list(WORD.finditer(text))
    char_word = np.full(len(text), -1, dtype=np.int64)
    lowered = [m.group().lower() for m in words]
    counts = Counter(lowered)
    bigrams = Counter(pairwise(lowered))
    table = np.zeros((len(words), 5), dtype=np.float32)
    for i, match in enumerate(words):
        char_word[match.start() : match.end()] = i
        word = match.group()
        letters = [c for c in word if c.isalpha()]
        table[i, 0] = len(letters) > 1 and all(c.isupper() for c in letters)
        table[i, 1] = word[:1].isupper() and word[1:] == word[1:].lower()
        long_word = len(word) >= MIN_REPEATED_WORD
        table[i, 2] = long_word and counts[lowered[i]] > 1
        before = i > 0 and bigrams[(lowered[i - 1], lowered[i])] > 1
        after = i + 1 < len(words) and bigrams[(lowered[i], lowered[i + 1])] > 1
        table[i, 3] = before or after
        table[i, 4] = np.log1p(counts[lowered[i]]) / 3.0
    return char_word, table


def token_features(text: str, offsets: NDArray[np.int64]) -> NDArray[np.float32]:
    """Features of each wordpiece.

    Parameters
    ----------
    text : str
        The article text.
    offsets : ndarray of int64, shape (n_tokens, 2)
        Character offsets of the wordpieces.

    Returns
    -------
    ndarray of float32, shape (n_tokens, N_FEATURES)
    """
    n = offsets.shape[0]
    out = np.zeros((n, N_FEATURES), dtype=np.float32)
    if n == 0:
        return out
    char_word, table = _word_features(text)
    first = offsets[:, 0].clip(0, max(len(text) - 1, 0))
    word = char_word[first]
    has_word = word >= 0
    out[has_word, 0] = table[word[has_word], 0]
    out[has_word, 1] = table[word[has_word], 1]
    out[:, 2] = quote_mask(text)[first]
    title_end = text.find("\n")
    out[:, 3] = first < (title_end if title_end >= 0 else len(text))
    out[has_word, 4] = table[word[has_word], 2]
    out[has_word, 5] = table[word[has_word], 3]
    out[has_word, 6] = table[word[has_word], 4]
    return out
