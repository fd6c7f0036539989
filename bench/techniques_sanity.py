"""Hit rate of the technique model on propwatch's hand-written sanity suite.

The suite (``tests/fixtures/sanity/``) holds short news and opinion texts written by the
propwatch authors: at least three per technique of both schemes, each carrying one unmistakable
technique on a marked fragment, plus plain factual news texts that carry none. It is there to
catch obvious misses, not to tune on: a model chosen on it says nothing about unseen news.

Every text goes through the real pipeline (``text`` then ``techniques``) in its own scheme; the
neutral texts go through both schemes. A case counts as

- a **hit** when some predicted span carries the expected technique,
- an **overlap hit** when such a span also overlaps the marked fragment,
- a **category hit** when some predicted span's technique is in the expected one's category,

and a neutral text with any predicted span is one **false alarm**. Everything is reported with
all spans kept and again keeping only spans scored at least ``--min-confidence`` (what
``propwatch analyze --min-confidence`` drops).

Usage::

    nice .venv/bin/python bench/techniques_sanity.py [--min-confidence 0.4] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from propwatch import api
from propwatch.schemes import Scheme, load_scheme
from propwatch.text.analysis import TECHNIQUES
from propwatch.text.article import Article

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "sanity"
SCHEMES = ("semeval2023", "semeval2020")
NEUTRAL = "neutral"


@dataclass(frozen=True, slots=True)
class Case:
    """One suite text; ``technique``, ``start`` and ``end`` are ``None`` for neutral texts."""

    id: str
    text: str
    scheme: str | None = None
    technique: str | None = None
    voice: str | None = None
    start: int | None = None
    end: int | None = None
    fragment: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A predicted technique span."""

    start: int
    end: int
    technique: str
    score: float


def read_cases(path: Path) -> list[Case]:
    """The cases of one JSON Lines file of the suite."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Case(**json.loads(line)) for line in lines if line.strip()]


def read_suite(folder: Path = FIXTURES) -> dict[str, list[Case]]:
    """Cases by scheme name, plus the neutral texts under ``"neutral"``."""
    return {name: read_cases(folder / f"{name}.jsonl") for name in (*SCHEMES, NEUTRAL)}


def predict(texts: Sequence[str], scheme: str) -> list[list[Found]]:
    """Every technique span the shipped pipeline finds in each text, all scores kept."""
    pipeline = api.load_pipeline(scheme=scheme, components=["text", "techniques"])
    articles = (Article(id=str(i), text=text) for i, text in enumerate(texts))
    return [
        [Found(s.start, s.end, s.label, s.score) for s in analysis.layer(TECHNIQUES)]
        for analysis in pipeline.pipe(articles)
    ]


def outcome(case: Case, found: Sequence[Found], scheme: Scheme) -> dict[str, Any]:
    """Whether ``found`` holds the case's technique, on its fragment, or in its category."""
    assert case.technique is not None and case.start is not None and case.end is not None
    right = [f for f in found if f.technique == case.technique]
    category = scheme.technique(case.technique).category
    return {
        "id": case.id,
        "technique": case.technique,
        "voice": case.voice,
        "hit": bool(right),
        "overlap": any(f.start < case.end and case.start < f.end for f in right),
        "category": any(scheme.technique(f.technique).category == category for f in found),
        "found": sorted({f.technique for f in found}),
    }


def rate(outcomes: Sequence[dict[str, Any]], key: str) -> float:
    return sum(o[key] for o in outcomes) / len(outcomes) if outcomes else 0.0


def per_technique(outcomes: Sequence[dict[str, Any]], scheme: Scheme) -> dict[str, Any]:
    """Counts per technique in scheme order, with what was found instead on the misses."""
    table = {}
    for name in scheme.names:
        mine = [o for o in outcomes if o["technique"] == name]
        instead = Counter(t for o in mine if not o["hit"] for t in o["found"])
        table[name] = {
            "cases": len(mine),
            **{key: sum(o[key] for o in mine) for key in ("hit", "overlap", "category")},
            "found_instead": dict(instead.most_common()),
        }
    return table


def keep(found: Sequence[Found], min_confidence: float) -> list[Found]:
    return [f for f in found if f.score >= min_confidence]


