"""Free heap memory goes back to the system after each component of a long article."""

from __future__ import annotations

import sys

import pytest

from propwatch.pipeline import Component, Pipeline
from propwatch.pipeline import pipeline as pipeline_module
from propwatch.pipeline.memory import release_free_memory
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article


class Count(Component):
    """Writes the number of words, as any component writes a label."""

    name = "count"
    assigns = ("words",)

    def __call__(self, analysis: Analysis) -> Analysis:
        analysis.labels["words"] = len(analysis.text.split())
        return analysis


class Upper(Component):
    """Writes the first five characters in capitals."""

    name = "upper"
    assigns = ("upper",)

    def __call__(self, analysis: Analysis) -> Analysis:
        analysis.labels["upper"] = analysis.text[:5].upper()
        return analysis


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_glibc_hands_free_memory_back() -> None:
    assert release_free_memory() is True


def test_memory_is_released_after_each_component_of_a_long_article_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    released: list[int] = []
    monkeypatch.setattr(pipeline_module, "RELEASE_TEXT_CHARS", 100)
    monkeypatch.setattr(pipeline_module, "release_free_memory", lambda: released.append(1))
    long = Article(id="long", text="word " * 21)  # 105 characters
    short = Article(id="short", text="word " * 20)
    analyses = list(Pipeline([Count(), Upper()]).pipe([short, long, short]))
    assert [a.labels["words"] for a in analyses] == [20, 21, 20]
    assert [a.labels["upper"] for a in analyses] == ["WORD "] * 3
    assert len(released) == 2  # after count and after upper, for the long article
