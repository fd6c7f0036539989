"""The shipped entity-role model on our own texts (``tests/fixtures/roles/sanity.jsonl``: 5
antagonists, 5 protagonists, 5 innocents, written for this check and never trained or tuned
on). The scoring is ``bench/roles_sanity.py``'s, so the test and the bench cannot disagree.

Measured on 7 Dec 2026: 15 of 26 mentions right (antagonists 7 of 9, protagonists 3 of 7,
innocents 5 of 10); the model before the word polarity view 17 of 26 (7, 3, 7). Always
`Antagonist` would get 9 of 26. The floor leaves two mentions for the int8 encoder's outputs,
which vary with the onnxruntime build and the CPU, and asks for every main role to be found
at least once; raise it with the model.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bench_scripts import load_bench_script

RIGHT_FLOOR = 15 - 2


sanity = load_bench_script("roles_sanity")
SUITE = sanity.read_suite()


def test_the_suite_holds_five_texts_per_main_role_each_naming_its_entity() -> None:
    assert Counter(case.role for case in SUITE) == {role: 5 for role in sanity.ROLES}
    for case in SUITE:
        assert sanity.mentions(case), case.id


@pytest.fixture(scope="module")
def results() -> list[Any]:
    return sanity.assess(SUITE)


def test_the_shipped_model_keeps_its_floor(results: list[Any]) -> None:
    assert sum(found.right for found in results) >= RIGHT_FLOOR
    assert all(rate > 0 for rate in sanity.hit_rates(results).values())
    assert set(sanity.hit_rates(results)) == set(sanity.ROLES)
