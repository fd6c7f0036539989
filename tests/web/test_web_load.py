"""Load on a real uvicorn server: 20 clients posting, 200 reading at once; no errors."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from web_helpers import ARTICLE, LiveServer, make_settings, serve

from propwatch.web.app import create_app
from propwatch.web.workers import AnalysisPool

CLIENTS = 20
POSTS_PER_CLIENT = 2


def test_twenty_concurrent_clients_posting_articles(live_server_each_db: LiveServer) -> None:
    live_server = live_server_each_db

    def client_session(number: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            for post in range(POSTS_PER_CLIENT):
                response = client.post(
                    "/api/v1/analyze",
                    json={
                        "text": ARTICLE,
                        "id": f"c{number}-{post}",
                        "outlet": f"Outlet {number % 4}",
                    },
                )
                statuses.append(response.status_code)
                statuses.append(client.get("/library").status_code)
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [s for result in pool.map(client_session, range(CLIENTS)) for s in result]
    assert statuses.count(201) == CLIENTS * POSTS_PER_CLIENT
    assert statuses.count(200) == CLIENTS * POSTS_PER_CLIENT
    stats = httpx.get(f"{live_server.url}/api/v1/stats").json()
    assert stats["articles"] == CLIENTS * POSTS_PER_CLIENT
    assert stats["technique_spans"] == 4 * CLIENTS * POSTS_PER_CLIENT
    assert stats["outlets"] == {f"Outlet {i}": 10 for i in range(4)}


READERS = 200
PATHS = ("/api/v1/articles", "/library", "/api/v1/stats", "/api/v1/articles/1")


def test_two_hundred_concurrent_readers_queue_for_a_small_pool(
    tmp_path: Path, analyzer: AnalysisPool
) -> None:
    # Three connections for 200 clients: requests wait for a connection, none fail.
    settings = make_settings(f"sqlite:///{tmp_path / 'readers.db'}", db_pool_size=3)
    with serve(create_app(settings, analyzer=analyzer)) as server:
        assert httpx.post(f"{server.url}/api/v1/analyze", json={"text": ARTICLE}).is_success

        async def reader(client: httpx.AsyncClient, number: int) -> int:
            response = await client.get(PATHS[number % len(PATHS)])
            return response.status_code

        async def crowd() -> list[int]:
            limits = httpx.Limits(max_connections=READERS)
            async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits) as c:
                return await asyncio.gather(*(reader(c, n) for n in range(READERS)))

        statuses = asyncio.run(crowd())
    assert statuses == [200] * READERS
