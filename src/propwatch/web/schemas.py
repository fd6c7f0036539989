"""Request and response bodies of the REST API (``/api/v1``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator

from propwatch.db import repo


class AnalyzeIn(BaseModel):
    """An article to analyse: its ``text``, or a ``url`` the server fetches (not both)."""

    text: str | None = Field(default=None, description="Article text; offsets refer to it.")
    url: str | None = Field(default=None, description="http(s) URL of a page to fetch.")
    id: str | None = Field(default=None, description="Your id for the article.")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(default=None, description="ISO 8601 date, e.g. 2024-05-01.")

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
    created_at: datetime
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
    created_at: datetime
    models: dict[str, str] = Field(description="Component name -> version that made the analysis.")
    analysis: dict[str, Any] = Field(description="Analysis.to_dict(), see docs/json-schema.md.")


class StatsOut(BaseModel):
    """Counts over every stored article."""

    articles: int
    technique_spans: int
    techniques: dict[str, int]
    categories: dict[str, int]
    narratives: dict[str, int]
    outlets: dict[str, int]


class FiltersIn(BaseModel):
    """Query parameters shared by the library page and ``GET /articles``."""

    q: str = Field(default="", description="Words that must all occur (full-text search).")
    outlet: str | None = None
    technique: str | None = None
    narrative: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = Field(default=1, ge=1)

    @field_validator("outlet", "technique", "narrative", "date_from", "date_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        # HTML forms send every field; an empty one means "any".
        return None if value == "" else value

    def to_filters(self) -> repo.ArticleFilters:
        return repo.ArticleFilters(
            query=self.q,
            outlet=self.outlet or None,
            technique=self.technique or None,
            narrative=self.narrative or None,
            date_from=self.date_from,
            date_to=self.date_to,
        )
