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

from propwatch.text.segment import title_end

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
# the columns of FEATURE_NAMES that _word_features' table fills, in its order
WORD_COLUMNS = [0, 1, 4, 5, 6]
QUOTE_EVENTS = re.compile(
    "[\n" + STRAIGHT_QUOTE + "".join(sorted(OPEN_QUOTES | CLOSE_QUOTES)) + "]"
)


def quote_mask(text: str) -> NDArray[np.bool_]:
    """True for characters inside double quotes; quote state resets at every line break.

    Returns
    -------
    ndarray of bool, shape (len(text),)
    """
    # Only line breaks and quotation marks change the state (a few hundred per article, against
    # thousands of characters): the state after each of them is repeated up to the next one.
    states = [False]
    positions = [0]
    for match in QUOTE_EVENTS.finditer(text):
        char = match.group()
        if char in OPEN_QUOTES:
            states.append(True)
        elif char == STRAIGHT_QUOTE:
            states.append(not states[-1])
        else:  # a line break or a closing quote
            states.append(False)
        positions.append(match.start())
    positions.append(len(text))
    return np.repeat(np.array(states, dtype=bool), np.diff(positions))


def _all_caps(word: str) -> bool:
    """More than one letter, and every letter upper case."""
    if word.isascii():
        # every ASCII letter is cased, so isupper() (no lower-case letter, at least one upper)
        # decides first, without listing the letters of the many words it rules out
        return word.isupper() and sum(c.isalpha() for c in word) > 1
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _word_features(text: str) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Character bounds ``[start, end)`` of each word, shape (n_words, 2), and per-word features
    (all caps, title case, repeated word, repeated bigram, log count), shape (n_words, 5)."""
    words = list(WORD.finditer(text))
    bounds = np.array([m.span() for m in words], dtype=np.int64).reshape(-1, 2)
    table = np.zeros((len(words), 5), dtype=np.float32)
    if not words:
        return bounds, table
    spelled = [m.group() for m in words]
    lowered = [word.lower() for word in spelled]
    counts = Counter(lowered)
    bigrams = Counter(pairwise(lowered))
    count = np.array([counts[word] for word in lowered], dtype=np.int64)
    table[:, 0] = [_all_caps(word) for word in spelled]
    table[:, 1] = [word[:1].isupper() and word[1:] == word[1:].lower() for word in spelled]
    long_word = np.array([len(word) >= MIN_REPEATED_WORD for word in spelled], dtype=bool)
    table[:, 2] = long_word & (count > 1)
    # pair i is words i and i + 1: a word is in a repeated bigram with the one before or after
    repeated = np.array([bigrams[pair] > 1 for pair in pairwise(lowered)], dtype=bool)
    in_repeated = np.zeros(len(words), dtype=bool)
    in_repeated[1:] = repeated
    in_repeated[:-1] |= repeated
    table[:, 3] = in_repeated
    table[:, 4] = np.log1p(count) / 3.0
    return bounds, table


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
    bounds, table = _word_features(text)
    first = offsets[:, 0].clip(0, max(len(text) - 1, 0))
    # the word covering a token's first character: the last word starting at or before it,
    # if it ends after it (words never overlap)
    word = np.searchsorted(bounds[:, 0], first, side="right") - 1
    has_word = word >= 0
    has_word[has_word] = first[has_word] < bounds[word[has_word], 1]
    rows = np.flatnonzero(has_word)[:, None]
    out[rows, WORD_COLUMNS] = table[word[has_word]]
    out[:, 2] = quote_mask(text)[first]
    # a text of one line (a pasted paragraph, a quote) has no title: reading all of it as one
    # made the heads treat it as a headline
    out[:, 3] = first < title_end(text)
    return out
