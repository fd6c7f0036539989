"""The application factory: ``create_app(settings)`` builds one independent web app.

Nothing is created at import time; the database engine, the migrations, the glossary and the
analysis worker pool (whose processes start on first use) all belong to the app returned
here, so tests build as many as they need.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from propwatch import __version__, config
from propwatch.db.engine import make_engine, make_sessionmaker, upgrade
from propwatch.db.models import ArticleRow, NarrativeRow, TechniqueRow
from propwatch.errors import PropwatchError
from propwatch.render.environment import make_environment
from propwatch.render.view import Glossary
from propwatch.settings import Settings, load_settings
from propwatch.web.cache import Generation, SharedResponseCache, count_commits
from propwatch.web.deps import Services, analysis_pool, default_pipeline_factory
from propwatch.web.jobs import Jobs
from propwatch.web.routers import api, pages
from propwatch.web.routers.annotations import router as annotations_router
from propwatch.web.security import (
    SECURITY_HEADERS,
    BodyLimitMiddleware,
    CsrfSlotMiddleware,
    SecurityHeadersMiddleware,
)
from propwatch.web.workers import AnalysisPool

API_PREFIX = api.router.prefix


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _error_page(request: Request, status: int, message: str) -> Response:
    return pages.render(request, "error.html", {"status": status, "message": message}, status)


async def _on_propwatch_error(request: Request, error: Exception) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": str(error)}, status_code=400)
    return _error_page(request, 400, str(error))


HTTP_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str:
    # Starlette's 405 names the methods of the first route matching the path only, and GET
    # and DELETE /articles/{id} are two routes; so ask every route about every method.
    routes = request.app.router.routes
    allowed = [
        method
        for method in HTTP_METHODS
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    ]
    return ", ".join(sorted([*allowed, "OPTIONS"]))


async def _on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)  # registered for this type only
    if error.status_code == 405:
        allow = _allowed_methods(request)
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": allow})
        error.headers = {**(error.headers or {}), "Allow": allow}
    if _is_api(request):
        return await http_exception_handler(request, error)
    return _error_page(request, error.status_code, str(error.detail))


async def _on_server_error(request: Request, error: Exception) -> Response:
    # Starlette answers a 500 outside every middleware, so the security headers are added here.
    message = "internal server error; the server log has the details"
    if _is_api(request):
        response: Response = JSONResponse({"detail": message}, status_code=500)
    else:
        response = _error_page(request, 500, message)
    response.raw_headers.extend(SECURITY_HEADERS)
    return response


async def _on_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)  # registered for this type only
    if _is_api(request):
        return await request_validation_exception_handler(request, error)
    problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return _error_page(request, 422, problems)


def create_app(
    settings: Settings | None = None, *, analyzer: AnalysisPool | None = None
) -> FastAPI:
    """Build the web app and REST API.

    Parameters
    ----------
    settings : Settings, optional
        Server settings; read from ``PROPWATCH_*`` variables when omitted.
    analyzer : AnalysisPool, optional
        What analyses articles, closed by whoever made it; by default the app makes a pool
        over the configured pipeline, sized by ``settings``, and closes it on shutdown. Tests
        pass one over a light pipeline.
    """
    settings = settings or load_settings()
    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    if settings.migrate:
        upgrade(engine)
    owned = analyzer is None
    pool = analyzer or analysis_pool(settings, default_pipeline_factory(settings))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Each request thread holds at most one connection, so with no more threads than
        # connections requests queue for a thread instead of timing out on the pool.
        to_thread.current_default_thread_limiter().total_tokens = settings.db_pool_size
        yield
        if owned:
            pool.close()
        engine.dispose()

    app = FastAPI(
        title="propwatch",
        version=__version__,
        description="Find, with evidence, how news articles try to persuade.",
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=lifespan,
    )
    glossary = Glossary.load(config.DEFAULT_SCHEME)
    app.state.services = Services(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        analyzer=pool,
        glossary=glossary,
    )
    app.state.jobs = Jobs()  # the analyse page's background analyses
    env = make_environment("propwatch.web")
    env.globals["glossary"] = glossary  # templates show glossary.label(name), not raw names
    app.state.templates = Jinja2Templates(env=env)
    app.mount("/static", StaticFiles(packages=[("propwatch.web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(annotations_router)
    app.include_router(pages.router)
    app.add_exception_handler(PropwatchError, _on_propwatch_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_server_error)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    # A shared answer is replayed with the headers the inner layers gave it.
    generation = Generation()
    # A stored analysis only inserts these rows; it changes no answer about other articles.
    new_article = (ArticleRow, TechniqueRow, NarrativeRow)
    count_commits(app.state.services.sessions, generation, added_rows=new_article)
    app.add_middleware(SharedResponseCache, generation=generation)
    # Outermost: a shared page with a form gets the visitor's CSRF token after the cache.
    app.add_middleware(CsrfSlotMiddleware)
    return app
