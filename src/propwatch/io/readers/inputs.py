"""Turn command-line inputs (files, folders, globs, ``-``) into articles, one input at a time.

:func:`read_inputs` never stops at a bad input: each problem is yielded as an
:class:`~propwatch.errors.InputError` whose message is one line naming the file (and line), and
the caller decides how to report it and which exit status to use.

Rules
-----
- A folder is walked recursively in sorted order; hidden files and folders are skipped, and so
  are files whose suffix no reader handles. A glob behaves like a folder listing.
- A file named explicitly must have a readable suffix (or ``ReadOptions.format`` must be set).
- ``-`` reads standard input, with ``ReadOptions.format`` or else the ``txt`` reader.
- A file reached twice (named and inside a folder) is read once.
- Only regular files are read: a FIFO or device would never end, a dangling or looping link
  cannot be read; each is one error. So is a file that holds no article at all.
- Every article and error passes :mod:`propwatch.io.readers.clean` (printable names, no lone
  surrogates, plain metadata, visible text); any exception a reader raises ends that input
  with one error, never the run.
"""

from __future__ import annotations

import glob
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from propwatch import registry
from propwatch.errors import InputError
from propwatch.io.readers.base import Reader, ReadOptions
from propwatch.io.readers.clean import clean_article, clean_error, display_name
from propwatch.io.readers.source import STDIN_NAME, Source, describe_size
from propwatch.text.article import Article

STDIN_ARGUMENT = "-"
STDIN_DEFAULT_READER = "txt"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class _Target:
    """A file (or stdin when ``path`` is None) to read; ``explicit`` if the user named it."""

    name: str
    path: Path | None
    explicit: bool


def suffix_table(options: ReadOptions) -> dict[str, Reader]:
    """Map each readable suffix (``".jsonl.gz"``) to its reader; only the forced one if set."""
    names = [options.format] if options.format else registry.readers.names()
    readers: list[Reader] = [registry.readers.get(name) for name in names]
    return {suffix: reader for reader in readers for suffix in reader.suffixes}


def _match_suffix(file_name: str, table: dict[str, Reader]) -> Reader | None:
    lowered = file_name.lower()
    matches = [suffix for suffix in table if lowered.endswith(suffix)]
    return table[max(matches, key=len)] if matches else None


def _walk(folder: str) -> Iterator[Path | InputError]:
    """Every non-hidden file under ``folder``, sorted by path components (a/x before b.txt),
    then one error per sub-folder that could not be listed."""
    found: list[Path] = []
    failed: list[InputError] = []

    def on_error(error: OSError) -> None:
        failed.append(InputError(str(error.filename), f"cannot read folder ({error.strerror})"))

    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root, name) for name in files if not name.startswith("."))
    yield from sorted(found, key=lambda path: path.parts)
    yield from failed


def _listing(
    paths: Iterable[Path | InputError], table: dict[str, Reader]
) -> Iterator[_Target | InputError]:
    for path in paths:
        if isinstance(path, InputError):
            yield path
        elif _match_suffix(path.name, table) is not None:
            yield _Target(display_name(path), path, explicit=False)


def _expand(entry: str, table: dict[str, Reader]) -> Iterator[_Target | InputError]:
    if entry == STDIN_ARGUMENT:
        yield _Target(STDIN_NAME, None, explicit=True)
        return
    path = Path(entry)
    if path.is_dir():
        found = list(_listing(_walk(entry), table))
        if not found:
            yield InputError(entry, f"no readable files in this folder ({', '.join(table)})")
        yield from found
    elif path.exists():
        yield _Target(display_name(entry), path, explicit=True)
    elif _GLOB_CHARS & set(entry):
        matches = sorted(glob.glob(entry, recursive=True))
        if not matches:
            yield InputError(entry, "no file matches this pattern")
        for match in matches:
            members = _walk(match) if Path(match).is_dir() else [Path(match)]
            yield from _listing(members, table)
    else:
        yield InputError(entry, "no such file or folder")


def _reader_for(target: _Target, table: dict[str, Reader], options: ReadOptions) -> Reader:
    if options.format:
        return registry.readers.get(options.format)
    if target.path is None:
        return registry.readers.get(STDIN_DEFAULT_READER)
    reader = _match_suffix(target.path.name, table)
    if reader is None:
        suffix = "".join(target.path.suffixes) or "no suffix"
        raise InputError(
            target.name, f"unsupported file type ({suffix}); readable: {', '.join(table)}"
        )
    return reader


