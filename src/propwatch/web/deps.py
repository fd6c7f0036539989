"""What routes need, as FastAPI dependencies: settings, a session, the pipeline, key checks.

Everything hangs off ``app.state.services`` (a :class:`Services` built by ``create_app``), so
tests build apps with their own database and pipeline and nothing is global.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from propwatch.api import analyze_articles, load_pipeline
from propwatch.db import repo
from propwatch.db.models import ArticleRow
from propwatch.pipeline import Pipeline
from propwatch.render.view import Glossary
from propwatch.settings import Settings
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.web.fetch import FetchPolicy
from propwatch.web.security import API_KEY_HEADER, api_key_valid


@dataclass
class Analyzer:
    """Builds the pipeline on first use and runs one analysis at a time.

    Components hold models and parsers that are not all thread-safe, and the server's CPU is
    the bottleneck anyway, so analyses queue on a lock while pages keep being served.
    """

    build: Callable[[], Pipeline]
    _pipeline: Pipeline | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def pipeline(self) -> Pipeline:
        with self._lock:
            if self._pipeline is None:
                self._pipeline = self.build()
            return self._pipeline

    def analyze(self, articles: Sequence[Article]) -> list[Analysis]:
        pipeline = self.pipeline
        with self._lock:
            return list(analyze_articles(articles, pipeline))


@dataclass
class Services:
    """Per-app objects: settings, database, analyzer and technique glossary."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    analyzer: Analyzer
    glossary: Glossary

    @property
    def fetch_policy(self) -> FetchPolicy:
        s = self.settings
        return FetchPolicy(s.allow_private_urls, s.fetch_timeout_s, s.fetch_max_bytes)


def default_analyzer(settings: Settings) -> Analyzer:
    """An analyzer over :func:`propwatch.api.load_pipeline` with the configured components."""
    return Analyzer(lambda: load_pipeline(components=settings.pipeline))


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """A session for one request, closed afterwards."""
    with services.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def require_api_key(
    services: ServicesDep,
    x_api_key: Annotated[str | None, Header(alias=API_KEY_HEADER)] = None,
) -> None:
    """Refuse (401) a write request without a valid key when ``PROPWATCH_API_KEYS`` is set."""
    if not api_key_valid(services.settings.api_keys, x_api_key):
        raise HTTPException(401, f"this server needs an API key in the {API_KEY_HEADER} header")


def article_or_404(session: Session, article_id: int) -> ArticleRow:
    """The stored article, or a 404 naming the id."""
    row = repo.get_article(session, article_id)
    if row is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return row


def analyze_and_store(
    services: Services, articles: Sequence[Article], *, store: bool = True
) -> list[tuple[int | None, Analysis]]:
    """Analyse ``articles`` and (unless ``store`` is False) save each; returns (id, analysis)."""
    analyses = services.analyzer.analyze(articles)
    if not store:
        return [(None, analysis) for analysis in analyses]
    with services.sessions() as session:
        return [(repo.add_analysis(session, a).id, a) for a in analyses]
