"""``propwatch report``: statistics of a batch result by outlet or month, as one HTML file.

:func:`collect` reads the results file once, a record batch at a time, and counts its analyses
with :func:`~propwatch.render.corpus.corpus_statistics`, the counting the web's outlets page
uses. Only rows with status ``ok`` are analysed articles; failed rows are counted apart. A
statistic whose layer or label no row carries is reported as not computed, not as zero.
:func:`build_report_view` turns the counts into charts of :mod:`propwatch.render.charts`, and
``corpus_report.html`` draws them with the shared stylesheet in its ``<style>`` block: no
JavaScript and nothing loaded from elsewhere. Names (outlets, techniques, speakers, narratives)
reach the page only as autoescaped text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from propwatch.errors import InputError, UnknownNameError
from propwatch.render.charts import (
    LABEL_WIDTH,
    NEUTRAL,
    BarChart,
    StackedChart,
    bar_chart,
    fixed,
    stacked_chart,
    technique_chart,
)
from propwatch.render.corpus import (
    GROUPINGS,
    NO_DATE,
    CorpusStatistics,
    Counts,
    Tally,
    analysis_tallies,
    corpus_statistics,
)
from propwatch.render.environment import make_environment
from propwatch.render.styles import stylesheet
from propwatch.render.view import Glossary
from propwatch.text.analysis import FRAMES, GENRE, NARRATIVES, SCHEME_LABEL, TECHNIQUES

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_COLUMNS = ["status", "outlet", "published", "analysis", "model_version"]
MAX_GROUPS = 30  # groups shown in charts and tables; the rest are summed under "other"
VOICES = {"author": "pal-0", "quoted": "pal-1"}  # voice -> CSS class of its colour
NARRATIVE = "pal-1"  # bars of the narratives chart


def _month(published: str | None) -> str:
    found = _MONTH.match(published or "")
    return f"{found.group(1)}-{found.group(2)}" if found else NO_DATE


@dataclass
class Statistics:
    """The counts of a batch result and what its rows say about the run."""

    by: str
    corpus: CorpusStatistics = field(default_factory=CorpusStatistics)
    failed: int = 0
    layers: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    model_versions: Counter[str] = field(default_factory=Counter)
    schemes: set[str] = field(default_factory=set)

    @property
    def groups(self) -> dict[str, Counts]:
        """Counts by :attr:`by`, ordered as :meth:`CorpusStatistics.groups` orders them."""
        return self.corpus.groups(self.by)


def _rows(path: Path) -> Iterator[Mapping[str, Any]]:
    """The rows of ``path``, one record batch at a time."""
    try:
        table = pq.ParquetFile(path)
    except (OSError, ValueError) as error:
        raise InputError(str(path), f"not a readable results file ({error})") from None
    missing = [c for c in _COLUMNS if c not in table.schema_arrow.names]
    if missing:
        raise InputError(str(path), f"not a propwatch batch result (no {', '.join(missing)})")
    for batch in table.iter_batches(batch_size=1024, columns=_COLUMNS):
        yield from batch.to_pylist()


def collect(path: Path, by: str) -> Statistics:
    """Read ``path`` (a ``propwatch batch`` output) once and count everything by ``by``.

    Raises
    ------
    UnknownNameError
        If ``by`` is not one of :data:`~propwatch.render.corpus.GROUPINGS`.
    InputError
        If ``path`` is not a readable batch result file.
    """
    if by not in GROUPINGS:
        raise UnknownNameError("grouping", by, list(GROUPINGS))
    stats = Statistics(by=by)

    def tallies() -> Iterator[Tally]:
        for row in _rows(path):
            if row["status"] != "ok":
                stats.failed += 1
                continue
            analysis = json.loads(row["analysis"])
            stats.model_versions[row["model_version"]] += 1
            stats.layers.update(analysis.get("spans", {}))
            stats.labels.update(analysis.get("labels", {}))
            if SCHEME_LABEL in analysis.get("labels", {}):
                stats.schemes.add(analysis["labels"][SCHEME_LABEL])
            yield from analysis_tallies(row["outlet"], _month(row["published"]), analysis)

    stats.corpus = corpus_statistics(tallies())
    return stats


@dataclass(frozen=True)
class HeatCell:
    """A table cell: ``percent`` of the group's technique spans, ``alpha`` its shade in [0, 1]."""

    percent: float
    alpha: float


@dataclass(frozen=True)
class HeatRow:
    technique: str
    cells: list[HeatCell]


@dataclass(frozen=True)
class GroupRow:
    """One group's line in the labels table."""

    name: str
    articles: int
    per_article: float
    top_narratives: list[tuple[str, int]]
    genres: list[tuple[str, int]]
    top_frames: list[tuple[str, int]]


@dataclass(frozen=True)
class ReportView:
    """Everything ``corpus_report.html`` shows."""

    by: str
    articles: int
    failed: int
    spans: int
    model_versions: list[tuple[str, int]]
    group_names: list[str]
    articles_chart: BarChart
    density_chart: BarChart
    techniques_chart: BarChart
    heat: list[HeatRow]
    voices: StackedChart
    speakers_chart: BarChart | None
    narratives_chart: BarChart | None
    group_rows: list[GroupRow]
    has_voice: bool
    has_narratives: bool
    has_genre: bool
    has_frames: bool
    has_techniques: bool


