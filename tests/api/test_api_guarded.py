"""One failing article never costs the others: the guard the CLI and batch jobs share."""

from __future__ import annotations

from propwatch.api import analyze_articles, analyze_each
from propwatch.errors import InputError
from propwatch.pipeline import Pipeline
from propwatch.pipeline.component import Component
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article


class _Fragile(Component):
    """Passes every article through, and fails on a text that says how."""

    name = "fragile"

    def __call__(self, analysis: Analysis) -> Analysis:
        if "TYPE" in analysis.article.text:
            raise TypeError("'int' object is not iterable")
        if "LIMIT" in analysis.article.text:
            raise InputError(analysis.article.id, "text is above the limit")
        if "MODEL" in analysis.article.text:
            raise InputError("models/roles.npz", "made by another propwatch version")
        return analysis


def _articles(*texts: str) -> list[Article]:
    return [
        Article(id=f"a{n}", text=t, meta={"source": f"in.jsonl:{n}"}) for n, t in enumerate(texts)
    ]


def test_each_failure_names_its_article_and_the_others_are_analysed() -> None:
    articles = _articles("fine", "TYPE", "LIMIT", "MODEL", "fine too")
    results = analyze_each(articles, Pipeline([_Fragile()]))
    assert [r.article.id if isinstance(r, Analysis) else str(r) for r in results] == [
        "a0",
        "in.jsonl:1: TypeError: 'int' object is not iterable",
        "in.jsonl:2: text is above the limit",
        # An error about another file than the article keeps that file's name.
        "in.jsonl:3: models/roles.npz: made by another propwatch version",
        "a4",
    ]


def test_analyze_articles_passes_failures_on_and_keeps_the_order() -> None:
    failed: list[str] = []
    texts = [f"text {n}" for n in range(20)]
    texts[9] = "TYPE"
    analyses = analyze_articles(
        _articles(*texts), Pipeline([_Fragile()]), on_error=lambda e: failed.append(e.source)
    )
    assert [a.article.id for a in analyses] == [f"a{n}" for n in range(20) if n != 9]
    assert failed == ["in.jsonl:9"]


class _Scratch(Component):
    """Leaves a run-time layer behind, as the text and techniques components do."""

    name = "scratch"

    def __call__(self, analysis: Analysis) -> Analysis:
        analysis.cache["scratch"] = bytearray(1000)
        return analysis


def test_analyses_reach_the_writers_without_their_run_time_layers() -> None:
    analyses = list(analyze_articles(_articles("one", "two"), Pipeline([_Scratch()])))
    assert [a.cache for a in analyses] == [{}, {}]
