"""The registered ``text`` component inside a pipeline."""

from __future__ import annotations

import pytest

from propwatch import registry
from propwatch.errors import PropwatchError
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import PARSE_CACHE_KEY, ParsedText, shared_model
from propwatch.text.span import Span

TEXT = "Storm hits coast\r\n\r\nWinds rose. Roads closed.\r\n\r\nMore soon"


def test_text_component_assigns_paragraphs_and_numbered_sentences() -> None:
    analysis = Pipeline.from_names(["text"])(Article("7", TEXT))
    assert analysis.layer("paragraphs") == [
        Span(0, 16, "paragraph", attrs={"line": 1}),
        Span(20, 45, "paragraph", attrs={"line": 3}),
        Span(49, 58, "paragraph", attrs={"line": 5}),
    ]
    assert analysis.layer("sentences") == [
        Span(0, 16, "sentence", attrs={"paragraph": 1}),
        Span(20, 31, "sentence", attrs={"paragraph": 3}),
        Span(32, 45, "sentence", attrs={"paragraph": 3}),
        Span(49, 58, "sentence", attrs={"paragraph": 5}),
    ]
    assert analysis.models == {"text": "1"}
    assert isinstance(analysis.cache[PARSE_CACHE_KEY], ParsedText)


def test_component_is_registered_and_declares_its_layers() -> None:
    factory = registry.components.get("text")
    component = factory(batch_size=2)
    assert (component.name, component.assigns, component.requires) == (
        "text",
        ("paragraphs", "sentences"),
        (),
    )


def test_pipe_batches_and_keeps_order_and_reuses_a_cached_parse() -> None:
    component = registry.components.get("text")(batch_size=2)
    texts = ["One.", "Two. Three.", "Four", "", "Five.\nSix."]
    analyses = [Analysis(Article(str(i), t)) for i, t in enumerate(texts)]
    cached = shared_model().parse("Four")
    analyses[2].cache[PARSE_CACHE_KEY] = cached
    done = list(component.pipe(analyses))
    assert [a.article.id for a in done] == ["0", "1", "2", "3", "4"]
    assert done[2].cache[PARSE_CACHE_KEY] is cached
    assert [len(a.layer("sentences")) for a in done] == [1, 2, 1, 0, 2]
    assert done[3].layer("paragraphs") == []


def test_pipe_raises_a_parse_error_from_the_background_thread() -> None:
    component = registry.components.get("text")(model="no_such_spacy_model", batch_size=1)
    analyses = (Analysis(Article(str(i), "Text.")) for i in range(3))
    with pytest.raises(PropwatchError, match="no_such_spacy_model"):
        list(component.pipe(analyses))
