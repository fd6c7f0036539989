"""Speakers of the tagger's contents: tagged sources first when sure, then the parse, then the
rules' last speaker; no speaker, no quote."""

from __future__ import annotations

from propwatch.models.quotes import Attribution
from propwatch.models.quotes.learned import Tagged
from propwatch.models.quotes.tagged import attribute_contents, snap
from propwatch.text.nlp import shared_model


def at(text: str, words: str, support: float = 1.0) -> Tagged:
    start = text.index(words)
    return Tagged(start, start + len(words), support)


def range_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def speakers(text: str, content: str, sources: list[Tagged], rules: list[Attribution]) -> list:
    doc = shared_model().parse(text).chunks[0].doc
    return attribute_contents(doc, [range_of(text, content)], sources, rules, text=text)


def test_a_sure_tagged_source_before_the_content_speaks() -> None:
    text = "Mayor Ana Ruiz was in no doubt. The bridge would reopen in May, in her view.\n"
    [found] = speakers(text, "The bridge would reopen in May", [at(text, "Ana Ruiz", 0.9)], [])
    assert found is not None
    assert found.speaker == "Ana Ruiz"
    assert found.source == range_of(text, "Ana Ruiz")
    assert found.kind == "indirect" and found.cue is None


def test_the_subject_of_a_cue_verb_beats_an_unsure_tagged_source() -> None:
    text = "Tom Beck met Ana Ruiz. Ana Ruiz insisted that the bridge would reopen in May.\n"
    sources = [at(text, "Tom Beck", 0.4)]
    [found] = speakers(text, "that the bridge would reopen in May", sources, [])
    assert found is not None and found.speaker == "Ana Ruiz"


def test_the_rules_last_speaker_in_the_paragraph_when_nothing_else_names_one() -> None:
    text = "“We will rebuild,” said Ana Ruiz. Rebuilding, quickly and well, by May.\n"
    rule = Attribution("direct", (range_of(text, "“We will rebuild,”"),), None, None, "Ana Ruiz")
    rule = Attribution(rule.kind, rule.content, None, range_of(text, "Ana Ruiz"), "Ana Ruiz")
    [found] = speakers(text, "Rebuilding, quickly and well, by May", [], [rule])
    assert found is not None and found.speaker == "Ana Ruiz"


def test_a_content_nobody_says_is_left_out() -> None:
    text = "Rain fell all day. Roads closed, rivers rose and the harbour emptied.\n"
    assert speakers(text, "rivers rose and the harbour emptied", [], []) == [None]


def test_a_tagged_source_is_kept_to_whole_words_of_a_mention() -> None:
    text = "The envoy's aide said so.\n"
    doc = shared_model().parse(text).chunks[0].doc
    widened = snap(doc, text, Tagged(4, 8, 0.8))  # "envo" of "envoy's"
    assert widened is not None and text[widened.start : widened.end] == "envoy"
    assert snap(doc, text, Tagged(0, 3, 0.8)) is None  # "The" is no speaker
