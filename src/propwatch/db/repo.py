"""Every query the web app and the ``db`` command run. Routes call these; none writes SQL.

Functions take an open :class:`~sqlalchemy.orm.Session` and leave transaction control to the
caller, except the write functions, which commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from math import ceil
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session, load_only

from propwatch.db.models import AnnotationRow, ArticleRow, NarrativeRow, TechniqueRow
from propwatch.db.search import search_condition
from propwatch.errors import PropwatchError
from propwatch.text.analysis import NARRATIVES, SCHEMA_VERSION, TECHNIQUES, Analysis
from propwatch.text.annotation import Annotation
from propwatch.text.article import MISSING_OUTLET, Article


def parse_day(published: str | None) -> date | None:
    """Calendar date of an ISO 8601 date text (``"2016-11-05"``, ``"2016-11-05T10:00Z"``).

    Returns None for missing or non-ISO dates: they stay in ``published`` as given but take no
    part in date filters and charts.
    """
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _narratives(analysis: Analysis) -> list[str]:
    return sorted({str(n["narrative"]) for n in analysis.labels.get(NARRATIVES, [])})


def add_analysis(session: Session, analysis: Analysis) -> ArticleRow:
    """Store ``analysis`` (article, layers, labels, model versions) and commit.

    Returns
    -------
    ArticleRow
        The new row; ``row.id`` is the article's id in the web app and the API.
    """
    article = analysis.article
    techniques = analysis.layer(TECHNIQUES)
    created_at = datetime.now(UTC)
    published_on = parse_day(article.published)
    month = (published_on or created_at.date()).strftime("%Y-%m")
    row = ArticleRow(
        source_id=article.id,
        title=article.title,
        url=article.url,
        outlet=article.outlet,
        published=article.published,
        published_on=published_on,
        month=month,
        language=article.language,
        text=article.text,
        meta=dict(article.meta),
        layers=analysis.to_dict(exclude=["article"]),
        models=dict(analysis.models),
        schema_version=SCHEMA_VERSION,
        technique_count=len(techniques),
        created_at=created_at,
        techniques=[
            TechniqueRow(
                outlet=article.outlet,
                month=month,
                label=span.label,
                category=span.attrs.get("category"),
                start=span.start,
                end=span.end,
                score=span.score,
                voice=span.attrs.get("voice"),
            )
            for span in techniques
        ],
        narratives=[
            NarrativeRow(outlet=article.outlet, month=month, narrative=name)
            for name in _narratives(analysis)
        ],
    )
    session.add(row)
    session.commit()
    return row


def has_analysis(session: Session, analysis: Analysis) -> bool:
    """True when an article with the same id, text and model versions is stored already.

    Batch exports call this before :func:`add_analysis` so that rerunning an export stores each
    analysis once.
    """
    article = analysis.article
    candidates = session.execute(
        select(ArticleRow.text, ArticleRow.models).where(ArticleRow.source_id == article.id)
    )
    return any(text == article.text and models == analysis.models for text, models in candidates)


def to_analysis(row: ArticleRow) -> Analysis:
    """Rebuild the stored :class:`Analysis` of ``row`` exactly as it was saved."""
    article = Article(
        id=row.source_id,
        text=row.text,
        title=row.title,
        url=row.url,
        outlet=row.outlet,
        published=row.published,
        language=row.language,
        meta=dict(row.meta),
    )
    return Analysis.from_dict({**row.layers, "article": article.to_dict()})


def get_article(session: Session, article_id: int) -> ArticleRow | None:
    """The stored article with this id, or None."""
    return session.get(ArticleRow, article_id)


def delete_article(session: Session, article_id: int) -> bool:
    """Delete an article with its spans, narratives and annotations; False when there was none."""
    session.execute(delete(AnnotationRow).where(AnnotationRow.article_id == article_id))
    session.execute(delete(TechniqueRow).where(TechniqueRow.article_id == article_id))
    session.execute(delete(NarrativeRow).where(NarrativeRow.article_id == article_id))
    deleted = session.execute(delete(ArticleRow).where(ArticleRow.id == article_id)).rowcount  # type: ignore[attr-defined]
    session.commit()
    return bool(deleted)


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    """Library filters; None (or an empty query) means "any".

    Parameters
    ----------
    query : str
        Words that must all occur in the title or text.
    outlet, technique, narrative : str or None
        Exact outlet name, technique label, narrative name.
    date_from, date_to : date or None
        Inclusive range of publication dates.
    """

    query: str = ""
    outlet: str | None = None
    technique: str | None = None
    narrative: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """A library row: what a list shows without the text."""

    id: int
    source_id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    created_at: datetime
    technique_count: int


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """One page of a filtered article list (``page`` is 1-based)."""

    items: list[ArticleSummary]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))


def _conditions(dialect: str, filters: ArticleFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    searched = search_condition(dialect, filters.query)
    if searched is not None:
        conditions.append(searched)
    if filters.outlet:
        conditions.append(ArticleRow.outlet == filters.outlet)
    if filters.technique:
        conditions.append(
            ArticleRow.id.in_(
                select(TechniqueRow.article_id).where(TechniqueRow.label == filters.technique)
            )
        )
    if filters.narrative:
        conditions.append(
            ArticleRow.id.in_(
                select(NarrativeRow.article_id).where(NarrativeRow.narrative == filters.narrative)
            )
        )
    if filters.date_from:
        conditions.append(ArticleRow.published_on >= filters.date_from)
    if filters.date_to:
        conditions.append(ArticleRow.published_on <= filters.date_to)
    return conditions


_SUMMARY_COLUMNS = (
    ArticleRow.id,
    ArticleRow.source_id,
    ArticleRow.title,
    ArticleRow.url,
    ArticleRow.outlet,
    ArticleRow.published,
    ArticleRow.created_at,
    ArticleRow.technique_count,
)


def list_articles(
    session: Session, filters: ArticleFilters, page: int = 1, per_page: int = 20
) -> ArticlePage:
    """Newest articles first that pass ``filters``, one page of ``per_page``."""
    conditions = _conditions(session.get_bind().dialect.name, filters)
    total = session.scalar(select(func.count(ArticleRow.id)).where(*conditions)) or 0
    query: Select[ArticleRow] = (
        select(ArticleRow)
        .options(load_only(*_SUMMARY_COLUMNS))
        .where(*conditions)
        .order_by(ArticleRow.created_at.desc(), ArticleRow.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    items = [
        ArticleSummary(
            row.id,
            row.source_id,
            row.title,
            row.url,
            row.outlet,
            row.published,
            row.created_at,
            row.technique_count,
        )
        for row in session.scalars(query)
    ]
    return ArticlePage(items, total, page, per_page)


@dataclass(frozen=True, slots=True)
class Facets:
    """Values the library filters offer, sorted."""

    outlets: list[str]
    techniques: list[str]
    narratives: list[str]


def facets(session: Session) -> Facets:
    """Every outlet, technique label and narrative present in the database."""
    outlets = session.scalars(
        select(ArticleRow.outlet).where(ArticleRow.outlet.is_not(None)).distinct()
    )
    techniques = session.scalars(select(TechniqueRow.label).distinct())
    narratives = session.scalars(select(NarrativeRow.narrative).distinct())
    return Facets(sorted(o for o in outlets if o), sorted(techniques), sorted(narratives))


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts over the whole database."""

    articles: int
    technique_spans: int
    techniques: dict[str, int]
    categories: dict[str, int]
    narratives: dict[str, int]
    outlets: dict[str, int]


