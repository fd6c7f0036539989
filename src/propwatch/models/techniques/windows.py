"""Sliding token windows over a whole article, and stitching window outputs back together.

Articles are never truncated: the wordpiece sequence is cut into overlapping windows of at
most ``window`` tokens, each wrapped in ``[CLS] ... [SEP]``; every token then takes its hidden
state from the window in which it sits farthest from an edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer


@dataclass(frozen=True)
class Tokens:
    """The wordpieces of one article.

    Attributes
    ----------
    ids : ndarray of int64, shape (n_tokens,)
        Vocabulary ids, without special tokens.
    offsets : ndarray of int64, shape (n_tokens, 2)
        Character offsets ``[start, end)`` of each token in the article text.
    """

    ids: NDArray[np.int64]
    offsets: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def load_tokenizer(path: Path) -> Tokenizer:
    """Read ``tokenizer.json`` with truncation and padding switched off."""
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def tokenize(tokenizer: Tokenizer, text: str) -> Tokens:
    """Wordpieces of ``text`` with their character offsets (no special tokens)."""
    encoding = tokenizer.encode(text, add_special_tokens=False)
    ids = np.asarray(encoding.ids, dtype=np.int64)
    offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
    return Tokens(ids=ids, offsets=offsets)


def window_starts(n_tokens: int, window: int, stride: int) -> list[int]:
    """First token index of each window; the windows cover ``range(n_tokens)`` entirely.

    Parameters
    ----------
    n_tokens : int
        Length of the article in wordpieces.
    window : int
        Wordpieces per window, special tokens excluded.
    stride : int
        Wordpieces between the starts of consecutive windows (``stride <= window``).
    """
    if n_tokens == 0:
        return []
    last = max(n_tokens - window, 0)
    starts = list(range(0, last + 1, stride))
    if starts[-1] != last:
        starts.append(last)
    return starts


def token_states(
    states: NDArray[np.float32], starts: list[int], n_tokens: int
) -> NDArray[np.float32]:
    """Each token's state: the mean of its states in every window that holds it.

    Parameters
    ----------
    states : ndarray of shape (n_windows, window + 2, hidden_size)
        Encoder output per window, ``[CLS]`` first.
    starts : list of int
        First token of each window.

    Returns
    -------
    ndarray of float32, shape (n_tokens, hidden_size)
        Tokens in the overlap of two windows get the mean of both views (one view each from
        the left and the right context), which validated better than keeping the view where
        the token is most central.
    """
    total = np.zeros((n_tokens, states.shape[2]), dtype=np.float32)
    count = np.zeros(n_tokens, dtype=np.float32)
    for w, start in enumerate(starts):
        end = min(start + states.shape[1] - 2, n_tokens)
        total[start:end] += states[w, 1 : end - start + 1]
        count[start:end] += 1
    return total / count[:, None]


def window_batch(
    ids: NDArray[np.int64], starts: list[int], window: int, cls_id: int, sep_id: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Padded model inputs for the windows of one article.

    Returns
    -------
    input_ids, attention_mask : ndarray of int64, shape (n_windows, longest window + 2)
    """
    rows = [ids[s : s + window] for s in starts]
    width = max(len(r) for r in rows) + 2
    input_ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        input_ids[i, 0] = cls_id
        input_ids[i, 1 : len(row) + 1] = row
        input_ids[i, len(row) + 1] = sep_id
        mask[i, : len(row) + 2] = 1
    return input_ids, mask
