"""REST API under ``/api/v1``: analyse, list, read, delete and export articles; statistics.

``POST /analyze`` returns exactly what ``propwatch analyze --format json`` prints: a JSON array
with one ``Analysis.to_dict()`` object per article. The ids under which the analyses were
stored are in the ``Location`` (first article) and ``X-Propwatch-Article-Ids`` headers.
"""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from propwatch import registry
from propwatch.db import repo
from propwatch.io.writers import Writer
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.article import Article
from propwatch.web.cache import SHARED_FOR_ONE_SECOND
from propwatch.web.deps import (
    WRITE_GUARDS,
    Services,
    ServicesDep,
    SessionDep,
    analyze_and_store,
    article_or_404,
)
from propwatch.web.fetch import fetch_article
from propwatch.web.intake import ArticleFields, article_from_text, read_uploads, with_fields
from propwatch.web.schemas import (
    MAX_PER_PAGE,
    AnalyzeIn,
    ArticleId,
    ArticleOut,
    ArticlePageOut,
    ArticleSummaryOut,
    FiltersIn,
    StatsOut,
    TechniqueWordsOut,
    WeighedWordOut,
    error_responses,
)
from propwatch.web.security import JSON, MULTIPART, media_type

router = APIRouter(prefix="/api/v1", tags=["api"])


def json_response(body: BaseModel) -> JSONResponse:
    """``body`` serialised here, in the route's thread, while the request holds its session.

    Returning the model would make FastAPI serialise it in another thread-pool call after
    the route, with the request's database connection still checked out: under load every
    thread could then wait for a connection held by a request waiting for a thread.
    ``response_model`` on the route still documents the body. Every read of the API is the
    same for every client, so it may be shared for a second (see :mod:`propwatch.web.cache`).
    """
    return JSONResponse(
        body.model_dump(mode="json"), headers={"Cache-Control": SHARED_FOR_ONE_SECOND}
    )


IDS_HEADER = "X-Propwatch-Article-Ids"

_ANALYZE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnalyzeIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "format": "binary"},
                            "description": "One or more .txt, .html or .jsonl files.",
                        }
                    },
                    "required": ["file"],
                }
            },
        },
    }
}


def _articles_from_json(payload: AnalyzeIn, services: ServicesDep) -> list[Article]:
    fields = ArticleFields(
        title=payload.title, outlet=payload.outlet, published=payload.published, id=payload.id
    )
    if payload.url is None:
        return [article_from_text(payload.text or "", fields)]
    return [with_fields(fetch_article(payload.url, services.fetch_policy), fields)]


async def _articles_from_request(request: Request, services: ServicesDep) -> list[Article]:
    kind = media_type(request.headers.get("content-type"))
    if kind == MULTIPART:
        form = await request.form(max_part_size=services.settings.max_upload_bytes)
        files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
        if not files:
            raise HTTPException(422, "multipart requests need one or more 'file' parts")
        uploads = [(f.filename or "upload", await f.read()) for f in files]
        return await run_in_threadpool(read_uploads, uploads)
    if kind != JSON:
        # Also what keeps other sites out: a browser sends a cross-site POST without asking
        # only with text/plain, urlencoded or multipart bodies, and JSON needs this type.
        raise HTTPException(415, f"send {JSON} (a JSON object) or {MULTIPART} (file parts)")
    try:
        payload = AnalyzeIn.model_validate_json(await request.body())
    except ValidationError as error:
        # Without the input: it may be raw bytes, which JSON cannot hold.
        details = error.errors(include_url=False, include_context=False, include_input=False)
        raise HTTPException(422, details) from None
    return await run_in_threadpool(_articles_from_json, payload, services)


@router.post(
    "/analyze",
    status_code=201,
    openapi_extra=_ANALYZE_BODY,
    dependencies=WRITE_GUARDS,
    responses=error_responses(400, 401, 403, 413, 415, 422, 503),
    summary="Analyse text, a URL or uploaded files",
    response_description="JSON array of analyses (the CLI's --format json output).",
)
async def analyze(
    request: Request,
    services: ServicesDep,
    store: Annotated[bool, Query(description="Save the analyses in the database.")] = True,
) -> JSONResponse:
    """Analyse a JSON body ``{"text": ...}`` or ``{"url": ...}``, or multipart ``file`` parts."""
    articles = await _articles_from_request(request, services)
    results = await analyze_and_store(services, articles, store=store)
    headers = {}
    ids = [str(i) for i, _ in results if i is not None]
    if ids:
        headers = {"Location": f"{router.prefix}/articles/{ids[0]}", IDS_HEADER: ",".join(ids)}
    body = [analysis.to_dict() for _, analysis in results]
    return JSONResponse(body, status_code=201, headers=headers)


