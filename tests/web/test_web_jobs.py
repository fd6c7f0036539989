"""The analyse page's background analyses: post, poll, open the result; errors as the form
shows them; a bounded store of finished jobs."""

from __future__ import annotations

import asyncio
import re
import time

from fastapi import HTTPException
from fastapi.testclient import TestClient
from web_helpers import ARTICLE

from propwatch.errors import InputError
from propwatch.web.cache import WROTE_COOKIE
from propwatch.web.jobs import Jobs, JobState

JSON = {"Accept": "application/json"}


def csrf_token(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert found is not None
    return found.group(1)


def poll(client: TestClient, address: str) -> dict[str, str]:
    for _ in range(200):
        answer = client.get(address)
        assert answer.headers["cache-control"] == "no-store"
        if answer.json()["state"] != "running":
            return dict(answer.json())
        time.sleep(0.05)
    raise AssertionError(f"{address} still running")


def test_analysis_in_the_background_then_its_page(sqlite_client: TestClient) -> None:
    token = csrf_token(sqlite_client)
    assert "Council vote sparks anger" not in sqlite_client.get("/library").text  # now kept
    started = sqlite_client.post(
        "/analyze", data={"csrf_token": token, "text": ARTICLE}, headers=JSON
    )
    assert started.status_code == 202
    assert WROTE_COOKIE not in started.cookies  # nothing stored yet
    job = started.json()
    assert job["poll"] == f"/analyze/jobs/{job['job']}"
    assert poll(sqlite_client, job["poll"]) == {"state": "done", "location": "/articles/1"}
    assert "Council vote sparks anger" in sqlite_client.get("/articles/1").text
    # The "done" answer marked this client as a writer: its library shows the new article
    # even though the answer kept before is younger than its max-age.
    assert WROTE_COOKIE in sqlite_client.cookies
    assert "Council vote sparks anger" in sqlite_client.get("/library").text


def test_form_errors_come_back_as_json(sqlite_client: TestClient) -> None:
    token = csrf_token(sqlite_client)
    empty = sqlite_client.post("/analyze", data={"csrf_token": token, "text": " "}, headers=JSON)
    assert (empty.status_code, empty.json()) == (
        400,
        {"state": "failed", "error": "text: empty text; paste an article"},
    )
    # Without a token the plain form's error page answers, which the script then shows.
    expired = sqlite_client.post("/analyze", data={"text": ARTICLE}, headers=JSON)
    assert expired.status_code == 403
    assert expired.headers["content-type"].startswith("text/html")
    assert sqlite_client.get("/analyze/jobs/unknown").status_code == 404


async def _fail(error: Exception) -> str:
    raise error


async def _states() -> list[JobState | None]:
    jobs = Jobs(keep_finished=3)
    ids = [
        jobs.start(asyncio.sleep(0, result="/articles/6")),
        jobs.start(_fail(HTTPException(503, "the server is busy"))),
        jobs.start(_fail(InputError("pasted", "empty text"))),
        jobs.start(asyncio.sleep(0, result="/articles/7")),
    ]
    running = jobs.state(ids[3])
    await asyncio.sleep(0.01)
    return [running, *(jobs.state(job_id) for job_id in ids)]


def test_job_states_and_the_oldest_finished_job_forgotten() -> None:
    running, forgotten, busy, refused, done = asyncio.run(_states())
    assert running == JobState("running")
    assert forgotten is None  # three finished jobs are kept: the oldest is forgotten
    assert busy == JobState("failed", error="the server is busy", status=503)
    assert refused == JobState("failed", error="pasted: empty text", status=400)
    assert done == JobState("done", location="/articles/7")
