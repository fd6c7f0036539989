"""Concurrent load on ``propwatch serve``: N clients posting articles at once, no errors allowed.

Starts ``propwatch serve`` over a fresh SQLite database (or ``--db``) with the default pipeline
(or ``--pipeline text,...``), then ``--clients`` threads each post ``--posts`` team-written
articles to ``POST /api/v1/analyze`` and load ``/library`` after each post.

Usage::

    .venv/bin/python bench/web_load.py                       # 20 clients x 5 posts
    .venv/bin/python bench/web_load.py --clients 20 --posts 10 --pipeline text

Prints one JSON object: error count, throughput and latency percentiles (milliseconds).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from web_common import percentiles, running_server

ARTICLE = (
    "Council vote sparks anger\n\n"
    "The corrupt elites on the council ignored everyone again, critics said on Tuesday. "
    '"This is a disaster for our town," said Mayor Jane Park, who called the plan reckless.\n\n'
    "Supporters answered that the budget was balanced and the school would open on time."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="database URL (default: SQLite in a temp folder)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--posts", type=int, default=5, help="articles each client posts")
    parser.add_argument("--pipeline", help="comma-separated components (default: the default)")
    args = parser.parse_args()
    env = {"PROPWATCH_PIPELINE": args.pipeline} if args.pipeline else {}
    with tempfile.TemporaryDirectory() as folder:
        db_url = args.db or f"sqlite:///{Path(folder) / 'load.db'}"
        with running_server(db_url, env) as base:
            httpx.post(f"{base}/api/v1/analyze?store=false", json={"text": ARTICLE}, timeout=300)

            def client_session(number: int) -> list[tuple[int, float, str]]:
                results = []
                with httpx.Client(base_url=base, timeout=300) as client:
                    for post in range(args.posts):
                        body = {"text": ARTICLE, "id": f"c{number}-{post}"}
                        start = time.perf_counter()
                        status = client.post("/api/v1/analyze", json=body).status_code
                        results.append((status, 1000 * (time.perf_counter() - start), "post"))
                        start = time.perf_counter()
                        status = client.get("/library").status_code
                        results.append((status, 1000 * (time.perf_counter() - start), "get"))
                return results

            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                results = [r for rs in pool.map(client_session, range(args.clients)) for r in rs]
            elapsed = time.perf_counter() - started
            stored = httpx.get(f"{base}/api/v1/stats").json()["articles"]
    posts = [ms for status, ms, kind in results if kind == "post"]
    gets = [ms for status, ms, kind in results if kind == "get"]
    errors = [status for status, _, _ in results if status >= 400]
    print(
        json.dumps(
            {
                "clients": args.clients,
                "posts": len(posts),
                "stored": stored,
                "errors": len(errors),
                "seconds": round(elapsed, 1),
                "posts_per_s": round(len(posts) / elapsed, 1),
                "post": percentiles(posts),
                "library_during_load": percentiles(gets),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
