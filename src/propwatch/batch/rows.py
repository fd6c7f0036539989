"""Result rows (see :data:`propwatch.batch.store.SCHEMA`) built from analyses and failures."""

from __future__ import annotations

import json
from typing import Any

from propwatch.batch.keys import ResultKey
from propwatch.batch.store import STATUS_FAILED, STATUS_OK
from propwatch.io.readers.clean import one_line, scrub_surrogates
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article

_TEXT_COLUMNS = ("title", "url", "outlet", "published", "language")


def _text(value: object) -> str | None:
    """A string column's value: Articles built outside the readers may hold any type, and one
    value that does not fit :data:`~propwatch.batch.store.SCHEMA` would fail a whole part."""
    return None if value is None else scrub_surrogates(str(value))


def _article_columns(article: Article | None) -> dict[str, Any]:
    if article is None:
        return dict.fromkeys((*_TEXT_COLUMNS, "n_chars"))
    return {
        **{name: _text(getattr(article, name)) for name in _TEXT_COLUMNS},
        "n_chars": len(article.text),
    }


def source_of(article: Article) -> str:
    """Where the article was read from (``path``, ``path:line``, ``path@offset``)."""
    return str(article.meta.get("source", article.id))


def ok_row(key: ResultKey, analysis: Analysis) -> dict[str, Any]:
    """The row of a successful analysis; ``analysis`` holds ``Analysis.to_dict()`` as JSON."""
    return {
        "article_id": key.article_id,
        "content_hash": key.content_hash,
        "model_version": key.model_version,
        "status": STATUS_OK,
        "error": None,
        "source": source_of(analysis.article),
        **_article_columns(analysis.article),
        "analysis": json.dumps(analysis.to_dict(), ensure_ascii=False, separators=(",", ":")),
    }


def failed_row(
    key: ResultKey, source: str, reason: str, article: Article | None = None
) -> dict[str, Any]:
    """The row of an input or article that failed; ``reason`` is kept to one line."""
    return {
        "article_id": key.article_id,
        "content_hash": key.content_hash,
        "model_version": key.model_version,
        "status": STATUS_FAILED,
        "error": one_line(reason),
        "source": source,
        **_article_columns(article),
        "analysis": None,
    }
