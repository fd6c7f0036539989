"""Concurrent load on ``propwatch serve``: many clients reading and posting for a fixed time.

Starts ``propwatch serve`` on 127.0.0.1 (only) over a fresh SQLite database (or ``--db``)
with the default pipeline (or ``--pipeline text,...``), stores a few articles, then runs
``--clients`` clients for ``--seconds``: each loops over GETs of pages and API reads and,
every ``--post-every`` requests, posts an article to ``POST /api/v1/analyze``. A client
answered 503 waits the Retry-After it was given. Every loop ends at the deadline.

With ``--get-client wrk`` (Debian's ``wrk``, a C load generator) the same number of clients is
split: ``clients / post-every`` Python clients only post, and ``wrk`` keeps the other
connections busy with the same GETs. 200 Python clients in one process need about a core
of their own, which on a 2-core machine competes with the server it measures; ``wrk`` needs a
small share of one.

Usage::

    .venv/bin/python bench/web_load.py                        # 200 clients, 60 s
    .venv/bin/python bench/web_load.py --clients 50 --seconds 20 --pipeline text
    .venv/bin/python bench/web_load.py --get-client wrk        # 180 wrk GET clients + 20 posting

Prints one JSON object: server errors (5xx other than the queue's 503), GET latency
percentiles (milliseconds), posts accepted / refused with 503, and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
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
SEED_ARTICLES = 5
GETS = (
    "/library",
    "/api/v1/articles",
    "/api/v1/stats",
    "/articles/1",
    "/api/v1/articles/2",
    "/compare?a=1&b=2",
    "/outlets",
)


@dataclass
class Tally:
    """What the clients saw: GET latencies, status counts per kind, broken connections."""

    get_ms: list[float] = field(default_factory=list)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    transport_errors: Counter[str] = field(default_factory=Counter)


async def client_loop(
    client: httpx.AsyncClient, number: int, deadline: float, post_every: int, tally: Tally
) -> None:
    for step in range(1_000_000):  # bounded; the deadline ends it long before
        if time.monotonic() >= deadline:
            return
        try:
            await one_request(client, number, step, post_every, tally)
        except httpx.TransportError as error:
            tally.transport_errors[type(error).__name__] += 1


async def one_request(
    client: httpx.AsyncClient, number: int, step: int, post_every: int, tally: Tally
) -> None:
    if step % post_every == post_every - 1:
        body = {"text": ARTICLE, "id": f"c{number}-{step}", "outlet": f"Outlet {number % 4}"}
        response = await client.post("/api/v1/analyze", json=body)
        tally.statuses["post", response.status_code] += 1
        if response.status_code == 503:
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
        return
    started = time.perf_counter()
    response = await client.get(GETS[(number + step) % len(GETS)])
    tally.get_ms.append(1000 * (time.perf_counter() - started))
    tally.statuses["get", response.status_code] += 1


async def run_clients(base: str, clients: int, seconds: float, post_every: int) -> Tally:
    tally = Tally()
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout would close them
    # under a request (a client that waited Retry-After would otherwise race the close).
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=3)
    # One httpx client, with its own cookies, per client: the server marks a client that
    # posted (a cookie) so that it reads its own writes, which must not reach the others.
    async with AsyncExitStack() as stack:
        sessions = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=base, timeout=300, limits=limits)
            )
            for _ in range(clients)
        ]
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(
                client_loop(session, n, deadline, post_every, tally)
                for n, session in enumerate(sessions)
            )
        )
    return tally


# wrk's Lua hooks: cycle through the GETs, then print what it measured as one JSON line.
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "non_2xx_3xx": %%d, "socket_errors": %%d, ' ..
    '"p50_ms": %%.1f, "p95_ms": %%.1f}\\n',
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


async def wrk_gets(base: str, connections: int, seconds: float) -> dict[str, float]:
    """Run ``wrk`` over :data:`GETS` with ``connections`` connections; its summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{path}"' for path in GETS))
        script.flush()
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "60s"]
        process = await asyncio.create_subprocess_exec(
            *command, "-s", script.name, base, stdout=subprocess.PIPE
        )
        out, _ = await process.communicate()
    summary: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return summary


async def wrk_and_posters(base: str, args: argparse.Namespace) -> tuple[Tally, dict[str, float]]:
    posters = args.clients // args.post_every
    gets = asyncio.create_task(wrk_gets(base, args.clients - posters, args.seconds))
    tally = await run_clients(base, posters, args.seconds, post_every=1)
    return tally, await gets


def report(
    tally: Tally,
    args: argparse.Namespace,
    load: list[tuple[float, ...]],
    wrk: dict[str, float] | None = None,
) -> dict:
    """What the clients saw; with ``wrk``, the GET figures are ``wrk``'s."""
    posts = {s: n for (kind, s), n in tally.statuses.items() if kind == "post"}
    server_errors = sum(
        n for (kind, s), n in tally.statuses.items() if s >= 500 and (kind, s) != ("post", 503)
    )
    return {
        "clients": args.clients,
        "seconds": args.seconds,
        "server_errors_5xx": server_errors,
        "transport_errors": dict(tally.transport_errors),
        "wrk_socket_errors": wrk["socket_errors"] if wrk else None,
        **(wrk_figures(wrk) if wrk else httpx_figures(tally)),
        "posts_accepted_201": posts.get(201, 0),
        "posts_refused_503": posts.get(503, 0),
        "post_statuses": posts,
        "load_average_1_5_15": {"before": load[0], "after": load[1]},
    }


def httpx_figures(tally: Tally) -> dict:
    return {
        "gets": len(tally.get_ms),
        "get_statuses": {s: n for (kind, s), n in tally.statuses.items() if kind == "get"},
        "get": percentiles(tally.get_ms),
    }


def wrk_figures(wrk: dict[str, float]) -> dict:
    return {
        "gets": wrk["requests"],
        "get_statuses": {"not 2xx or 3xx": wrk["non_2xx_3xx"]},
        "get": {"p50_ms": wrk["p50_ms"], "p95_ms": wrk["p95_ms"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="database URL (default: SQLite in a temp folder)")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--post-every", type=int, default=10, help="one post per N requests")
    parser.add_argument("--pipeline", help="comma-separated components (default: the default)")
    parser.add_argument(
        "--get-client", choices=["httpx", "wrk"], default="httpx", help="what sends the GETs"
    )
    args = parser.parse_args()
    if args.get_client == "wrk" and shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    env = {"PROPWATCH_PIPELINE": args.pipeline} if args.pipeline else {}
    with tempfile.TemporaryDirectory() as folder:
        db_url = args.db or f"sqlite:///{Path(folder) / 'load.db'}"
        with running_server(db_url, env) as base:
            for number in range(SEED_ARTICLES):  # also loads the models in the worker
                body = {"text": ARTICLE, "id": f"seed-{number}"}
                httpx.post(f"{base}/api/v1/analyze", json=body, timeout=300).raise_for_status()
            before = os.getloadavg()
            wrk = None
            if args.get_client == "wrk":
                tally, wrk = asyncio.run(wrk_and_posters(base, args))
            else:
                tally = asyncio.run(run_clients(base, args.clients, args.seconds, args.post_every))
            after = os.getloadavg()
    print(json.dumps(report(tally, args, [before, after], wrk), indent=2))


if __name__ == "__main__":
    main()