def _counts(session: Session, column: SQLColumnExpression[Any]) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column)).all()
    return dict(sorted(((k or "", n) for k, n in rows), key=lambda kv: (-kv[1], kv[0])))


def stats(session: Session) -> Stats:
    """Article, technique, category, narrative and outlet counts."""
    outlet = func.coalesce(ArticleRow.outlet, MISSING_OUTLET)
    techniques = _counts(session, TechniqueRow.label)
    return Stats(
        articles=session.scalar(select(func.count(ArticleRow.id))) or 0,
        technique_spans=sum(techniques.values()),
        techniques=techniques,
        categories=_counts(session, TechniqueRow.category),
        narratives=_counts(session, NarrativeRow.narrative),
        outlets=_counts(session, outlet),
    )


def outlet_tallies(session: Session) -> Iterator[tuple[str | None, str, str, str, int]]:
    """What the outlets page counts, added up in SQL by outlet and month.

    Yields
    ------
    tuple of (outlet, month, kind, name, n)
        Fields of :class:`propwatch.render.corpus.Tally`: ``n`` articles (kind ``articles``),
        technique spans by ``technique`` and by ``category`` (``""`` for none), and articles by
        ``narrative``, in one outlet (None for none) and month (``"YYYY-MM"``, publication
        date, else storage date).
    """
    articles = select(ArticleRow.outlet, ArticleRow.month, func.count()).group_by(
        ArticleRow.outlet, ArticleRow.month
    )
    for outlet, month, n in session.execute(articles):
        yield outlet, month, "articles", "", n
    columns = (TechniqueRow.outlet, TechniqueRow.month, TechniqueRow.label, TechniqueRow.category)
    for outlet, month, label, category, n in session.execute(
        select(*columns, func.count()).group_by(*columns)
    ):
        yield outlet, month, "technique", label, n
        yield outlet, month, "category", category or "", n
    narratives = (NarrativeRow.outlet, NarrativeRow.month, NarrativeRow.narrative)
    for outlet, month, narrative, n in session.execute(
        select(*narratives, func.count()).group_by(*narratives)
    ):
        yield outlet, month, "narrative", narrative, n


