"""Request and response bodies of the REST API (``/api/v1``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Path
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from propwatch.db import repo
from propwatch.text.annotation import ACTIONS, KINDS, Annotation

# Ids and offsets are signed 64-bit integers in SQLite and PostgreSQL; larger numbers in a
# request are refused (422) before they reach the database, which could not bind them.
MAX_DB_INT = 2**63 - 1
MAX_PER_PAGE = 200
ArticleId = Annotated[int, Path(ge=1, le=MAX_DB_INT, description="Id of a stored article.")]


def _not_blank(text: str) -> str:
    if not text.strip():  # as article_from_text checks, for the same message
        raise ValueError("empty text; paste an article")
    return text


# Something other than whitespace (Python's, so with the ASCII separators), as a schema says it.
NonBlank = Annotated[
    str,
    AfterValidator(_not_blank),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"[^\s\x1c-\x1f]",
            "description": "Article text; offsets refer to it.",
        }
    ),
]


class AnalyzeIn(BaseModel):
    """An article to analyse: its ``text``, or a ``url`` the server fetches (not both)."""

    # The schema states what the validators enforce (exactly one of text and url, neither
    # null), so clients and schema-driven tests know it.
    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["url"]}]}
    )

    text: NonBlank | SkipJsonSchema[None] = None
    url: (
        Annotated[str, Field(pattern="^https?://", description="URL of a page to fetch.")]
        | SkipJsonSchema[None]
    ) = None
    id: str | None = Field(default=None, description="Your id for the article.")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(default=None, description="ISO 8601 date, e.g. 2024-05-01.")

    @field_validator("text", "url", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("give a string or leave the field out")
        return value

    @model_validator(mode="after")
    def _text_or_url(self) -> AnalyzeIn:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of 'text' and 'url'")
        return self


class ArticleSummaryOut(BaseModel):
    """A stored article without its text and analysis."""

    id: int
    source_id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    created_at: AwareDatetime
    technique_count: int

    @classmethod
    def of(cls, summary: repo.ArticleSummary) -> ArticleSummaryOut:
        return cls.model_validate(summary, from_attributes=True)


class ArticlePageOut(BaseModel):
    """One page of ``GET /articles``."""

    total: int
    page: int
    per_page: int
    pages: int
    items: list[ArticleSummaryOut]


class ArticleOut(BaseModel):
    """A stored article: its id, when it was analysed, and the analysis (CLI JSON object)."""

    id: int
    created_at: AwareDatetime
    models: dict[str, str] = Field(description="Component name -> version that made the analysis.")
    analysis: dict[str, Any] = Field(description="Analysis.to_dict(), see docs/json-schema.md.")


class WeighedWordOut(BaseModel):
    """A word of a technique span (or its context) and what it weighed for the technique."""

    start: int = Field(description="Character offset in the article text.")
    end: int = Field(description="Character offset, end-exclusive.")
    text: str
    weight: float = Field(
        description="Drop of the span head's probability of the technique when the word is "
        "masked (occlusion); positive: the word supports the technique."
    )


class TechniqueWordsOut(BaseModel):
    """The words that weighed most for one technique span of a stored article."""

    number: int = Field(description="The span's number on the article page (1 = first).")
    technique: str
    words: list[WeighedWordOut] = Field(description="Heaviest first, at most five.")


class StatsOut(BaseModel):
    """Counts over every stored article."""

    articles: int
    technique_spans: int
    techniques: dict[str, int]
    categories: dict[str, int]
    narratives: dict[str, int]
    outlets: dict[str, int]


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# HTML forms send every field, so an empty date means "any" (see FiltersIn._blank_is_none).
OptionalDate = Annotated[
    date | None,
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}
    ),
]


class FiltersIn(BaseModel):
    """Query parameters shared by the library page and ``GET /articles``."""

    q: str = Field(default="", description="Words that must all occur (full-text search).")
    outlet: str | None = None
    technique: str | None = None
    narrative: str | None = None
    date_from: OptionalDate = None
    date_to: OptionalDate = None
    page: int = Field(default=1, ge=1, le=MAX_DB_INT // MAX_PER_PAGE)

    @field_validator("outlet", "technique", "narrative", "date_from", "date_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        # HTML forms send every field; an empty one means "any".
        return None if value == "" else value

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        # Only YYYY-MM-DD, as documented: pydantic alone would also take "0" (a timestamp).
        if isinstance(value, str) and value and not ISO_DATE.fullmatch(value):
            raise ValueError("give a date as YYYY-MM-DD")
        return value

    def to_filters(self) -> repo.ArticleFilters:
        return repo.ArticleFilters(
            query=self.q,
            outlet=self.outlet or None,
            technique=self.technique or None,
            narrative=self.narrative or None,
            date_from=self.date_from,
            date_to=self.date_to,
        )


class AnnotationIn(BaseModel):
    """A correction of an article (see :class:`propwatch.text.annotation.Annotation`)."""

    kind: str = Field(json_schema_extra={"enum": list(KINDS)}, description="What it is about.")
    action: str = Field(json_schema_extra={"enum": list(ACTIONS)})
    start: int = Field(ge=0, le=MAX_DB_INT, description="Character offset into the text.")
    end: int = Field(ge=1, le=MAX_DB_INT, description="Character offset, exclusive.")
    labels: list[str] = Field(
        max_length=50,
        description="Techniques of the article's scheme, the speaker, or main and fine roles.",
    )

    def to_annotation(self, who: str) -> Annotation:
        return Annotation(self.kind, self.action, self.start, self.end, tuple(self.labels), who)


class AnnotationOut(BaseModel):
    """A stored correction: what it says, who wrote it and when."""

    id: int
    kind: str
    action: str
    start: int
    end: int
    labels: list[str]
    who: str = Field(description="The API key's name, or 'local'.")
    created_at: AwareDatetime

    @classmethod
    def of(cls, annotation: Annotation) -> AnnotationOut:
        return cls.model_validate(annotation, from_attributes=True)


class AnnotationsOut(BaseModel):
    """An article's annotations and their version, which every write must state."""

    article_id: int
    version: int
    annotations: list[AnnotationOut]


class AnnotationWrittenOut(BaseModel):
    """The annotations' new version after a write, and the annotation written (not on delete)."""

    version: int
    annotation: AnnotationOut | None


class ValidationIssueOut(BaseModel):
    """One problem found in a request's parameters or body."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(BaseModel):
    """Every API error: a sentence, or the list of problems of an invalid request (422)."""

    detail: str | list[ValidationIssueOut]


_ERRORS = {
    400: "The input cannot be read or analysed; the message names it.",
    401: "The server has API keys and the X-API-Key header holds none of them.",
    403: "Refused: a state-changing request from another site (Origin or Sec-Fetch-Site).",
    404: "No such article, annotation, or export format for it.",
    409: "The article's annotations changed since the version the request states; read again.",
    413: "The request body is larger than the upload limit.",
    415: "The body is neither application/json nor multipart/form-data.",
    422: "Invalid parameters or body, or the analysis passed the time limit and was stopped.",
    503: "Every analysis worker is busy and the queue is full; retry after Retry-After seconds.",
}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the error ``codes`` a route can answer."""
    return {
        code: {"model": ErrorOut, "description": _ERRORS[code]}
        | ({"headers": _RETRY_AFTER} if code == 503 else {})
        for code in codes
    }
