"""Sliding token windows over a whole article, and stitching window outputs back together.

Articles are never truncated: the wordpiece sequence is cut into overlapping windows of at
most ``window`` tokens, each wrapped in ``[CLS] ... [SEP]``; every token then takes its hidden
state from the window in which it sits farthest from an edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

from propwatch.text.segment import chunk_bounds


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


class Int8States:
    """Token states of a long text, stored as int8 with one float32 scale per token.

    A quarter of float32's memory (388 bytes per token of MiniLM instead of 1,536): the states
    of a 5 MB article fit where float16 needed 0.8 GB. Each token's row is scaled by its own
    largest magnitude, so the rounding error is at most half a step of 1/127 of that row's
    range (measured on a 150 KB text: 0.8% mean relative error, token-head probabilities within
    0.008). Reading a slice returns float32, so the heads read it as they read an array.

    Parameters
    ----------
    n_tokens, hidden_size : int
        Shape of the states; rows are written by slice assignment as the windows finish.
    """

    def __init__(self, n_tokens: int, hidden_size: int) -> None:
        self.codes = np.zeros((n_tokens, hidden_size), dtype=np.int8)
        self.scales = np.zeros((n_tokens, 1), dtype=np.float32)

    @property
    def shape(self) -> tuple[int, int]:
        n_tokens, hidden_size = self.codes.shape
        return n_tokens, hidden_size

    @property
    def nbytes(self) -> int:
        return int(self.codes.nbytes + self.scales.nbytes)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows: slice) -> NDArray[np.float32]:
        return self.codes[rows] * self.scales[rows]

    def __setitem__(self, rows: slice, states: NDArray[np.floating[Any]]) -> None:
        scales = np.abs(states).max(axis=1, keepdims=True) / 127.0
        scales[scales == 0] = 1.0  # an all-zero row stays zero
        self.codes[rows] = np.rint(states / scales).astype(np.int8)
        self.scales[rows] = scales


States = NDArray[np.float32] | Int8States
# Longest piece of text given to the tokenizer at once (every corpus article is one piece).
TOKENIZE_CHARS = 100_000
# Rows of states made float32 at once when a long stretch is pooled (25 MB of MiniLM states).
ROW_BLOCK = 16_384


def pooled_rows(
    hidden: States, first: int, last: int, where: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Mean and maximum of the states of rows ``[first, last)`` (those ``where`` marks).

    Read :data:`ROW_BLOCK` rows at a time, so pooling the whole of a long text never makes all
    its int8 states float32 at once (4 bytes a dimension a token: 1.5 GB for 5 MB of text). A
    stretch of one block is pooled exactly as one numpy call over it would; a longer one sums
    its blocks, which changes the mean by float rounding only.
    """
    if last - first <= ROW_BLOCK:
        rows = np.asarray(hidden[first:last], dtype=np.float32)
        if where is None:  # numpy sums differently with a mask, so none is passed
            return rows.mean(axis=0, dtype=np.float32), rows.max(axis=0)
        inside = where[:, None]
        return (
            rows.mean(axis=0, dtype=np.float32, where=inside),
            rows.max(axis=0, where=inside, initial=-np.inf),
        )
    mask = np.ones(last - first, dtype=bool) if where is None else where
    total = np.zeros(hidden.shape[1], dtype=np.float32)
    peak = np.full(hidden.shape[1], -np.inf, dtype=np.float32)
    for low in range(first, last, ROW_BLOCK):
        high = min(low + ROW_BLOCK, last)
        rows = np.asarray(hidden[low:high], dtype=np.float32)
        part = mask[low - first : high - first, None]
        total += rows.sum(axis=0, dtype=np.float32, where=part)
        np.maximum(peak, rows.max(axis=0, where=part, initial=-np.inf), out=peak)
    return total / np.float32(mask.sum()), peak


def pooled_mean(
    hidden: States, first: int, last: int, where: NDArray[np.bool_]
) -> NDArray[np.float32]:
    """``pooled_rows(hidden, first, last, where)[0]``, the same numbers, without the maximum.

    Article-level models call it for every sentence and mention (thousands of short stretches
    per article), where numpy's ``mean(where=...)`` spent more time counting the mask over
    every column than summing: the same masked sum divided by the same count costs a third.
    """
    if last - first > ROW_BLOCK:
        return pooled_rows(hidden, first, last, where)[0]
    rows = np.asarray(hidden[first:last], dtype=np.float32)
    count = int(np.count_nonzero(where))
    # numpy adds the rows one after another down each column, with or without a mask, but its
    # masked loop takes three times as long: it is kept for masks that leave rows out
    if count == len(where):
        total = np.add.reduce(rows, axis=0, dtype=np.float32)
    else:
        total = np.add.reduce(rows, axis=0, dtype=np.float32, where=where[:, None])
    return np.true_divide(total, count, out=total)


