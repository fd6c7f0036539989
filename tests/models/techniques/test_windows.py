"""Sliding windows: full coverage, owner choice, padding."""

from __future__ import annotations

import numpy as np

from propwatch.models.techniques.windows import owners, window_batch, window_starts


def test_window_starts_cover_every_token() -> None:
    assert window_starts(0, 10, 8) == []
    assert window_starts(5, 10, 8) == [0]
    assert window_starts(10, 10, 8) == [0]
    assert window_starts(11, 10, 8) == [0, 1]
    assert window_starts(30, 10, 8) == [0, 8, 16, 20]


def test_owner_is_the_window_where_the_token_is_most_central() -> None:
    starts = window_starts(14, 10, 4)  # [0, 4]
    index, position = owners(14, starts, 10)
    assert index.tolist() == [0] * 7 + [1] * 7
    # positions count the leading [CLS]
    assert position.tolist() == [1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10]


def test_window_batch_wraps_and_pads() -> None:
    ids = np.arange(10, 15, dtype=np.int64)
    input_ids, mask = window_batch(ids, [0, 2], 3, cls_id=101, sep_id=102)
    assert input_ids.tolist() == [[101, 10, 11, 12, 102], [101, 12, 13, 14, 102]]
    assert mask.tolist() == [[1] * 5, [1] * 5]
    input_ids, mask = window_batch(ids[:2], [0], 3, cls_id=101, sep_id=102)
    assert input_ids.tolist() == [[101, 10, 11, 102]]
