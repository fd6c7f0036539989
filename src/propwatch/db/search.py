"""Full-text search conditions, one per database dialect (looked up, never if/elif).

SQLite uses the FTS5 table ``articles_fts``; PostgreSQL the ``search`` tsvector column; any
other database falls back to case-insensitive ``LIKE`` on title and text. User input is always
a bound parameter; for FTS5 every word is quoted so that the query syntax cannot be injected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, text

from propwatch.db.models import ArticleRow

_WORD = re.compile(r"\w+", re.UNICODE)


def words(query: str) -> list[str]:
    """The words of a search box query (punctuation and operators dropped)."""
    return _WORD.findall(query)


def _fts5(query: str) -> ColumnElement[bool]:
    match = " ".join(f'"{word}"' for word in words(query))
    return ArticleRow.id.in_(
        text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts_query").bindparams(
            fts_query=match
        )
    )


def _tsvector(query: str) -> ColumnElement[bool]:
    search: ColumnElement[Any] = literal_column("articles.search")
    return search.bool_op("@@")(func.plainto_tsquery("english", " ".join(words(query))))


def _like(query: str) -> ColumnElement[bool]:
    conditions = []
    for word in words(query):
        pattern = f"%{word}%"
        conditions.append(or_(ArticleRow.title.ilike(pattern), ArticleRow.text.ilike(pattern)))
    return and_(*conditions)


SEARCHERS: dict[str, Callable[[str], ColumnElement[bool]]] = {
    "sqlite": _fts5,
    "postgresql": _tsvector,
}


def search_condition(dialect: str, query: str) -> ColumnElement[bool] | None:
    """WHERE condition matching articles containing every word of ``query`` (None if no words).

    Parameters
    ----------
    dialect : str
        SQLAlchemy dialect name (``"sqlite"``, ``"postgresql"``…).
    query : str
        What the user typed.
    """
    if not words(query):
        return None
    return SEARCHERS.get(dialect, _like)(query)
