"""Reported clauses whose cue lies in another clause's content: found by sort and sweep."""

from __future__ import annotations

import random
import timeit
from functools import partial

import pytest

from propwatch.models.quotes.clauses import Clause
from propwatch.models.quotes.extract import _drop_nested, _Holders


def clause(cue: int, start: int, end: int) -> Clause:
    return Clause(cue=(cue, cue + 4), content=(start, end), source=None)


def nested_by_definition(clauses: list[Clause]) -> list[Clause]:
    """The rule as stated: a clause goes when another clause's content holds its cue."""
    return [
        c
        for c in clauses
        if not any(o is not c and o.content[0] <= c.cue[0] < o.content[1] for o in clauses)
    ]


def test_a_cue_inside_another_clause_drops_its_clause() -> None:
    # "Aides said the minister told reporters that ...": "told" lies in what the aides said.
    outer = clause(cue=6, start=11, end=60)
    inner = clause(cue=24, start=40, end=60)
    own = clause(cue=80, start=75, end=90)  # only its own content holds its cue: kept
    held_by_a_later_one = clause(cue=110, start=140, end=150)
    later = clause(cue=120, start=100, end=130)
    clauses = [outer, inner, own, held_by_a_later_one, later]
    assert _drop_nested(clauses) == [outer, own, later]


def test_equal_clauses_drop_each_other_as_distinct_clauses_do() -> None:
    first, second = clause(cue=20, start=10, end=40), clause(cue=20, start=10, end=40)
    assert _drop_nested([first, second]) == []
    at_the_end = clause(cue=40, start=10, end=40)  # contents end before their last offset
    assert _drop_nested([first, at_the_end]) == [at_the_end]


def test_holders_skip_only_the_range_asked_about() -> None:
    holders = _Holders([(10, 20), (0, 30), (25, 25), (40, 50)])
    assert [holders.hold(p) for p in (0, 9, 29, 30, 39, 40, 49, 50)] == [
        True,
        True,
        True,
        False,
        False,
        True,
        True,
        False,
    ]
    assert holders.hold(15, skip=1)  # (10, 20) still holds it
    assert not holders.hold(25, skip=1)  # the empty range (25, 25) holds nothing
    assert not holders.hold(45, skip=3)


def test_random_clauses_give_what_the_rule_gives() -> None:
    rng = random.Random(7)
    for _ in range(200):
        clauses = []
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(0, 60)
            clauses.append(clause(rng.randint(0, 80), start, start + rng.randint(0, 30)))
        assert _drop_nested(clauses) == nested_by_definition(clauses)


def many_clauses(n: int) -> list[Clause]:
    """``n`` sentences of 100 characters; every other one's cue lies in the one before."""
    return [
        clause(cue=100 * i + (10 if i % 2 == 0 else -50), start=100 * i + 20, end=100 * i + 90)
        for i in range(n)
    ]


@pytest.mark.timeout(60)
def test_dropping_nested_clauses_grows_like_the_number_of_clauses() -> None:
    # Comparing every clause with every other took 8.3 million comparisons on 1 MB of prose;
    # 100,000 clauses would take 10**10, hours instead of under a second.
    timings = []
    for n in (10_000, 100_000):
        clauses = many_clauses(n)
        assert _drop_nested(clauses) == clauses[::2]
        # timeit pauses the garbage collector: a full collection of the test session's objects
        # inside one timing once took longer than the work; the fastest of three runs counts
        timings.append(min(timeit.repeat(partial(_drop_nested, clauses), number=1, repeat=3)))
    assert timings[1] < 40 * timings[0]  # ten times the clauses: about eleven times the work
