"""Fixtures: apps over SQLite and, when PROPWATCH_TEST_POSTGRES_URL is set, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, LAUNCH_ARGS
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import (
    POSTGRES_URL,
    LiveServer,
    light_pool,
    make_settings,
    reset_postgres,
    serve,
)

from propwatch.web.app import create_app
from propwatch.web.workers import AnalysisPool


@pytest.fixture(scope="session")
def analyzer() -> Iterator[AnalysisPool]:
    """Worker processes over the keyword pipeline, shared by every app of the session: a
    process starts in about a second, too slow to start one per test."""
    pool = light_pool()
    yield pool
    pool.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind; PostgreSQL is skipped without a test server URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'web.db'}"
    if not POSTGRES_URL:
        pytest.skip("PROPWATCH_TEST_POSTGRES_URL is not set (.ci/run sets it)")
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def app(database_url: str, analyzer: AnalysisPool) -> Iterator[FastAPI]:
    app = create_app(make_settings(database_url), analyzer=analyzer)
    yield app
    app.state.services.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def sqlite_client(tmp_path: Path, analyzer: AnalysisPool) -> Iterator[TestClient]:
    """A client over SQLite only, for checks that do not depend on the database."""
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'web.db'}"), analyzer=analyzer)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def live_server(tmp_path: Path, analyzer: AnalysisPool) -> Iterator[LiveServer]:
    """The app over SQLite, served by uvicorn on a free local port."""
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'live.db'}"), analyzer=analyzer)
    with serve(app) as server:
        yield server


@pytest.fixture
def live_server_each_db(app: FastAPI) -> Iterator[LiveServer]:
    """The app over each database (SQLite, PostgreSQL), served by uvicorn."""
    with serve(app) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright, one per test module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()
