"""What an annotation may say, checked the same way for the REST API and for imported files.

The labels allowed depend on the kind (a table, not a chain of ifs): technique names of the
article's scheme, one speaker name, or a main role followed by fine roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from propwatch import config
from propwatch.errors import PropwatchError
from propwatch.eval.roles import MAIN_ROLES
from propwatch.schemes import load_scheme
from propwatch.text.analysis import (
    ENTITIES,
    PARAGRAPH_TECHNIQUES,
    QUOTES,
    SCHEME_LABEL,
    TECHNIQUES,
    Analysis,
)
from propwatch.text.annotation import (
    ACCEPT,
    ACTIONS,
    ADD,
    KINDS,
    PARAGRAPH,
    REJECT,
    RELABEL,
    RESIZE,
    ROLE,
    SPEAKER,
    TECHNIQUE,
    Annotation,
)
from propwatch.text.segment import paragraphs
from propwatch.text.span import Span


class AnnotationError(PropwatchError):
    """An annotation that cannot be stored; the message names the problem."""


def _techniques(labels: Sequence[str], scheme: str) -> None:
    known = load_scheme(scheme).names
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise AnnotationError(
            f"unknown technique {', '.join(map(repr, unknown))} for scheme {scheme!r}; "
            f"it has: {', '.join(known)}"
        )


def _speaker(labels: Sequence[str], _scheme: str) -> None:
    if len(labels) != 1 or not labels[0].strip():
        raise AnnotationError("a speaker annotation has exactly one label: the speaker's name")


def _role(labels: Sequence[str], _scheme: str) -> None:
    if not labels or labels[0] not in MAIN_ROLES:
        raise AnnotationError(
            f"a role annotation's first label is a main role: {', '.join(MAIN_ROLES)}"
        )


# kind -> check of its labels, given the article's scheme name.
LABEL_CHECKS: dict[str, Callable[[Sequence[str], str], None]] = {
    TECHNIQUE: _techniques,
    SPEAKER: _speaker,
    ROLE: _role,
    PARAGRAPH: _techniques,
}


# kind -> the layer of the model's spans its annotations correct, and what one is called.
PREDICTED_LAYERS = {
    TECHNIQUE: (TECHNIQUES, "technique span"),
    SPEAKER: (QUOTES, "quote"),
    ROLE: (ENTITIES, "entity mention"),
}
# Actions about one predicted span: at its offsets, or (resize) overlapping it.
AT_PREDICTED = (ACCEPT, REJECT, RELABEL)


def scheme_of(analysis: Analysis) -> str:
    """The technique scheme of an analysis (the default for analyses without one)."""
    return str(analysis.labels.get(SCHEME_LABEL, config.DEFAULT_SCHEME))


def paragraph_at(text: str, start: int, end: int) -> Span | None:
    """The paragraph of ``text`` (a non-blank line, ``attrs["line"]`` numbered from 1) whose
    offsets are ``[start, end)``, or None."""
    return next((p for p in paragraphs(text) if (p.start, p.end) == (start, end)), None)


def paragraph_line(text: str, line: int) -> Span | None:
    """The paragraph on line ``line`` (1-based, blank lines counted) of ``text``, or None."""
    return next((p for p in paragraphs(text) if p.attrs["line"] == line), None)


def predicted_paragraph(analysis: Analysis, line: int) -> tuple[str, ...]:
    """The techniques the model gave the paragraph on ``line``, sorted (none when it gave the
    paragraph nothing, or gave no paragraph output at all)."""
    found = analysis.labels.get(PARAGRAPH_TECHNIQUES, ())
    return tuple(sorted(t for item in found if item["line"] == line for t in item["techniques"]))


def paragraph_action(analysis: Analysis, line: int, labels: Sequence[str]) -> str:
    """``accept`` when ``labels`` are the model's techniques of the paragraph, else ``relabel``:
    the action a paragraph label file's row stands for."""
    return ACCEPT if sorted(labels) == list(predicted_paragraph(analysis, line)) else RELABEL


def _check_paragraph(annotation: Annotation, analysis: Analysis) -> None:
    where = f"[{annotation.start}, {annotation.end})"
    if annotation.action not in (ACCEPT, RELABEL):
        raise AnnotationError(
            "a paragraph annotation accepts or relabels the techniques of a paragraph "
            "(relabel with no technique: the paragraph has none)"
        )
    if paragraph_at(analysis.text, annotation.start, annotation.end) is None:
        raise AnnotationError(f"{where} is not a paragraph (one whole non-blank line)")