@router.get(
    "/articles",
    response_model=ArticlePageOut,
    responses=error_responses(422),
    summary="List and search articles",
)
def list_articles(
    session: SessionDep,
    services: ServicesDep,
    filters: Annotated[FiltersIn, Query()],
    per_page: Annotated[int | None, Query(ge=1, le=MAX_PER_PAGE)] = None,
) -> JSONResponse:
    """Newest first; ``q`` searches title and text, the other filters match exactly."""
    page = repo.list_articles(
        session, filters.to_filters(), filters.page, per_page or services.settings.page_size
    )
    out = ArticlePageOut(
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
        items=[ArticleSummaryOut.of(item) for item in page.items],
    )
    return json_response(out)


@router.get(
    "/articles/{article_id}",
    response_model=ArticleOut,
    responses=error_responses(404, 422),
    summary="One stored article",
)
def get_article(article_id: ArticleId, session: SessionDep) -> JSONResponse:
    row = article_or_404(session, article_id)
    analysis = repo.to_analysis(row)
    out = ArticleOut(
        id=row.id, created_at=row.created_at, models=row.models, analysis=analysis.to_dict()
    )
    return json_response(out)


def _stored_analysis(services: Services, article_id: int) -> Analysis:
    """The stored analysis, read in a session of its own that ends before any model runs."""
    with services.sessions() as session:
        return repo.to_analysis(article_or_404(session, article_id))


@router.get(
    "/articles/{article_id}/techniques/{number}/words",
    response_model=TechniqueWordsOut,
    responses=error_responses(404, 422),
    summary="The words that weighed most for one technique span",
)
async def technique_words(
    article_id: ArticleId, number: Annotated[int, Path(ge=1)], services: ServicesDep
) -> JSONResponse:
    """Occlusion over the technique model (see ``propwatch analyze --explain``): each word of
    span ``number`` (the card's number, 1 = first in the text) and of three words either side
    is masked in turn; one encoder call, 0.1 to 1.5 s. Computed when a card asks for it."""
    analysis = await run_in_threadpool(_stored_analysis, services, article_id)
    spans = analysis.layer(TECHNIQUES) if analysis.has_layer(TECHNIQUES) else []
    if number > len(spans):
        raise HTTPException(404, f"article {article_id} has no technique span {number}")
    span = spans[number - 1]
    # Imported here, like the explainer (see Services.explainer): the components load spaCy.
    from propwatch.components.explain import heaviest

    weights = await run_in_threadpool(services.explainer.explain_span, analysis, span)
    words = [
        WeighedWordOut(
            start=w.start, end=w.end, text=analysis.text[w.start : w.end], weight=w.weight
        )
        for w in heaviest(weights)
    ]
    out = TechniqueWordsOut(number=number, technique=span.label, words=words)
    return json_response(out)


@router.delete(
    "/articles/{article_id}",
    status_code=204,
    dependencies=WRITE_GUARDS,
    responses=error_responses(401, 403, 404, 422),
    summary="Delete a stored article",
)
def delete_article(article_id: ArticleId, session: SessionDep) -> Response:
    if not repo.delete_article(session, article_id):
        raise HTTPException(404, f"no article with id {article_id}")
    return Response(status_code=204)


def export_writer(name: str, available: set[str]) -> Writer:
    """The writer ``name`` if the stored analysis has every layer/label it needs, else 404."""
    if name not in registry.writers:
        raise HTTPException(404, f"no export format {name!r}; known: {', '.join(registry.writers)}")
    writer: Writer = registry.writers.get(name)
    missing = writer.missing(available)
    if missing:
        raise HTTPException(
            404, f"format {name!r} needs {', '.join(missing)}, which this analysis lacks"
        )
    return writer


@router.get(
    "/articles/{article_id}/export/{format_name}",
    responses=error_responses(404, 422),
    summary="Export in an output format",
)
def export_article(article_id: ArticleId, format_name: str, session: SessionDep) -> Response:
    """Write the stored analysis with ``registry.writers[format_name]`` (json, semeval-flc…)."""
    analysis = repo.to_analysis(article_or_404(session, article_id))
    writer = export_writer(format_name, set(analysis.spans) | set(analysis.labels))
    stream = io.StringIO()
    writer.write([analysis], stream)
    file_name = f"propwatch-article-{article_id}{writer.suffix}"
    return Response(
        stream.getvalue(),
        media_type=writer.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )


@router.get("/stats", response_model=StatsOut, summary="Counts over all articles")
def stats(session: SessionDep) -> JSONResponse:
    return json_response(StatsOut.model_validate(repo.stats(session), from_attributes=True))
