"""Page view models built straight from an analysis, without a server."""

from __future__ import annotations

from datetime import UTC, datetime

from propwatch.db.models import ArticleRow
from propwatch.render.panels import Quote
from propwatch.render.view import Glossary
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span
from propwatch.web.views import article_page

TEXT = 'Ann Roe spoke first. “"It is over," I told them.” Then she left, saying it was "final".\n'


def test_speakers_panel_leaves_the_quote_marks_to_the_page() -> None:
    analysis = Analysis(Article(id="q", text=TEXT))
    nested = TEXT.index("“")
    final = TEXT.index('"final"')
    analysis.set_layer(
        "quotes",
        [
            Span(nested, TEXT.index("”") + 1, "direct", 1.0, {"speaker": "Ann Roe"}),
            Span(final, final + 7, "direct", 1.0, {"speaker": "Ann Roe"}),
        ],
    )
    row = ArticleRow(id=1, source_id="q", text=TEXT, models={}, created_at=datetime.now(UTC))
    page = article_page(row, analysis, Glossary.load())
    # <q> adds the reader's quotation marks; the span's own would show twice (““"It is…"”).
    assert page.panels.quotes == {
        "Ann Roe": [Quote('It is over," I told them.', "direct"), Quote("final", "direct")]
    }
