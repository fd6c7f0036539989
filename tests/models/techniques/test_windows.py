"""Sliding windows: full coverage, merged token states, padding."""

from __future__ import annotations

import numpy as np
import pytest

from propwatch.models.techniques import windows as windows_module
from propwatch.models.techniques.windows import (
    Int8States,
    context_chunks,
    pooled_mean,
    pooled_rows,
    token_states,
    window_batch,
    window_starts,
)


def test_window_starts_cover_every_token() -> None:
    assert window_starts(0, 10, 8) == []
    assert window_starts(5, 10, 8) == [0]
    assert window_starts(10, 10, 8) == [0]
    assert window_starts(11, 10, 8) == [0, 1]
    assert window_starts(30, 10, 8) == [0, 8, 16, 20]


def fake_encoder(starts: list[int]) -> np.ndarray:
    """States of each window (``[CLS]``, 10 tokens, ``[SEP]``) that depend on where it starts."""
    rows = np.arange(12, dtype=np.float32)[None, :, None] * 0.37
    return np.sin(rows + np.asarray(starts, dtype=np.float32)[:, None, None] * [1.0, 0.5])


def test_token_states_average_the_windows_that_hold_a_token() -> None:
    starts = window_starts(14, 10, 4)  # [0, 4]: tokens 4-9 are in both windows
    states = np.zeros((2, 12, 1), dtype=np.float32)  # [CLS], 10 tokens, [SEP]
    states[0, 1:11, 0] = 1.0
    states[1, 1:11, 0] = 3.0
    states[:, [0, 11], 0] = 99.0  # special tokens never count
    merged = token_states(
        lambda batch: states[[starts.index(s) for s in batch]], starts, 14, batch_windows=2
    )
    assert merged[:, 0].tolist() == [1.0] * 4 + [2.0] * 6 + [3.0] * 4


def test_token_states_do_not_depend_on_the_batch_size() -> None:
    starts = window_starts(47, 10, 3)  # 13 windows, most tokens in three or four of them
    calls: list[int] = []

    def encode(batch: list[int]) -> np.ndarray:
        calls.append(len(batch))
        return fake_encoder(batch)

    whole = token_states(encode, starts, 47, batch_windows=len(starts))
    for size in (1, 2, 5):
        calls.clear()
        assert np.array_equal(token_states(encode, starts, 47, batch_windows=size), whole)
        assert max(calls) == size
    compact = token_states(encode, starts, 47, batch_windows=4, compact=True)
    assert isinstance(compact, Int8States)
    assert compact.codes.dtype == np.int8
    assert np.allclose(compact[:], whole, rtol=0, atol=np.abs(whole).max() / 254 + 1e-6)


def test_int8_states_round_each_row_to_its_own_scale() -> None:
    states = Int8States(3, 4)
    states[0:3] = np.array(
        [[127.0, -63.6, 10.2, 0.0], [0.0, 0.0, 0.0, 0.0], [254.0, 127.0, -1.0, 0.4]], np.float32
    )
    assert states[0:3].tolist() == [
        [127.0, -64.0, 10.0, 0.0],  # the largest magnitude is 127: a step of 1
        [0.0, 0.0, 0.0, 0.0],
        [254.0, 128.0, 0.0, 0.0],  # a step of 2: 127 -> 128, -1 and 0.4 -> 0
    ]
    assert len(states) == 3 and states.shape == (3, 4) and states.nbytes == 3 * 4 + 3 * 4


def test_context_chunks_keep_every_token_once() -> None:
    assert context_chunks(0, 100, 10) == []
    assert context_chunks(100, 100, 10) == [(0, 100, 0, 100)]
    assert context_chunks(250, 100, 10) == [
        (0, 110, 0, 100),
        (90, 210, 100, 200),
        (190, 250, 200, 250),
    ]


def test_window_batch_wraps_and_pads() -> None:
    ids = np.arange(10, 15, dtype=np.int64)
    input_ids, mask = window_batch(ids, [0, 2], 3, cls_id=101, sep_id=102)
    assert input_ids.tolist() == [[101, 10, 11, 12, 102], [101, 12, 13, 14, 102]]
    assert mask.tolist() == [[1] * 5, [1] * 5]
    input_ids, mask = window_batch(ids[:2], [0], 3, cls_id=101, sep_id=102)
    assert input_ids.tolist() == [[101, 10, 11, 102]]


def test_pooling_a_long_stretch_block_by_block_matches_one_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(0)
    whole = rng.normal(size=(50, 6)).astype(np.float32)
    where = rng.random(50) > 0.3
    one_pass = pooled_rows(whole, 5, 45, where[5:45])
    monkeypatch.setattr(windows_module, "ROW_BLOCK", 7)  # 40 rows in 6 blocks
    blocks = pooled_rows(whole, 5, 45, where[5:45])
    assert np.allclose(blocks[0], whole[5:45][where[5:45]].mean(axis=0), atol=1e-6)
    assert np.allclose(blocks[0], one_pass[0], atol=1e-6)
    assert np.array_equal(blocks[1], whole[5:45][where[5:45]].max(axis=0))
    compact = Int8States(50, 6)
    compact[0:50] = whole
    mean, peak = pooled_rows(compact, 0, 50)
    assert np.allclose(mean, compact[0:50].mean(axis=0), atol=1e-6)
    assert np.array_equal(peak, compact[0:50].max(axis=0))


def test_pooled_mean_gives_the_mean_of_pooled_rows_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(1)
    whole = rng.normal(size=(300, 384)).astype(np.float32)
    compact = Int8States(300, 384)
    compact[0:300] = whole
    for states in (whole, compact):
        for first, last in [(0, 300), (17, 18), (40, 95)]:
            where = rng.random(last - first) > 0.2
            where[0] = True
            every = np.ones(last - first, dtype=bool)  # the usual case: no row left out
            for mask in (where, every):
                mean = pooled_mean(states, first, last, mask)
                assert mean.dtype == np.float32
                assert mean.tobytes() == pooled_rows(states, first, last, mask)[0].tobytes()
    monkeypatch.setattr(windows_module, "ROW_BLOCK", 64)  # a long stretch: summed by blocks
    where = np.ones(300, dtype=bool)
    assert np.array_equal(pooled_mean(whole, 0, 300, where), pooled_rows(whole, 0, 300, where)[0])
