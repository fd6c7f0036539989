"""Tables, in the SQLAlchemy 2 typed declarative style, portable across SQLite and PostgreSQL.

One ``articles`` row is one stored analysis: the article's metadata and exact text, the
analysis layers and labels (``Analysis.to_dict`` without the article) and the model versions
that made them. Technique spans and narratives are copied into child tables so the library
filters and outlet statistics are plain indexed SQL; the outlet and the month are copied into
the child rows so that the outlet page groups without joins.

The full-text index (SQLite FTS5 table or PostgreSQL ``tsvector`` column) is created by the
migration and used only through :mod:`propwatch.db.search`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A time that reads back in UTC, time zone aware, on every database.

    SQLite stores the UTC wall time without a zone, so it is put back on reading (every time
    propwatch writes is UTC); PostgreSQL answers in the session's zone, converted to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every propwatch table."""


class ArticleRow(Base):
    """A stored analysis of one article.

    ``published`` keeps the article's own date text; ``published_on`` is its calendar date (or
    None when it does not parse) and drives date filters and charts over time.
    """

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(300), index=True)  # batch --db lookups
    title: Mapped[str | None] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(2000))
    outlet: Mapped[str | None] = mapped_column(String(300), index=True)
    published: Mapped[str | None] = mapped_column(String(64))
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    # "YYYY-MM" of published_on, else of created_at: the time axis of the outlet charts.
    month: Mapped[str] = mapped_column(String(7))
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    layers: Mapped[dict[str, Any]] = mapped_column(JSON)
    models: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    schema_version: Mapped[str] = mapped_column(String(16))
    technique_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Bumped by every write of the article's annotations; a write names the version it read
    # and is refused when another client wrote in between (see repo.AnnotationConflict).
    annotation_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (Index("ix_articles_outlet_month", "outlet", "month", "technique_count"),)

    techniques: Mapped[list[TechniqueRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    narratives: Mapped[list[NarrativeRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    annotations: Mapped[list[AnnotationRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class TechniqueRow(Base):
    """One technique span of an article (offsets into ``articles.text``, end-exclusive)."""

    __tablename__ = "technique_spans"
    __table_args__ = (
        Index("ix_technique_spans_outlet_label", "outlet", "label"),
        Index("ix_technique_spans_outlet_month", "outlet", "month", "category"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    outlet: Mapped[str | None] = mapped_column(String(300))  # copy of articles.outlet
    month: Mapped[str] = mapped_column(String(7))  # copy of articles.month
    label: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str | None] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    voice: Mapped[str | None] = mapped_column(String(32))

    article: Mapped[ArticleRow] = relationship(back_populates="techniques")


class NarrativeRow(Base):
    """One narrative label of an article."""

    __tablename__ = "article_narratives"
    __table_args__ = (
        Index("ix_article_narratives_outlet_narrative", "outlet", "narrative"),
        Index("ix_article_narratives_outlet_month", "outlet", "month", "narrative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    outlet: Mapped[str | None] = mapped_column(String(300))  # copy of articles.outlet
    month: Mapped[str] = mapped_column(String(7))  # copy of articles.month
    narrative: Mapped[str] = mapped_column(String(500), index=True)

    article: Mapped[ArticleRow] = relationship(back_populates="narratives")


class AnnotationRow(Base):
    """A person's correction of an article (:class:`propwatch.text.annotation.Annotation`).

    Kept beside the analysis in ``articles.layers``, which it never changes.
    """

    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    labels: Mapped[list[str]] = mapped_column(JSON)
    who: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    article: Mapped[ArticleRow] = relationship(back_populates="annotations")
