"""Run-time layers: named, typed values that components share and that are never serialized."""

from __future__ import annotations

import pytest

from propwatch.errors import PropwatchError
from propwatch.text.analysis import ENCODER_STATES, Analysis, RuntimeLayer
from propwatch.text.article import Article

COUNT = RuntimeLayer[int]("word_count")


def test_a_runtime_layer_is_a_layer_name() -> None:
    assert COUNT == "word_count"
    assert ENCODER_STATES == "encoder_states"
    assert "encoder_states" in (ENCODER_STATES,)  # so requires/assigns may list it


def test_set_then_read_and_never_serialized() -> None:
    analysis = Analysis(Article(id="a", text="Two words"))
    analysis.set_runtime(COUNT, 2)
    assert analysis.runtime(COUNT) == 2
    assert analysis.to_dict() == Analysis(Article(id="a", text="Two words")).to_dict()
    assert analysis == Analysis(Article(id="a", text="Two words"))


def test_reading_a_layer_nobody_assigned_names_it() -> None:
    analysis = Analysis(Article(id="a", text="Two words"))
    with pytest.raises(PropwatchError) as caught:
        analysis.runtime(ENCODER_STATES)
    assert str(caught.value) == (
        "encoder_states was not assigned: run a component that assigns it first"
    )
