"""onnxruntime settings shared by the encoder and the sequence head."""

from __future__ import annotations

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


def releasing_run_options() -> Any:
    """``RunOptions`` that hand the memory arena's unused chunks back after every call.

    onnxruntime's CPU arena otherwise keeps the most memory any call ever needed, rounded up
    as it grew, for the life of the session: encoding a 300 KB text left 1.2 GB behind
    (0.16 GB with these options; the peak during a call is bounded by the window batch).
    """
    import onnxruntime

    options = onnxruntime.RunOptions()
    options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    return options
