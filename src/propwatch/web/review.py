"""View model of the article page's review: people's corrections beside the model's output.

The page shows each predicted technique span, each quote's speaker and each cast entity's
role with the latest correction that concerns it (corrected vs predicted), every correction
in the order written, and the scheme's techniques and the main roles to correct with.
``static/review.js`` writes corrections through the REST endpoints
(:mod:`propwatch.web.routers.annotations`) and puts this model's fresh rendering in the page.
Nothing here is HTML; the fragments of text are escaped by the template like the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from propwatch.annotations.check import corrects, scheme_of
from propwatch.eval.roles import MAIN_ROLES
from propwatch.render.view import Glossary, SpanView
from propwatch.schemes import load_scheme
from propwatch.text.analysis import ENTITIES, QUOTES, Analysis
from propwatch.text.annotation import (
    ACCEPT,
    ADD,
    PARAGRAPH,
    REJECT,
    RELABEL,
    RESIZE,
    ROLE,
    SPEAKER,
    TECHNIQUE,
    Annotation,
)

# How the page words each action; what was said follows it.
ACTION_WORDS = {
    ACCEPT: "Accepted",
    REJECT: "Rejected",
    RELABEL: "Relabelled as",
    RESIZE: "Resized",
    ADD: "Added as",
}
# What the page calls the model output a correction is about, by kind.
TARGET_WORDS = {
    TECHNIQUE: "predicted span",
    SPEAKER: "quote",
    ROLE: "entity",
    PARAGRAPH: "paragraph",
}
EXCERPT_CHARS = 160  # longer quotes are cut in the review list


@dataclass(frozen=True, slots=True)
class TechniqueChoice:
    """A technique of the article's scheme, offered when relabelling or adding a span."""

    name: str
    label: str


@dataclass(frozen=True, slots=True)
class Target:
    """Something the model said that a person can correct.

    Parameters
    ----------
    kind : str
        ``technique`` (a technique span), ``speaker`` (a quote) or ``role`` (an entity's
        first mention).
    number : int
        Technique spans: the page's span number; quotes and entities: 1-based, in text order.
    start, end : int
        Character offsets into the text, end-exclusive.
    labels : tuple of str
        What the model said, as an annotation of this kind holds it: the technique, the
        speaker's name, or the main role followed by the fine roles.
    text : str
        The fragment, cut after :data:`EXCERPT_CHARS` characters.
    said : str
        ``labels`` as the page words them.
    """

    kind: str
    number: int
    start: int
    end: int
    labels: tuple[str, ...]
    text: str
    said: str


