"""The shipped entity-role model on our own short news texts, one cast entity each.

``tests/fixtures/roles/sanity.jsonl`` holds 15 texts written for this check (5 per main role:
an antagonist that harms, deceives or invades; a protagonist that protects, rescues or
mediates; innocents that suffer), never trained or tuned on. Each occurrence of the entity's
name in the body (not the headline) is one mention, read as the ``roles`` component reads an
entity the parse found: its sentence, parse cues and the technique encoder's states. Prints
each mention's main role, fine role and probability, and the share right per main role.
``tests/models/article/test_roles_sanity.py`` keeps a floor with the same scoring.

Usage::

    python bench/roles_sanity.py [--model-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SUITE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "roles" / "sanity.jsonl"
ROLES = ("Antagonist", "Protagonist", "Innocent")


@dataclass(frozen=True)
class Case:
    id: str
    role: str
    entity: str
    text: str


@dataclass(frozen=True)
class Found:
    case: Case
    start: int
    main_role: str
    fine_roles: tuple[str, ...]
    score: float

    @property
    def right(self) -> bool:
        return self.main_role == self.case.role


def read_suite(path: Path = SUITE) -> list[Case]:
    return [Case(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def mentions(case: Case) -> list[tuple[int, int]]:
    """Every occurrence of the entity's name after the headline."""
    body = case.text.index("\n\n")
    found, start = [], case.text.find(case.entity, body)
    while start >= 0:
        found.append((start, start + len(case.entity)))
        start = case.text.find(case.entity, start + 1)
    return found


def assess(cases: list[Case]) -> list[Found]:
    """The shipped model's roles for every mention of every case."""
    from propwatch.components.technique_model import default_tagger
    from propwatch.models.article.roles import mention_contexts
    from propwatch.models.article.shipped import load_model
    from propwatch.text.nlp import shared_model

    model = load_model("roles")
    parses = shared_model().parse_many([case.text for case in cases])
    results = []
    for case, parsed in zip(cases, parses, strict=True):
        spans = mentions(case)
        encoded = default_tagger().encode(case.text)
        contexts = mention_contexts(parsed, parsed.sentences(), spans, encoded)
        for (start, _), (main, fine, score) in zip(
            spans, model.predict_roles(contexts), strict=True
        ):
            results.append(Found(case, start, main, tuple(fine), score))
    return results


def hit_rates(results: list[Found]) -> dict[str, float]:
    """Share of mentions whose main role is right, per gold main role."""
    total = Counter(found.case.role for found in results)
    right = Counter(found.case.role for found in results if found.right)
    return {role: right[role] / total[role] for role in ROLES if total[role]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model-dir", type=Path, help="Article models to use instead.")
    args = parser.parse_args()
    if args.model_dir:
        os.environ["PROPWATCH_ARTICLE_MODEL_DIR"] = str(args.model_dir)
    results = assess(read_suite())
    for found in results:
        mark = "ok " if found.right else "-- "
        print(
            f"{mark}{found.case.id:26} {found.case.entity:18} {found.main_role:11} "
            f"{found.score:.2f} {', '.join(found.fine_roles)}"
        )
    rates = hit_rates(results)
    overall = sum(found.right for found in results) / len(results)
    print(json.dumps({"mentions": len(results), "right": round(overall, 3), **rates}))


if __name__ == "__main__":
    main()
