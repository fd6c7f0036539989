"""The GRU token head: trained with torch, run with onnxruntime, same numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from propwatch.models.techniques.sequence import SequenceHead  # noqa: E402
from propwatch.training.techniques.sequence import (  # noqa: E402
    SoftArticles,
    export_token_gru,
    fit_token_gru,
)


def _articles(rng: np.random.Generator) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Token inputs where the label is the first input column, turned on in runs."""
    inputs, targets = [], []
    for length in (40, 75, 12):
        x = rng.normal(size=(length, 6)).astype(np.float32)
        on = (np.arange(length) // 5) % 3 == 0
        x[:, 0] = on * 2.0 - 1.0
        inputs.append(x)
        targets.append(np.stack([on, ~on], axis=1).astype(np.float32))
    return inputs, targets


def test_onnx_head_matches_torch_and_learns(tmp_path: Path) -> None:
    inputs, targets = _articles(np.random.default_rng(0))
    weights = np.ones(2, dtype=np.float32)
    model = fit_token_gru(inputs, targets, weights, seed=0, members=2, epochs=40, chunk=16)
    export_token_gru(model, tmp_path / "head.onnx")
    head = SequenceHead(tmp_path / "head.onnx", n_outputs=2)
    x = inputs[1]
    probs = head.token_probs(x[:, :4], x[:, 4:])
    with torch.no_grad():
        expected = torch.sigmoid(model(torch.from_numpy(x)[None]))[0].numpy()
    np.testing.assert_allclose(probs, expected, atol=1e-5)
    assert ((probs[:, 0] > 0.5) == (targets[1][:, 0] > 0.5)).mean() > 0.9


def test_text_without_tokens_gets_an_empty_matrix(tmp_path: Path) -> None:
    inputs, targets = _articles(np.random.default_rng(1))
    weights = np.ones(2, dtype=np.float32)
    model = fit_token_gru(inputs, targets, weights, seed=0, members=1, epochs=1)
    export_token_gru(model, tmp_path / "head.onnx")
    head = SequenceHead(tmp_path / "head.onnx", n_outputs=2)
    empty = np.zeros((0, 4), dtype=np.float32)
    assert head.token_probs(empty, np.zeros((0, 2), dtype=np.float32)).shape == (0, 2)
    # its steps are too small to share between threads, whatever the encoder's count
    assert head.session.get_session_options().intra_op_num_threads == 1


def test_teacher_labelled_articles_teach_the_head_what_gold_ones_do_not() -> None:
    # Gold articles say column 1 is never on; a teacher says it is on wherever input 0 is.
    inputs, targets = _articles(np.random.default_rng(0))
    for y in targets:
        y[:, 1] = 0.0
    soft_inputs, soft_targets = _articles(np.random.default_rng(1))
    for x, y in zip(soft_inputs, soft_targets, strict=True):
        y[:, 1] = 0.9 * (x[:, 0] > 0)
    soft = SoftArticles(soft_inputs, soft_targets, share=1.0)
    weights = np.ones(2, dtype=np.float32)
    plain = fit_token_gru(inputs, targets, weights, seed=0, members=1, epochs=30, chunk=16)
    taught = fit_token_gru(
        inputs, targets, weights, seed=0, members=1, epochs=30, chunk=16, soft=soft
    )
    x = torch.from_numpy(inputs[1])[None]
    on = torch.from_numpy(inputs[1][:, 0] > 0)
    with torch.no_grad():
        before, after = (torch.sigmoid(m(x))[0, :, 1] for m in (plain, taught))
    # The gold and the teacher disagree there: the head moves towards the teacher.
    assert float(before[on].mean()) < 0.01
    assert float(after[on].mean()) > 0.05
    assert float(after[~on].mean()) < float(after[on].mean()) / 3
