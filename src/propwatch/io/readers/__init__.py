"""Article readers, one module per input format, registered in ``propwatch.registry.readers``.

Call :func:`read_inputs` with paths, folders, globs or ``-``; it yields an
:class:`~propwatch.text.article.Article` per article and an
:class:`~propwatch.errors.InputError` per input that failed, so a batch goes on past bad files.
"""

from propwatch.io.readers import html, jsonl, parquet, txt, warc
from propwatch.io.readers.base import DEFAULT_MAX_BYTES, ID_RULES, Reader, ReadOptions
from propwatch.io.readers.inputs import read_inputs
from propwatch.io.readers.source import Source

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ID_RULES",
    "ReadOptions",
    "Reader",
    "Source",
    "html",
    "jsonl",
    "parquet",
    "read_inputs",
    "txt",
    "warc",
]
