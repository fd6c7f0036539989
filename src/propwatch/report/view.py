"""The corpus report's view model: numbers and SVG geometry, computed here, drawn by the template.

Every value placed in an SVG attribute or a ``style`` is a number or a ``#rrggbb`` colour
produced in this module; names (outlets, techniques, speakers, narratives) only reach the page
as autoescaped text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from propwatch.report.aggregate import NO_DATE, UNKNOWN_OUTLET, GroupStats, Statistics
from propwatch.schemes import Scheme, load_scheme

CHART_WIDTH = 640  # px, whole chart
LABEL_WIDTH = 220  # px, left column holding the bar labels
VALUE_WIDTH = 70  # px, right column holding the values
ROW_HEIGHT = 22  # px per bar
NEUTRAL = "#4e79a7"
QUOTED = "#f28e2b"
AUTHOR = "#4e79a7"
MAX_GROUPS = 30  # groups shown in charts and tables; the rest are summed under "other"


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: ``y`` and ``width`` in px, ``text`` the value as shown."""

    label: str
    text: str
    y: int
    width: float
    colour: str


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4


@dataclass(frozen=True)
class Segment:
    """Part of a stacked bar: ``x`` and ``width`` in px, ``share`` in [0, 1]."""

    name: str
    x: float
    width: float
    share: float
    colour: str


@dataclass(frozen=True)
class StackedBar:
    label: str
    y: int
    segments: list[Segment]


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
    """Everything ``report.html`` shows."""

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
    voice_bars: list[StackedBar]
    speakers_chart: BarChart | None
    narratives_chart: BarChart | None
    group_rows: list[GroupRow]
    has_voice: bool
    has_narratives: bool
    has_genre: bool
    has_frames: bool
    has_techniques: bool

    @property
    def voice_height(self) -> int:
        return ROW_HEIGHT * len(self.voice_bars) + 4


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    colour_of: Callable[[str], str] = lambda _: NEUTRAL,
    *,
    digits: int = 0,
) -> BarChart:
    """Bars scaled so the largest value spans the plot area (labels left, values right)."""
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max((value for _, value in items), default=0) or 1
    bars = [
        Bar(label, f"{value:,.{digits}f}", i * ROW_HEIGHT, plot * value / top, colour_of(label))
        for i, (label, value) in enumerate(items)
    ]
    return BarChart(title, bars)


def _ordered_groups(stats: Statistics) -> list[tuple[str, GroupStats]]:
    """Months in time order (no date last); outlets by article count, unknown last."""
    unknown = {NO_DATE, UNKNOWN_OUTLET}
    if stats.by == "month":
        ordered = sorted(stats.groups.items(), key=lambda kv: (kv[0] in unknown, kv[0]))
    else:
        ordered = sorted(
            stats.groups.items(), key=lambda kv: (kv[0] in unknown, -kv[1].articles, kv[0])
        )
    if len(ordered) <= MAX_GROUPS:
        return ordered
    other = GroupStats()
    for _, group in ordered[MAX_GROUPS - 1 :]:
        _merge(other, group)
    return [*ordered[: MAX_GROUPS - 1], (f"other ({len(ordered) - MAX_GROUPS + 1})", other)]


def _merge(into: GroupStats, group: GroupStats) -> None:
    into.articles += group.articles
    into.chars += group.chars
    for name in (
        "techniques",
        "categories",
        "voices",
        "speakers",
        "narratives",
        "genres",
        "frames",
    ):
        counter: Counter[str] = getattr(into, name)
        counter.update(getattr(group, name))


def _colour_lookup(stats: Statistics) -> Callable[[str], str]:
    """Technique name → its category colour when the results use one known scheme."""
    schemes: list[Scheme] = [load_scheme(name) for name in sorted(stats.schemes)]
    colours: dict[str, str] = {}
    for scheme in schemes:
        by_category = {c.name: c.colour for c in scheme.categories}
        for technique in scheme.techniques:
            colours.setdefault(technique.name, by_category[technique.category])
    return lambda name: colours.get(name, NEUTRAL)


def _voice_bars(groups: list[tuple[str, GroupStats]]) -> list[StackedBar]:
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, (name, group) in enumerate(groups):
        total = sum(group.voices.values())
        author = group.voices.get("author", 0) / total if total else 0.0
        quoted = 1.0 - author if total else 0.0
        segments = [
            Segment("author", 0.0, plot * author, author, AUTHOR),
            Segment("quoted", plot * author, plot * quoted, quoted, QUOTED),
        ]
        bars.append(StackedBar(name, i * ROW_HEIGHT, segments))
    return bars


def _heat(groups: list[tuple[str, GroupStats]], techniques: list[str]) -> list[HeatRow]:
    rows = []
    for technique in techniques:
        shares = [
            100 * group.techniques[technique] / group.spans if group.spans else 0.0
            for _, group in groups
        ]
        top = max(shares, default=0) or 1
        cells = [HeatCell(round(s, 1), round(s / top, 3)) for s in shares]
        rows.append(HeatRow(technique, cells))
    return rows


def build_report_view(stats: Statistics, top: int = 10) -> ReportView:
    """Turn :class:`Statistics` into chart geometry and tables; ``top`` items per ranking."""
    groups = _ordered_groups(stats)
    colour_of = _colour_lookup(stats)
    total = stats.total
    top_techniques = total.techniques.most_common(top)
    density = [(n, g.spans / g.articles if g.articles else 0.0) for n, g in groups]
    return ReportView(
        by=stats.by,
        articles=total.articles,
        failed=stats.failed,
        spans=total.spans,
        model_versions=stats.model_versions.most_common(),
        group_names=[name for name, _ in groups],
        articles_chart=bar_chart(
            f"Analysed articles by {stats.by}", [(n, g.articles) for n, g in groups]
        ),
        density_chart=bar_chart(f"Technique spans per article by {stats.by}", density, digits=2),
        techniques_chart=bar_chart("Most frequent techniques", top_techniques, colour_of),
        heat=_heat(groups, [name for name, _ in top_techniques]),
        voice_bars=_voice_bars(groups),
        speakers_chart=bar_chart(
            "Quoted speakers with the most technique spans", total.speakers.most_common(top)
        )
        if total.speakers
        else None,
        narratives_chart=bar_chart(
            "Articles per narrative", total.narratives.most_common(top), lambda _: QUOTED
        )
        if total.narratives
        else None,
        group_rows=[
            GroupRow(
                name,
                g.articles,
                round(g.spans / g.articles, 2) if g.articles else 0.0,
                g.narratives.most_common(3),
                g.genres.most_common(),
                g.frames.most_common(3),
            )
            for name, g in groups
        ],
        has_voice=bool(total.voices),
        has_narratives="narratives" in stats.labels,
        has_genre="genre" in stats.labels,
        has_frames="frames" in stats.labels,
        has_techniques="techniques" in stats.layers,
    )
