"""The shared-response micro-cache: what it keeps, for how long, and what empties it."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from propwatch.web.cache import (
    SHARED_FOR_ONE_SECOND,
    WROTE_COOKIE,
    Generation,
    SharedResponseCache,
)
from propwatch.web.security import CSRF_COOKIE, CSRF_SLOT, CSRF_SLOT_HEADER, CsrfSlotMiddleware

ARTICLE = (
    "Council vote sparks anger\n\n"
    '"This plan is a disgrace," said Mayor Jane Park on Tuesday. The council disagreed.'
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def counting_app(clock: Clock, **limits: int) -> tuple[TestClient, Counter[str]]:
    """A tiny app whose routes count how often they really ran."""
    calls: Counter[str] = Counter()
    generation = Generation()
    app = FastAPI()

    @app.get("/shared")
    def shared(request: Request) -> Response:
        calls["shared"] += 1
        return Response(f"shared {calls['shared']}", headers={"Cache-Control": "public, max-age=2"})

    @app.get("/private")
    def private() -> Response:
        calls["private"] += 1
        return Response(f"private {calls['private']}", headers={"Cache-Control": "no-store"})

    @app.get("/cookie")
    def cookie() -> Response:
        calls["cookie"] += 1
        response = Response("token", headers={"Cache-Control": SHARED_FOR_ONE_SECOND})
        response.set_cookie("token", "abc")
        return response

    @app.get("/missing")
    def missing() -> Response:
        calls["missing"] += 1
        return Response("no", status_code=404, headers={"Cache-Control": SHARED_FOR_ONE_SECOND})

    @app.post("/write")
    def write() -> dict[str, bool]:
        generation.bump()  # as a commit that changed stored rows does
        return {"ok": True}

    @app.post("/add")
    def add() -> dict[str, bool]:
        generation.add()  # as a commit that stored a new article does
        return {"ok": True}

    @app.post("/refused")
    def refused() -> Response:
        return Response("queue full", status_code=503, headers={"Retry-After": "5"})

    app.add_middleware(SharedResponseCache, generation=generation, clock=clock, **limits)
    return TestClient(app), calls


def test_a_public_answer_is_replayed_and_computed_again_after_half_its_max_age() -> None:
    clock = Clock()
    client, calls = counting_app(clock)
    assert [client.get("/shared").text for _ in range(3)] == ["shared 1"] * 3
    clock.now += 0.9
    assert client.get("/shared").text == "shared 1"
    clock.now += 0.2  # past half of max-age=2: this request computes it again
    assert client.get("/shared").text == "shared 2"
    assert client.get("/shared").text == "shared 2"
    clock.now += 2.1  # expired: never replayed
    assert client.get("/shared").text == "shared 3"
    assert calls["shared"] == 3
    assert client.get("/shared").headers["cache-control"] == "public, max-age=2"


@pytest.mark.parametrize("path", ["/private", "/cookie", "/missing"])
def test_private_answers_cookies_and_errors_are_never_kept(path: str) -> None:
    client, calls = counting_app(Clock())
    for _ in range(3):
        client.get(path)
    assert calls[path.strip("/")] == 3


def test_a_change_of_the_data_ends_every_answer_and_query_strings_are_different_answers() -> None:
    client, calls = counting_app(Clock())
    client.get("/shared")
    client.get("/shared?page=2")
    client.get("/shared")
    assert calls["shared"] == 2
    client.post("/refused")  # changed nothing
    assert client.get("/shared").text == "shared 1"
    client.post("/write")
    assert client.get("/shared").text == "shared 3"


def test_a_new_article_ends_no_answer_but_its_writer_reads_it_at_once() -> None:
    clock = Clock()
    writer, calls = counting_app(clock)
    reader = TestClient(writer.app)
    assert reader.get("/shared").text == "shared 1"
    clock.now += 0.25
    added = writer.post("/add")
    assert added.cookies[WROTE_COOKIE] == "100.250000"  # the moment of the write
    clock.now += 0.25
    assert reader.get("/shared").text == "shared 1"  # kept: at most max-age old
    assert writer.get("/shared").text == "shared 2"  # computed after the writer's write
    assert reader.get("/shared").text == "shared 2"  # the newer answer is the one kept
    assert writer.get("/shared").text == "shared 2"
    clock.now += 2.1
    assert reader.get("/shared").text == "shared 3"
    assert writer.post("/refused").cookies.get(WROTE_COOKIE) is None  # no commit, no mark
    assert calls["shared"] == 3


def test_an_answer_computed_while_the_data_changed_is_not_kept() -> None:
    calls: Counter[str] = Counter()
    release = asyncio.Event()
    generation = Generation()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls[scope["method"]] += 1
        if scope["method"] == "POST":
            generation.bump()
        else:
            await release.wait()  # the POST below changes the data meanwhile
        headers = [(b"cache-control", b"public, max-age=5")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"answer"})

    cache = SharedResponseCache(app, generation=generation)

    async def request(method: str) -> None:
        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        async def send(message: Message) -> None:
            pass

        scope = {"type": "http", "method": method, "path": "/a", "query_string": b"", "headers": []}
        await cache(scope, receive, send)

    async def main() -> None:
        first = asyncio.create_task(request("GET"))
        await asyncio.sleep(0)
        await request("POST")
        release.set()
        await first
        await request("GET")  # runs again: the first answer was not kept
        await request("GET")  # kept now

    asyncio.run(main())
    assert calls == {"GET": 2, "POST": 1}


def test_clients_asking_while_a_shared_answer_is_recomputed_wait_for_that_one() -> None:
    calls: Counter[str] = Counter()
    generation = Generation()
    clock = Clock()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls[scope["path"]] += 1
        await asyncio.sleep(0.01)
        shared = scope["path"] == "/shared"
        control = b"public, max-age=5" if shared else b"no-store"
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"cache-control", control)]}
        )
        await send({"type": "http.response.body", "body": b"answer"})

    cache = SharedResponseCache(app, generation=generation, clock=clock)

    async def get(path: str) -> None:
        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        async def send(message: Message) -> None:
            pass

        scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
        await cache(scope, receive, send)

    async def main() -> None:
        await get("/shared")
        clock.now += 10  # expired: the next clients need it computed again
        await asyncio.gather(*(get("/shared") for _ in range(5)))
        await asyncio.gather(*(get("/private") for _ in range(3)))

    asyncio.run(main())
    assert calls == {"/shared": 2, "/private": 3}


def test_clients_asking_while_a_fresh_answer_is_computed_again_get_it_at_once() -> None:
    calls: Counter[str] = Counter()
    clock = Clock()
    release = asyncio.Event()
    answers: list[bytes] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls["shared"] += 1
        if calls["shared"] == 2:
            await release.wait()  # the refresh is slow; the others must not wait for it
        headers = [(b"cache-control", b"public, max-age=2")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": f"answer {calls['shared']}".encode()})

    cache = SharedResponseCache(app, generation=Generation(), clock=clock)

    async def get() -> None:
        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.body":
                answers.append(message["body"])

        scope = {"type": "http", "method": "GET", "path": "/s", "query_string": b"", "headers": []}
        await cache(scope, receive, send)

    async def main() -> None:
        await get()
        clock.now += 1.5  # fresh, but due to be computed again
        refresh = asyncio.create_task(get())
        await asyncio.sleep(0)
        await asyncio.gather(*(get() for _ in range(3)))  # answered while the refresh runs
        release.set()
        await refresh
        await get()

    asyncio.run(main())
    assert answers == [b"answer 1", b"answer 1", b"answer 1", b"answer 1", b"answer 2", b"answer 2"]
    assert calls["shared"] == 2


def test_each_api_key_has_its_own_answers() -> None:
    client, calls = counting_app(Clock())
    client.get("/shared", headers={"X-API-Key": "alice"})
    client.get("/shared", headers={"X-API-Key": "bob"})
    client.get("/shared", headers={"X-API-Key": "alice"})
    assert calls["shared"] == 2


def test_at_most_max_entries_are_kept() -> None:
    client, calls = counting_app(Clock(), max_entries=2)
    for page in (1, 2, 3, 1):
        client.get(f"/shared?page={page}")
    assert calls["shared"] == 4  # page 1 was dropped when page 3 came in


def test_a_large_body_is_not_kept() -> None:
    client, calls = counting_app(Clock(), max_body=4)
    client.get("/shared")
    client.get("/shared")
    assert calls["shared"] == 2


def test_pages_without_a_form_are_shared_and_pages_with_one_are_private(
    sqlite_client: TestClient,
) -> None:
    library = sqlite_client.get("/library")
    assert library.headers["cache-control"] == SHARED_FOR_ONE_SECOND
    assert "set-cookie" not in library.headers
    analyse = sqlite_client.get("/")
    assert "cache-control" not in analyse.headers
    assert "propwatch_csrf" in analyse.headers["set-cookie"]


def csrf_field(page: str) -> str:
    """The token in the page's first CSRF hidden field."""
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_a_page_with_a_form_is_shared_and_each_visitor_gets_their_own_token(
    sqlite_client: TestClient,
) -> None:
    sqlite_client.post("/api/v1/analyze", json={"text": ARTICLE}).raise_for_status()
    first, second = TestClient(sqlite_client.app), TestClient(sqlite_client.app)
    pages = [c.get("/articles/1") for c in (first, second, first)]
    tokens = [csrf_field(page.text) for page in pages]
    assert tokens[0] == first.cookies[CSRF_COOKIE] == tokens[2]
    assert tokens[1] == second.cookies[CSRF_COOKIE] != tokens[0]
    assert CSRF_SLOT not in pages[0].text
    assert "set-cookie" not in pages[2].headers  # the visitor's cookie was kept
    assert "cache-control" not in pages[0].headers  # private: it holds the visitor's token
    # Apart from the token, the three are one shared answer (the article is its only row).
    shared = {page.text.replace(token, "") for page, token in zip(pages, tokens, strict=True)}
    assert shared == {pages[0].text.replace(tokens[0], "")}
    forged = TestClient(sqlite_client.app, cookies={CSRF_COOKIE: "x" * 10})
    replaced = forged.get("/articles/1")
    assert csrf_field(replaced.text) == replaced.cookies[CSRF_COOKIE] != "x" * 10
    assert int(replaced.headers["content-length"]) == len(replaced.content)


