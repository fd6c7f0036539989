"""Line-level helpers shared by the tab-separated label readers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from propwatch.errors import InputError


@dataclass(frozen=True, slots=True)
class Row:
    """One non-empty line of a tab-separated file.

    Parameters
    ----------
    where : str
        ``path:line`` (1-based line number), used in error messages.
    fields : list of str
        The line split on tabs, line ending removed; empty trailing fields are kept.
    """

    where: str
    fields: list[str]

    def error(self, reason: str) -> InputError:
        """An :class:`InputError` for this line."""
        return InputError(self.where, reason)

    def check_fields(self, min_fields: int, max_fields: int | None) -> None:
        """Raise an :class:`InputError` naming the count unless the line has between
        ``min_fields`` and ``max_fields`` (None: any number above) fields."""
        found = len(self.fields)
        if min_fields <= found and (max_fields is None or found <= max_fields):
            return
        expected = str(min_fields) if max_fields == min_fields else f"at least {min_fields}"
        if max_fields is not None and max_fields != min_fields:
            expected = f"{min_fields} to {max_fields}"
        raise self.error(f"expected {expected} tab-separated fields, found {found}")

    def integer(self, index: int, name: str) -> int:
        """Field ``index`` as a non-negative int; the error names the field."""
        value = self.fields[index].strip()
        if not value.isdigit():
            raise self.error(f"{name} {value!r} is not a non-negative integer")
        return int(value)


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8; a missing or undecodable file names the path."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, expected a file") from None
    except UnicodeDecodeError as error:
        raise InputError(str(path), f"not UTF-8 text (byte {error.start})") from None


def iter_lines(path: Path) -> Iterator[Row]:
    """Yield the non-empty lines of ``path`` split on tabs, whatever their number of fields.

    Lines end at ``\\n``; a trailing ``\\r`` is dropped (several corpora use CRLF). Only ``\\n``
    separates lines, so other Unicode line breaks stay inside fields. Readers that report
    every bad line instead of stopping at the first check each row with
    :meth:`Row.check_fields`.
    """
    text = read_text(path)
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            yield Row(f"{path}:{number}", line.split("\t"))


def iter_rows(path: Path, min_fields: int, max_fields: int | None = None) -> Iterator[Row]:
    """Yield the non-empty lines of ``path`` split on tabs (see :func:`iter_lines`).

    Parameters
    ----------
    path : Path
        A UTF-8 text file.
    min_fields, max_fields : int
        Allowed number of tab-separated fields; ``max_fields=None`` allows any number above
        ``min_fields``.

    Raises
    ------
    InputError
        ``path:line`` with the number of fields found, for a line outside the bounds.
    """
    for row in iter_lines(path):
        row.check_fields(min_fields, max_fields)
        yield row


def label_files(path: Path, pattern: str) -> list[Path]:
    """``[path]`` for a file, or the files of folder ``path`` matching ``pattern``, sorted.

    Raises
    ------
    InputError
        When ``path`` does not exist or the folder holds no matching file.
    """
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(str(path), "no such file or folder")
    files = sorted(p for p in path.glob(pattern) if p.is_file())
    if not files:
        raise InputError(str(path), f"folder holds no {pattern} file")
    return files


def split_labels(value: str, separator: str) -> tuple[str, ...]:
    """Labels of a joined field (``"A,B"``), in file order, blanks dropped."""
    return tuple(label.strip() for label in value.split(separator) if label.strip())


def read_label_list(path: Path) -> tuple[str, ...]:
    """A class list file (``frames.txt``, ``techniques.txt``): one label per non-empty line."""
    lines = (line.removesuffix("\r").strip() for line in read_text(path).split("\n"))
    return tuple(line for line in lines if line)