def _check_target(annotation: Annotation, analysis: Analysis) -> None:
    if annotation.kind == PARAGRAPH:
        _check_paragraph(annotation, analysis)
        return
    layer, name = PREDICTED_LAYERS[annotation.kind]
    predicted = analysis.layer(layer)
    span = Span(annotation.start, annotation.end)
    where = f"[{annotation.start}, {annotation.end})"
    if annotation.action in AT_PREDICTED and not any(
        (p.start, p.end) == (span.start, span.end) for p in predicted
    ):
        raise AnnotationError(
            f"no predicted {name} at {where} to {annotation.action}; "
            "a span the model missed is an 'add'"
        )
    if annotation.action == RESIZE and not any(p.overlap(span) for p in predicted):
        raise AnnotationError(f"no predicted {name} overlaps {where} to resize")


def check_annotation(annotation: Annotation, analysis: Analysis) -> None:
    """Raise :class:`AnnotationError` unless ``annotation`` fits the analysed article.

    Parameters
    ----------
    annotation : Annotation
        The annotation to check.
    analysis : Analysis
        The stored analysis: the text the offsets index, the technique scheme, and the
        predicted spans that ``accept``, ``reject`` and ``relabel`` name by their offsets and
        ``resize`` overlaps.

    Raises
    ------
    AnnotationError
        For an unknown kind or action, offsets outside the text or not ``start < end``,
        repeated labels, labels the kind does not allow, or no predicted span to correct
        (a paragraph annotation: offsets that are not one paragraph, or an action other than
        ``accept`` and ``relabel``).
    """
    if annotation.kind not in KINDS:
        raise AnnotationError(
            f"unknown kind {annotation.kind!r}; choose one of: {', '.join(KINDS)}"
        )
    if annotation.action not in ACTIONS:
        raise AnnotationError(
            f"unknown action {annotation.action!r}; choose one of: {', '.join(ACTIONS)}"
        )
    if not 0 <= annotation.start < annotation.end <= len(analysis.text):
        raise AnnotationError(
            f"offsets [{annotation.start}, {annotation.end}) are not inside the text "
            f"(0 <= start < end <= {len(analysis.text)})"
        )
    if len(set(annotation.labels)) != len(annotation.labels):
        raise AnnotationError(f"labels {list(annotation.labels)} repeat a label")
    LABEL_CHECKS[annotation.kind](annotation.labels, scheme_of(analysis))
    _check_target(annotation, analysis)


def corrects(annotation: Annotation, start: int, end: int, labels: Sequence[str]) -> bool:
    """Whether ``annotation`` corrects the model's span ``[start, end)`` (of the annotation's
    kind) that says ``labels``.

    ``accept``, ``reject`` and ``relabel`` name a predicted span by its offsets; ``resize``
    changes the ones it overlaps (technique spans: those of one of its techniques, as
    :func:`infer_action` reads a resize back from a file); an added span corrects none.
    """
    if annotation.action in AT_PREDICTED:
        return (annotation.start, annotation.end) == (start, end)
    if annotation.action != RESIZE:
        return False
    shared = annotation.kind != TECHNIQUE or bool(set(labels) & set(annotation.labels))
    return shared and Span(start, end).overlap(Span(annotation.start, annotation.end)) > 0


def infer_action(start: int, end: int, labels: Iterable[str], predictions: Sequence[Span]) -> str:
    """The action a reviewed technique span stands for, compared with the predicted spans.

    Span files (SemEval, Label Studio, brat) hold the spans a person kept, not what they did;
    this recovers it: the predicted offsets with the predicted techniques are ``accept``
    (also with no technique named), other techniques ``relabel``; other offsets overlapping a
    predicted span of one of its techniques ``resize``; anything else ``add``.
    """
    wanted = set(labels)
    predicted = {span.label for span in predictions if (span.start, span.end) == (start, end)}
    if predicted:
        return ACCEPT if not wanted or wanted == predicted else RELABEL
    reviewed = Span(start, end)
    if any(span.label in wanted and span.overlap(reviewed) for span in predictions):
        return RESIZE
    return ADD
