"""The self-contained HTML report: Jinja2 with autoescape on, inline CSS, no JavaScript.

Article text, titles, speakers and labels are untrusted and reach the page only through
autoescaped template expressions; the only values placed in ``style`` attributes are
``#rrggbb`` colours checked when schemes are loaded and integers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from propwatch.render.environment import make_environment
from propwatch.render.view import SLOT_PX, ArticleView, Glossary, build_view, stripe_style
from propwatch.text.analysis import SCHEME_LABEL, Analysis

REPORT_TITLE = "propwatch report"


def _views(analyses: Iterable[Analysis]) -> Iterator[ArticleView]:
    glossaries: dict[str | None, Glossary] = {}
    for index, analysis in enumerate(analyses):
        scheme = analysis.labels.get(SCHEME_LABEL)
        if scheme not in glossaries:
            glossaries[scheme] = Glossary.load(scheme)
        yield build_view(analysis, index, glossaries[scheme])


def render_report(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """Write one HTML page showing every analysis, streamed article by article."""
    env = make_environment()
    env.globals.update(stripe_style=stripe_style, slot_px=SLOT_PX)
    template = env.get_template("report.html")
    for chunk in template.generate(
        title=REPORT_TITLE,
        summary="Highlighted fragments use persuasion techniques; numbers link to the evidence.",
        articles=_views(analyses),
    ):
        stream.write(chunk)
