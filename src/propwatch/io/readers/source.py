"""Raw inputs (bytes plus a display name) and the checks every text reader shares.

A :class:`Source` is one file's bytes, or stdin's, before any format is applied. Readers turn a
source into articles; :func:`decode_text` is the single place where bytes become ``str``: UTF-8,
never normalised, so every offset a label file gives stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from propwatch.errors import InputError

STDIN_NAME = "<stdin>"

# UTF-16/32 byte-order marks; such files are full of NUL bytes and would look binary.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class Source:
    """One input's bytes.

    Parameters
    ----------
    name : str
        How errors and warnings name the input: the path as the user gave it (or as found in a
        folder), or ``"<stdin>"``.
    data : bytes
        The complete content, undecoded.
    path : Path or None
        The file, or None for stdin; readers derive ids from ``path.name``.
    """

    name: str
    data: bytes
    path: Path | None = None

    @property
    def file_name(self) -> str:
        """The file name (``article1.txt``), or ``"stdin"`` for standard input."""
        return self.path.name if self.path is not None else "stdin"


def check_not_binary(data: bytes, name: str) -> None:
    """Raise :class:`InputError` when ``data`` is empty or not text.

    Parameters
    ----------
    data : bytes
        The raw content of one input (or one JSONL line).
    name : str
        The input's display name, used as the error's source.
    """
    if not data.strip():
        raise InputError(name, "empty file")
    if data.startswith(_UTF16_BOMS):
        raise InputError(name, "UTF-16 text is not supported; save the file as UTF-8")
    if b"\x00" in data:
        raise InputError(name, "binary file (contains NUL bytes), not text")


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode UTF-8 exactly as stored (CRLF, BOM and all), replacing undecodable bytes.

    Parameters
    ----------
    data : bytes
        Raw content.
    name : str
        Display name used in the warning.

    Returns
    -------
    text : str
        The decoded text; invalid bytes become U+FFFD, everything else is unchanged.
    warnings : list of str
        One line per problem, already naming the input (empty when the bytes were valid UTF-8).
    """
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        warning = (
            f"{name}: invalid UTF-8 at byte {error.start}; "
            "undecodable bytes were replaced with U+FFFD"
        )
        return data.decode("utf-8", errors="replace"), [warning]


def describe_size(n_bytes: int) -> str:
    """``"20.0 MB"`` from one megabyte up, else ``"1,000 bytes"`` (for size-limit messages)."""
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1_000_000 else f"{n_bytes:,} bytes"
