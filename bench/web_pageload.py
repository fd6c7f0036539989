"""Page-load latency of ``propwatch serve`` with 1,000 stored articles (target: p50 < 100 ms).

Fills a fresh database with synthetic analysed articles (seeded random text, ~3,000
characters and ~20 technique spans each, 8 outlets, dates over two years), starts
``propwatch serve`` in a subprocess and times sequential GETs of every page and API listing.

Usage::

    .venv/bin/python bench/web_pageload.py                     # SQLite in a temp folder
    .venv/bin/python bench/web_pageload.py --db postgresql+psycopg://u:p@127.0.0.1/db
    .venv/bin/python bench/web_pageload.py --articles 1000 --requests 50

Prints one JSON object: per path, p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from propwatch.db import repo
from propwatch.db.engine import make_engine, make_sessionmaker, upgrade
from propwatch.schemes import load_scheme
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span
from web_common import percentiles, running_server

WORDS = (
    "council",
    "harbour",
    "minister",
    "storm",
    "market",
    "plan",
    "people",
    "town",
    "report",
    "vote",
    "budget",
    "school",
    "river",
    "police",
    "court",
    "road",
    "winter",
    "crowd",
    "leader",
    "critics",
    "officials",
    "claims",
    "future",
    "disaster",
    "shameful",
    "brave",
    "reckless",
    "historic",
    "tax",
)


def synthetic_analysis(
    rng: random.Random, number: int, techniques: list[tuple[str, str]]
) -> Analysis:
    title = " ".join(rng.choices(WORDS, k=5)).capitalize()
    paragraphs = [
        " ".join(rng.choices(WORDS, k=rng.randint(40, 70))).capitalize() + "." for _ in range(8)
    ]
    text = title + "\n\n" + "\n\n".join(paragraphs)
    day = date(2023, 1, 1) + timedelta(days=rng.randrange(730))
    analysis = Analysis(
        Article(
            id=f"bench-{number}",
            text=text,
            title=title,
            outlet=f"Outlet {number % 8}",
            published=day.isoformat(),
        )
    )
    spans = []
    for _ in range(20):
        start = rng.randrange(len(title) + 2, len(text) - 40)
        name, category = rng.choice(techniques)
        spans.append(
            Span(
                start,
                start + rng.randint(5, 40),
                name,
                rng.random(),
                {"category": category, "voice": "author"},
            )
        )
    analysis.set_layer("techniques", spans)
    analysis.labels["narratives"] = [
        {
            "narrative": f"Narrative {rng.randrange(6)}",
            "subnarratives": [],
            "score": 0.8,
            "evidence": [],
        }
    ]
    analysis.models = {"bench": "1"}
    return analysis


def fill(db_url: str, articles: int) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    scheme = load_scheme("semeval2023")
    techniques = [(t.name, t.category) for t in scheme.techniques]
    rng = random.Random(13)
    with make_sessionmaker(engine)() as session:
        for number in range(articles):
            repo.add_analysis(session, synthetic_analysis(rng, number, techniques))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="database URL (default: SQLite in a temp folder)")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=50, help="GETs per path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        fill(db_url, args.articles)
        fill_s = time.perf_counter() - started
        with running_server(db_url) as base, httpx.Client(base_url=base, timeout=30) as client:
            last = client.get("/api/v1/articles", params={"per_page": 1}).json()["items"][0]["id"]
            paths = [
                "/library",
                "/library?q=harbour+minister",
                "/library?technique=Loaded_Language&outlet=Outlet+3",
                f"/articles/{last}",
                f"/compare?a={last}&b={last - 1}",
                "/outlets",
                "/api/v1/articles?q=storm",
                "/api/v1/stats",
            ]
            results = {}
            for path in paths:
                client.get(path).raise_for_status()  # warm up
                timings = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    client.get(path).raise_for_status()
                    timings.append(1000 * (time.perf_counter() - start))
                results[path] = percentiles(timings)
    report = {
        "articles": args.articles,
        "database": db_url.split(":")[0],
        "fill_s": round(fill_s, 1),
    }
    print(json.dumps(report | {"pages": results}, indent=2))


if __name__ == "__main__":
    main()
