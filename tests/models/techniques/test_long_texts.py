"""The shipped tagger on texts of many windows: batched encoding, long-text states, mean states."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from propwatch.models.techniques import Encoded, TechniqueTagger
from propwatch.models.techniques import tagger as tagger_module
from propwatch.models.techniques import windows as windows_module
from propwatch.models.techniques.runtime import KEEP_ARENA_TOKENS, run_options
from propwatch.models.techniques.tagger import BATCH_WINDOWS, LONG_TEXT_TOKENS
from propwatch.models.techniques.windows import (
    Int8States,
    tokenize,
    window_batch,
    window_starts,
)

# Written for this test; 50 wordpieces per copy.
PARAGRAPH = (
    "The council voted on Tuesday to close three rural clinics, a decision the mayor called "
    '"a betrayal of every family that still lives here." Officials said the savings would '
    "pay for a new hospital wing, while critics warned that patients would travel for hours."
)
TEXT = "Clinics Close\n\n" + "\n\n".join([PARAGRAPH] * 30)  # 1,500 wordpieces, 16 windows


@functools.cache
def tagger(
    batch_windows: int = BATCH_WINDOWS, long_text_tokens: int = LONG_TEXT_TOKENS
) -> TechniqueTagger:
    return TechniqueTagger(batch_windows=batch_windows, long_text_tokens=long_text_tokens).load()


def one_call_states(tagger: TechniqueTagger, text: str) -> np.ndarray:
    """The states of the code before batching: all windows in one call, averaged."""
    tokens = tagger.encode(text).tokens
    window, stride = int(tagger.config_["window"]), int(tagger.config_["stride"])
    starts = window_starts(len(tokens), window, stride)
    ids, mask = window_batch(tokens.ids, starts, window, tagger.cls_id_, tagger.sep_id_)
    feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    states = tagger.session_.run(["last_hidden_state"], feed)[0]
    total = np.zeros((len(tokens), states.shape[2]), dtype=np.float32)
    count = np.zeros(len(tokens), dtype=np.float32)
    for w, start in enumerate(starts):
        end = min(start + window, len(tokens))
        total[start:end] += states[w, 1 : end - start + 1]
        count[start:end] += 1
    return total / count[:, None]


def test_a_text_of_one_batch_is_encoded_as_before_batching() -> None:
    encoded = tagger().encode(TEXT)
    assert np.array_equal(encoded.hidden, one_call_states(tagger(), TEXT))
    assert encoded.hidden.dtype == np.float32


def test_a_text_longer_than_one_call_is_encoded_in_small_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tagger_module, "LONG_BATCH_WINDOWS", 4)
    small = tagger(batch_windows=2)  # 16 windows: more than one call holds
    sizes: list[int] = []
    run = small.session_.run

    def spy(names: list[str], feed: dict[str, np.ndarray], options: object) -> list[np.ndarray]:
        sizes.append(len(feed["input_ids"]))
        return run(names, feed, options)

    monkeypatch.setattr(small.session_, "run", spy)
    encoded = small.encode(TEXT)
    assert sizes == [4, 4, 4, 4]
    assert len(window_starts(len(encoded.tokens), 126, 96)) == 16
    # Each call quantises its own activations, so states move a little, not the shape.
    one_call = tagger().encode(TEXT).hidden
    assert encoded.hidden.shape == one_call.shape
    assert 0 < np.abs(encoded.hidden - one_call).mean() < 0.05


def test_a_long_text_keeps_int8_states_and_reads_the_head_in_pieces() -> None:
    whole = tagger().encode(TEXT)
    long = tagger(long_text_tokens=1000).encode(TEXT)  # pieces of 1,000 tokens, 1,024 of context
    assert 1000 < len(whole.tokens) < 2024
    assert isinstance(long.hidden, Int8States)
    step = np.abs(whole.hidden).max(axis=1, keepdims=True) / 127
    assert (np.abs(long.hidden[:] - whole.hidden) <= step / 2 + 1e-6).all()
    assert np.abs(long.probs - whole.probs).max() < 0.02
    # Both pieces see the whole text, so they read what one whole-text read would.
    assert np.array_equal(long.probs, tagger().token_probs(long.hidden, long.features))


def test_the_head_reads_a_long_text_in_pieces_of_bounded_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The sequence head's memory grows with the tokens it reads at once, not with the text.
    monkeypatch.setattr(tagger_module, "HEAD_PIECE_TOKENS", 500)
    long = tagger(long_text_tokens=1000)
    encoded = long.encode(TEXT)
    assert len(encoded.tokens) == 1502
    assert long.sequence_head_ is not None
    reads: list[int] = []
    head = long.sequence_head_.token_probs

    def spy(hidden: np.ndarray, features: np.ndarray) -> np.ndarray:
        reads.append(len(hidden))
        return head(hidden, features)

    monkeypatch.setattr(long.sequence_head_, "token_probs", spy)
    probs = long.token_probs(encoded.hidden, encoded.features)
    # pieces [0, 500), [500, 1000), [1000, 1500), [1500, 1502), each read with up to 1,024
    # tokens of context on each side
    assert reads == [1502, 1502, 1502, 1026]  # the last one reads tokens 476 to 1502
    assert np.array_equal(probs, encoded.probs)
    whole = tagger().token_probs(encoded.hidden, encoded.features)
    assert np.array_equal(probs[:1500], whole[:1500])  # their pieces see the whole text
    assert 0 < np.abs(probs[1500:] - whole[1500:]).max() < 0.02


@pytest.mark.parametrize("span", [(0, None), (15, 60), (200, 201), (1000, 1400), (5, 5)])
def test_mean_state_is_the_mean_of_the_tokens_overlapping_the_span(
    span: tuple[int, int | None],
) -> None:
    encoded: Encoded = tagger().encode(TEXT)
    start, end = span
    offsets = encoded.tokens.offsets
    stop = int(offsets[-1, 1]) if end is None else end
    inside = (offsets[:, 0] < stop) & (offsets[:, 1] > start)
    expected = encoded.hidden[inside].mean(axis=0) if inside.any() else np.zeros(384)
    assert np.array_equal(encoded.mean_state(start, end), expected)


def test_a_long_text_is_tokenized_in_pieces_into_the_wordpieces_of_one_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = tokenize(tagger().tokenizer_, TEXT)
    monkeypatch.setattr(windows_module, "TOKENIZE_CHARS", 500)  # cut after lines and spaces
    pieces = tokenize(tagger().tokenizer_, TEXT)
    assert len(TEXT) > 3000
    assert np.array_equal(pieces.ids, whole.ids)
    assert np.array_equal(pieces.offsets, whole.offsets)


def test_only_calls_on_many_tokens_hand_the_arena_back() -> None:
    key = "memory.enable_memory_arena_shrinkage"
    assert run_options(KEEP_ARENA_TOKENS + 1).get_run_config_entry(key) == "cpu:0"
    with pytest.raises(RuntimeError, match="does not have configuration"):
        run_options(KEEP_ARENA_TOKENS).get_run_config_entry(key)  # kept for the next call
