"""REST API for people's corrections: ``/api/v1/articles/{id}/annotations``.

Every write states, as ``?version=``, the version of the article's annotations it read (from
``GET``); when another client wrote in between, the write is refused with 409 and changes
nothing, so two people correcting one article never lose an edit silently. Annotations are
checked like imported files (:func:`propwatch.annotations.check.check_annotation`): offsets
inside the text, techniques of the article's scheme.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import JSONResponse

from propwatch.annotations.check import AnnotationError, check_annotation
from propwatch.db import repo
from propwatch.db.models import ArticleRow
from propwatch.text.annotation import Annotation
from propwatch.web.deps import WRITE_GUARDS, AnnotatorDep, SessionDep, article_or_404
from propwatch.web.routers.api import json_response
from propwatch.web.schemas import (
    MAX_DB_INT,
    AnnotationIn,
    AnnotationOut,
    AnnotationsOut,
    AnnotationWrittenOut,
    ArticleId,
    error_responses,
)

router = APIRouter(prefix="/api/v1", tags=["annotations"])

AnnotationId = Annotated[int, Path(ge=1, le=MAX_DB_INT, description="Id of an annotation.")]
Version = Annotated[
    int,
    # One below the largest: a write stores the version plus one.
    Query(ge=0, le=MAX_DB_INT - 1, description="The annotations' version you read (GET)."),
]
PATH = "/articles/{article_id}/annotations"
WRITE_ERRORS = error_responses(401, 403, 404, 409, 422)
# A body that is not UTF-8 JSON at all is a 400 from FastAPI itself.
BODY_WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 422)


def _checked(row: ArticleRow, payload: AnnotationIn, who: str) -> Annotation:
    annotation = payload.to_annotation(who)
    try:
        check_annotation(annotation, repo.to_analysis(row))
    except AnnotationError as error:
        raise HTTPException(422, str(error)) from None
    return annotation


@contextmanager
def conflicts_answer_409() -> Iterator[None]:
    """Turn a version conflict into a 409 whose detail says what to do."""
    try:
        yield
    except repo.AnnotationConflict as error:
        raise HTTPException(409, str(error)) from None


def _no_annotation(article_id: int, annotation_id: int) -> HTTPException:
    return HTTPException(404, f"article {article_id} has no annotation with id {annotation_id}")


@router.get(
    PATH,
    response_model=AnnotationsOut,
    responses=error_responses(404, 422),
    summary="An article's annotations and their version",
)
def list_annotations(article_id: ArticleId, session: SessionDep) -> JSONResponse:
    article_or_404(session, article_id)
    version, annotations = repo.annotations_of(session, article_id)
    out = AnnotationsOut(
        article_id=article_id,
        version=version,
        annotations=[AnnotationOut.of(a) for a in annotations],
    )
    return json_response(out)


@router.post(
    PATH,
    status_code=201,
    response_model=AnnotationWrittenOut,
    dependencies=WRITE_GUARDS,
    responses=BODY_WRITE_ERRORS,
    summary="Add an annotation",
)
def add_annotation(
    article_id: ArticleId,
    version: Version,
    payload: AnnotationIn,
    session: SessionDep,
    who: AnnotatorDep,
) -> AnnotationWrittenOut:
    """Accept, reject, relabel or resize a predicted span, or add a missed one."""
    annotation = _checked(article_or_404(session, article_id), payload, who)
    with conflicts_answer_409():
        new_version, stored = repo.add_annotation(session, article_id, version, annotation)
    return AnnotationWrittenOut(version=new_version, annotation=AnnotationOut.of(stored))


@router.put(
    PATH + "/{annotation_id}",
    response_model=AnnotationWrittenOut,
    dependencies=WRITE_GUARDS,
    responses=BODY_WRITE_ERRORS,
    summary="Change an annotation",
)
def change_annotation(
    article_id: ArticleId,
    annotation_id: AnnotationId,
    version: Version,
    payload: AnnotationIn,
    session: SessionDep,
    who: AnnotatorDep,
) -> AnnotationWrittenOut:
    """Replace an annotation; it is then by the one who changed it, as of now."""
    annotation = _checked(article_or_404(session, article_id), payload, who)
    with conflicts_answer_409():
        written = repo.replace_annotation(session, article_id, annotation_id, version, annotation)
    if written is None:
        raise _no_annotation(article_id, annotation_id)
    return AnnotationWrittenOut(version=written[0], annotation=AnnotationOut.of(written[1]))


@router.delete(
    PATH + "/{annotation_id}",
    response_model=AnnotationWrittenOut,
    dependencies=WRITE_GUARDS,
    responses=WRITE_ERRORS,
    summary="Delete an annotation",
)
def delete_annotation(
    article_id: ArticleId, annotation_id: AnnotationId, version: Version, session: SessionDep
) -> AnnotationWrittenOut:
    """Delete an annotation; the answer holds the annotations' new version."""
    article_or_404(session, article_id)
    with conflicts_answer_409():
        new_version = repo.delete_annotation(session, article_id, annotation_id, version)
    if new_version is None:
        raise _no_annotation(article_id, annotation_id)
    return AnnotationWrittenOut(version=new_version, annotation=None)
