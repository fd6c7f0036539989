"""The hand-written sanity suite: its files are sound, and the shipped model keeps its floor.

The scoring is ``bench/techniques_sanity.py``'s, so the test and the bench can never disagree.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bench_scripts import load_bench_script
from propwatch.schemes import load_scheme

# Measured with the shipped model, all spans kept: hit rate 0.232 (26 of 112 cases) with one
# technique per span run (2 Dec, 954edfb); 0.402 (45 of 112) since fragments of a run carry
# their own techniques (6 Dec), 2 false alarms in 48 neutral runs (24 texts in 2 schemes);
# 0.482 (54 of 112) and 4 false alarms (two texts, each in both schemes) since a text of one
# line is no longer read as a headline (6 Dec). The floor leaves 5 points and one false alarm
# for the int8 encoder's outputs, which vary with onnxruntime build and CPU; raise it with the
# model.
HIT_RATE_FLOOR = 0.482 - 0.05
MAX_FALSE_ALARMS = 4 + 1
MIN_CASES_PER_TECHNIQUE = 3
MIN_NEUTRAL_TEXTS = 20


sanity = load_bench_script("techniques_sanity")
SUITE = sanity.read_suite()


@pytest.mark.parametrize("scheme", sanity.SCHEMES)
def test_every_technique_has_enough_cases(scheme: str) -> None:
    counts = Counter(case.technique for case in SUITE[scheme])
    names = load_scheme(scheme).names
    assert set(counts) <= set(names), set(counts) - set(names)
    assert {n: counts[n] for n in names if counts[n] < MIN_CASES_PER_TECHNIQUE} == {}


@pytest.mark.parametrize("scheme", sanity.SCHEMES)
def test_offsets_point_at_the_fragment(scheme: str) -> None:
    for case in SUITE[scheme]:
        assert case.scheme == scheme, case.id
        assert 0 <= case.start < case.end <= len(case.text), case.id
        assert case.text[case.start : case.end] == case.fragment, case.id
        assert case.fragment == case.fragment.strip(), case.id


@pytest.mark.parametrize("scheme", sanity.SCHEMES)
def test_both_voices_are_used(scheme: str) -> None:
    assert {case.voice for case in SUITE[scheme]} == {"author", "speaker"}


def test_neutral_texts_carry_nothing() -> None:
    neutral = SUITE[sanity.NEUTRAL]
    assert len(neutral) >= MIN_NEUTRAL_TEXTS
    for case in neutral:
        assert (case.scheme, case.technique, case.start, case.end) == (None,) * 4, case.id


def test_ids_and_texts_are_unique() -> None:
    cases = [case for cases in SUITE.values() for case in cases]
    assert [i for i, n in Counter(c.id for c in cases).items() if n > 1] == []
    assert [t for t, n in Counter(c.text for c in cases).items() if n > 1] == []


@pytest.fixture(scope="module")
def overall() -> dict[str, Any]:
    summary: dict[str, Any] = sanity.run([0.0], SUITE)["0"]["overall"]
    return summary


def test_shipped_model_keeps_its_hit_rate(overall: dict[str, Any]) -> None:
    assert overall["hit_rate"] >= HIT_RATE_FLOOR


def test_shipped_model_keeps_false_alarms_down(overall: dict[str, Any]) -> None:
    assert overall["false_alarms"] <= MAX_FALSE_ALARMS
