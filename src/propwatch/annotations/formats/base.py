"""What an annotation file format is, and what it reads and writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from propwatch.annotations.check import corrects
from propwatch.errors import InputError
from propwatch.text.annotation import PARAGRAPH, REJECT, TECHNIQUE, Annotation
from propwatch.text.span import Span


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    """A stored article with its annotations, as an export sees it.

    Parameters
    ----------
    id : str
        The article's own id (``Article.id``), which the files name it by.
    text : str
        The exact article text the offsets index.
    scheme : str
        The technique scheme of the analysis.
    predictions : tuple of Span
        The model's technique spans (Label Studio shows them as predictions).
    annotations : tuple of Annotation
        The annotations, oldest first.
    """

    id: str
    text: str
    scheme: str
    predictions: tuple[Span, ...]
    annotations: tuple[Annotation, ...]

    def reviewed_spans(self) -> list[Annotation]:
        """The technique spans a person kept (every technique annotation but ``reject``):
        what the span formats hold."""
        return [a for a in self.annotations if a.kind == TECHNIQUE and a.action != REJECT]

    def gold_spans(self) -> list[tuple[int, int, str]]:
        """``(start, end, technique)`` of the technique spans as people say they are: the
        predicted spans no annotation corrects (left as the model gave them) and the reviewed
        spans, in text order."""
        technique_notes = [a for a in self.annotations if a.kind == TECHNIQUE]
        kept = [
            (p.start, p.end, p.label)
            for p in self.predictions
            if not any(corrects(a, p.start, p.end, (p.label,)) for a in technique_notes)
        ]
        reviewed = {(a.start, a.end, t) for a in self.reviewed_spans() for t in a.labels}
        return sorted({*kept, *reviewed})

    def paragraph_labels(self) -> dict[tuple[int, int], tuple[str, ...]]:
        """The techniques people gave whole paragraphs, by the paragraph's offsets (the latest
        annotation of a paragraph wins)."""
        return {(a.start, a.end): a.labels for a in self.annotations if a.kind == PARAGRAPH}


@dataclass(frozen=True, slots=True)
class ReadAnnotation:
    """One annotation read from a file, before it is matched with a stored article.

    Parameters
    ----------
    where : str
        ``file:line`` or ``file: task N`` for messages.
    article_id : str
        The article's id as the file gives it.
    annotation : Annotation
        What the file says; ``action`` is ``""`` when the file does not say (see
        :func:`propwatch.annotations.check.infer_action`).
    text : str or None
        The article text, when the file carries it (checked against the stored one).
    covered : str or None
        The text of the span, when the file carries it (checked against the stored text).
    line : int or None
        For a file that names a paragraph by its line number (1-based, blank lines counted)
        rather than by offsets: the annotation's offsets are those of that line in the stored
        text, found at import.
    """

    where: str
    article_id: str
    annotation: Annotation
    text: str | None = None
    covered: str | None = None
    line: int | None = None


@dataclass
class Reading:
    """What a file gave: its readable annotations and one error per unreadable row."""

    annotations: list[ReadAnnotation] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AnnotationFormat:
    """A file format for annotations, registered in ``registry.annotation_formats``.

    Parameters
    ----------
    name : str
        Registry name, the value of ``--format``.
    suffix : str
        Suffix of its files; an import of a folder reads the files with it.
    folder : bool
        True when an export is a folder of files, False when it is one file.
    keeps : tuple of str
        The :class:`Annotation` fields the format carries; the others are lost on the way
        (an import infers ``action`` and takes ``who`` and ``created_at`` from the import).
    write : callable
        ``write(articles, path)`` writes every article's annotations to ``path``.
    read : callable
        ``read(path) -> Reading`` reads one file.
    description : str
        One line for ``--help`` and the README.
    """

    name: str
    suffix: str
    folder: bool
    keeps: tuple[str, ...]
    write: Callable[[Sequence[AnnotatedArticle], Path], None]
    read: Callable[[Path], Reading]
    description: str


# Span formats keep a reviewed technique span: where it is and its techniques.
SPAN_FIELDS = ("kind", "start", "end", "labels")


def file_stem(article_id: str) -> str:
    """A file name part for an article id, whatever characters it has (no ``/``, no ``..``
    escaping the folder); :func:`article_id_of` reverses it."""
    return quote(article_id, safe="").replace(".", "%2E")


def article_id_of(stem: str) -> str:
    """The article id a :func:`file_stem` was made from."""
    return unquote(stem)


def group_by_offsets(
    spans: Iterable[tuple[int, int, tuple[str, ...]]],
) -> dict[tuple[int, int], tuple[str, ...]]:
    """Labels by ``(start, end)`` of ``(start, end, labels)`` spans, in the order first seen:
    formats with one label per row write a row per label, and readers group them back."""
    grouped: dict[tuple[int, int], tuple[str, ...]] = {}
    for start, end, labels in spans:
        grouped[(start, end)] = grouped.get((start, end), ()) + labels
    return grouped


def reviewed_by_offsets(article: AnnotatedArticle) -> dict[tuple[int, int], tuple[str, ...]]:
    """The techniques of an article's reviewed spans, by offsets."""
    return group_by_offsets((a.start, a.end, a.labels) for a in article.reviewed_spans())


def span_annotations(rows: Sequence[tuple[str, str, Span]]) -> list[ReadAnnotation]:
    """One technique annotation per article and offsets, from ``(where, article_id, span)``
    rows of one label each (``""``: no technique named), in the order first seen."""
    grouped: dict[tuple[str, int, int], tuple[str, tuple[str, ...]]] = {}
    for where, article_id, span in rows:
        key = (article_id, span.start, span.end)
        first_where, labels = grouped.get(key, (where, ()))
        grouped[key] = (first_where, labels + ((span.label,) if span.label else ()))
    return [
        ReadAnnotation(where, article_id, Annotation(TECHNIQUE, "", start, end, labels))
        for (article_id, start, end), (where, labels) in grouped.items()
    ]
