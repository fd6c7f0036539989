"""Helpers shared by commands: the stderr console and one-line error reporting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console

from propwatch.errors import InputError, PropwatchError
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


MODEL_HELP = (
    "Technique model folder to use instead of the shipped one (OUT/model of propwatch train "
    "techniques, e.g. adapted to your annotations); sets PROPWATCH_TECHNIQUE_MODEL_DIR."
)


def use_technique_model(folder: Path | None) -> None:
    """Make this run, and the worker processes it starts, load the technique model in
    ``folder`` (through ``PROPWATCH_TECHNIQUE_MODEL_DIR``, which workers inherit)."""
    if folder is None:
        return
    if not (folder / "config.json").is_file():
        raise InputError(str(folder), "not a technique model folder (config.json missing)")
    os.environ["PROPWATCH_TECHNIQUE_MODEL_DIR"] = str(folder.resolve())


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


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn a database that cannot be opened (a folder it cannot create, a read-only file, a
    server that refuses) into a :class:`PropwatchError` naming ``url`` without its password."""
    from sqlalchemy.exc import SQLAlchemyError  # here: most commands never open a database

    try:
        yield
    except (OSError, SQLAlchemyError) as error:
        reason = f"cannot open the database ({_cause(error)})"
        raise PropwatchError(f"--db {_shown(url)}: {reason}") from None


def _shown(url: str) -> str:
    """``url`` without its password (as given when it is not a URL at all)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _cause(error: Exception) -> str:
    """The driver's or the file system's own words, on one line."""
    cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    return str(getattr(cause, "strerror", None) or cause).splitlines()[0]
