"""The top-level API that the README's Python example uses."""

from __future__ import annotations

import pytest

import propwatch
from propwatch.pipeline import Pipeline


def test_analyze_with_a_text_only_pipeline_finds_paragraphs() -> None:
    pipeline = propwatch.load_pipeline(components=["text"])
    analysis = propwatch.analyze(propwatch.Article(id="a1", text="Title\n\nOne. Two."), pipeline)
    assert isinstance(pipeline, Pipeline)
    assert [(s.start, s.end, s.attrs["line"]) for s in analysis.layer("paragraphs")] == [
        (0, 5, 1),
        (7, 16, 3),
    ]


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'analyse'"):
        _ = propwatch.analyse  # type: ignore[attr-defined]
