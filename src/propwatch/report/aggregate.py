"""Statistics over batch results, grouped by outlet or by month, read in a streaming pass.

Only rows with status ``ok`` are analysed articles; failed rows are counted separately. Each
row's ``analysis`` JSON follows ``docs/json-schema.md``: technique spans (with ``voice`` and
``speaker`` attributes when the quote component ran), ``narratives``, ``genre`` and ``frames``
labels. A statistic whose layer or label no row carries is reported as not computed, not as zero.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from propwatch.errors import InputError, UnknownNameError
from propwatch.text.analysis import FRAMES, GENRE, NARRATIVES, SCHEME_LABEL, TECHNIQUES

UNKNOWN_OUTLET = "(unknown outlet)"
NO_DATE = "(no date)"
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_COLUMNS = ["status", "outlet", "url", "published", "analysis"]


def _outlet(row: Mapping[str, Any]) -> str:
    if row["outlet"]:
        return str(row["outlet"])
    host = re.match(r"[a-z]+://([^/:]+)", row["url"] or "")
    return host.group(1) if host else UNKNOWN_OUTLET


def _month(row: Mapping[str, Any]) -> str:
    found = _MONTH.match(row["published"] or "")
    return f"{found.group(1)}-{found.group(2)}" if found else NO_DATE


# How rows are grouped (``--by``): name -> function of the row giving the group's name.
GROUPINGS: dict[str, Callable[[Mapping[str, Any]], str]] = {"outlet": _outlet, "month": _month}


@dataclass
class GroupStats:
    """Counts for the articles of one group.

    Attributes
    ----------
    articles : int
        Analysed articles (status ``ok``).
    chars : int
        Total characters of their texts.
    techniques, categories : Counter
        Technique spans by technique name and by scheme category.
    voices : Counter
        Technique spans by ``voice`` (``author``, ``quoted``); absent when no span had one.
    speakers : Counter
        Technique spans in quoted voice, by speaker.
    narratives, genres, frames : Counter
        Articles carrying each narrative, genre and frame label.
    """

    articles: int = 0
    chars: int = 0
    techniques: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    voices: Counter[str] = field(default_factory=Counter)
    speakers: Counter[str] = field(default_factory=Counter)
    narratives: Counter[str] = field(default_factory=Counter)
    genres: Counter[str] = field(default_factory=Counter)
    frames: Counter[str] = field(default_factory=Counter)

    @property
    def spans(self) -> int:
        return sum(self.techniques.values())

    def add(self, analysis: Mapping[str, Any]) -> None:
        """Count one article's ``Analysis.to_dict()``."""
        self.articles += 1
        self.chars += len(analysis.get("article", {}).get("text", ""))
        for span in analysis.get("spans", {}).get(TECHNIQUES, []):
            attrs = span.get("attrs", {})
            self.techniques[span["label"]] += 1
            if "category" in attrs:
                self.categories[attrs["category"]] += 1
            if "voice" in attrs:
                self.voices[attrs["voice"]] += 1
                if attrs["voice"] != "author" and attrs.get("speaker"):
                    self.speakers[attrs["speaker"]] += 1
        labels = analysis.get("labels", {})
        self.narratives.update({n["narrative"] for n in labels.get(NARRATIVES, [])})
        if labels.get(GENRE):
            self.genres[labels[GENRE]] += 1
        self.frames.update(set(labels.get(FRAMES, [])))


@dataclass
class Statistics:
    """Everything the report shows: per-group stats, their total, and run metadata."""

    by: str
    groups: dict[str, GroupStats] = field(default_factory=dict)
    total: GroupStats = field(default_factory=GroupStats)
    failed: int = 0
    layers: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    model_versions: Counter[str] = field(default_factory=Counter)
    schemes: set[str] = field(default_factory=set)


def _ok_analyses(path: Path) -> Iterator[tuple[Mapping[str, Any], dict[str, Any] | None]]:
    """(row, parsed analysis or None for a failed row), one record batch at a time."""
    try:
        table = pq.ParquetFile(path)
    except (OSError, ValueError) as error:
        raise InputError(str(path), f"not a readable results file ({error})") from None
    missing = [c for c in [*_COLUMNS, "model_version"] if c not in table.schema_arrow.names]
    if missing:
        raise InputError(str(path), f"not a propwatch batch result (no {', '.join(missing)})")
    for batch in table.iter_batches(batch_size=1024, columns=[*_COLUMNS, "model_version"]):
        for row in batch.to_pylist():
            yield row, json.loads(row["analysis"]) if row["status"] == "ok" else None


def collect(path: Path, by: str) -> Statistics:
    """Read ``path`` (a ``propwatch batch`` output) once and count everything by ``by``.

    Raises
    ------
    UnknownNameError
        If ``by`` is not a key of :data:`GROUPINGS`.
    InputError
        If ``path`` is not a readable batch result file.
    """
    if by not in GROUPINGS:
        raise UnknownNameError("grouping", by, list(GROUPINGS))
    group_of = GROUPINGS[by]
    stats = Statistics(by=by)
    for row, analysis in _ok_analyses(path):
        if analysis is None:
            stats.failed += 1
            continue
        stats.model_versions[row["model_version"]] += 1
        stats.layers.update(analysis.get("spans", {}))
        stats.labels.update(analysis.get("labels", {}))
        if SCHEME_LABEL in analysis.get("labels", {}):
            stats.schemes.add(analysis["labels"][SCHEME_LABEL])
        stats.groups.setdefault(group_of(row), GroupStats()).add(analysis)
        stats.total.add(analysis)
    return stats