def _shown_groups(stats: Statistics) -> list[tuple[str, Counts]]:
    """The groups in order, those past :data:`MAX_GROUPS` summed into one "other" group."""
    ordered = list(stats.groups.items())
    if len(ordered) <= MAX_GROUPS:
        return ordered
    other = Counts()
    for _, counts in ordered[MAX_GROUPS - 1 :]:
        other.update(counts)
    return [*ordered[: MAX_GROUPS - 1], (f"other ({len(ordered) - MAX_GROUPS + 1})", other)]


def _author_share(voices: Counter[str]) -> str:
    total = sum(voices.values())
    return f"{voices['author'] / total if total else 0:.0%} author"


def _voices(groups: list[tuple[str, Counts]], by: str) -> StackedChart:
    rows = {}
    for name, counts in groups:
        author = counts.voices["author"]
        rows[name] = Counter(author=author, quoted=sum(counts.voices.values()) - author)
    return stacked_chart(
        f"Technique spans by voice, by {by}",
        rows,
        VOICES,
        label_width=LABEL_WIDTH,
        text=_author_share,
    )


def _heat(
    groups: list[tuple[str, Counts]], techniques: list[str], glossary: Glossary
) -> list[HeatRow]:
    rows = []
    for technique in techniques:
        shares = [
            100 * counts.techniques[technique] / counts.spans if counts.spans else 0.0
            for _, counts in groups
        ]
        top = max(shares, default=0) or 1
        cells = [HeatCell(round(s, 1), round(s / top, 3)) for s in shares]
        rows.append(HeatRow(glossary.label(technique), cells))
    return rows


def _counts_chart(
    title: str,
    items: list[tuple[str, int]],
    css: dict[str, str] | None = None,
    *,
    default_css: str = NEUTRAL,
) -> BarChart:
    """Bars of counts, written with thousands separators."""
    return bar_chart(title, items, css, default_css=default_css, text=fixed(0))


def _glossary(stats: Statistics) -> Glossary:
    """Technique descriptions, the results' first scheme winning where schemes share names."""
    return Glossary.load(min(stats.schemes, default=None))


def build_report_view(stats: Statistics, top: int = 10) -> ReportView:
    """Turn :class:`Statistics` into charts and tables; ``top`` items per ranking."""
    groups = _shown_groups(stats)
    glossary = _glossary(stats)
    total = stats.corpus.total
    top_techniques = total.techniques.most_common(top)
    density = [(n, c.spans / c.articles if c.articles else 0.0) for n, c in groups]
    return ReportView(
        by=stats.by,
        articles=total.articles,
        failed=stats.failed,
        spans=total.spans,
        model_versions=stats.model_versions.most_common(),
        group_names=[name for name, _ in groups],
        articles_chart=_counts_chart(
            f"Analysed articles by {stats.by}", [(n, c.articles) for n, c in groups]
        ),
        density_chart=bar_chart(
            f"Technique spans per article by {stats.by}",
            density,
            default_css=NEUTRAL,
            text=fixed(2),
        ),
        techniques_chart=technique_chart(
            "Most frequent techniques", dict(top_techniques), glossary, text=fixed(0)
        ),
        heat=_heat(groups, [name for name, _ in top_techniques], glossary),
        voices=_voices(groups, stats.by),
        speakers_chart=_counts_chart(
            "Quoted speakers with the most technique spans", total.speakers.most_common(top)
        )
        if total.speakers
        else None,
        narratives_chart=_counts_chart(
            "Articles per narrative", total.narratives.most_common(top), default_css=NARRATIVE
        )
        if total.narratives
        else None,
        group_rows=[
            GroupRow(
                name,
                c.articles,
                round(c.spans / c.articles, 2) if c.articles else 0.0,
                c.narratives.most_common(3),
                c.genres.most_common(),
                [(glossary.label(name), n) for name, n in c.frames.most_common(3)],
            )
            for name, c in groups
        ],
        has_voice=bool(total.voices),
        has_narratives=NARRATIVES in stats.labels,
        has_genre=GENRE in stats.labels,
        has_frames=FRAMES in stats.labels,
        has_techniques=TECHNIQUES in stats.layers,
    )


def render_report(view: ReportView, title: str, glossary: Glossary) -> str:
    """The report page for ``view``; ``title`` is shown escaped like everything else."""
    template = make_environment().get_template("corpus_report.html")
    return template.render(view=view, title=title, stylesheet=stylesheet(glossary))


def write_report(results: Path, by: str, out: Path, *, top: int = 10) -> ReportView:
    """Read ``results`` (a ``propwatch batch`` output), write the HTML report to ``out``.

    Parameters
    ----------
    results : Path
        Parquet file written by ``propwatch batch``.
    by : {"outlet", "month"}
        How articles are grouped.
    out : Path
        The HTML file to write (replaced atomically).
    top : int, default=10
        Techniques, speakers and narratives listed per ranking.
    """
    stats = collect(results, by)
    view = build_report_view(stats, top)
    title = f"propwatch corpus report: {results.name} by {by}"
    page = render_report(view, title, _glossary(stats))
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return view
