"""onnxruntime settings shared by the encoder and the sequence head."""

from __future__ import annotations

import functools
from typing import Any


def session_options(threads: int) -> Any:
    """``SessionOptions`` with ``threads`` intra-op threads (0: onnxruntime's choice).

    Idle onnxruntime threads spin by default; in a pipeline the spaCy parse of the next
    articles runs beside the encoder (see the text component) and needs those cycles.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


# Calls on at most this many tokens keep what onnxruntime's memory arena grew to for the next
# call; larger ones hand it back. Giving it back after every call made each call fault its
# working memory in again (0.6 million page faults over the 90 PTC test articles). Encoder and
# token head over those articles, five runs each at load average 3.4-5: 15.6 CPU-s (mean)
# giving it back after every call, 14.9 with this limit (16 windows: 86% of the test, 92% of
# the dev and 81% of the training articles encoded in one such call), 14.6 with 4,000 tokens,
# whose larger kept arenas raised the pipeline's peak RSS from 750 to 887 MB (746 with this
# limit). Long texts (encoded 32 windows at a time, the head reading pieces of 8,192 tokens)
# give it back after each call, as before.
KEEP_ARENA_TOKENS = 2_048


def run_options(tokens: int) -> Any:
    """``RunOptions`` for a call on ``tokens`` tokens (see :data:`KEEP_ARENA_TOKENS`)."""
    return _run_options(release=tokens > KEEP_ARENA_TOKENS)


@functools.cache
def _run_options(*, release: bool) -> Any:
    """Plain ``RunOptions``, or ones that hand the memory arena's unused chunks back after
    the call.

    onnxruntime's CPU arena otherwise keeps the most memory any call ever needed, rounded up
    as it grew, for the life of the session: encoding a 300 KB text left 1.2 GB behind
    (0.16 GB when released; the peak during a call is bounded by the window batch).
    """
    import onnxruntime

    options = onnxruntime.RunOptions()
    if release:
        options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    return options
