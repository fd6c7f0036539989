"""What an annotation may say, checked the same way for the REST API and for imported files.

The labels allowed depend on the kind (a table, not a chain of ifs): technique names of the
article's scheme, one speaker name, or a main role followed by fine roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from propwatch.errors import PropwatchError
from propwatch.eval.roles import MAIN_ROLES
from propwatch.schemes import load_scheme
from propwatch.text.annotation import (
    ACCEPT,
    ACTIONS,
    ADD,
    KINDS,
    RELABEL,
    RESIZE,
    ROLE,
    SPEAKER,
    TECHNIQUE,
    Annotation,
)
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
}


def check_annotation(annotation: Annotation, text: str, scheme: str) -> None:
    """Raise :class:`AnnotationError` unless ``annotation`` fits the article.

    Parameters
    ----------
    annotation : Annotation
        The annotation to check.
    text : str
        The article text its offsets index.
    scheme : str
        The article's technique scheme (``"semeval2023"``).

    Raises
    ------
    AnnotationError
        For an unknown kind or action, offsets outside the text or not ``start < end``,
        repeated labels, or labels the kind does not allow.
    """
    if annotation.kind not in KINDS:
        raise AnnotationError(
            f"unknown kind {annotation.kind!r}; choose one of: {', '.join(KINDS)}"
        )
    if annotation.action not in ACTIONS:
        raise AnnotationError(
            f"unknown action {annotation.action!r}; choose one of: {', '.join(ACTIONS)}"
        )
    if not 0 <= annotation.start < annotation.end <= len(text):
        raise AnnotationError(
            f"offsets [{annotation.start}, {annotation.end}) are not inside the text "
            f"(0 <= start < end <= {len(text)})"
        )
    if len(set(annotation.labels)) != len(annotation.labels):
        raise AnnotationError(f"labels {list(annotation.labels)} repeat a label")
    LABEL_CHECKS[annotation.kind](annotation.labels, scheme)


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
