"""Output formats, one module per format, registered in ``propwatch.registry.writers``.

Each entry is a :class:`~propwatch.io.writers.base.Writer`; ``docs/json-schema.md`` lists the
layers and labels each format reads.
"""

from propwatch.io.writers import (
    html,
    jsondoc,
    quotes,
    semeval2020,
    semeval2023,
    semeval2025,
    spans_csv,
)
from propwatch.io.writers.base import Writer

__all__ = [
    "Writer",
    "html",
    "jsondoc",
    "quotes",
    "semeval2020",
    "semeval2023",
    "semeval2025",
    "spans_csv",
]
