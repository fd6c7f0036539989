"""Raw inputs (bytes plus a display name) and the checks every text reader shares.

A :class:`Source` is one file's bytes, or stdin's, before any format is applied. Readers turn a
source into articles; :func:`decode_text` is the single place where bytes become ``str``: UTF-8
(or UTF-16 / UTF-32 when the file starts with its byte-order mark), never normalised, so every
offset a label file gives stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from propwatch.errors import InputError

STDIN_NAME = "<stdin>"

# UTF-16 and UTF-32 byte-order marks and their codecs; such files are full of NUL bytes, so the
# mark is what tells them from binary files (Windows tools still save "Unicode" text this way).
# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


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
    if not is_wide_unicode(data) and b"\x00" in data:
        raise InputError(name, "binary file (contains NUL bytes), not text")


def _wide_codec(data: bytes) -> str | None:
    """The UTF-16/UTF-32 codec named by the byte-order mark ``data`` starts with, if any."""
    return next((codec for bom, codec in _WIDE_BOMS if data.startswith(bom)), None)


def is_wide_unicode(data: bytes) -> bool:
    """True when ``data`` starts with a UTF-16 or UTF-32 byte-order mark (:func:`decode_text`)."""
    return _wide_codec(data) is not None


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode exactly as stored (CRLF, BOM and all), replacing undecodable bytes.

    UTF-8, unless ``data`` starts with a UTF-16 or UTF-32 byte-order mark; the mark stays in the
    text as U+FEFF, as a UTF-8 one does, so offsets count the same characters whatever the
    encoding.

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
    codec = _wide_codec(data) or "utf-8"
    try:
        return data.decode(codec), []
    except UnicodeDecodeError as error:
        label = codec.upper().removesuffix("-LE").removesuffix("-BE")
        warning = (
            f"{name}: invalid {label} at byte {error.start}; "
            "undecodable bytes were replaced with U+FFFD"
        )
        return data.decode(codec, errors="replace"), [warning]


def describe_size(n_bytes: int) -> str:
    """``"20.0 MB"`` from one megabyte up, else ``"1,000 bytes"`` (for size-limit messages)."""
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1_000_000 else f"{n_bytes:,} bytes"
