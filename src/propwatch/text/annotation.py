"""A person's correction of what the model found: one annotation of one article.

Annotations sit beside the model's predictions and never replace them. Each one states a
span (character offsets into the article text, end-exclusive) and what a person says about
it: the predicted span is right (``accept``) or wrong (``reject``), its techniques are others
(``relabel``), its extent is another (``resize``), or the model missed it (``add``). A
paragraph annotation accepts or relabels the techniques the model gave a whole paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from propwatch.errors import PropwatchError

# What an annotation is about: a technique span, a quote's speaker, a named entity's role, or
# the techniques of a whole paragraph (SemEval-2023 subtask 3: offsets of one non-blank line).
TECHNIQUE = "technique"
SPEAKER = "speaker"
ROLE = "role"
PARAGRAPH = "paragraph"
KINDS = (TECHNIQUE, SPEAKER, ROLE, PARAGRAPH)
ACCEPT = "accept"
REJECT = "reject"
RELABEL = "relabel"
RESIZE = "resize"
ADD = "add"
ACTIONS = (ACCEPT, REJECT, RELABEL, RESIZE, ADD)
# Who corrected, when no API key names a person (a server without keys, the command line).
LOCAL = "local"


@dataclass(frozen=True, slots=True)
class Annotation:
    """One correction of one article.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    action : str
        One of :data:`ACTIONS`.
    start, end : int
        Character offsets into the article text, end-exclusive: the span as the person says
        it is (for ``reject``, the predicted span they refuse).
    labels : tuple of str
        Techniques of the article's scheme (``technique``; empty for a span whose technique is
        not named, as in SemEval-2020 SI files), the speaker's name (``speaker``), the roles
        (``role``), or every technique of the paragraph (``paragraph``; empty: none).
    who : str, default="local"
        Name of the API key that wrote it, or ``"local"``.
    created_at : datetime
        When it was written, UTC.
    id : int or None
        The database id, None before it is stored.
    """

    kind: str
    action: str
    start: int
    end: int
    labels: tuple[str, ...]
    who: str = LOCAL
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    id: int | None = None

    @property
    def key(self) -> tuple[str, str, int, int, tuple[str, ...]]:
        """What the annotation says, without who, when and id: equal keys mean the same claim."""
        return (self.kind, self.action, self.start, self.end, self.labels)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``created_at`` as ISO 8601 with ``Z``."""
        return {
            "kind": self.kind,
            "action": self.action,
            "start": self.start,
            "end": self.end,
            "labels": list(self.labels),
            "who": self.who,
            "created_at": self.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }


def parse_time(value: str) -> datetime:
    """A UTC time from ISO 8601 text (``2026-12-05T10:00:00Z``); a zone-less time is UTC.

    Raises
    ------
    PropwatchError
        When ``value`` is not an ISO 8601 time.
    """
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise PropwatchError(f"time {value!r} is not ISO 8601") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
