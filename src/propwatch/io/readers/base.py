"""What a reader is, the options every reader takes, and how file names become article ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from propwatch.errors import InputError, UnknownNameError
from propwatch.io.readers.clean import display_name
from propwatch.io.readers.source import Source
from propwatch.text.article import Article

# 64 MiB: far above any news article (a 20 MB file still reads) yet refuses accidental dumps.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_PTC_NAME = re.compile(r"article(\d+)\.txt", re.IGNORECASE)
# SemEval-2025 Task 10 documents (EN_UA_DEV_100012.txt): their label files use the full name.
_SEMEVAL2025_NAME = re.compile(r"[A-Z]{2}(?:_[A-Z]+)+_\d+\.txt")
_DIGITS = re.compile(r"\d+")


def _digits_id(file_name: str) -> str | None:
    runs = _DIGITS.findall(PurePath(file_name).stem)
    return runs[-1] if runs else None


def _stem_id(file_name: str) -> str | None:
    return PurePath(file_name).stem


def _name_id(file_name: str) -> str | None:
    return file_name


def _auto_id(file_name: str) -> str | None:
    ptc = _PTC_NAME.fullmatch(file_name)
    if ptc:
        return ptc.group(1)
    if _SEMEVAL2025_NAME.fullmatch(file_name):
        return file_name
    return _stem_id(file_name)


# How an article id is derived from its file name (``--id-from``).
ID_RULES: dict[str, Callable[[str], str | None]] = {
    "auto": _auto_id,
    "digits": _digits_id,
    "stem": _stem_id,
    "name": _name_id,
}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Settings shared by all readers.

    Parameters
    ----------
    format : str or None, default=None
        Name of a reader (``"txt"``, ``"html"``, ``"jsonl"``) used for every input, whatever its
        suffix; None picks the reader from the file suffix (stdin then defaults to ``"txt"``).
    id_from : {"auto", "digits", "stem", "name"}, default="auto"
        How a file's article id is made from its name. ``auto``: the digits of
        ``article<ID>.txt`` (PTC, SemEval-2020/2023), the full name of SemEval-2025 documents
        (``EN_UA_DEV_100012.txt``, as their label files write it), otherwise the stem.
        ``digits``: the last run of digits in the stem; ``stem``: the name without its last
        suffix; ``name``: the full file name. JSONL records carry their own ids.
    max_bytes : int, default=64 MiB
        Inputs larger than this many bytes (after gzip decompression) are refused; readers with
        a ``stream`` function read files of any size, one record at a time.
    text_column, id_column : str, default="text", "id"
        Columns holding the article text and id in tabular inputs (Parquet).
    """

    format: str | None = None
    id_from: str = "auto"
    max_bytes: int = DEFAULT_MAX_BYTES
    text_column: str = "text"
    id_column: str = "id"

    def validate(self) -> None:
        """Raise :class:`~propwatch.errors.UnknownNameError` for an unknown ``id_from``."""
        if self.id_from not in ID_RULES:
            raise UnknownNameError("id rule", self.id_from, list(ID_RULES))


def article_id(source: Source, options: ReadOptions) -> str:
    """The id of the single article stored in ``source`` (``"stdin"`` for standard input)."""
    if source.path is None:
        return "stdin"
    # A printable name: file names may hold newlines or bytes that are not UTF-8.
    found = ID_RULES[options.id_from](display_name(source.file_name))
    if not found:
        raise InputError(source.name, f"no id in the file name for --id-from {options.id_from}")
    return found


ReadFunction = Callable[[Source, ReadOptions], Iterator[Article | InputError]]
StreamFunction = Callable[[Path, ReadOptions], Iterator[Article | InputError]]


@dataclass(frozen=True, slots=True)
class Reader:
    """An input format, registered in :data:`propwatch.registry.readers` under ``name``.

    Parameters
    ----------
    name : str
        Registry name, also accepted by ``ReadOptions.format``.
    suffixes : tuple of str
        Lower-case file suffixes this reader handles (``".jsonl.gz"``), longest match wins.
    read : callable
        ``read(source, options)`` yields the source's articles; a problem that spoils only part
        of the source (one JSONL line) is yielded as an :class:`InputError` so reading goes on.
        A problem with the whole source may be raised as :class:`InputError` instead.
    description : str
        One line for ``--help`` and the docs.
    stream : callable or None, default=None
        ``stream(path, options)``: like ``read`` but reads the file incrementally, so container
        formats (JSONL, Parquet, WARC) of any size run in bounded memory. Used for files on
        disk when set.
    """

    name: str
    suffixes: tuple[str, ...]
    read: ReadFunction
    description: str
    stream: StreamFunction | None = None


def is_ptc_name(file_name: str) -> bool:
    """True for ``article<ID>.txt``, the PTC/SemEval layout whose line 1 is always the title."""
    return _PTC_NAME.fullmatch(file_name) is not None


def source_meta(source: Source, reader: str, warnings: list[str]) -> dict[str, object]:
    """``Article.meta`` for an article read from ``source``: origin, reader and any warnings."""
    meta: dict[str, object] = {"source": source.name, "reader": reader}
    if warnings:
        meta["warnings"] = list(warnings)
    return meta
