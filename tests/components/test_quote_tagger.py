"""The quote_tagger component: reported speech the rules miss, added beside their quotes."""

from __future__ import annotations

import dataclasses

import pytest

from propwatch.api import load_pipeline
from propwatch.components.quotes import (
    QuoteTaggerComponent,
    attribution_span,
    span_attribution,
)
from propwatch.config import DEFAULT_PIPELINE
from propwatch.errors import InputError, PropwatchError
from propwatch.models.quotes import Attribution
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import ENCODER_STATES, QUOTES, Analysis
from propwatch.text.article import Article

# The chairman's words hang on "made clear", which no rule reads as a reporting verb.
ARTICLE = (
    "Talks stall over port deal\n\n"
    "The harbour authority has rejected the shipping company's latest offer. Its chairman, "
    "Paul Grant, made clear on Monday that the terms were unacceptable and that no deal would "
    "be signed this year.\n"
)
LEARNED = ["text", "quotes", "techniques", "quote_tagger"]


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return load_pipeline(components=LEARNED)(Article(id="port", text=ARTICLE))


def test_the_tagger_adds_reported_speech_that_no_rule_finds(analysis: Analysis) -> None:
    [added] = [q for q in analysis.layer(QUOTES) if q.attrs.get("tagged")]
    assert ARTICLE[added.start : added.end].startswith("that the terms were unacceptable")
    assert added.label == "indirect"
    assert "Paul Grant" in added.attrs["speaker"]
    assert 0.5 <= added.score < 1.0  # the tagger's confidence, not the rules' 1.0


def test_the_rules_quotes_stay_as_they_were(analysis: Analysis) -> None:
    rules = Pipeline.from_names(["text", "quotes"])(Article(id="port", text=ARTICLE))
    kept = [q for q in analysis.layer(QUOTES) if not q.attrs.get("tagged")]
    assert kept == rules.layer(QUOTES)


def test_the_tagger_runs_after_the_encoder_and_before_voice() -> None:
    assert DEFAULT_PIPELINE.index("techniques") < DEFAULT_PIPELINE.index("quote_tagger")
    assert DEFAULT_PIPELINE.index("quote_tagger") < DEFAULT_PIPELINE.index("voice")
    with pytest.raises(PropwatchError, match="encoder_states"):
        Pipeline.from_names(["text", "quotes", "quote_tagger"])


def test_states_of_another_encoder_are_refused() -> None:
    pipeline = load_pipeline(components=["text", "quotes", "techniques"])
    analysis = pipeline(Article(id="port", text=ARTICLE))
    other = dataclasses.replace(analysis.runtime(ENCODER_STATES), encoder="another")
    analysis.set_runtime(ENCODER_STATES, other)
    with pytest.raises(InputError, match="propwatch train quotes"):
        QuoteTaggerComponent()(analysis)


def test_a_layer_span_gives_back_its_attribution() -> None:
    attribution = Attribution("direct", ((10, 20), (30, 40)), (22, 26), (0, 8), "Ana Ruiz")
    assert span_attribution(attribution_span(attribution)) == attribution
    bare = Attribution("indirect", ((5, 9),), None, None, None)
    assert span_attribution(attribution_span(bare)) == bare


def test_an_empty_text_has_no_quotes() -> None:
    analysis = load_pipeline(components=LEARNED)(Article(id="empty", text=""))
    assert analysis.layer(QUOTES) == []
