"""``json`` and ``jsonl``: the full analysis of each article (``docs/json-schema.md``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from propwatch import registry
from propwatch.io.writers.base import Writer
from propwatch.text.analysis import Analysis


def write_json(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """Write a JSON array with one ``Analysis.to_dict()`` object per article, streamed."""
    stream.write("[")
    for index, analysis in enumerate(analyses):
        stream.write(",\n" if index else "\n")
        stream.write(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
    stream.write("\n]\n")


def write_jsonl(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """Write one compact ``Analysis.to_dict()`` object per line."""
    for analysis in analyses:
        stream.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")


registry.writers.add(
    "json",
    Writer(
        name="json",
        suffix=".json",
        media_type="application/json",
        requires=(),
        write=write_json,
        description="JSON array, one analysis object per article (docs/json-schema.md)",
    ),
)
registry.writers.add(
    "jsonl",
    Writer(
        name="jsonl",
        suffix=".jsonl",
        media_type="application/x-ndjson",
        requires=(),
        write=write_jsonl,
        description="one analysis object per line",
    ),
)
