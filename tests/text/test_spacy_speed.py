"""The cheaper spaCy parse writes exactly what the plain ``en_core_web_sm`` pipeline writes."""

from __future__ import annotations

from importlib import import_module

import pytest

from propwatch.text.nlp import DEFAULT_MODEL, SpacyModel
from propwatch.text.spacy_speed import _equality_rows

# Every kind of attribute-ruler pattern of the model: plain tags, words with their tags,
# dependency tests ("there is"), regular expressions ("ain't", "y'all") and two-word rules
# ("gonna", "gotta", "let's", "c'mon"), plus words the rule lemmatizer must look up.
TEXTS = [
    "The ministers were meeting in Geneva on Tuesday. There are 12 more talks planned.\n\n"
    "\"We ain't gonna sign anything we haven't read,\" said Ana Ruiz, who leads the team.",
    "Y'all gotta see this. Let's go, c'mon! The mice ran faster than the geese had flown.",
    "Critics argued that the reforms were better than nothing; others were worse off.\n"
    "He's been saying it's the best deal they'd ever seen, though it isn't.",
    "   \n\n  ",
]


def token_annotations(doc: object) -> list[tuple[object, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
        for t in doc  # type: ignore[attr-defined]
    ]


@pytest.fixture(scope="module")
def plain() -> object:
    return import_module(DEFAULT_MODEL).load()


@pytest.mark.parametrize("text", TEXTS)
def test_every_token_is_annotated_as_the_plain_pipeline_does(plain: object, text: str) -> None:
    model = SpacyModel()
    chunks = model.parse(text).chunks
    unparsed = [doc for _start, doc in model.prepare_many([text])[0]]
    expected = [token_annotations(plain(doc)) for doc in unparsed]  # type: ignore[operator]
    assert [token_annotations(chunk.doc) for chunk in chunks] == expected


def test_the_ruler_and_lemmatizer_run_after_the_other_pipes(plain: object) -> None:
    model = SpacyModel()
    assert model.attributes.skipped == ("attribute_ruler", "lemmatizer")
    # most patterns are looked up; only those a dict cannot answer stay in a Matcher
    assert 0 < len(model.attributes.residual) < 20
    assert sum(len(table) for table in model.attributes.tables.values()) > 150


def test_only_equality_tests_of_one_token_are_looked_up() -> None:
    assert _equality_rows([{"TAG": {"IN": ["VBP", "VBZ"]}, "LOWER": "ai"}]) == [
        ("ai", "VBP"),
        ("ai", "VBZ"),
    ]
    assert _equality_rows([{"IS_SPACE": True}]) == [(True,)]
    assert _equality_rows([{"LOWER": {"REGEX": "^y'?$"}}]) is None
    assert _equality_rows([{"LOWER": "gon"}, {"LOWER": "na"}]) is None
    assert _equality_rows([{"POS": "VERB"}]) is None  # POS arrays hold ids, not string hashes
