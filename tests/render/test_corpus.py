"""Corpus statistics: one article's tallies, added up by outlet and month, the same for the web's
outlets page and ``propwatch report``."""

from __future__ import annotations

import pytest

from propwatch.render.corpus import NO_DATE, Tally, analysis_tallies, corpus_statistics
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span


def _analysis(outlet: str | None) -> dict[str, object]:
    analysis = Analysis(Article(id="a", text="Shameful cowards, said Ann Roe.", outlet=outlet))
    analysis.set_layer(
        "techniques",
        [
            Span(0, 8, "Loaded_Language", 0.9, {"category": "manipulative wording"}),
            Span(
                9,
                16,
                "Name_Calling-Labeling",
                0.8,
                {"category": "attack on reputation", "voice": "quoted", "speaker": "Ann Roe"},
            ),
        ],
    )
    analysis.labels = {"genre": "opinion", "frames": ["Morality", "Morality"]}
    return analysis.to_dict()


def test_one_article_tallies_every_count_once() -> None:
    tallies = list(analysis_tallies("Daily Example", "2024-01", _analysis("Daily Example")))
    assert [(t.kind, t.name, t.n) for t in tallies] == [
        ("articles", "", 1),
        ("chars", "", 31),
        ("technique", "Loaded_Language", 1),
        ("category", "manipulative wording", 1),
        ("technique", "Name_Calling-Labeling", 1),
        ("category", "attack on reputation", 1),
        ("voice", "quoted", 1),
        ("speaker", "Ann Roe", 1),
        ("genre", "opinion", 1),
        ("frame", "Morality", 1),
    ]


def test_articles_without_outlet_or_date_are_named_and_listed_last() -> None:
    tallies = [
        *analysis_tallies(None, "2024-02", _analysis(None)),
        *analysis_tallies("Port News", NO_DATE, _analysis("Port News")),
        *analysis_tallies("Port News", "2024-01", _analysis("Port News")),
        Tally("Daily Example", "2024-02", "articles", "", 3),
    ]
    stats = corpus_statistics(tallies)
    outlets = stats.groups("outlet")
    assert [(name, c.articles, c.spans) for name, c in outlets.items()] == [
        ("Daily Example", 3, 0),
        ("Port News", 2, 4),
        ("(no outlet)", 1, 2),
    ]
    assert list(stats.groups("month")) == ["2024-01", "2024-02", "(no date)"]
    assert list(stats.months("Port News")) == ["2024-01", "(no date)"]
    assert stats.total.speakers == {"Ann Roe": 3}
    with pytest.raises(ValueError, match="group by one of"):
        stats.groups("week")
