"""Helpers for reader tests: read inputs back through :func:`read_inputs` as a list."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

from propwatch.errors import InputError
from propwatch.io.readers import ReadOptions, read_inputs
from propwatch.text.article import Article

Result = Article | InputError
# The ``write`` fixture: write(relative_path, data) -> the created file's path.
Writer = Callable[[str, bytes | str], Path]


def read_all(
    inputs: Sequence[str | Path],
    options: ReadOptions | None = None,
    stdin: bytes | None = None,
) -> list[Result]:
    """Every result of ``read_inputs`` as a list (stdin given as bytes)."""
    stream = io.BytesIO(stdin) if stdin is not None else None
    return list(read_inputs([str(i) for i in inputs], options=options, stdin=stream))


def messages(results: Sequence[Result]) -> list[str]:
    """One line per result: the error message, or ``id`` for an article."""
    return [str(r) if isinstance(r, InputError) else f"article {r.id}" for r in results]
