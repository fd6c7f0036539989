"""Helpers shared by commands: the stderr console and one-line error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from propwatch.errors import PropwatchError
from propwatch.io.readers.clean import one_line

# Messages go to stderr so stdout stays clean for ``-o -`` data.
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def report_error(message: str) -> None:
    """Print one line ``propwatch: error: <message>`` on stderr (markup not interpreted).

    The message is flattened and bounded (:func:`one_line`): it may quote file names and
    records, which must not add lines of their own or flood the terminal.
    """
    stderr.print(f"propwatch: error: {one_line(message)}", markup=False)


def report_warning(message: str) -> None:
    """Print one line ``propwatch: warning: <message>`` on stderr, like :func:`report_error`."""
    stderr.print(f"propwatch: warning: {one_line(message)}", markup=False)


def parse_components(value: str | None) -> tuple[str, ...] | None:
    """``--components text,quotes`` as names in order; None (the default pipeline) if unset."""
    if value is None:
        return None
    return tuple(name.strip() for name in value.split(",") if name.strip())


COMPONENTS_HELP = (
    "Comma-separated pipeline components to run instead of the default pipeline "
    "(e.g. text for paragraphs and sentences only)."
)


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