class AnnotationConflict(PropwatchError):
    """Another client wrote an article's annotations after the version this write read.

    Parameters
    ----------
    article_id : int
        The article.
    expected : int
        The version the write stated.
    current : int
        The version stored now.
    """

    def __init__(self, article_id: int, expected: int, current: int) -> None:
        self.article_id = article_id
        self.expected = expected
        self.current = current
        super().__init__(
            f"the annotations of article {article_id} changed since version {expected} "
            f"(now version {current}); read them again and redo your change"
        )


def _annotation(row: AnnotationRow) -> Annotation:
    return Annotation(
        kind=row.kind,
        action=row.action,
        start=row.start,
        end=row.end,
        labels=tuple(row.labels),
        who=row.who,
        created_at=row.created_at,
        id=row.id,
    )


def _fill(row: AnnotationRow, annotation: Annotation) -> AnnotationRow:
    row.kind = annotation.kind
    row.action = annotation.action
    row.start = annotation.start
    row.end = annotation.end
    row.labels = list(annotation.labels)
    row.who = annotation.who
    row.created_at = annotation.created_at
    return row


def annotations_of(session: Session, article_id: int) -> tuple[int, list[Annotation]]:
    """The version and the annotations (oldest first) of a stored article."""
    version = session.scalar(
        select(ArticleRow.annotation_version).where(ArticleRow.id == article_id)
    )
    rows = session.scalars(
        select(AnnotationRow)
        .where(AnnotationRow.article_id == article_id)
        .order_by(AnnotationRow.id)
    )
    return version or 0, [_annotation(row) for row in rows]


def _bump_version(session: Session, article_id: int, version: int) -> int:
    # One conditional UPDATE: of two clients that read the same version, the database lets
    # exactly one through (the other's WHERE no longer matches), on SQLite and PostgreSQL.
    changed = session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == article_id, ArticleRow.annotation_version == version)
        .values(annotation_version=version + 1)
    ).rowcount  # type: ignore[attr-defined]
    if not changed:
        session.rollback()
        current = session.scalar(
            select(ArticleRow.annotation_version).where(ArticleRow.id == article_id)
        )
        raise AnnotationConflict(article_id, version, current or 0)
    return version + 1


