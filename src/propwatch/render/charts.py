"""Bar charts as plain geometry, drawn as SVG by the macros of ``render/templates/_charts.html``.

The web pages (compare, outlets) and the corpus report (``propwatch report``) draw every chart
from these two shapes: horizontal bars and rows of 100 % stacked bars. Colours are CSS classes
(``cat-*`` from :func:`~propwatch.render.environment.css_class`, ``pal-0`` … ``pal-7``) set in
``render/templates/propwatch.css``, never inline styles, so the charts render under the web app's
Content-Security-Policy. Every value placed in an SVG attribute is a number computed here;
labels reach the page only as autoescaped text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from propwatch.render.environment import css_class
from propwatch.render.view import Glossary

LABEL_WIDTH = 230  # SVG user units (px) left of the bars, holding their labels
BAR_WIDTH = 300  # width of a full bar
ROW_HEIGHT = 22  # per bar
PALETTE_SIZE = 8  # colours pal-0 … pal-7 in propwatch.css, for series that are no category
NEUTRAL = "pal-0"  # bars of one series with no category


def plain_number(value: float) -> str:
    """A count as is, any other value with two decimals (``4``, ``1.50``)."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def percent(value: float) -> str:
    """A share in [0, 1] as a whole percentage (``0.25`` → ``25%``)."""
    return f"{value:.0%}"


def fixed(digits: int) -> Callable[[float], str]:
    """Writes ``digits`` decimals and thousands separators (``fixed(2)(1.5)`` → ``1.50``)."""
    return lambda value: f"{value:,.{digits}f}"


def largest_first(values: Mapping[str, float]) -> list[tuple[str, float]]:
    """``values`` as ``(label, value)`` pairs, largest first, ties by label."""
    return sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True, slots=True)
class Bar:
    """One horizontal bar: its label, value and geometry in SVG user units."""

    label: str
    value: float
    text: str
    y: int
    width: float
    css: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """Horizontal bars drawn by the ``bar_chart`` macro; ``title`` is its accessible name."""

    title: str
    bars: tuple[Bar, ...]
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    row_height: int = ROW_HEIGHT


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    css: Mapping[str, str] | None = None,
    scale_max: float | None = None,
    *,
    default_css: str = css_class(""),
    text: Callable[[float], str] = plain_number,
) -> BarChart:
    """Bars for ``items`` in the given order, scaled so ``scale_max`` (default: the max) is full.

    Parameters
    ----------
    title : str
        Accessible name of the chart.
    items : sequence of (str, float)
        Label and value (counts, or shares in [0, 1]) of each bar, top to bottom; see
        :func:`largest_first`.
    css : mapping of str to str, optional
        Label → CSS class colouring its bar (a technique's category class).
    scale_max : float, optional
        Value drawn at full width; pass the same one to charts meant to be compared.
    default_css : str, default="cat-unknown"
        Class of the bars ``css`` does not name.
    text : callable, default=plain_number
        How a value is written beside its bar (:func:`percent`, :func:`fixed`).
    """
    top = scale_max or max((value for _, value in items), default=0) or 1
    classes = css or {}
    bars = tuple(
        Bar(
            label=label,
            value=value,
            text=text(value),
            y=i * ROW_HEIGHT,
            width=round(BAR_WIDTH * value / top, 1),
            css=classes.get(label, default_css),
        )
        for i, (label, value) in enumerate(items)
    )
    return BarChart(title, bars, max(1, len(bars)) * ROW_HEIGHT)


def technique_chart(
    title: str,
    values: Mapping[str, float],
    glossary: Glossary,
    scale_max: float | None = None,
    *,
    text: Callable[[float], str] = plain_number,
) -> BarChart:
    """Bars of technique ``values`` (largest first) under their readable labels, each coloured
    by its technique's category (see :func:`bar_chart` for the parameters)."""
    ordered = largest_first(values)
    items = [(glossary.label(name), value) for name, value in ordered]
    css = {glossary.label(name): glossary.technique_class(name) for name, _ in ordered}
    return bar_chart(title, items, css, scale_max, text=text)


@dataclass(frozen=True, slots=True)
class Piece:
    """One coloured piece of a stacked bar (SVG user units)."""

    label: str
    count: int
    x: float
    width: float
    css: str


@dataclass(frozen=True, slots=True)
class StackedRow:
    """One stacked bar: its pieces and the ``text`` written after it."""

    label: str
    y: int
    total: int
    text: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class StackedChart:
    """Rows of 100 % stacked bars with their legend, drawn by the ``stacked_chart`` macro."""

    title: str
    rows: tuple[StackedRow, ...]
    legend: tuple[tuple[str, str], ...]  # (series, css class)
    height: int
    label_width: int
    bar_width: int = BAR_WIDTH
    row_height: int = ROW_HEIGHT


def _total(counts: Counter[str]) -> str:
    return str(sum(counts.values()))


def stacked_chart(
    title: str,
    rows: Mapping[str, Counter[str]],
    css: Mapping[str, str],
    *,
    label_width: int = 70,
    text: Callable[[Counter[str]], str] = _total,
) -> StackedChart:
    """Each row's counts as shares of one full-width bar, in legend order.

    Parameters
    ----------
    title : str
        Accessible name of the chart.
    rows : mapping of str to Counter
        Row label (a month, an outlet) → counts per series, in display order.
    css : mapping of str to str
        Series → CSS class of its colour; also fixes the legend and piece order.
    label_width : int, default=70
        Room for the row labels (70 fits ``YYYY-MM``; pass :data:`LABEL_WIDTH` for names).
    text : callable, default: the row's total
        What is written after each bar, from its counts.
    """
    built = []
    for i, (label, counts) in enumerate(rows.items()):
        total = sum(counts.values())
        x = float(label_width)
        pieces = []
        for series in css:
            if counts[series]:
                width = round(BAR_WIDTH * counts[series] / total, 1)
                pieces.append(Piece(series, counts[series], x, width, css[series]))
                x += width
        built.append(StackedRow(label, i * ROW_HEIGHT, total, text(counts), tuple(pieces)))
    legend = tuple(css.items())
    return StackedChart(title, tuple(built), legend, max(1, len(built)) * ROW_HEIGHT, label_width)


def palette(series: Sequence[str]) -> dict[str, str]:
    """``pal-N`` classes for ``series`` in order (colours repeat after :data:`PALETTE_SIZE`)."""
    return {name: f"pal-{i % PALETTE_SIZE}" for i, name in enumerate(series)}
