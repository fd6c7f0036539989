"""propwatch inside a spaCy pipeline: ``nlp.add_pipe("propwatch_techniques")`` writes the
technique spans, widened to whole tokens, to ``doc.spans["propwatch"]`` with their scores."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import ClassVar

import pytest
import spacy

from propwatch.pipeline import Component, Pipeline
from propwatch.spacy_factory import TechniqueSpans
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span

# Written for this test; "orrupt offic" starts and ends inside words.
TEXT = "Harbour vote\n\nThe corrupt officials betrayed everyone, again and again."


class FixedSpans(Component):
    """Marks three fixed fragments of TEXT, one of them off the word boundaries."""

    name = "fixed"
    assigns: ClassVar[tuple[str, ...]] = (TECHNIQUES,)
    version = "test-1"

    def __call__(self, analysis: Analysis) -> Analysis:
        def at(fragment: str, label: str, score: float) -> Span:
            start = analysis.text.index(fragment)
            return Span(start, start + len(fragment), label, score)

        analysis.set_layer(
            TECHNIQUES,
            [
                at("orrupt offic", "Name_Calling-Labeling", 0.8),
                at("betrayed everyone", "Loaded_Language", 0.6),
                at("again and again", "Repetition", 0.45),
            ],
        )
        return analysis


def test_spans_widen_to_tokens_and_keep_their_scores() -> None:
    nlp = spacy.blank("en")
    doc = TechniqueSpans(Pipeline([FixedSpans()]))(nlp(TEXT))
    group = doc.spans["propwatch"]
    assert [(s.text, s.label_, s.start_char, s.end_char) for s in group] == [
        ("corrupt officials", "Name_Calling-Labeling", 18, 35),
        ("betrayed everyone", "Loaded_Language", 36, 53),
        ("again and again", "Repetition", 55, 70),
    ]
    assert group.attrs["scores"].tolist() == pytest.approx([0.8, 0.6, 0.45])
    assert group.attrs["scores"].dtype == "float32"
    # Another key, as spaCy components take one.
    other = TechniqueSpans(Pipeline([FixedSpans()]), spans_key="techniques")(nlp(TEXT))
    assert list(other.spans) == ["techniques"]


@pytest.mark.slow
def test_add_pipe_finds_the_factory_through_its_entry_point() -> None:
    (point,) = [
        ep for ep in entry_points(group="spacy_factories") if ep.name == "propwatch_techniques"
    ]
    assert point.value == "propwatch.spacy_factory:make_technique_spans"
    nlp = spacy.blank("en")
    component = nlp.add_pipe("propwatch_techniques", config={"scheme": "semeval2023"})
    assert nlp.pipe_names == ["propwatch_techniques"]
    text = (
        "Council Approves Harbour Plan\n\n"
        "One councillor called the plan a shameless giveaway to greedy developers.\n"
        "Everyone knows the council is a gang of crooks, and always has been.\n"
    )
    doc = nlp(text)
    # The shipped model's own spans, labels and scores, each inside its widened spaCy span.
    predicted = component.pipeline(Article(id="spacy", text=text)).layer(TECHNIQUES)
    group = doc.spans["propwatch"]
    assert predicted, "the shipped model finds techniques in this text"
    assert [s.label_ for s in group] == [p.label for p in predicted]
    assert group.attrs["scores"].tolist() == pytest.approx([p.score for p in predicted])
    assert all(
        s.start_char <= p.start and p.end <= s.end_char
        for s, p in zip(group, predicted, strict=True)
    )
