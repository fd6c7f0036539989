"""What a writer is, and the small helpers the tab-separated research formats share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from propwatch.text.analysis import Analysis

WriteFunction = Callable[[Iterable[Analysis], TextIO], None]


@dataclass(frozen=True, slots=True)
class Writer:
    """An output format, registered in :data:`propwatch.registry.writers` under ``name``.

    Parameters
    ----------
    name : str
        Registry name, the value of ``--format``.
    suffix : str
        File suffix of the output (``".json"``); ``-o report.html`` picks the writer by it.
    media_type : str
        MIME type for web responses (``"application/json"``).
    requires : tuple of str
        Layers (``"techniques"``) and labels (``"genre"``) the format reads; the pipeline must
        assign all of them, see ``docs/json-schema.md``.
    write : callable
        ``write(analyses, stream)`` writes every analysis, in order, to the text stream.
    description : str
        One line for ``--help`` and the README.
    """

    name: str
    suffix: str
    media_type: str
    requires: tuple[str, ...]
    write: WriteFunction
    description: str

    def missing(self, available: Iterable[str]) -> list[str]:
        """The layers and labels this format reads that ``available`` lacks, in ``requires`` order.

        The CLI checks a pipeline's assigned names with it, the web a stored analysis's layers
        and labels: a format fits when nothing is missing.
        """
        have = set(available)
        return [need for need in self.requires if need not in have]


def write_tsv_rows(stream: TextIO, rows: Iterable[Sequence[object]]) -> None:
    """Write ``rows`` tab-separated, one per line, with ``\\n`` line ends and no header."""
    for row in rows:
        stream.write("\t".join(str(cell) for cell in row) + "\n")
