"""View models of the pages: plain data built from stored analyses, rendered by templates.

Nothing here is HTML. Article text, titles and labels reach the page only through autoescaped
template expressions; CSS classes are made from category names by :func:`css_class`, which
keeps only ``[a-z0-9-]``, and colours come from scheme files checked as ``#rrggbb``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from propwatch import registry
from propwatch.db.models import ArticleRow
from propwatch.io.writers import Writer
from propwatch.render.charts import (
    BarChart,
    StackedChart,
    bar_chart,
    largest_first,
    palette,
    percent,
    stacked_chart,
    technique_chart,
)
from propwatch.render.corpus import CorpusStatistics, Counts
from propwatch.render.environment import css_class
from propwatch.render.panels import Panels, build_panels
from propwatch.render.view import ArticleView, Glossary, SpanView, build_view
from propwatch.text.analysis import TECHNIQUES, Analysis


@dataclass
class ArticlePageView:
    """Everything the article page shows; panels are None when their layer was not computed.

    Every technique span is in ``view``; those the filters leave out are in ``hidden`` (the
    page draws them switched off, and ``static/filters.js`` switches them in the page).
    """

    id: int
    row: ArticleRow
    view: ArticleView
    hidden: frozenset[int]
    selected_techniques: list[str]
    selected_categories: list[str]
    min_confidence: float
    title_in_text: bool  # the text's first line is the title
    has_techniques: bool
    panels: Panels
    exports: list[Writer]
    models: dict[str, str] = field(default_factory=dict)


def available_exports(analysis: Analysis) -> list[Writer]:
    """Writers whose required layers and labels the analysis has, in name order."""
    available = set(analysis.spans) | set(analysis.labels)
    writers: list[Writer] = [registry.writers.get(name) for name in registry.writers.names()]
    return [w for w in writers if not w.missing(available)]


def hidden_spans(
    spans: Sequence[SpanView],
    techniques: Sequence[str] = (),
    categories: Sequence[str] = (),
    min_confidence: float = 0.0,
) -> frozenset[int]:
    """Numbers of the spans that the filters leave out: a span is shown when its technique
    and its category are selected (an empty selection selects all) and its score reaches
    ``min_confidence``. ``static/filters.js`` applies the same rule in the page."""
    return frozenset(
        s.number
        for s in spans
        if (techniques and s.technique not in techniques)
        or (categories and s.category not in categories)
        or s.score < min_confidence
    )


def title_end(analysis: Analysis) -> int:
    """End of the article's title where the text opens with it (after blank space), else 0."""
    title = (analysis.article.title or "").strip()
    start = len(analysis.text) - len(analysis.text.lstrip())
    return start + len(title) if title and analysis.text.startswith(title, start) else 0


def article_page(
    row: ArticleRow,
    analysis: Analysis,
    glossary: Glossary,
    techniques: Sequence[str] = (),
    categories: Sequence[str] = (),
    min_confidence: float = 0.0,
) -> ArticlePageView:
    """View of one stored article with only the selected techniques/categories highlighted."""
    opening = title_end(analysis)
    view = build_view(analysis, 0, glossary, title_end=opening)
    return ArticlePageView(
        id=row.id,
        row=row,
        view=view,
        hidden=hidden_spans(view.spans, techniques, categories, min_confidence),
        selected_techniques=list(techniques),
        selected_categories=list(categories),
        min_confidence=min_confidence,
        title_in_text=opening > 0,
        has_techniques=analysis.has_layer(TECHNIQUES),
        panels=build_panels(analysis, glossary),
        exports=available_exports(analysis),
        models=dict(row.models),
    )


@dataclass(frozen=True, slots=True)
class Profile:
    """One side of the compare page."""

    row: ArticleRow
    spans: int
    per_1000_chars: float
    chart: BarChart


def compare_profiles(rows: Sequence[ArticleRow], glossary: Glossary) -> list[Profile]:
    """Technique profiles of ``rows`` drawn on one shared scale."""
    counts = [Counter(t.label for t in row.techniques) for row in rows]
    top = max((max(c.values(), default=0) for c in counts), default=0) or 1
    profiles = []
    for row, count in zip(rows, counts, strict=True):
        title = f"Techniques in {row.title or row.source_id}"
        chart = technique_chart(title, count, glossary, top)
        density = 1000 * sum(count.values()) / max(1, len(row.text))
        profiles.append(Profile(row, sum(count.values()), round(density, 2), chart))
    return profiles


@dataclass(frozen=True, slots=True)
class OutletView:
    """One outlet's counts and charts: technique shares, narrative counts, spans per article by
    month, and the mix of technique categories and narratives by month."""

    name: str
    counts: Counts
    techniques: BarChart
    narratives: BarChart
    months: BarChart
    categories_over_time: StackedChart
    narratives_over_time: StackedChart


def outlet_views(stats: CorpusStatistics, glossary: Glossary) -> list[OutletView]:
    """Charts for every outlet, most articles first; technique shares share one scale so outlets
    compare."""
    views = []
    for name, counts in stats.groups("outlet").items():
        months = stats.months(name)
        shares = {k: round(v / max(1, counts.spans), 4) for k, v in counts.techniques.items()}
        per_article = [(m, round(c.spans / max(1, c.articles), 2)) for m, c in months.items()]
        categories = {m: c.categories for m, c in months.items() if c.categories}
        narratives = {m: c.narratives for m, c in months.items() if c.narratives}
        views.append(
            OutletView(
                name=name,
                counts=counts,
                techniques=technique_chart(
                    f"Technique shares in {name}", shares, glossary, 1.0, text=percent
                ),
                narratives=bar_chart(f"Narratives in {name}", largest_first(counts.narratives)),
                months=bar_chart(f"Technique spans per article by month in {name}", per_article),
                categories_over_time=stacked_chart(
                    f"Technique categories by month in {name}",
                    categories,
                    _category_order(counts, glossary),
                ),
                narratives_over_time=stacked_chart(
                    f"Narratives by month in {name}",
                    narratives,
                    palette([n for n, _ in counts.narratives.most_common()]),
                ),
            )
        )
    return views


def _category_order(counts: Counts, glossary: Glossary) -> dict[str, str]:
    """Categories present in ``counts``, in scheme order, with their CSS classes."""
    known = [c for c in glossary.categories if counts.categories[c]]
    rest = sorted(set(counts.categories) - set(known))
    return {c: css_class(c) for c in known + rest}
