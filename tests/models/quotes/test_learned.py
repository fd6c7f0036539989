"""The learned content tagger at run time: cue flags, decoding, windows, ONNX against torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from propwatch.errors import InputError
from propwatch.models.quotes.learned import (
    FLAGS,
    META_FILE,
    WINDOW,
    ContentTagger,
    cue_flags,
    tagged_contents,
    tagged_sources,
)
from propwatch.text.nlp import shared_model


def probs_of(tags: str) -> np.ndarray:
    """One row per letter: O, B or I with probability 0.9."""
    rows = np.full((len(tags), 3), 0.05, dtype=np.float32)
    for i, tag in enumerate(tags):
        rows[i, "OBI".index(tag)] = 0.9
    return rows


def test_contents_are_runs_of_content_pieces_cut_where_a_new_one_begins() -> None:
    offsets = np.array([[i * 4, i * 4 + 3] for i in range(9)], dtype=np.int64)
    found = tagged_contents(offsets, probs_of("OBIIBIOBO"), min_pieces=2)
    assert [(c.start, c.end) for c in found] == [(4, 15), (16, 23)]
    assert found[0].support == pytest.approx(0.95)


def test_sources_are_read_from_their_own_columns_one_piece_and_up() -> None:
    offsets = np.array([[i * 4, i * 4 + 3] for i in range(4)], dtype=np.int64)
    content = probs_of("OOOO")
    source = np.array([[0.6, 0.35, 0.05], [0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.3, 0.1, 0.6]])
    probs = np.concatenate([content, source.astype(np.float32)], axis=1)
    assert tagged_contents(offsets, probs, min_pieces=2) == []
    found = tagged_sources(offsets, probs)  # P(B) + P(I) above 0.3: "he" is one piece
    assert [(s.start, s.end) for s in found] == [(0, 3), (8, 15)]
    assert found[0].support == pytest.approx(0.4)


def test_a_single_stray_piece_is_no_content() -> None:
    offsets = np.array([[i, i + 1] for i in range(3)], dtype=np.int64)
    assert tagged_contents(offsets, probs_of("OBO"), min_pieces=2) == []


def test_cue_flags_mark_quotes_cue_words_and_starts() -> None:
    text = 'The mayor said "roads will close".\nOfficials voiced criticism of the plan.'
    parsed = shared_model().parse(text)
    words = ["The", "said", '"', "roads", "criticism", "Officials"]
    offsets = np.array([[text.index(w), text.index(w) + len(w)] for w in words], dtype=np.int64)
    flags = dict(zip(words, cue_flags(text, parsed, offsets).tolist(), strict=True))
    on = {word: {FLAGS[k] for k, v in enumerate(row) if v} for word, row in flags.items()}
    assert on["The"] == {"sentence_start", "paragraph_start"}
    assert on["said"] == {"cue_verb"}
    assert on['"'] == {"quotation_mark", "inside_quotation_marks"}
    assert on["roads"] == {"inside_quotation_marks"}
    assert on["criticism"] == {"cue_noun_or_adjective"}
    assert on["Officials"] == {"sentence_start", "paragraph_start"}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    """A randomly initialised network exported as a model folder."""
    torch = pytest.importorskip("torch")
    from propwatch.training.quotes.model import ContentGRU, export_onnx

    torch.manual_seed(0)
    net = ContentGRU(10 + len(FLAGS), 8).eval()
    folder = tmp_path_factory.mktemp("tagger")
    export_onnx(net, folder)
    meta = '{"encoder": "e1", "sure": 0.5, "min_pieces": 2}'
    (folder / META_FILE).write_text(meta, encoding="utf-8")
    return net, folder


def test_onnx_gives_torch_probabilities_within_a_window(tiny_model: tuple[object, Path]) -> None:
    from propwatch.training.quotes.model import probabilities

    net, folder = tiny_model
    rng = np.random.default_rng(0)
    states = rng.normal(size=(300, 10)).astype(np.float32)
    flags = (rng.random((300, len(FLAGS))) > 0.5).astype(np.float32)
    onnx = ContentTagger(model_dir=folder).probabilities(lambda a, b: states[a:b], flags)
    torch_probs = probabilities(net, np.concatenate([states, flags], axis=1))  # type: ignore[arg-type]
    np.testing.assert_allclose(onnx, torch_probs, atol=1e-5)


def test_a_long_text_is_read_in_windows_with_context(tiny_model: tuple[object, Path]) -> None:
    from propwatch.training.quotes.model import probabilities

    net, folder = tiny_model
    n = 2 * WINDOW + 100
    rng = np.random.default_rng(1)
    states = rng.normal(size=(n, 10)).astype(np.float32)
    flags = np.zeros((n, len(FLAGS)), dtype=np.float32)
    windowed = ContentTagger(model_dir=folder).probabilities(lambda a, b: states[a:b], flags)
    whole = probabilities(net, np.concatenate([states, flags], axis=1))  # type: ignore[arg-type]
    assert windowed.shape == (n, 6)  # content O, B, I, then source O, B, I
    np.testing.assert_allclose(windowed[:, :3].sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(windowed[:, 3:].sum(axis=1), 1.0, atol=1e-5)
    # with 64 wordpieces of context on each side, the cut changes little
    assert np.abs(windowed - whole).max() < 0.05


def test_a_missing_model_names_its_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"content_tagger\.onnx"):
        ContentTagger(model_dir=tmp_path).load()
