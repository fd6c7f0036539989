"""Fixtures: a migrated, empty database of each kind (PostgreSQL only with a test server)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from propwatch.db.engine import alembic_config, make_engine, make_sessionmaker, upgrade

POSTGRES_URL = os.environ.get("PROPWATCH_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'repo.db'}"
    elif POSTGRES_URL:
        url = POSTGRES_URL
    else:
        pytest.skip("PROPWATCH_TEST_POSTGRES_URL is not set (.ci/run sets it)")
    engine = make_engine(url)
    command.downgrade(alembic_config(engine), "base")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    with make_sessionmaker(engine)() as session:
        yield session
