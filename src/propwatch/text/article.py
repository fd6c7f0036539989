"""An article: its exact text plus metadata. The text is never normalised once read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The name every statistic (the web's outlets page and /api/v1/stats, ``propwatch report``)
# gives the articles whose ``outlet`` is None: they are counted together under it. Statistics
# never guess an outlet from the URL; a reader may set one (the WARC reader uses the host).
MISSING_OUTLET = "(no outlet)"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article.

    Parameters
    ----------
    id : str
        Stable identifier (the digits of ``article<ID>.txt``, a file stem, or a JSONL ``id``).
    text : str
        The full text every offset refers to. For newspaper3k/PTC files this includes the title
        line, exactly as in the file.
    title : str or None
        The headline; for PTC-layout files, the first line of ``text``.
    url, outlet, language : str or None
        Where the article comes from; ``language`` is an ISO 639-1 code such as ``"en"``.
        Statistics count articles without an outlet under :data:`MISSING_OUTLET`.
    published : str or None
        Publication date as ISO 8601 text (``"2016-11-05"`` or with a time).
    meta : mapping
        Any other JSON-serializable metadata (source path, reader warnings…).
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = "en"
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
            "language": self.language,
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        return cls(
            id=str(data["id"]),
            text=str(data["text"]),
            title=data.get("title"),
            url=data.get("url"),
            outlet=data.get("outlet"),
            published=data.get("published"),
            language=data.get("language", "en"),
            meta=dict(data.get("meta") or {}),
        )
