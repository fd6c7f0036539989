"""REST API under ``/api/v1``: analyse, list, read, delete and export articles; statistics.

``POST /analyze`` returns exactly what ``propwatch analyze --format json`` prints: a JSON array
with one ``Analysis.to_dict()`` object per article. The ids under which the analyses were
stored are in the ``Location`` (first article) and ``X-Propwatch-Article-Ids`` headers.
"""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from propwatch import registry
from propwatch.db import repo
from propwatch.io.writers import Writer
from propwatch.text.article import Article
from propwatch.web.deps import (
    ServicesDep,
    SessionDep,
    analyze_and_store,
    article_or_404,
    require_api_key,
)
from propwatch.web.fetch import fetch_article
from propwatch.web.intake import ArticleFields, article_from_text, read_uploads, with_fields
from propwatch.web.schemas import (
    AnalyzeIn,
    ArticleOut,
    ArticlePageOut,
    ArticleSummaryOut,
    FiltersIn,
    StatsOut,
)

router = APIRouter(prefix="/api/v1", tags=["api"])
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
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
        if not files:
            raise HTTPException(422, "multipart requests need one or more 'file' parts")
        uploads = [(f.filename or "upload", await f.read()) for f in files]
        return await run_in_threadpool(read_uploads, uploads)
    try:
        payload = AnalyzeIn.model_validate_json(await request.body())
    except ValidationError as error:
        raise HTTPException(422, error.errors(include_url=False, include_context=False)) from None
    return await run_in_threadpool(_articles_from_json, payload, services)


@router.post(
    "/analyze",
    status_code=201,
    openapi_extra=_ANALYZE_BODY,
    dependencies=[Depends(require_api_key)],
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
    results = await run_in_threadpool(analyze_and_store, services, articles, store=store)
    headers = {}
    ids = [str(i) for i, _ in results if i is not None]
    if ids:
        headers = {"Location": f"{router.prefix}/articles/{ids[0]}", IDS_HEADER: ",".join(ids)}
    body = [analysis.to_dict() for _, analysis in results]
    return JSONResponse(body, status_code=201, headers=headers)


@router.get("/articles", response_model=ArticlePageOut, summary="List and search articles")
def list_articles(
    session: SessionDep,
    services: ServicesDep,
    filters: Annotated[FiltersIn, Query()],
    per_page: Annotated[int | None, Query(ge=1, le=200)] = None,
) -> ArticlePageOut:
    """Newest first; ``q`` searches title and text, the other filters match exactly."""
    page = repo.list_articles(
        session, filters.to_filters(), filters.page, per_page or services.settings.page_size
    )
    return ArticlePageOut(
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
        items=[ArticleSummaryOut.of(item) for item in page.items],
    )


@router.get("/articles/{article_id}", response_model=ArticleOut, summary="One stored article")
def get_article(article_id: int, session: SessionDep) -> ArticleOut:
    row = article_or_404(session, article_id)
    analysis = repo.to_analysis(row)
    return ArticleOut(
        id=row.id, created_at=row.created_at, models=row.models, analysis=analysis.to_dict()
    )


@router.delete(
    "/articles/{article_id}",
    status_code=204,
    dependencies=[Depends(require_api_key)],
    summary="Delete a stored article",
)
def delete_article(article_id: int, session: SessionDep) -> Response:
    if not repo.delete_article(session, article_id):
        raise HTTPException(404, f"no article with id {article_id}")
    return Response(status_code=204)


def export_writer(name: str, available: set[str]) -> Writer:
    """The writer ``name`` if the stored analysis has every layer/label it needs, else 404."""
    if name not in registry.writers:
        raise HTTPException(404, f"no export format {name!r}; known: {', '.join(registry.writers)}")
    writer: Writer = registry.writers.get(name)
    missing = [need for need in writer.requires if need not in available]
    if missing:
        raise HTTPException(
            404, f"format {name!r} needs {', '.join(missing)}, which this analysis lacks"
        )
    return writer


@router.get("/articles/{article_id}/export/{format_name}", summary="Export in an output format")
def export_article(article_id: int, format_name: str, session: SessionDep) -> Response:
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
def stats(session: SessionDep) -> StatsOut:
    return StatsOut.model_validate(repo.stats(session), from_attributes=True)