def score_scheme(
    cases: Sequence[Case],
    found: Sequence[Sequence[Found]],
    neutral_found: Sequence[Sequence[Found]],
    scheme: Scheme,
    min_confidence: float,
) -> dict[str, Any]:
    """Hit rates, per-technique counts and false alarms at one confidence floor."""
    outcomes = [
        outcome(c, keep(f, min_confidence), scheme) for c, f in zip(cases, found, strict=True)
    ]
    alarms = sum(bool(keep(f, min_confidence)) for f in neutral_found)
    return {
        "cases": len(outcomes),
        "hit_rate": rate(outcomes, "hit"),
        "overlap_hit_rate": rate(outcomes, "overlap"),
        "category_hit_rate": rate(outcomes, "category"),
        "neutral_texts": len(neutral_found),
        "false_alarms": alarms,
        "techniques": per_technique(outcomes, scheme),
        "outcomes": outcomes,
    }


def summarise(per_scheme: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Both schemes pooled: every case and every neutral run counts once."""
    scored = list(per_scheme)
    cases = sum(s["cases"] for s in scored)
    neutral = sum(s["neutral_texts"] for s in scored)
    alarms = sum(s["false_alarms"] for s in scored)
    pooled = {
        key: sum(s[key] * s["cases"] for s in scored) / cases
        for key in ("hit_rate", "overlap_hit_rate", "category_hit_rate")
    }
    return {
        "cases": cases,
        **pooled,
        "neutral_runs": neutral,
        "false_alarms": alarms,
        "false_alarms_per_10": 10 * alarms / neutral,
    }


def run(min_confidences: Sequence[float], suite: dict[str, list[Case]]) -> dict[str, Any]:
    """The full report: per confidence floor, each scheme's scores and the pooled summary."""
    neutral = [c.text for c in suite[NEUTRAL]]
    found = {s: predict([c.text for c in suite[s]], s) for s in SCHEMES}
    neutral_found = {s: predict(neutral, s) for s in SCHEMES}
    report: dict[str, Any] = {}
    for floor in min_confidences:
        schemes = {
            s: score_scheme(suite[s], found[s], neutral_found[s], load_scheme(s), floor)
            for s in SCHEMES
        }
        report[f"{floor:g}"] = {"schemes": schemes, "overall": summarise(schemes.values())}
    return report


def print_scheme(name: str, scored: dict[str, Any]) -> None:
    print(f"\n{name}: {scored['cases']} cases")
    print(f"  {'technique':<36} {'n':>2} {'hit':>4} {'ovl':>4} {'cat':>4}  found instead")
    for technique, row in scored["techniques"].items():
        instead = ", ".join(f"{t} {n}" for t, n in row["found_instead"].items()) or "-"
        counts = f"{row['cases']:>2} {row['hit']:>4} {row['overlap']:>4} {row['category']:>4}"
        print(f"  {technique:<36} {counts}  {instead}")


def print_summary(floor: str, result: dict[str, Any]) -> None:
    print(f"\nspans scored >= {floor}:")
    rows = {**result["schemes"], "overall": result["overall"]}
    for name, s in rows.items():
        neutral = s.get("neutral_texts", s.get("neutral_runs"))
        print(
            f"  {name:<12} hit {s['hit_rate']:.3f}  overlap {s['overlap_hit_rate']:.3f}  "
            f"category {s['category_hit_rate']:.3f}  "
            f"false alarms {s['false_alarms']}/{neutral} neutral"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-confidence", type=float, default=0.4, help="Second span floor.")
    parser.add_argument("--json", action="store_true", help="Print the full report as JSON.")
    args = parser.parse_args()
    report = run([0.0, args.min_confidence], read_suite())
    if args.json:
        print(json.dumps(report, indent=2))
        return
    first = next(iter(report.values()))
    for name, scored in first["schemes"].items():
        print_scheme(name, scored)
    for floor, result in report.items():
        print_summary(floor, result)
    overall = first["overall"]
    print(
        f"\noverall, all spans: hit rate {overall['hit_rate']:.3f} of {overall['cases']} cases, "
        f"{overall['false_alarms_per_10']:.2f} false alarms per 10 neutral texts"
    )


if __name__ == "__main__":
    main()
