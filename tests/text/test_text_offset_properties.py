"""Property tests: reading, segmenting and writing never shift an offset.

Texts mix words and punctuation with the characters that break naive offset code: CRLF, tabs,
astral emoji (with skin-tone modifiers), combining marks, right-to-left scripts and marks,
zero-width and non-breaking spaces, a BOM and the Unicode line separator.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propwatch.io.readers import ReadOptions, read_inputs
from propwatch.io.readers.clean import has_visible_text
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import ParsedText, SpacyModel, shared_model
from propwatch.text.segment import paragraphs
from propwatch.text.span import Span

PIECES = [
    "The",
    "mayor",
    "said",
    "it's",
    "fine",
    "Ana",
    "Ruiz",
    "5",
    "km",
    " ",
    " ",
    "  ",
    ".",
    ". ",
    "!",
    "?",
    ",",
    '"',
    "\u201c",
    "\u201d",
    "'",
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "\t",
    "\r",
    "\U0001f600",
    "\U0001f44d\U0001f3fd",
    "\U0001d400",  # astral: emoji, skin tone, math bold
    "e\u0301",
    "n\u0303o",  # combining marks
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    "\u200f",
    "\u202e",  # RTL
    "\u200b",
    "\u00a0",
    "\u3000",
    "\ufeff",
    "\u2028",
]

texts = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=3),
    ),
    max_size=40,
).map("".join)

# spaCy is slow: few examples, no deadline, one shared model.
SPACY_SETTINGS = settings(max_examples=50, deadline=None)
# A small chunk size makes most examples cross chunk boundaries, exercising the offset shift.
SMALL_CHUNKS = SpacyModel(max_chunk_chars=24)


def check_sentence_spans(text: str, parsed: ParsedText) -> None:
    sentences = parsed.sentences()
    paragraph_spans = paragraphs(text)
    covered: set[int] = set()
    for sentence in sentences:
        piece = sentence.text_of(text)
        assert 0 <= sentence.start < sentence.end <= len(text)
        assert "\n" not in piece
        assert not piece[0].isspace() and not piece[-1].isspace()
        assert any(p.start <= sentence.start and sentence.end <= p.end for p in paragraph_spans)
        assert covered.isdisjoint(range(sentence.start, sentence.end))
        covered.update(range(sentence.start, sentence.end))
    assert sentences == sorted(sentences, key=lambda s: s.start)
    non_space = {i for i, char in enumerate(text) if not char.isspace()}
    assert non_space <= covered


def check_token_spans(text: str, parsed: ParsedText) -> None:
    tokens = parsed.tokens()
    ends = 0
    covered: set[int] = set()
    for token in tokens:
        assert ends <= token.start < token.end <= len(text)
        assert not token.text_of(text).isspace()
        ends = token.end
        covered.update(range(token.start, token.end))
    assert {i for i, char in enumerate(text) if not char.isspace()} <= covered


@given(texts)
def test_paragraphs_slice_back_to_their_lines(text: str) -> None:
    expected = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if line.strip():
            expected.append((number, line))
    found = paragraphs(text)
    assert [(p.attrs["line"], p.text_of(text)) for p in found] == expected
    for p in found:
        assert text.count("\n", 0, p.start) + 1 == p.attrs["line"]


@SPACY_SETTINGS
@given(texts)
def test_sentences_and_tokens_slice_back_without_shift(text: str) -> None:
    parsed = shared_model().parse(text)
    check_sentence_spans(text, parsed)
    check_token_spans(text, parsed)


@SPACY_SETTINGS
@given(texts)
def test_chunked_parse_never_shifts_offsets(text: str) -> None:
    parsed = SMALL_CHUNKS.parse(text)
    assert "".join(chunk.doc.text for chunk in parsed.chunks) == text
    for chunk in parsed.chunks:
        for token in chunk.doc:
            assert (
                text[chunk.start + token.idx : chunk.start + token.idx + len(token)] == token.text
            )
    check_sentence_spans(text, parsed)
    check_token_spans(text, parsed)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
# Readers refuse blank or invisible-only texts and NUL bytes (binary); every other text must come
# back unchanged.
@given(texts.filter(lambda text: has_visible_text(text) and "\x00" not in text))
def test_reading_a_file_keeps_the_exact_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        txt = Path(folder, "article42.txt")
        txt.write_bytes(text.encode("utf-8"))
        jsonl = Path(folder, "batch.jsonl")
        jsonl.write_text(json.dumps({"id": "j", "text": text}) + "\n", encoding="utf-8")
        results = list(read_inputs([str(txt), str(jsonl)], options=ReadOptions()))
    assert [(r.id, r.text) for r in results if isinstance(r, Article)] == [
        ("42", text),
        ("j", text),
    ]


@settings(max_examples=100)
@given(texts, st.data())
def test_json_round_trip_keeps_every_span(text: str, data: st.DataObject) -> None:
    bounds = st.integers(min_value=0, max_value=len(text))
    spans = []
    for _ in range(data.draw(st.integers(min_value=0, max_value=4))):
        start, end = sorted((data.draw(bounds), data.draw(bounds)))
        spans.append(Span(start, end, "Loaded_Language", 0.5, {"voice": "author"}))
    analysis = Analysis(Article("1", text, title="\u200fT\u00a0"))
    analysis.set_layer("techniques", spans)
    analysis.set_layer("paragraphs", paragraphs(text))
    restored = Analysis.from_dict(json.loads(json.dumps(analysis.to_dict(), ensure_ascii=False)))
    assert restored == analysis
    assert [s.text_of(restored.text) for s in restored.layer("techniques")] == [
        s.text_of(text) for s in analysis.layer("techniques")
    ]
