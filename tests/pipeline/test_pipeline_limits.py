"""The per-article text limit: refused before any component runs, with one line naming it."""

from __future__ import annotations

import pytest

from propwatch.api import load_pipeline
from propwatch.errors import InputError
from propwatch.pipeline import Pipeline
from propwatch.text.article import Article


def test_a_text_above_the_limit_is_refused_naming_its_source() -> None:
    pipeline = Pipeline([], max_text_chars=10)
    assert pipeline(Article(id="short", text="0123456789")).text == "0123456789"
    article = Article(id="7", text="x" * 12_345, meta={"source": "in/article7.txt"})
    with pytest.raises(InputError) as raised:
        pipeline(article)
    assert str(raised.value) == (
        "in/article7.txt: text of 12,345 characters is above the limit of 10 "
        "(PROPWATCH_MAX_TEXT_CHARS)"
    )
    with pytest.raises(InputError, match=r"^8: text of 11 characters"):
        pipeline(Article(id="8", text="x" * 11))


def test_the_limit_comes_from_the_environment_unless_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_pipeline(components=[]).max_text_chars == 1_000_000
    monkeypatch.setenv("PROPWATCH_MAX_TEXT_CHARS", "2000")
    assert load_pipeline(components=[]).max_text_chars == 2000
    assert load_pipeline(components=[], max_text_chars=30).max_text_chars == 30
