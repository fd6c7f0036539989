"""View model of the article page's review: people's corrections beside the model's spans.

The page shows each predicted technique span with the latest correction that concerns it
(corrected vs predicted), every correction in the order written, and the scheme's techniques
to relabel or add with. ``static/review.js`` writes corrections through the REST endpoints
(:mod:`propwatch.web.routers.annotations`) and puts this model's fresh rendering in the page.
Nothing here is HTML; the fragments of text are escaped by the template like the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from propwatch.render.view import Glossary, SpanView
from propwatch.schemes import load_scheme
from propwatch.text.annotation import (
    ACCEPT,
    ADD,
    REJECT,
    RELABEL,
    RESIZE,
    ROLE,
    SPEAKER,
    TECHNIQUE,
    Annotation,
)
from propwatch.text.span import Span

# How the page words each action; techniques, speakers and roles follow it.
ACTION_WORDS = {
    ACCEPT: "Accepted",
    REJECT: "Rejected",
    RELABEL: "Relabelled as",
    RESIZE: "Resized",
    ADD: "Added",
}
KIND_WORDS = {TECHNIQUE: "technique", SPEAKER: "speaker", ROLE: "role"}


@dataclass(frozen=True, slots=True)
class TechniqueChoice:
    """A technique of the article's scheme, offered when relabelling or adding a span."""

    name: str
    label: str


@dataclass(frozen=True, slots=True)
class Correction:
    """One stored annotation as the page lists it.

    ``summary`` says what was done (``Relabelled as Doubt; Smears``), ``text`` is the fragment
    at the annotation's offsets, ``spans`` the numbers of the predicted spans it corrects
    (none for an added span).
    """

    id: int
    kind: str
    action: str
    start: int
    end: int
    text: str
    summary: str
    who: str
    when: str
    spans: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ReviewView:
    """Everything the review parts of the article page show.

    Attributes
    ----------
    version : int
        The annotations' version the page was drawn from; every write states it.
    corrections : tuple of Correction
        Every annotation of the article, oldest first.
    latest : dict of int to Correction
        The latest technique correction concerning each predicted span, by span number.
    techniques : tuple of TechniqueChoice
        The scheme's techniques, in scheme order.
    chars : int
        Length of the article text in characters (code points); the script refuses to
        add a span by selection when the page's text has another length (a text with
        carriage returns, which HTML turns into line feeds).
    """

    version: int
    corrections: tuple[Correction, ...]
    latest: dict[int, Correction]
    techniques: tuple[TechniqueChoice, ...]
    chars: int


def corrected_spans(annotation: Annotation, spans: Sequence[SpanView]) -> tuple[int, ...]:
    """Numbers of the predicted spans a technique annotation corrects.

    ``accept``, ``reject`` and ``relabel`` name predicted spans by their offsets (every
    technique there); ``resize`` changes the overlapping spans of one of its techniques (as
    :func:`propwatch.annotations.check.infer_action` reads a resize back from a file); an
    added span corrects none.
    """
    if annotation.kind != TECHNIQUE or annotation.action == ADD:
        return ()
    offsets = (annotation.start, annotation.end)
    if annotation.action != RESIZE:
        return tuple(s.number for s in spans if (s.start, s.end) == offsets)
    reviewed = Span(*offsets)
    return tuple(
        s.number
        for s in spans
        if s.technique in annotation.labels and Span(s.start, s.end).overlap(reviewed)
    )


def _summary(annotation: Annotation, glossary: Glossary) -> str:
    words = ACTION_WORDS[annotation.action]
    if annotation.kind != TECHNIQUE:
        named = ", ".join(annotation.labels)
        return f"{words} {KIND_WORDS[annotation.kind]}: {named}"
    labels = "; ".join(glossary.label(name) for name in annotation.labels)
    if annotation.action in (ACCEPT, REJECT):
        return words
    if annotation.action == RELABEL:
        return f"{words} {labels}"
    if annotation.action == RESIZE:
        return f"{words} ({labels})" if labels else words
    return f"{words} as {labels}" if labels else words


def review_view(
    text: str,
    scheme: str,
    spans: Sequence[SpanView],
    version: int,
    annotations: Sequence[Annotation],
    glossary: Glossary,
) -> ReviewView:
    """The review of one article.

    Parameters
    ----------
    text : str
        The article text the offsets index.
    scheme : str
        The technique scheme of the analysis.
    spans : sequence of SpanView
        The predicted technique spans as the page numbers them.
    version : int
        The annotations' version.
    annotations : sequence of Annotation
        The stored annotations, oldest first.
    glossary : Glossary
        Readable technique labels.
    """
    corrections = tuple(
        Correction(
            id=a.id or 0,
            kind=a.kind,
            action=a.action,
            start=a.start,
            end=a.end,
            text=text[a.start : a.end],
            summary=_summary(a, glossary),
            who=a.who,
            when=a.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            spans=corrected_spans(a, spans),
        )
        for a in annotations
    )
    # Oldest first: a later correction of a span replaces an earlier one in ``latest``.
    latest = {number: c for c in corrections for number in c.spans}
    choices = tuple(TechniqueChoice(t.name, t.label) for t in load_scheme(scheme).techniques)
    return ReviewView(version, corrections, latest, choices, len(text))
