"""Character-offset spans: the one offset convention used everywhere in propwatch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from propwatch.errors import SpanError


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled fragment of an article's text.

    Parameters
    ----------
    start : int
        Character offset into ``Article.text`` (Python ``str`` index), inclusive.
    end : int
        Character offset into ``Article.text``, exclusive.
    label : str
        What the fragment is: a technique name, ``"quote"``, an entity role…
    score : float, default=1.0
        Confidence in [0, 1]; gold spans read from label files have 1.0.
    attrs : mapping, default={}
        JSON-serializable extra data, e.g. ``{"voice": "author"}`` or ``{"speaker": "..."}``.
    """

    start: int
    end: int
    label: str = ""
    score: float = 1.0
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise SpanError(f"span [{self.start}, {self.end}) has negative or reversed offsets")

    def __len__(self) -> int:
        return self.end - self.start

    def check_fits(self, text: str) -> None:
        """Raise :class:`SpanError` unless the span lies inside ``text``."""
        if self.end > len(text):
            raise SpanError(
                f"span [{self.start}, {self.end}) ends past the text ({len(text)} characters)"
            )

    def text_of(self, text: str) -> str:
        """The fragment of ``text`` this span covers."""
        return text[self.start : self.end]

    def overlap(self, other: Span) -> int:
        """Number of characters shared with ``other`` (0 when disjoint)."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def with_attrs(self, **attrs: Any) -> Span:
        """A copy with ``attrs`` merged in (spans are immutable)."""
        return Span(self.start, self.end, self.label, self.score, {**self.attrs, **attrs})

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label}
        data["score"] = round(self.score, 6)
        if self.attrs:
            data["attrs"] = dict(self.attrs)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Span:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            label=str(data.get("label", "")),
            score=float(data.get("score", 1.0)),
            attrs=dict(data.get("attrs", {})),
        )
