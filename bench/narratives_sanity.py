"""The shipped narrative model on our own short texts: two per coarse narrative, six without.

``tests/fixtures/narratives/sanity.jsonl`` holds 48 texts written for this check, never
trained or tuned on: two plain cases of each of the 21 coarse narratives of the SemEval-2025
taxonomy (11 on the Russia-Ukraine war, 10 on climate change), and six texts that carry none
(four news reports on other topics, one factual report on each of the two topics). Each goes
through the real pipeline (``text``, ``techniques``, ``narratives``). A case is

- **named** when its narrative is among the narratives the model names,
- **on topic** when the topic gate lets its domain (``URW`` / ``CC``) through (for the six
  without a narrative: when the model names none, i.e. ``Other``),

and each case's coarse samples-F1 is the SemEval-2025 scorer's for that document (``Other``
against ``Other`` is 1). ``tests/models/article/test_narratives_sanity.py`` keeps a floor with
the same scoring.

Usage::

    python bench/narratives_sanity.py [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from propwatch.eval.measures import samples_f1

SUITE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "narratives" / "sanity.jsonl"
OTHER = "Other"
COMPONENTS = ["text", "techniques", "narratives"]


@dataclass(frozen=True)
class Case:
    id: str
    narrative: str
    text: str

    @property
    def domain(self) -> str:
        """``URW``, ``CC`` or ``Other``: the part of the narrative's name before the colon."""
        return self.narrative.split(":", 1)[0]


@dataclass(frozen=True)
class Found:
    case: Case
    narratives: tuple[str, ...]
    scores: tuple[float, ...]
    topics: tuple[str, ...]

    @property
    def named(self) -> bool:
        if self.case.narrative == OTHER:
            return not self.narratives
        return self.case.narrative in self.narratives

    @property
    def on_topic(self) -> bool:
        if self.case.narrative == OTHER:
            return not self.narratives
        return self.case.domain in self.topics

    @property
    def f1(self) -> float:
        """Coarse samples-F1 of this one document (predicted ``Other`` when none is named)."""
        return float(samples_f1([[self.case.narrative]], [self.narratives or (OTHER,)])[0])


def read_suite(path: Path = SUITE) -> list[Case]:
    return [Case(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def assess(cases: list[Case]) -> list[Found]:
    """The shipped models' narratives for every case."""
    from propwatch import api
    from propwatch.text.article import Article

    pipeline = api.load_pipeline(components=COMPONENTS)
    articles = [Article(id=case.id, text=case.text) for case in cases]
    found = []
    for case, analysis in zip(cases, pipeline.pipe(articles), strict=True):
        named = analysis.labels["narratives"]
        found.append(
            Found(
                case,
                tuple(n["narrative"] for n in named),
                tuple(n["score"] for n in named),
                tuple(analysis.labels["narrative_topics"]),
            )
        )
    return found


def summary(results: list[Found]) -> dict[str, dict[str, float]]:
    """Per domain (``URW``, ``CC``, ``Other``): cases, named, on topic, mean coarse F1."""
    rows: dict[str, dict[str, float]] = {}
    for domain in sorted({found.case.domain for found in results}):
        mine = [found for found in results if found.case.domain == domain]
        rows[domain] = {
            "cases": len(mine),
            "named": sum(found.named for found in mine),
            "on_topic": sum(found.on_topic for found in mine),
            "f1": round(sum(found.f1 for found in mine) / len(mine), 3),
        }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    results = assess(read_suite())
    rows = summary(results)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for found in results:
        names = ", ".join(
            f"{n} {s:.2f}" for n, s in zip(found.narratives, found.scores, strict=True)
        )
        mark = "+" if found.named else "-"
        topics = "/".join(found.topics) or "none"
        print(f"{mark} {found.case.id:28s} topics {topics:7s} {names or OTHER}")
    wrong_topic = Counter(found.case.domain for found in results if not found.on_topic)
    print()
    for domain, row in rows.items():
        print(
            f"{domain:5s} {row['named']:.0f} of {row['cases']:.0f} named, "
            f"{row['on_topic']:.0f} on topic, coarse F1 {row['f1']:.3f}"
        )
    print(f"off topic by domain: {dict(wrong_topic)}")
    mean_f1 = sum(found.f1 for found in results) / len(results)
    print(f"all {len(results)}: {sum(f.named for f in results)} named, coarse F1 {mean_f1:.3f}")


if __name__ == "__main__":
    main()