def add_annotation(
    session: Session, article_id: int, version: int, annotation: Annotation
) -> tuple[int, Annotation]:
    """Store ``annotation`` of a stored article if its annotations are at ``version``; commit.

    Returns
    -------
    tuple of (int, Annotation)
        The new version and the stored annotation (with its id).

    Raises
    ------
    AnnotationConflict
        When the article's annotations are no longer at ``version``; nothing is written.
    """
    new_version = _bump_version(session, article_id, version)
    row = _fill(AnnotationRow(article_id=article_id), annotation)
    session.add(row)
    session.commit()
    return new_version, _annotation(row)


def _written_row(
    session: Session, article_id: int, annotation_id: int, version: int
) -> tuple[int, AnnotationRow] | None:
    """The new version and the annotation row about to be changed, None when the article has
    no such annotation. Any other write since ``version`` (a deletion of the row too) bumped
    the version, so the row found is the one the writer read."""
    row = session.get(AnnotationRow, annotation_id)
    if row is None or row.article_id != article_id:
        return None
    return _bump_version(session, article_id, version), row


def replace_annotation(
    session: Session, article_id: int, annotation_id: int, version: int, annotation: Annotation
) -> tuple[int, Annotation] | None:
    """Replace an article's annotation by ``annotation`` at ``version``; commit.

    Returns None when the article has no annotation ``annotation_id``.

    Raises
    ------
    AnnotationConflict
        As :func:`add_annotation`.
    """
    written = _written_row(session, article_id, annotation_id, version)
    if written is None:
        return None
    _fill(written[1], annotation)
    session.commit()
    return written[0], _annotation(written[1])


def delete_annotation(
    session: Session, article_id: int, annotation_id: int, version: int
) -> int | None:
    """Delete an article's annotation at ``version``; commit and return the new version.

    Returns None when the article has no annotation ``annotation_id``; raises
    :class:`AnnotationConflict` as :func:`add_annotation`.
    """
    written = _written_row(session, article_id, annotation_id, version)
    if written is None:
        return None
    session.delete(written[1])
    session.commit()
    return written[0]


def import_annotations(session: Session, batches: dict[int, list[Annotation]]) -> int:
    """Add annotations to stored articles in one transaction, skipping those already there.

    An annotation is already there when one with the same :attr:`Annotation.key` is stored
    for the article, so importing a file twice adds nothing the second time.

    Parameters
    ----------
    batches : dict of int to list of Annotation
        Article id -> its new annotations.

    Returns
    -------
    int
        How many annotations were added.
    """
    added = 0
    for article_id, incoming in batches.items():
        present = {a.key for a in annotations_of(session, article_id)[1]}
        new = []
        for annotation in incoming:
            if annotation.key not in present:
                present.add(annotation.key)
                new.append(annotation)
        if not new:
            continue
        session.execute(
            update(ArticleRow)
            .where(ArticleRow.id == article_id)
            .values(annotation_version=ArticleRow.annotation_version + 1)
        )
        session.add_all(_fill(AnnotationRow(article_id=article_id), a) for a in new)
        added += len(new)
    session.commit()
    return added


def annotated_articles(session: Session) -> Iterator[tuple[ArticleRow, list[Annotation]]]:
    """Every stored article that has annotations, by id, with its annotations oldest first."""
    ids = session.scalars(
        select(AnnotationRow.article_id).distinct().order_by(AnnotationRow.article_id)
    )
    for article_id in list(ids):
        row = session.get(ArticleRow, article_id)
        if row is not None:
            yield row, annotations_of(session, article_id)[1]


def articles_by_source_id(session: Session, source_ids: set[str]) -> dict[str, list[ArticleRow]]:
    """Stored articles whose ``source_id`` is one of ``source_ids``, newest last."""
    found: dict[str, list[ArticleRow]] = {}
    query = select(ArticleRow).where(ArticleRow.source_id.in_(source_ids)).order_by(ArticleRow.id)
    for row in session.scalars(query):
        found.setdefault(row.source_id, []).append(row)
    return found