def load_tokenizer(path: Path) -> Tokenizer:
    """Read ``tokenizer.json`` with truncation and padding switched off."""
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def boundary_ids(tokenizer: Tokenizer) -> tuple[int, int]:
    """Ids of the tokens that open and close a window: ``[CLS]``/``[SEP]`` for BERT-style
    vocabularies, ``<s>``/``</s>`` for MPNet's; read from the tokenizer's own template so any
    encoder's tokenizer works."""
    first, last = tokenizer.encode("", add_special_tokens=True).ids
    return first, last


def tokenize(tokenizer: Tokenizer, text: str) -> Tokens:
    """Wordpieces of ``text`` with their character offsets (no special tokens).

    A text longer than :data:`TOKENIZE_CHARS` is tokenized a piece at a time, cut after a line
    break or a space (:func:`~propwatch.text.segment.chunk_bounds`), where no wordpiece can
    span the cut, so the wordpieces are those of one call (unless 100,000 characters hold no
    space at all: such a run is cut hard). One call holds about 100 bytes per
    character while it runs (5 MB of text: 0.8 GB) and leaves most of it to the heap as freed
    fragments that later arrays cannot use.
    """
    pieces = chunk_bounds(text, TOKENIZE_CHARS) or [(0, 0)]
    ids, offsets = [], []
    for start, end in pieces:
        encoding = tokenizer.encode(text[start:end], add_special_tokens=False)
        ids.append(np.asarray(encoding.ids, dtype=np.int64))
        offsets.append(np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2) + start)
    if len(pieces) == 1:
        return Tokens(ids=ids[0], offsets=offsets[0])
    return Tokens(ids=np.concatenate(ids), offsets=np.concatenate(offsets))


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
    encode_windows: Callable[[list[int]], NDArray[np.float32]],
    starts: list[int],
    n_tokens: int,
    *,
    batch_windows: int,
    compact: bool = False,
) -> States:
    """Each token's state: the mean of its states in every window that holds it.

    The windows are encoded ``batch_windows`` at a time, and a token's state is written out as
    soon as no later window holds it, so memory holds one batch of windows, not the article's.

    Parameters
    ----------
    encode_windows : callable
        Encoder output of the windows starting at the given tokens, shape
        ``(n_windows, window + 2, hidden_size)``, ``[CLS]`` first.
    starts : list of int
        First token of each window, increasing.
    n_tokens : int
        Length of the article in wordpieces.
    batch_windows : int
        Windows per call of ``encode_windows``.
    compact : bool, default=False
        Keep the result as :class:`Int8States` (for long texts); the means are computed in
        float32 either way.

    Returns
    -------
    ndarray of float32 or Int8States, shape (n_tokens, hidden_size)
        Tokens in the overlap of two windows get the mean of both views (one view each from
        the left and the right context), which validated better than keeping the view where
        the token is most central. Sums are taken in window order, so the result does not
        depend on where the batches end.
    """
    out: States | None = None
    carried: list[NDArray[np.float32]] = []  # sums and counts of tokens the next batch holds
    for first in range(0, len(starts), batch_windows):
        batch = starts[first : first + batch_windows]
        states = encode_windows(batch)
        low, width = batch[0], states.shape[1] - 2
        high = min(batch[-1] + width, n_tokens)
        if out is None:
            size = (n_tokens, states.shape[2])
            out = Int8States(*size) if compact else np.empty(size, dtype=np.float32)
        total = np.zeros((high - low, states.shape[2]), dtype=np.float32)
        count = np.zeros(high - low, dtype=np.float32)
        if carried:
            total[: len(carried[0])], count[: len(carried[1])] = carried
        for w, start in enumerate(batch):
            end = min(start + width, n_tokens)
            total[start - low : end - low] += states[w, 1 : end - start + 1]
            count[start - low : end - low] += 1
        done = (
            starts[first + batch_windows] if first + batch_windows < len(starts) else high
        ) - low
        out[low : low + done] = total[:done] / count[:done, None]
        carried = [total[done:], count[done:]]
    if out is None:
        raise ValueError("no windows to encode")
    return out


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


def context_chunks(n_tokens: int, size: int, context: int) -> list[tuple[int, int, int, int]]:
    """Ranges ``(low, high, keep_low, keep_high)`` to run a sequence model over a long text.

    A text of at most ``size`` tokens is one range, ``(0, n_tokens, 0, n_tokens)``, so it is
    read whole. A longer one is cut into pieces of ``size`` tokens, ``[keep_low, keep_high)``,
    each read with up to ``context`` tokens of context on both sides, ``[low, high)``: a
    recurrent head reads a bounded piece, and its output for the kept tokens barely depends on
    where the piece begins, as its memory of far tokens fades.
    """
    if n_tokens <= size:
        return [(0, n_tokens, 0, n_tokens)] if n_tokens else []
    return [
        (
            max(keep - context, 0),
            min(keep + size + context, n_tokens),
            keep,
            min(keep + size, n_tokens),
        )
        for keep in range(0, n_tokens, size)
    ]
