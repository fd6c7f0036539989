"""Storage: migrations, round trips, filters, full-text search and its fallback, profiles."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from propwatch.db import repo
from propwatch.db.engine import (
    alembic_config,
    current_revision,
    upgrade,
)
from propwatch.db.models import ArticleRow, TechniqueRow
from propwatch.db.search import search_condition
from propwatch.render.corpus import Tally, corpus_statistics
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span

TEXT = "Storm hits coast\n\nA shameful failure, says the mayor; the storm was a catastrophe."


def make_analysis(article_id: str = "s1", outlet: str | None = "Coast Daily") -> Analysis:
    analysis = Analysis(
        Article(
            id=article_id,
            text=TEXT,
            title="Storm hits coast",
            outlet=outlet,
            published="2023-09-14T08:00:00Z",
            meta={"source": "test"},
        )
    )
    analysis.set_layer(
        "techniques",
        [
            Span(20, 28, "Loaded_Language", 0.9, {"category": "manipulative wording"}),
            Span(
                20,
                36,
                "Name_Calling-Labeling",
                0.6,
                {"category": "attack on reputation", "voice": "quoted", "speaker": "the mayor"},
            ),
        ],
    )
    analysis.set_layer("quotes", [Span(20, 36, "indirect", 1.0, {"speaker": "the mayor"})])
    analysis.labels.update(
        genre="reporting",
        narratives=[
            {
                "narrative": "Blame the officials",
                "subnarratives": [],
                "score": 0.7,
                "evidence": [[20, 36]],
            }
        ],
    )
    analysis.models = {"text": "1", "techniques": "tech-2"}
    return analysis


def test_migrations_up_down_up(engine: sa.Engine) -> None:
    assert current_revision(engine) == "0003"
    upgrade(engine)  # idempotent
    command.downgrade(alembic_config(engine), "base")
    assert current_revision(engine) is None
    assert "articles" not in sa.inspect(engine).get_table_names()
    upgrade(engine)
    assert {"articles", "technique_spans", "article_narratives"} <= set(
        sa.inspect(engine).get_table_names()
    )


def test_round_trip_keeps_the_analysis_exactly(session: Session) -> None:
    analysis = make_analysis()
    row = repo.add_analysis(session, analysis)
    assert (row.published_on, row.technique_count) == (date(2023, 9, 14), 2)
    session.expire_all()
    stored = repo.get_article(session, row.id)
    assert stored is not None
    assert repo.to_analysis(stored).to_dict() == analysis.to_dict()
    assert stored.models == {"text": "1", "techniques": "tech-2"}
    assert [(t.label, t.voice) for t in stored.techniques] == [
        ("Loaded_Language", None),
        ("Name_Calling-Labeling", "quoted"),
    ]


def test_delete_removes_child_rows(session: Session) -> None:
    row = repo.add_analysis(session, make_analysis())
    assert repo.delete_article(session, row.id) is True
    assert repo.delete_article(session, row.id) is False
    assert session.scalar(sa.select(sa.func.count(TechniqueRow.id))) == 0


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ('"', 1),  # no words: no filter
        ("*", 1),
        ("NEAR(", 0),
        ("AND OR NOT", 0),
        ("-storm", 1),
        ("storm:*", 1),
        ("'; DROP TABLE articles; --", 0),
        ("a\x00b", 0),
    ],
)
def test_search_never_interprets_query_syntax(session: Session, query: str, total: int) -> None:
    repo.add_analysis(session, make_analysis())
    assert repo.list_articles(session, repo.ArticleFilters(query=query)).total == total
    assert session.scalar(sa.select(sa.func.count(ArticleRow.id))) == 1


def test_search_matches_words_in_title_and_text(session: Session) -> None:
    repo.add_analysis(session, make_analysis("s1"))
    other = Analysis(Article(id="s2", text="Calm seas\n\nNothing happened today."))
    repo.add_analysis(session, other)

    def found(query: str) -> list[str]:
        page = repo.list_articles(session, repo.ArticleFilters(query=query))
        return [item.source_id for item in page.items]

    assert found("catastrophe") == ["s1"]
    assert found("calm") == ["s2"]
    assert found("storm mayor") == ["s1"]
    assert found("storm calm") == []


def test_like_fallback_for_other_databases(session: Session) -> None:
    repo.add_analysis(session, make_analysis())
    condition = search_condition("otherdb", "CATASTROPHE coast")
    assert condition is not None
    assert session.scalars(sa.select(ArticleRow.source_id).where(condition)).all() == ["s1"]
    assert search_condition("otherdb", "  ,; ") is None


@pytest.mark.parametrize(
    ("published", "day"),
    [
        ("2023-09-14", date(2023, 9, 14)),
        ("2023-09-14T08:00:00Z", date(2023, 9, 14)),
        ("14/09/2023", None),
        ("2023-13-01", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_day(published: str | None, day: date | None) -> None:
    assert repo.parse_day(published) == day


def test_outlet_tallies_feed_the_corpus_statistics_and_facets(session: Session) -> None:
    repo.add_analysis(session, make_analysis("s1"))
    repo.add_analysis(session, make_analysis("s2"))
    repo.add_analysis(session, make_analysis("s3", outlet=None))
    stats = corpus_statistics(Tally(*row) for row in repo.outlet_tallies(session))
    outlets = stats.groups("outlet")
    assert [(name, c.articles, c.spans) for name, c in outlets.items()] == [
        ("Coast Daily", 2, 4),
        ("(no outlet)", 1, 2),
    ]
    coast = outlets["Coast Daily"]
    assert coast.techniques == {"Loaded_Language": 2, "Name_Calling-Labeling": 2}
    assert coast.narratives == {"Blame the officials": 2}
    months = stats.months("Coast Daily")
    assert [(m, c.articles, c.spans) for m, c in months.items()] == [("2023-09", 2, 4)]
    assert months["2023-09"].categories == {"manipulative wording": 2, "attack on reputation": 2}
    assert months["2023-09"].narratives == {"Blame the officials": 2}
    facets = repo.facets(session)
    assert facets.outlets == ["Coast Daily"]
    assert facets.techniques == ["Loaded_Language", "Name_Calling-Labeling"]
    assert facets.narratives == ["Blame the officials"]