def test_what_the_server_stores_is_visible_at_once_to_its_writer(
    sqlite_client: TestClient,
) -> None:
    assert sqlite_client.get("/api/v1/stats").json()["articles"] == 0
    sqlite_client.post("/api/v1/analyze", json={"text": ARTICLE}).raise_for_status()
    assert sqlite_client.get("/api/v1/stats").json()["articles"] == 1
    assert sqlite_client.get("/api/v1/articles").json()["total"] == 1
    assert sqlite_client.get("/api/v1/stats").headers["cache-control"] == SHARED_FOR_ONE_SECOND
    sqlite_client.delete("/api/v1/articles/1").raise_for_status()
    assert sqlite_client.get("/api/v1/stats").json()["articles"] == 0


def test_a_deletion_or_an_annotation_ends_every_answer_for_every_client(
    sqlite_client: TestClient,
) -> None:
    for _ in range(2):
        sqlite_client.post("/api/v1/analyze", json={"text": ARTICLE}).raise_for_status()
    reader = TestClient(sqlite_client.app)  # no cookie of the writer's
    assert reader.get("/api/v1/stats").json()["articles"] == 2
    notes = "/api/v1/articles/2/annotations"
    assert reader.get(notes).json()["version"] == 0
    added = {"kind": "technique", "action": "add", "start": 27, "end": 38, "labels": ["Doubt"]}
    assert sqlite_client.post(f"{notes}?version=0", json=added).status_code == 201
    assert reader.get(notes).json()["version"] == 1
    sqlite_client.delete("/api/v1/articles/1").raise_for_status()
    assert reader.get("/api/v1/stats").json()["articles"] == 1
    assert reader.get("/api/v1/articles/1").status_code == 404


def test_the_csrf_slot_is_filled_when_a_streamed_body_splits_it() -> None:
    slot = CSRF_SLOT.encode()
    marked = [(CSRF_SLOT_HEADER.lower().encode(), b"1"), (b"cache-control", b"public, max-age=1")]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": marked})
        await send({"type": "http.response.body", "body": b"<i>" + slot[:10], "more_body": True})
        await send({"type": "http.response.body", "body": slot[10:] + b"</i>"})

    sent: list[Message] = []

    async def main() -> None:
        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        async def send(message: Message) -> None:
            sent.append(message)

        token = "t" * 43  # the form of a token new_csrf_token gives
        headers = [(b"cookie", f"{CSRF_COOKIE}={token}".encode())]
        scope = {"type": "http", "method": "GET", "path": "/", "headers": headers}
        await CsrfSlotMiddleware(app)(scope, receive, send)

    asyncio.run(main())
    assert sent[0]["headers"] == []  # no slot mark, no Cache-Control, no new cookie
    assert [m["body"] for m in sent[1:]] == [b"<i>" + b"t" * 43 + b"</i>"]