def _load(target: _Target, options: ReadOptions, stdin: BinaryIO | None) -> Source:
    limit = options.max_bytes
    if target.path is None:
        data = (stdin or sys.stdin.buffer).read(limit + 1)
        size = len(data)
    else:
        try:
            size = target.path.stat().st_size
            data = target.path.read_bytes() if size <= limit else b""
        except OSError as error:
            raise InputError(target.name, f"cannot read ({error.strerror})") from None
    if size > limit:
        reason = f"input is {describe_size(size)}, above the {describe_size(limit)} limit"
        raise InputError(target.name, reason)
    return Source(target.name, data, target.path)


def read_inputs(
    inputs: Sequence[str],
    *,
    options: ReadOptions | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Article | InputError]:
    """Read every article named by ``inputs``, in order, yielding problems instead of raising.

    Parameters
    ----------
    inputs : sequence of str
        File paths, folders (read recursively), glob patterns and ``-`` for standard input.
    options : ReadOptions, optional
        Reader choice, id rule and size limit; defaults to ``ReadOptions()``.
    stdin : binary file, optional
        Stream read for ``-``; defaults to ``sys.stdin.buffer`` (tests pass ``io.BytesIO``).

    Yields
    ------
    Article or InputError
        Articles in input order; an :class:`InputError` (one-line message ``"path[:line]:
        reason"``) for each input, or JSONL line, that could not be read. Decoding warnings are
        in ``article.meta["warnings"]``.

    Raises
    ------
    UnknownNameError
        When ``options.format`` or ``options.id_from`` names nothing (a bad option, not a bad
        input, so the whole run stops before reading).
    """
    options = options or ReadOptions()
    options.validate()
    table = suffix_table(options)
    seen: set[str] = set()
    for entry in inputs:
        for target in _expand_safely(entry, table):
            if isinstance(target, InputError):
                yield clean_error(target)
            elif _first_time(target, seen):
                yield from _read_target(target, table, options, stdin)


def _expand_safely(entry: str, table: dict[str, Reader]) -> Iterator[_Target | InputError]:
    try:
        yield from _expand(entry, table)
    except OSError as error:  # e.g. a name longer than the file system allows
        yield InputError(entry, f"cannot read ({error.strerror})")


def _first_time(target: _Target, seen: set[str]) -> bool:
    """False for a file read before under another name; realpath, unlike Path.resolve, does
    not raise on a symlink loop (whose read then reports the loop)."""
    if target.path is None:
        return True
    key = os.path.realpath(target.path)
    if key in seen:
        return False
    seen.add(key)
    return True


def _check_regular(target: _Target) -> None:
    """Refuse what is not a regular file: reading a FIFO or a device would never end."""
    if target.path is None:
        return
    try:
        mode = target.path.stat().st_mode
    except OSError as error:  # a dangling symlink, a loop, a file removed meanwhile
        raise InputError(target.name, f"cannot read ({error.strerror})") from None
    if not stat.S_ISREG(mode):
        raise InputError(target.name, "not a regular file (a pipe, device or socket)")


def _articles(
    target: _Target, table: dict[str, Reader], options: ReadOptions, stdin: BinaryIO | None
) -> Iterator[Article | InputError]:
    reader = _reader_for(target, table, options)
    _check_regular(target)
    if reader.stream is not None and target.path is not None:
        return reader.stream(target.path, options)
    return reader.read(_load(target, options, stdin), options)


def _checked(item: Article | InputError) -> Article | InputError:
    if isinstance(item, InputError):
        return clean_error(item)
    try:
        return clean_article(item)
    except InputError as error:
        return error


def _read_target(
    target: _Target, table: dict[str, Reader], options: ReadOptions, stdin: BinaryIO | None
) -> Iterator[Article | InputError]:
    """The checked articles of one input (see :mod:`propwatch.io.readers.clean`).

    Whatever goes wrong ends this input with one error naming it, never the whole run: the
    readers raise :class:`InputError` for the problems they know, and anything else is a
    reader or parsing library failing on hostile bytes. An input that yields nothing at all
    is an error too.
    """
    found = False
    try:
        for item in _articles(target, table, options, stdin):
            found = True
            yield _checked(item)
        if not found:  # an empty table, a crawl without pages: say so rather than skip it
            yield clean_error(InputError(target.name, "no articles in this file"))
    except InputError as error:
        yield clean_error(error)
    except Exception as error:  # recorded against this input with its reason; the run goes on
        reason = f"cannot read ({type(error).__name__}: {error})"
        yield clean_error(InputError(target.name, reason))
