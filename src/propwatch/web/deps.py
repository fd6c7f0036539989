"""What routes need, as FastAPI dependencies: settings, a session, the pipeline, key checks.

Everything hangs off ``app.state.services`` (a :class:`Services` built by ``create_app``), so
tests build apps with their own database and pipeline and nothing is global.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Header, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from propwatch.api import load_pipeline
from propwatch.db import repo
from propwatch.db.models import ArticleRow
from propwatch.render.view import Glossary
from propwatch.settings import Settings
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.web.fetch import FetchPolicy
from propwatch.web.security import API_KEY_HEADER, api_key_owner, cross_site
from propwatch.web.workers import AnalysisPool, PipelineFactory

if TYPE_CHECKING:
    from propwatch.components.explain import ExplainComponent


@dataclass
class Services:
    """Per-app objects: settings, database, analyzer and technique glossary."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    analyzer: AnalysisPool
    glossary: Glossary

    @cached_property
    def explainer(self) -> ExplainComponent:
        """The technique cards' "words that weighed most", computed in the server process on
        request (one encoder call per span); built on the first request, because importing
        the components loads spaCy and the model libraries (1 CPU-s of the server's start)."""
        from propwatch.components.explain import ExplainComponent

        return ExplainComponent()

    @property
    def fetch_policy(self) -> FetchPolicy:
        s = self.settings
        return FetchPolicy(s.allow_private_urls, s.fetch_timeout_s, s.fetch_max_bytes)


def analysis_pool(settings: Settings, build: PipelineFactory) -> AnalysisPool:
    """A worker pool sized by ``settings``, each worker running ``build()`` once."""
    return AnalysisPool(
        build,
        workers=settings.analysis_workers,
        queue=settings.analysis_queue,
        timeout_s=settings.analysis_timeout_s,
    )


def default_pipeline_factory(settings: Settings) -> PipelineFactory:
    """Builds :func:`propwatch.api.load_pipeline` with the configured components."""
    return partial(load_pipeline, components=settings.pipeline)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """A session for one request, closed afterwards."""
    with services.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def annotator(
    services: ServicesDep,
    x_api_key: Annotated[str | None, Header(alias=API_KEY_HEADER)] = None,
) -> str:
    """Who writes: the name of the request's API key, or ``"local"`` on a server without keys.

    Refuses (401) a request without a valid key when ``PROPWATCH_API_KEYS`` is set.
    """
    owner = api_key_owner(services.settings.api_keys, x_api_key)
    if owner is None:
        raise HTTPException(401, f"this server needs an API key in the {API_KEY_HEADER} header")
    return owner


AnnotatorDep = Annotated[str, Depends(annotator)]


def require_api_key(
    services: ServicesDep,
    x_api_key: Annotated[str | None, Header(alias=API_KEY_HEADER)] = None,
) -> None:
    """Refuse (401) a write request without a valid key when ``PROPWATCH_API_KEYS`` is set."""
    annotator(services, x_api_key)


def refuse_cross_site(request: Request) -> None:
    """Refuse (403) a state-changing API request that a browser sent from another site."""
    if cross_site(request.headers):
        raise HTTPException(403, "requests from other sites are refused; call the API directly")


# What every state-changing API route checks, in this order.
WRITE_GUARDS = [Depends(refuse_cross_site), Depends(require_api_key)]


def article_or_404(session: Session, article_id: int) -> ArticleRow:
    """The stored article, or a 404 naming the id."""
    row = repo.get_article(session, article_id)
    if row is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return row


def _store(services: Services, analyses: list[Analysis]) -> list[int]:
    with services.sessions() as session:
        return [repo.add_analysis(session, analysis).id for analysis in analyses]


async def analyze_and_store(
    services: Services, articles: Sequence[Article], *, store: bool = True
) -> list[tuple[int | None, Analysis]]:
    """Analyse ``articles`` in the worker pool and (unless ``store`` is False) save each.

    Returns (id, analysis) pairs. Nothing is stored unless every article was analysed.
    """
    analyses = await services.analyzer.analyze(articles)
    if not store:
        return [(None, analysis) for analysis in analyses]
    ids = await run_in_threadpool(_store, services, analyses)
    return list(zip(ids, analyses, strict=True))
