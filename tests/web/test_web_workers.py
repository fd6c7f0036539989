"""The analysis worker pool: a runaway analysis is stopped, a full queue answers 503, and
neither blocks reads or other analyses."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from web_helpers import (
    ARTICLE,
    SLEEP_S,
    LiveServer,
    light_pool,
    make_settings,
    sabotaged_pipeline,
    serve,
)

from propwatch.web.app import create_app
from propwatch.web.workers import RETRY_AFTER_S, AnalysisPool

TIMEOUT_S = 3.0


@pytest.fixture(scope="module")
def sabotaged() -> Iterator[AnalysisPool]:
    """Two workers, no queue, a 3 s limit, over the saboteur's pipeline."""
    pool = light_pool(sabotaged_pipeline, workers=2, queue=0, timeout_s=TIMEOUT_S)
    yield pool
    pool.close()


@pytest.fixture
def server(tmp_path: Path, sabotaged: AnalysisPool) -> Iterator[LiveServer]:
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'w.db'}"), analyzer=sabotaged)
    with serve(app) as server:
        yield server


def post(base: str, text: str) -> httpx.Response:
    return httpx.post(f"{base}/api/v1/analyze", json={"text": text}, timeout=60)


def test_runaway_analysis_is_stopped_and_nothing_is_stored(server: LiveServer) -> None:
    base = server.url
    started = time.monotonic()
    response = post(base, "SLOW " + ARTICLE)
    elapsed = time.monotonic() - started
    assert response.status_code == 422
    assert response.json() == {
        "detail": f"the analysis took longer than the {TIMEOUT_S:g} s limit and was stopped; "
        "send a shorter text"
    }
    assert TIMEOUT_S <= elapsed < SLEEP_S / 2
    assert httpx.get(f"{base}/api/v1/stats").json()["articles"] == 0
    # The killed worker is replaced: the next analysis works.
    assert post(base, ARTICLE).status_code == 201


def test_slow_analysis_blocks_neither_reads_nor_other_analyses(server: LiveServer) -> None:
    base = server.url
    post(base, ARTICLE)  # both workers may start on first use; warm one up
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(post, base, "SLOW " + ARTICLE)
        time.sleep(0.5)  # the slow job has a worker now
        started = time.monotonic()
        assert httpx.get(f"{base}/library", timeout=10).status_code == 200
        assert post(base, ARTICLE).status_code == 201
        assert time.monotonic() - started < TIMEOUT_S
        assert slow.result().status_code == 422


def test_full_queue_answers_503_with_retry_after(server: LiveServer) -> None:
    base = server.url
    with ThreadPoolExecutor(2) as pool:
        slow = [pool.submit(post, base, "SLOW " + ARTICLE) for _ in range(2)]
        time.sleep(1.0)  # both workers are busy; the queue holds nothing
        refused = post(base, ARTICLE)
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == str(RETRY_AFTER_S)
        assert refused.json()["detail"].startswith("the server is busy analysing")
        assert refused.headers["x-content-type-options"] == "nosniff"
        assert [job.result().status_code for job in slow] == [422, 422]
    assert post(base, ARTICLE).status_code == 201


def test_input_errors_and_failures_in_a_worker_are_4xx_and_it_keeps_serving(
    server: LiveServer,
) -> None:
    refused = post(server.url, "REFUSE " + ARTICLE)
    assert refused.status_code == 400
    assert refused.json() == {"detail": "pasted: refused by the saboteur"}
    failed = post(server.url, "BUG " + ARTICLE)
    assert failed.status_code == 422
    assert failed.json() == {
        "detail": "the analysis failed on this text (UnicodeEncodeError: 'utf-8' codec can't "
        "encode character '\\ud800' in position 0: surrogates not allowed)"
    }
    assert post(server.url, ARTICLE).status_code == 201


def test_a_worker_that_dies_is_replaced(server: LiveServer, sabotaged: AnalysisPool) -> None:
    died = post(server.url, "DIE " + ARTICLE)
    assert died.status_code == 422
    assert died.json()["detail"].startswith("the analysis stopped (worker exit code 9)")
    assert post(server.url, ARTICLE).status_code == 201
    # Killed between jobs, from outside: noticed and replaced before the next job.
    for worker in sabotaged._workers:
        if worker._process is not None:
            worker._process.kill()
            worker._process.join()
    assert post(server.url, ARTICLE).status_code == 201
    assert httpx.get(f"{server.url}/api/v1/stats").json()["articles"] == 2
