"""Helpers shared by commands: the stderr console and one-line error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from propwatch.errors import PropwatchError

# Messages go to stderr so stdout stays clean for ``-o -`` data.
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def report_error(message: str) -> None:
    """Print one line ``propwatch: error: <message>`` on stderr (markup not interpreted)."""
    stderr.print(f"propwatch: error: {message}", markup=False)


def report_warning(message: str) -> None:
    stderr.print(f"propwatch: warning: {message}", markup=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a :class:`PropwatchError` into one stderr line and exit status 1.

    ``main()`` does the same for the installed command; this also covers in-process runs
    (``CliRunner``, ``--get``-style calls) that do not go through ``main()``.
    """
    try:
        yield
    except PropwatchError as error:
        report_error(str(error))
        raise typer.Exit(1) from None
