"""Engines, sessions and schema upgrades, built from a URL (never at import time)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(str(files("propwatch.db") / "migrations"))

# Waiting for a lock beats failing: concurrent writers (the web app's worker threads) queue.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Likewise a thread that finds every pooled connection in use waits for one this long.
POOL_TIMEOUT_S = 60


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.close()


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for ``url``; SQLite files get their folder created, WAL and foreign keys.

    Parameters
    ----------
    url : str
        SQLAlchemy URL (``sqlite:///path.db``, ``postgresql+psycopg://user@host/db``).
    pool_size : int, default=10
        Connections the engine opens at most; a thread that finds them all in use waits (up to
        :data:`POOL_TIMEOUT_S`) instead of opening more, so the database server sees a bounded
        number whatever the load.
    """
    parsed = make_url(url)
    bounded = {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": POOL_TIMEOUT_S}
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **bounded)
    database = parsed.database or ":memory:"  # sqlite:// is an in-memory database too
    in_memory = database == ":memory:"
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # An in-memory database is one connection per thread (SQLAlchemy's SingletonThreadPool),
    # which takes no size.
    engine = create_engine(
        url, connect_args={"check_same_thread": False}, **({} if in_memory else bounded)
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Session factory; objects stay readable after commit (views render them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    """Alembic configuration pointing at the packaged migrations, bound to ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` (idempotent)."""
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