@dataclass(frozen=True, slots=True)
class Correction:
    """One stored annotation as the page lists it.

    ``summary`` says what was done (``Relabelled as Doubt; Loaded language``), ``text`` is the
    fragment at the annotation's offsets, ``targets`` the numbers of the model's outputs of
    its kind that it corrects (none for an added span), ``target_word`` what those are called.
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
    targets: tuple[int, ...]
    target_word: str


@dataclass(frozen=True, slots=True)
class ReviewView:
    """Everything the review parts of the article page show.

    Attributes
    ----------
    version : int
        The annotations' version the page was drawn from; every write states it.
    corrections : tuple of Correction
        Every annotation of the article, oldest first.
    latest : dict of (str, int) to Correction
        The latest correction concerning each target, by its kind and number.
    quotes, entities : tuple of Target
        The quotes (speakers) and cast entities (roles) to review.
    techniques : tuple of TechniqueChoice
        The scheme's techniques, in scheme order.
    roles : tuple of str
        The main roles a role correction starts with.
    chars : int
        Length of the article text in characters (code points); the script refuses to
        add a span by selection when the page's text has another length (a text with
        carriage returns, which HTML turns into line feeds).
    """

    version: int
    corrections: tuple[Correction, ...]
    latest: dict[tuple[str, int], Correction]
    quotes: tuple[Target, ...]
    entities: tuple[Target, ...]
    techniques: tuple[TechniqueChoice, ...]
    roles: tuple[str, ...]
    chars: int


def corrected(annotation: Annotation, targets: Sequence[Target]) -> tuple[int, ...]:
    """Numbers of the targets of its kind that an annotation corrects (see
    :func:`propwatch.annotations.check.corrects`)."""
    return tuple(
        t.number
        for t in targets
        if t.kind == annotation.kind and corrects(annotation, t.start, t.end, t.labels)
    )


def _words(kind: str, labels: Sequence[str], glossary: Glossary) -> str:
    """Labels of an annotation of ``kind`` as the page says them."""
    if kind in (TECHNIQUE, PARAGRAPH):
        return "; ".join(glossary.label(name) for name in labels)
    if kind == ROLE and len(labels) > 1:
        return f"{labels[0]} ({', '.join(labels[1:])})"
    return ", ".join(labels)


def _summary(annotation: Annotation, glossary: Glossary) -> str:
    words = ACTION_WORDS[annotation.action]
    said = _words(annotation.kind, annotation.labels, glossary)
    if annotation.action in (ACCEPT, REJECT) or not said:
        return words.removesuffix(" as")
    if annotation.action == RESIZE:
        return f"{words} ({said})"
    return f"{words} {said}"


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def targets_of(analysis: Analysis, spans: Sequence[SpanView], glossary: Glossary) -> list[Target]:
    """The technique spans, quotes and cast entities (first mention) of an analysis."""
    text = analysis.text
    found = [
        Target(TECHNIQUE, s.number, s.start, s.end, (s.technique,), s.text, s.label) for s in spans
    ]
    for number, quote in enumerate(analysis.layer(QUOTES), start=1):
        speaker = str(quote.attrs.get("speaker") or "")
        # A quote without a speaker has nothing to accept; it can still be given one.
        labels = (speaker,) if speaker else ()
        fragment = _excerpt(quote.text_of(text))
        found.append(Target(SPEAKER, number, quote.start, quote.end, labels, fragment, speaker))
    seen: set[str] = set()
    for number, mention in enumerate(analysis.layer(ENTITIES), start=1):
        entity = str(mention.attrs.get("entity") or mention.text_of(text))
        if entity in seen or not mention.attrs.get("cast", True):
            continue
        seen.add(entity)
        roles = (mention.label, *map(str, mention.attrs.get("fine_roles", [])))
        said = _words(ROLE, roles, glossary)
        fragment = mention.text_of(text)
        found.append(Target(ROLE, number, mention.start, mention.end, roles, fragment, said))
    return found


def review_view(
    analysis: Analysis,
    spans: Sequence[SpanView],
    version: int,
    annotations: Sequence[Annotation],
    glossary: Glossary,
) -> ReviewView:
    """The review of one stored article.

    Parameters
    ----------
    analysis : Analysis
        The stored analysis: the text the offsets index, its scheme, quotes and entities.
    spans : sequence of SpanView
        The predicted technique spans as the page numbers them.
    version : int
        The annotations' version.
    annotations : sequence of Annotation
        The stored annotations, oldest first.
    glossary : Glossary
        Readable technique labels.
    """
    text = analysis.text
    targets = targets_of(analysis, spans, glossary)
    corrections = tuple(
        Correction(
            id=a.id or 0,
            kind=a.kind,
            action=a.action,
            start=a.start,
            end=a.end,
            text=_excerpt(text[a.start : a.end]),
            summary=_summary(a, glossary),
            who=a.who,
            when=a.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            targets=corrected(a, targets),
            target_word=TARGET_WORDS[a.kind],
        )
        for a in annotations
    )
    # Oldest first: a later correction of a target replaces an earlier one in ``latest``.
    latest = {(c.kind, number): c for c in corrections for number in c.targets}
    scheme = load_scheme(scheme_of(analysis))
    return ReviewView(
        version=version,
        corrections=corrections,
        latest=latest,
        quotes=tuple(t for t in targets if t.kind == SPEAKER),
        entities=tuple(t for t in targets if t.kind == ROLE),
        techniques=tuple(TechniqueChoice(t.name, t.label) for t in scheme.techniques),
        roles=MAIN_ROLES,
        chars=len(text),
    )
