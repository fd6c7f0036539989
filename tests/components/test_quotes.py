"""The quotes component on an article we wrote that holds every attribution case of issue 4."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.api import example_path
from propwatch.components.quotes import QuotesComponent
from propwatch.config import DEFAULT_PIPELINE
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import QUOTES, Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import PARSE_CACHE_KEY, SpacyModel
from propwatch.text.span import Span

WHY = "\u2018Why?\u2019"  # a nested quote in single marks
ARTICLE = (Path(__file__).parent / "data" / "quotes_article.txt").read_text(encoding="utf-8")

# (kind, content pieces, cue text, source text, speaker) in article order.
EXPECTED = [
    # headline quote: the colon is the cue, the surname resolves to the full name
    ("direct", ["“We showed what we saw”"], ":", "Stone", "Oliver Stone"),
    # a quote continued after its cue sentence: one attribution, two pieces
    (
        "direct",
        ["“I did not make a film to please anyone,”", "“I made it to ask questions.”"],
        "told",
        "Stone",
        "Oliver Stone",
    ),
    # a scare quote is no direct quote, only part of what the critics said
    (
        "indirect",
        ["the project a “love letter” to the Kremlin"],
        "called",
        "Critics",
        "Critics",
    ),
    # reported speech holding a partial quote; the appositive stays in the mention
    (
        "indirect",
        ["the series “never pushes back.”"],
        "said",
        "Maria Lopez, a historian at the university",
        "Maria Lopez",
    ),
    # speaker named only in the previous sentence
    ("direct", ["“Absolutely, I would do it again.”"], "was", "Stone", "Oliver Stone"),
    # a definite description resolves to the person the article gave that role
    ("direct", ["“It was never meant as a portrait,”"], "said", "the director", "Oliver Stone"),
    # interrupted quote with a nested quote; the pronoun takes the previous person speaker
    (
        "direct",
        [f"“You ask him, {WHY} and he smiles,”", "“and then he answers with a question.”"],
        "said",
        "he",
        "Oliver Stone",
    ),
    (
        "indirect",
        ["the series drew two million viewers in its first week"],
        "According to",
        "the distributor",
        "the distributor",
    ),
    # no name: the description is the speaker (its determiner in lower case)
    (
        "indirect",
        ["that the president had enjoyed the conversations"],
        "said",
        "A Kremlin spokesman",
        "a Kremlin spokesman",
    ),
    # a quote that runs over a paragraph break, after an interrupted first part
    (
        "direct",
        [
            "“There are two ways to read these interviews,”",
            "“One is as journalism.\n\n“The other is as theatre, and I think the second is the"
            " honest one.”",
        ],
        "said",
        "Lopez",
        "Maria Lopez",
    ),
    ("indirect", ["that the series was “generous to a fault.”"], "added", "She", "Maria Lopez"),
]


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return Pipeline.from_names(["text", "quotes"])(Article(id="stone", text=ARTICLE))


def piece(attrs: dict[str, int], name: str, text: str = ARTICLE) -> str | None:
    """The text of the ``<name>_start``/``<name>_end`` attrs, ``None`` when absent."""
    if f"{name}_start" not in attrs:
        return None
    return text[attrs[f"{name}_start"] : attrs[f"{name}_end"]]


def describe(span: Span) -> tuple[object, ...]:
    pieces = span.attrs.get("segments", [[span.start, span.end]])
    attrs = dict(span.attrs)
    return (
        span.label,
        [ARTICLE[s:e] for s, e in pieces],
        piece(attrs, "cue"),
        piece(attrs, "source"),
        attrs["speaker"],
    )


def test_every_case_of_the_article(analysis: Analysis) -> None:
    assert [describe(s) for s in analysis.layer(QUOTES)] == EXPECTED


def test_a_quoted_title_is_no_quote(analysis: Analysis) -> None:
    start = ARTICLE.index("“The Putin Interviews,”")
    assert [s for s in analysis.layer(QUOTES) if s.start <= start < s.end] == []


def test_a_scare_quote_is_no_direct_quote(analysis: Analysis) -> None:
    start = ARTICLE.index("“love letter”")
    covering = [s for s in analysis.layer(QUOTES) if s.start <= start < s.end]
    assert [s.label for s in covering] == ["indirect"]


def test_interrupted_quote_span_covers_both_pieces(analysis: Analysis) -> None:
    span = next(s for s in analysis.layer(QUOTES) if "You ask him" in ARTICLE[s.start : s.end])
    assert ARTICLE[span.start : span.end] == (
        f"“You ask him, {WHY} and he smiles,” he said, “and then he answers with a question.”"
    )
    assert span.attrs["segments"] == [[span.start, span.start + 36], [span.end - 38, span.end]]


def test_article_without_quotes_has_an_empty_layer() -> None:
    result = Pipeline.from_names(["text", "quotes"])(Article(id="x", text="Rain fell all day."))
    assert result.layer(QUOTES) == []


def test_quotes_runs_right_after_text_by_default() -> None:
    assert DEFAULT_PIPELINE.index("quotes") == DEFAULT_PIPELINE.index("text") + 1


def test_quotes_in_later_chunks_get_article_offsets() -> None:
    text = "Intro line here.\n“We will win,” Ana Ruiz said.\n"
    analysis = Analysis(Article(id="c", text=text))
    parsed = SpacyModel(max_chunk_chars=40).parse(text)
    assert [chunk.start for chunk in parsed.chunks] == [0, 17]
    analysis.cache[PARSE_CACHE_KEY] = parsed
    QuotesComponent()(analysis)
    [span] = analysis.layer(QUOTES)
    attrs = dict(span.attrs)
    assert text[span.start : span.end] == "“We will win,”"
    assert piece(attrs, "source", text) == "Ana Ruiz"
    assert piece(attrs, "cue", text) == "said"


def test_the_bundled_example_attributes_every_quote_of_the_director_to_him() -> None:
    # "Marcus Valen" is never tagged as a person by the small NER model (once as a place), and
    # "he" follows other people's names; the speaker of a bare name is a person all the same.
    text = example_path().read_text(encoding="utf-8")
    analysis = Pipeline.from_names(["text", "quotes"])(Article(id="example", text=text))
    speakers = {text[s.start : s.end][:20]: s.attrs["speaker"] for s in analysis.layer(QUOTES)}
    assert speakers['"The Western press h'] == "Marcus Valen"
    assert speakers['"Ask yourself who is'] == "Marcus Valen"
    assert speakers['"Ostravia first, Ost'] == "Marcus Valen"
    # "the director" is the man introduced as "Filmmaker Marcus Valen" (a role synonym)
    assert speakers['"You want to talk ab'] == "Marcus Valen"
    assert speakers['"A documentary can t'] == "Lena Hart"
    # the relative clause holding the cue is not part of the source mention
    assert speakers["it gives the preside"] == "human rights groups"
