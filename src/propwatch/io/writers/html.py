"""``html``: a self-contained report with highlighted techniques, evidence cards and the web
page's panels (genre, frames, speakers and quotes, narratives, entity roles)."""

from __future__ import annotations

from propwatch import registry
from propwatch.io.writers.base import Writer
from propwatch.render.html import render_report

registry.writers.add(
    "html",
    Writer(
        name="html",
        suffix=".html",
        media_type="text/html",
        requires=(),
        write=render_report,
        description=(
            "self-contained HTML report: highlighted spans, legend, evidence cards, quotes, "
            "narratives, roles"
        ),
    ),
)
