"""The span calibration: recurrence features, the fit towards identity, the saved layer."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from propwatch.models.techniques.calibration import (
    SpanCalibration,
    calibration_inputs,
    recurrence_features,
)
from propwatch.training.techniques.calibration import fit_towards_identity

TEXT = "Never surrender. The award went to Kim.\nNever, never surrender! War is near."


def test_recurrence_counts_whole_words_whatever_the_punctuation() -> None:
    spans = [(0, 16), (64, 67), (27, 31)]  # "Never surrender.", "War", "went"
    assert (TEXT[64:67], TEXT[27:31]) == ("War", "went")
    rows = recurrence_features(TEXT, spans)
    assert rows[0, 1] == 1.0  # "never surrender" twice (case and punctuation ignored)
    assert rows[0, 2] == 0.0
    assert rows[1, 1] == 0.0  # "war" is not counted inside "award"
    assert rows[2, 0] == np.float32(np.log1p(1))


def test_fit_keeps_the_head_where_there_is_nothing_to_learn() -> None:
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(3), size=300).astype(np.float32)
    labels = np.array([rng.choice(3, p=p) for p in probs])
    inputs = calibration_inputs(probs, np.zeros((300, 2), np.float32))
    weights, bias = fit_towards_identity(inputs, labels, 3, l2=1e-2)
    assert np.allclose(weights[:3], np.eye(3), atol=0.3)
    assert np.abs(bias).max() < 0.3


def test_fit_learns_that_a_recurring_fragment_is_repetition() -> None:
    rng = np.random.default_rng(1)
    recurs = rng.random(400) < 0.3
    labels = np.where(recurs, 2, rng.choice(2, size=400))  # class 2 plays Repetition
    head = np.full((400, 3), 1 / 3, dtype=np.float32)  # a head that knows nothing
    inputs = calibration_inputs(head, recurs[:, None].astype(np.float32))
    weights, bias = fit_towards_identity(inputs, labels, 3, l2=1e-4)
    layer = SpanCalibration({"s": (weights, bias)})
    out = layer.apply("s", head[:2], np.array([[1.0], [0.0]], np.float32))
    assert out[0].argmax() == 2 and out[1].argmax() != 2


def test_saved_layer_loads_back_and_leaves_other_schemes_alone(tmp_path: Path) -> None:
    layer = SpanCalibration({"a": (np.eye(3, 2, dtype=np.float32), np.zeros(2, np.float32))})
    layer.save(tmp_path / "c.npz")
    loaded = SpanCalibration.load(tmp_path / "c.npz")
    assert np.array_equal(loaded.weights["a"][0], layer.weights["a"][0])
    probs = np.array([[0.7, 0.3]], np.float32)
    assert loaded.apply("b", probs, np.zeros((1, 1), np.float32)) is probs
    assert np.allclose(loaded.apply("a", probs, np.zeros((1, 1), np.float32)), probs, atol=1e-3)


def test_a_technique_the_held_out_spans_lack_keeps_the_heads_probability(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    probs = rng.dirichlet(np.ones(4), size=300).astype(np.float32)
    labels = rng.choice(3, size=300)  # class 3 (a technique new to the training) never occurs
    inputs = calibration_inputs(probs, np.zeros((300, 1), np.float32))
    weights, bias = fit_towards_identity(inputs, labels, 4, l2=1e-4)
    unseen = np.array([False, False, False, True])
    SpanCalibration({"s": (weights, bias)}, {"s": unseen}).save(tmp_path / "c.npz")
    layer = SpanCalibration.load(tmp_path / "c.npz")
    head = np.array([[0.1, 0.1, 0.1, 0.7], [0.5, 0.2, 0.2, 0.1]], np.float32)
    out = layer.apply("s", head, np.zeros((2, 1), np.float32))
    assert out[:, 3].tolist() == head[:, 3].tolist()
    assert out[0].argmax() == 3
    assert np.allclose(out.sum(axis=1), 1.0, atol=1e-5)


def test_a_partial_calibration_lies_between_the_head_and_the_fitted_layer(tmp_path: Path) -> None:
    bias = np.array([2.0, 0.0, 0.0], np.float32)  # a layer that pushes towards class 0
    full = SpanCalibration({"s": (np.eye(4, 3, dtype=np.float32), bias)})
    head = np.array([[0.2, 0.5, 0.3]], np.float32)
    none = np.zeros((1, 1), np.float32)
    half = dataclasses.replace(full, weight=0.5)
    half.save(tmp_path / "c.npz")
    loaded = SpanCalibration.load(tmp_path / "c.npz")
    assert loaded.weight == 0.5
    fitted, mixed = full.apply("s", head, none)[0, 0], loaded.apply("s", head, none)[0, 0]
    assert head[0, 0] < mixed < fitted
    assert np.isclose(loaded.apply("s", head, none).sum(), 1.0, atol=1e-5)
    head_only = dataclasses.replace(full, weight=0.0).apply("s", head, none)
    assert np.allclose(head_only, head, atol=1e-5)
