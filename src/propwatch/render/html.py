"""The self-contained HTML report: Jinja2 with autoescape on, CSS in a ``<style>`` block, no
JavaScript.

Article text, titles, speakers and labels are untrusted and reach the page only through
autoescaped template expressions. The highlights (``_highlight.html``) and the panels of genre,
frames, speakers, narratives and entity roles (``_panels.html``) are the web page's, coloured by
category classes of the shared stylesheet; no element has a ``style`` attribute.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from propwatch.render.environment import make_environment
from propwatch.render.panels import Panels, build_panels
from propwatch.render.styles import stylesheet
from propwatch.render.view import ArticleView, Glossary, build_view
from propwatch.text.analysis import SCHEME_LABEL, Analysis

REPORT_TITLE = "propwatch report"


def _views(analyses: Iterable[Analysis]) -> Iterator[tuple[ArticleView, Panels]]:
    glossaries: dict[str | None, Glossary] = {}
    for index, analysis in enumerate(analyses):
        scheme = analysis.labels.get(SCHEME_LABEL)
        if scheme not in glossaries:
            glossaries[scheme] = Glossary.load(scheme)
        glossary = glossaries[scheme]
        yield build_view(analysis, index, glossary), build_panels(analysis, glossary)


def render_report(analyses: Iterable[Analysis], stream: TextIO) -> None:
    """Write one HTML page showing every analysis, streamed article by article."""
    template = make_environment().get_template("report.html")
    for chunk in template.generate(
        title=REPORT_TITLE,
        summary="Highlighted fragments use persuasion techniques; numbers link to the evidence.",
        articles=_views(analyses),
        stylesheet=stylesheet(Glossary.load()),
    ):
        stream.write(chunk)
