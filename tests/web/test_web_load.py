"""Load: 20 concurrent clients posting articles to a real uvicorn server get no errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from web_helpers import ARTICLE, LiveServer

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
