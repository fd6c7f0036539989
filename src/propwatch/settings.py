"""Server settings (``propwatch serve``, ``propwatch db``), read from ``PROPWATCH_*`` variables.

Nothing is read at import time: call :func:`load_settings` (or build :class:`Settings` with
keyword arguments in tests) and pass the object to the factories that need it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Drivers SQLAlchemy should use when a URL names only the database kind.
_DRIVER_URLS = {
    "postgresql://": "postgresql+psycopg://",
    "postgres://": "postgresql+psycopg://",
}

MB = 1_000_000
# A 1 MB article of prose peaks at 1.4 GB; text made of one-character tokens (quotation marks,
# punctuation) needs several times more per character (see the README's "Limits").
DEFAULT_MAX_TEXT_CHARS = 1 * MB


def default_database_url() -> str:
    """SQLite file ``propwatch.db`` in the user data directory (created when first opened)."""
    return f"sqlite:///{Path(user_data_dir('propwatch')) / 'propwatch.db'}"


class AnalysisLimits(BaseSettings):
    """Limits of the analysis itself, for every entry point (CLI, batch, server).

    Attributes
    ----------
    max_text_chars : int, characters
        Longest article text analysed (``PROPWATCH_MAX_TEXT_CHARS``); a longer one is refused
        with one line naming it. Time and memory grow linearly with the text; the default
        keeps one article of prose within 1.5 GB (see the README's "Limits").
    """

    model_config = SettingsConfigDict(env_prefix="PROPWATCH_", extra="ignore")

    max_text_chars: int = Field(default=DEFAULT_MAX_TEXT_CHARS, gt=0)


class ModelSettings(BaseSettings):
    """Which model files the analysis loads, for every entry point (CLI, batch, server).

    Attributes
    ----------
    article_model_dir : Path or None
        Folder of article-level models (``<kind>.npz``: genre, frames, narratives, roles,
        cast) used instead of the shipped ones (``PROPWATCH_ARTICLE_MODEL_DIR``), e.g. those
        ``propwatch train article --validation-only`` wrote, to score them end to end.
    technique_model_dir : Path or None
        Folder of a technique model (``OUT/model`` of ``propwatch train techniques``) used
        instead of the shipped one (``PROPWATCH_TECHNIQUE_MODEL_DIR``), e.g. one adapted to
        your annotations with ``--from-model ... --annotations``.
    quote_model_dir : Path or None
        Folder of a quote-content tagger (``OUT/model`` of ``propwatch train quotes``) used
        instead of the shipped one (``PROPWATCH_QUOTE_MODEL_DIR``); retrain it with the
        technique encoder it will read.
    """

    model_config = SettingsConfigDict(env_prefix="PROPWATCH_", extra="ignore")

    article_model_dir: Path | None = None
    technique_model_dir: Path | None = None
    quote_model_dir: Path | None = None


class Settings(AnalysisLimits):
    """Typed server settings; every field can be set with ``PROPWATCH_<FIELD>``.

    Attributes
    ----------
    database_url : str
        SQLAlchemy URL; ``postgresql://`` is rewritten to use psycopg 3.
    api_keys : list of str
        When non-empty, write endpoints (analyse, delete) need one of these keys in the
        ``X-API-Key`` header (API) or the form's key field (pages). Comma-separated in the
        environment; ``name:key`` names a key's holder, whom annotations are recorded by.
    max_upload_bytes : int, bytes
        Largest request body accepted (pasted text, uploads); larger ones get a 413.
    allow_private_urls : bool
        Let the URL fetcher reach private, loopback and link-local addresses (tests, intranets).
    fetch_timeout_s : float, seconds
        Connect/read timeout of each request the URL fetcher makes.
    fetch_max_bytes : int, bytes
        Largest page the URL fetcher downloads.
    pipeline : list of str or None
        Component names to run; None means :data:`propwatch.config.DEFAULT_PIPELINE`.
    page_size : int
        Articles per page in the library and ``GET /api/v1/articles``.
    migrate : bool
        Bring the database schema up to date when the app starts.
    analysis_workers : int
        Worker processes that analyse at once in the server; each loads every model (about
        0.5 to 1 GB). One leaves a 2-core machine's other core to serve pages; raise it where
        there are more cores and memory.
    analysis_queue : int
        Analyses that may wait for a worker; the server answers 503 with Retry-After beyond.
    analysis_timeout_s : float, seconds
        Longest one analysis request may run in a worker before it is stopped (422).
    db_pool_size : int
        Database connections the server keeps; it also runs at most this many request
        threads, so requests queue for a thread instead of failing for want of a connection.
    """

    database_url: str = Field(default_factory=default_database_url)
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_upload_bytes: int = Field(default=5 * MB, gt=0)
    allow_private_urls: bool = False
    fetch_timeout_s: float = Field(default=10.0, gt=0)
    fetch_max_bytes: int = Field(default=5 * MB, gt=0)
    pipeline: Annotated[list[str] | None, NoDecode] = None
    page_size: int = Field(default=20, gt=0, le=200)
    migrate: bool = True
    analysis_workers: int = Field(default=1, ge=1)
    analysis_queue: int = Field(default=8, ge=0)
    analysis_timeout_s: float = Field(default=120.0, gt=0)
    db_pool_size: int = Field(default=40, ge=1)

    @field_validator("database_url")
    @classmethod
    def _use_psycopg(cls, url: str) -> str:
        for prefix, driver in _DRIVER_URLS.items():
            if url.startswith(prefix):
                return driver + url[len(prefix) :]
        return url

    @field_validator("api_keys", "pipeline", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with ``overrides`` (e.g. command-line options) on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
