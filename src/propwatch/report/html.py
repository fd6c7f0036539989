"""Render the corpus report: one self-contained HTML file, Jinja2 with autoescape, SVG charts.

No JavaScript and nothing loaded from elsewhere: the charts are SVG drawn by the template from
:class:`~propwatch.report.view.ReportView` geometry, the CSS is inline.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from propwatch.render.environment import make_environment
from propwatch.report.aggregate import collect
from propwatch.report.view import (
    CHART_WIDTH,
    LABEL_WIDTH,
    ROW_HEIGHT,
    VALUE_WIDTH,
    ReportView,
    build_report_view,
)


def _environment() -> Environment:
    env = make_environment("propwatch.report")
    env.globals.update(
        chart_width=CHART_WIDTH,
        label_width=LABEL_WIDTH,
        value_width=VALUE_WIDTH,
        row_height=ROW_HEIGHT,
    )
    return env


def render_report(view: ReportView, title: str) -> str:
    """The report page for ``view``; ``title`` is shown escaped like everything else."""
    return _environment().get_template("corpus_report.html").render(view=view, title=title)


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
    view = build_report_view(collect(results, by), top)
    page = render_report(view, f"propwatch corpus report: {results.name} by {by}")
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return view
