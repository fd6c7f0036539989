"""Corpus statistics: what the web's outlets page and ``propwatch report`` count, counted once.

A source turns its articles into *tallies*, ``(outlet, month, kind, name, n)``: ``n`` articles
(kind ``articles``), characters, technique spans by technique, category or voice, quoted spans
by speaker, or articles by narrative, genre or frame, in one outlet and month.
:func:`corpus_statistics` adds them up by outlet and month, and :class:`CorpusStatistics` gives
them back by outlet or by month. ``propwatch report`` tallies each analysis of a batch result
(:func:`analysis_tallies`); the web app's database adds its tallies up in SQL
(:func:`propwatch.db.repo.outlet_tallies`), so a page does not read every stored analysis.

Articles without an outlet are counted under :data:`~propwatch.text.article.MISSING_OUTLET`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from propwatch.text.analysis import FRAMES, GENRE, NARRATIVES, TECHNIQUES
from propwatch.text.article import MISSING_OUTLET

NO_DATE = "(no date)"
GROUPINGS = ("outlet", "month")  # what statistics are grouped by (``propwatch report --by``)
_UNKNOWN = {MISSING_OUTLET, NO_DATE}  # listed after every named group


class Tally(NamedTuple):
    """``n`` of one ``kind`` (``name``: a technique, a speaker…) in one outlet and month."""

    outlet: str | None
    month: str
    kind: str
    name: str
    n: int = 1


@dataclass
class Counts:
    """Counts over a set of articles (one outlet, one month, or one outlet in one month).

    Attributes
    ----------
    articles : int
        Analysed articles.
    chars : int
        Total characters of their texts.
    techniques, categories, voices : Counter
        Technique spans by technique name, by scheme category (``""`` for none) and by
        ``voice`` (``author``, ``quoted``).
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
        """Technique spans."""
        return sum(self.techniques.values())

    def add(self, tally: Tally) -> None:
        """Count ``tally``.

        Raises
        ------
        KeyError
            If its kind is not one of :data:`KINDS`.
        """
        if tally.kind in _TOTALS:
            setattr(self, tally.kind, getattr(self, tally.kind) + tally.n)
        else:
            counter: Counter[str] = getattr(self, KINDS[tally.kind])
            counter[tally.name] += tally.n

    def update(self, other: Counts) -> None:
        """Add every count of ``other`` to this one."""
        for total in _TOTALS:
            setattr(self, total, getattr(self, total) + getattr(other, total))
        for name in KINDS.values():
            counter: Counter[str] = getattr(self, name)
            counter.update(getattr(other, name))


_TOTALS = ("articles", "chars")
# Tally kind -> the Counter of Counts it adds to.
KINDS = {
    "technique": "techniques",
    "category": "categories",
    "voice": "voices",
    "speaker": "speakers",
    "narrative": "narratives",
    "genre": "genres",
    "frame": "frames",
}


@dataclass
class CorpusStatistics:
    """Counts by ``(outlet, month)``, given back by outlet or by month."""

    cells: dict[tuple[str, str], Counts] = field(default_factory=dict)

    def groups(self, by: str) -> dict[str, Counts]:
        """Counts by outlet (most articles first) or by month (in time order); the missing
        outlet and the missing date come last.

        Raises
        ------
        ValueError
            If ``by`` is not one of :data:`GROUPINGS`.
        """
        if by not in GROUPINGS:
            raise ValueError(f"group by one of {GROUPINGS}, not {by!r}")
        merged: dict[str, Counts] = {}
        for (outlet, month), counts in self.cells.items():
            merged.setdefault(outlet if by == "outlet" else month, Counts()).update(counts)

        def order(item: tuple[str, Counts]) -> tuple[bool, int, str]:
            name, counts = item
            return name in _UNKNOWN, 0 if by == "month" else -counts.articles, name

        return dict(sorted(merged.items(), key=order))

    def months(self, outlet: str) -> dict[str, Counts]:
        """The counts of ``outlet`` by month, in time order."""
        found = {month: counts for (name, month), counts in self.cells.items() if name == outlet}
        return dict(sorted(found.items(), key=lambda kv: (kv[0] == NO_DATE, kv[0])))

    @property
    def total(self) -> Counts:
        """Counts over the whole corpus."""
        total = Counts()
        for counts in self.cells.values():
            total.update(counts)
        return total


def corpus_statistics(tallies: Iterable[Tally]) -> CorpusStatistics:
    """Add ``tallies`` up by outlet and month (a missing outlet is named ``MISSING_OUTLET``)."""
    stats = CorpusStatistics()
    for tally in tallies:
        cell = (tally.outlet or MISSING_OUTLET, tally.month)
        stats.cells.setdefault(cell, Counts()).add(tally)
    return stats


def analysis_tallies(
    outlet: str | None, month: str, analysis: Mapping[str, Any]
) -> Iterator[Tally]:
    """The tallies of one article from its ``Analysis.to_dict()`` (``docs/json-schema.md``)."""

    def tally(kind: str, name: str = "", n: int = 1) -> Tally:
        return Tally(outlet, month, kind, name, n)

    yield tally("articles")
    yield tally("chars", n=len(analysis.get("article", {}).get("text", "")))
    for span in analysis.get("spans", {}).get(TECHNIQUES, []):
        attrs = span.get("attrs", {})
        yield tally("technique", span["label"])
        yield tally("category", attrs.get("category") or "")
        if "voice" in attrs:
            yield tally("voice", attrs["voice"])
            if attrs["voice"] != "author" and attrs.get("speaker"):
                yield tally("speaker", attrs["speaker"])
    labels = analysis.get("labels", {})
    for narrative in sorted({n["narrative"] for n in labels.get(NARRATIVES, [])}):
        yield tally("narrative", narrative)
    if labels.get(GENRE):
        yield tally("genre", labels[GENRE])
    for frame in sorted(set(labels.get(FRAMES, []))):
        yield tally("frame", frame)
