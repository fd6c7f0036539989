"""Server-rendered pages: Analyse, Article, Library, Compare, Outlets, API docs.

Every form carries the CSRF token of the double-submit cookie and, when the server has API
keys, a key field; POST handlers check both before doing anything.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from propwatch.db import repo
from propwatch.errors import PropwatchError
from propwatch.render.corpus import Tally, corpus_statistics
from propwatch.render.styles import stylesheet
from propwatch.text.article import Article
from propwatch.web.cache import SHARED_FOR_ONE_SECOND, WROTE_HEADER
from propwatch.web.deps import Services, ServicesDep, SessionDep, analyze_and_store, article_or_404
from propwatch.web.fetch import fetch_article
from propwatch.web.intake import ArticleFields, article_from_text, read_uploads, with_fields
from propwatch.web.review import review_view
from propwatch.web.schemas import MAX_DB_INT, ArticleId, FiltersIn
from propwatch.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_SLOT,
    CSRF_SLOT_HEADER,
    api_key_valid,
    csrf_matches,
)
from propwatch.web.views import article_page, compare_profiles, outlet_views

router = APIRouter(include_in_schema=False)
CSRF_FAILED = "the form expired or came from another site; reload the page and try again"
API_KEY_FIELD = "api_key"
COMPARE_CHOICES = 200  # newest articles offered in the compare page's menus
CompareId = Annotated[int | None, Query(ge=1, le=MAX_DB_INT)]


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    *,
    form: bool = False,
) -> HTMLResponse:
    """Render template ``name``.

    Every page is the same for everyone and may be shared for a second (see
    :mod:`propwatch.web.cache`); a page with a ``form`` that changes something holds
    :data:`CSRF_SLOT` where the visitor's CSRF token goes, which ``CsrfSlotMiddleware`` fills
    in (setting the cookie on the first visit) on the way out.
    """
    services: Services = request.app.state.services
    context = {
        **context,
        "csrf_field": CSRF_FIELD,
        "csrf_token": CSRF_SLOT if form else None,
        "api_key_field": API_KEY_FIELD if services.settings.api_keys else None,
        "max_upload_mb": f"{services.settings.max_upload_bytes / 1e6:g}",
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status_code
    )
    if status_code == 200:
        response.headers["Cache-Control"] = SHARED_FOR_ONE_SECOND
    if form:
        response.headers[CSRF_SLOT_HEADER] = "1"
    return response


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def checked_form(request: Request, services: Services) -> FormData:
    """The posted form, after the CSRF (403) and API key (401) checks."""
    # Pasted text is one form field: allow it the whole upload limit (the request body as a
    # whole is held to that limit by BodyLimitMiddleware, with a 413), not Starlette's 1 MB.
    form = await request.form(max_part_size=services.settings.max_upload_bytes)
    submitted = form.get(CSRF_FIELD)
    if not csrf_matches(
        request.cookies.get(CSRF_COOKIE), submitted if isinstance(submitted, str) else None
    ):
        raise HTTPException(403, CSRF_FAILED)
    key = form.get(API_KEY_FIELD)
    if not api_key_valid(services.settings.api_keys, key if isinstance(key, str) else None):
        raise HTTPException(401, "this server needs an API key to analyse or delete articles")
    return form


@router.get("/", response_class=HTMLResponse)
def analyse_page(request: Request) -> HTMLResponse:
    return render(request, "analyse.html", {"form": {}, "error": None}, form=True)


async def _form_articles(form: FormData, services: Services) -> list[Article]:
    """The articles of the analyse form: uploaded files, else the URL, else the pasted text."""
    fields = ArticleFields(
        title=_text(form, "title"), outlet=_text(form, "outlet"), published=_text(form, "published")
    )
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    uploads = [(f.filename or "upload", await f.read()) for f in files]
    url = _text(form, "url").strip()
    if uploads:
        return [with_fields(a, fields) for a in await run_in_threadpool(read_uploads, uploads)]
    if url:
        fetched = await run_in_threadpool(fetch_article, url, services.fetch_policy)
        return [with_fields(fetched, fields)]
    # Browsers submit textarea line breaks as CRLF whatever the user pasted; undo that
    # here, before any offset exists.
    pasted = _text(form, "text").replace("\r\n", "\n")
    return [article_from_text(pasted, fields)]


async def _analyse(services: Services, articles: list[Article]) -> str:
    """Analyse and store ``articles``; the page to open: the article, or the library."""
    results = await analyze_and_store(services, articles)
    return f"/articles/{results[0][0]}" if len(results) == 1 else "/library"


def _wants_json(request: Request) -> bool:
    return request.headers.get("accept", "").startswith("application/json")


@router.post("/analyze", response_class=HTMLResponse)
async def analyse_submit(request: Request, services: ServicesDep) -> Response:
    """Analyse the form's articles and show the result.

    ``static/analyse.js`` asks for JSON: the analysis then runs in the background and the
    answer (202) names the job to poll (see :mod:`propwatch.web.jobs`).
    """
    form = await checked_form(request, services)
    try:
        articles = await _form_articles(form, services)
        if _wants_json(request):
            job_id = request.app.state.jobs.start(_analyse(services, articles))
            return JSONResponse(
                {"job": job_id, "poll": f"/analyze/jobs/{job_id}"},
                status_code=202,
                headers={"Cache-Control": "no-store"},
            )
        target = await _analyse(services, articles)
    except PropwatchError as error:
        if _wants_json(request):
            return JSONResponse({"state": "failed", "error": str(error)}, status_code=400)
        context = {
            "form": {k: _text(form, k) for k in ("text", "url", "title", "outlet", "published")}
        }
        return render(request, "analyse.html", {**context, "error": str(error)}, 400, form=True)
    return RedirectResponse(target, status_code=303)


@router.get("/analyze/jobs/{job_id}")
def analyse_job(request: Request, job_id: Annotated[str, Path(max_length=64)]) -> JSONResponse:
    """The state of a background analysis: running, done (with the page to open) or failed."""
    state = request.app.state.jobs.state(job_id)
    if state is None:
        raise HTTPException(404, "no such analysis; it may have finished long ago")
    body = {k: v for k, v in asdict(state).items() if v is not None}
    headers = {"Cache-Control": "no-store"}
    if state.state == "done":  # stored by now: the pages this client opens next must show it
        headers[WROTE_HEADER] = "1"
    return JSONResponse(body, headers=headers)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_view(
    request: Request,
    article_id: ArticleId,
    session: SessionDep,
    services: ServicesDep,
    technique: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    category: Annotated[list[str], Query()] = [],  # noqa: B006
    min_confidence: Annotated[float, Query(ge=0, le=1)] = 0.0,
) -> HTMLResponse:
    row = article_or_404(session, article_id)
    analysis = repo.to_analysis(row)
    page = article_page(row, analysis, services.glossary, technique, category, min_confidence)
    version, annotations = repo.annotations_of(session, article_id)
    review = review_view(analysis, page.view.spans, version, annotations, services.glossary)
    return render(request, "article.html", {"page": page, "review": review}, form=True)


def _delete(services: Services, article_id: int) -> None:
    with services.sessions() as session:
        if not repo.delete_article(session, article_id):
            raise HTTPException(404, f"no article with id {article_id}")


@router.post("/articles/{article_id}/delete")
async def article_delete(
    request: Request, article_id: ArticleId, services: ServicesDep
) -> Response:
    await checked_form(request, services)
    await run_in_threadpool(_delete, services, article_id)  # off the event loop
    return RedirectResponse("/library", status_code=303)


@router.get("/library", response_class=HTMLResponse)
def library(
    request: Request,
    session: SessionDep,
    services: ServicesDep,
    filters: Annotated[FiltersIn, Query()],
) -> HTMLResponse:
    page = repo.list_articles(
        session, filters.to_filters(), filters.page, services.settings.page_size
    )
    query = filters.model_dump(exclude={"page"}, exclude_none=True, mode="json")
    context = {"page": page, "filters": filters, "facets": repo.facets(session), "query": query}
    return render(request, "library.html", context)


@router.get("/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    session: SessionDep,
    services: ServicesDep,
    a: CompareId = None,
    b: CompareId = None,
) -> HTMLResponse:
    rows = [article_or_404(session, i) for i in (a, b) if i is not None]
    latest = repo.list_articles(session, repo.ArticleFilters(), 1, COMPARE_CHOICES).items
    listed = {c.id for c in latest}
    # Articles chosen by id stay selectable even when older than the latest ones listed.
    choices = [*latest, *(row for row in rows if row.id not in listed)]
    profiles = compare_profiles(rows, services.glossary) if len(rows) == 2 else []
    return render(
        request, "compare.html", {"profiles": profiles, "choices": choices, "a": a, "b": b}
    )


@router.get("/outlets", response_class=HTMLResponse)
def outlets(request: Request, session: SessionDep, services: ServicesDep) -> HTMLResponse:
    stats = corpus_statistics(Tally(*row) for row in repo.outlet_tallies(session))
    views = outlet_views(stats, services.glossary)
    return render(request, "outlets.html", {"outlets": views})


@router.get("/api", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI description rendered as a page (no CDN-hosted Swagger UI)."""
    return render(request, "api_docs.html", {"openapi": request.app.openapi()})


@router.get("/api/docs", response_class=HTMLResponse)
def api_explorer(request: Request) -> HTMLResponse:
    """Swagger UI over the OpenAPI description (vendored, so CSP-clean and CDN-free)."""
    return render(request, "swagger.html", {})


@router.get("/assets/propwatch.css")
def shared_css(services: ServicesDep) -> Response:
    """The stylesheet shared with the reports: charts, highlights and category colours."""
    return Response(
        stylesheet(services.glossary),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600"},
    )
