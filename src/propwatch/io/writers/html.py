"""``html``: a self-contained report with highlighted techniques, evidence cards and the web
page's panels (genre, frames, speakers and quotes, narratives, entity roles)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from propwatch import registry
from propwatch.io.writers.base import Writer
from propwatch.text.analysis import Analysis


def write_html(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """Write the report of :func:`propwatch.render.html.render_report`."""
    # Imported here: Jinja2 and the render package load only when a report is written.
    from propwatch.render.html import render_report

    render_report(analyses, stream)


registry.writers.add(
    "html",
    Writer(
        name="html",
        suffix=".html",
        media_type="text/html",
        requires=(),
        write=write_html,
        description=(
            "self-contained HTML report: highlighted spans, legend, evidence cards, quotes, "
            "narratives, roles"
        ),
    ),
)
