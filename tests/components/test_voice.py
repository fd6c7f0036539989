"""The voice component: technique spans in the author's voice or in a speaker's quote."""

from __future__ import annotations

import random

import pytest

from propwatch.components.quotes import QuotesComponent
from propwatch.components.voice import QuoteIndex, VoiceComponent, quote_holding
from propwatch.config import DEFAULT_PIPELINE
from propwatch.errors import PropwatchError
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import QUOTES, TECHNIQUES, Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span

TEXT = (
    "The mayor's reckless plan will ruin us.\n\n"
    "“These traitors sold the city,” Ana Ruiz said, “and they laugh at us.”\n\n"
    "An aide said that the plan was a disaster."
)


def span_of(words: str, label: str) -> Span:
    start = TEXT.index(words)
    return Span(start, start + len(words), label)


@pytest.fixture
def analysis() -> Analysis:
    result = Analysis(Article(id="v", text=TEXT))
    interrupted = span_of(
        "“These traitors sold the city,” Ana Ruiz said, “and they laugh at us.”", "direct"
    )
    aside = TEXT.index(" Ana Ruiz said, ")
    result.set_layer(
        QUOTES,
        [
            interrupted.with_attrs(
                speaker="Ana Ruiz",
                segments=[[interrupted.start, aside], [aside + 16, interrupted.end]],
            ),
            span_of("that the plan was a disaster", "indirect").with_attrs(speaker=None),
        ],
    )
    result.set_layer(
        TECHNIQUES,
        [
            span_of("reckless plan", "Loaded_Language"),
            span_of("traitors", "Name_Calling,Labeling"),
            span_of("laugh at us", "Appeal_to_Fear-Prejudice"),
            span_of("disaster", "Loaded_Language"),
        ],
    )
    return result


def test_each_technique_gets_its_voice(analysis: Analysis) -> None:
    VoiceComponent()(analysis)
    voices = [(TEXT[s.start : s.end], dict(s.attrs)) for s in analysis.layer(TECHNIQUES)]
    assert voices == [
        ("reckless plan", {"voice": "author"}),
        ("traitors", {"voice": "quoted", "speaker": "Ana Ruiz"}),
        ("laugh at us", {"voice": "quoted", "speaker": "Ana Ruiz"}),
        ("disaster", {"voice": "quoted"}),
    ]


def test_summary_counts_per_speaker_and_shares(analysis: Analysis) -> None:
    VoiceComponent()(analysis)
    assert analysis.labels["voices"] == {
        "techniques": 4,
        "author": 1,
        "quoted": 3,
        "author_share": 0.25,
        "quoted_share": 0.75,
        "speakers": [
            {
                "speaker": "Ana Ruiz",
                "quotes": 1,
                "techniques": 2,
                "by_technique": {"Appeal_to_Fear-Prejudice": 1, "Name_Calling,Labeling": 1},
            },
            {"speaker": None, "quotes": 1, "techniques": 1, "by_technique": {"Loaded_Language": 1}},
        ],
    }


def test_the_cue_between_two_pieces_is_the_author_voice(analysis: Analysis) -> None:
    cue = span_of("Ana Ruiz said", "Doubt")
    assert quote_holding(cue, analysis.layer(QUOTES)) is None


def test_a_technique_half_inside_a_quote_is_quoted(analysis: Analysis) -> None:
    straddling = span_of("city,” Ana", "Loaded_Language")  # 6 of 10 characters quoted
    assert quote_holding(straddling, analysis.layer(QUOTES)) is analysis.layer(QUOTES)[0]


def test_no_techniques_gives_zero_shares() -> None:
    result = Analysis(Article(id="e", text="Quiet day."))
    result.set_layer(QUOTES, [])
    result.set_layer(TECHNIQUES, [])
    VoiceComponent()(result)
    assert result.labels["voices"] == {
        "techniques": 0,
        "author": 0,
        "quoted": 0,
        "author_share": 0.0,
        "quoted_share": 0.0,
        "speakers": [],
    }


def test_voice_needs_quotes_and_techniques() -> None:
    with pytest.raises(PropwatchError) as error:
        Pipeline([QuotesComponent(), VoiceComponent()])
    assert str(error.value) == (
        "component 'quotes' needs sentences, which no earlier component assigns"
    )
    with pytest.raises(PropwatchError) as error:
        Pipeline.from_names(["text", "quotes", "voice"])
    assert str(error.value) == (
        "component 'voice' needs techniques, which no earlier component assigns"
    )


def test_voice_runs_after_quotes_and_techniques_by_default() -> None:
    assert DEFAULT_PIPELINE.index("voice") > DEFAULT_PIPELINE.index("techniques")
    assert DEFAULT_PIPELINE.index("voice") > DEFAULT_PIPELINE.index("quotes")


def test_the_quote_index_finds_every_quote_that_can_hold_a_span() -> None:
    rng = random.Random(0)
    quotes = []
    for _ in range(300):
        start = rng.randrange(0, 5000)
        pieces = sorted(
            (s, s + rng.randrange(1, 80)) for s in rng.sample(range(start, start + 400), 2)
        )
        quotes.append(
            Span(start, pieces[-1][1], "quote", attrs={"segments": [list(p) for p in pieces]})
        )
    near = QuoteIndex(quotes).near
    for _ in range(500):
        start = rng.randrange(0, 5500)
        span = Span(start, start + rng.randrange(1, 60), "Loaded_Language")
        assert quote_holding(span, near(span.start, span.end)) is quote_holding(span, quotes)
