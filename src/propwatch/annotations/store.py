"""Export the stored annotations to a file format, and import files into the database.

An import matches each annotation to a stored article by the article's own id (the newest
analysis when the article was analysed several times), checks it as the REST API does, and
adds every good one in one transaction; each bad row is one line of the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from propwatch import registry
from propwatch.annotations.check import (
    check_annotation,
    corrects,
    infer_action,
    paragraph_action,
    paragraph_line,
    scheme_of,
)
from propwatch.annotations.formats.base import (
    AnnotatedArticle,
    AnnotationFormat,
    ReadAnnotation,
    group_by_offsets,
)
from propwatch.db import repo
from propwatch.errors import InputError, PropwatchError
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.annotation import LOCAL, REJECT, TECHNIQUE, Annotation


def annotation_format(name: str) -> AnnotationFormat:
    """The registered format ``name``; the error lists the known ones."""
    found: AnnotationFormat = registry.annotation_formats.get(name)
    return found


def annotated_article(analysis: Analysis, annotations: Sequence[Annotation]) -> AnnotatedArticle:
    """A stored analysis with its predictions and ``annotations``, as formats write it."""
    return AnnotatedArticle(
        id=analysis.article.id,
        text=analysis.text,
        scheme=scheme_of(analysis),
        predictions=tuple(analysis.layer(TECHNIQUES)),
        annotations=tuple(annotations),
    )


def export_annotations(session: Session, format_name: str, path: Path) -> int:
    """Write every annotated article's annotations to ``path``; return how many articles.

    Raises
    ------
    PropwatchError
        For an unknown format, or a ``path`` that cannot be written (its folders are made).
    """
    found = annotation_format(format_name)
    articles = [
        annotated_article(repo.to_analysis(row), notes)
        for row, notes in repo.annotated_articles(session)
    ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        found.write(articles, path)
    except OSError as error:
        raise PropwatchError(f"{path}: cannot write ({error.strerror or error})") from None
    return len(articles)


@dataclass
class ImportReport:
    """What an import did: annotations added, already stored, and one line per bad row."""

    added: int = 0
    present: int = 0
    problems: list[str] = field(default_factory=list)


def files_to_read(paths: Sequence[Path], found: AnnotationFormat) -> list[Path]:
    """``paths``, with each folder replaced by its files with the format's suffix, sorted."""
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix == found.suffix))
        else:
            files.append(path)
    return files


def guess_format(paths: Sequence[Path]) -> str:
    """The format of ``paths`` by suffix (a folder: brat if it holds ``.ann`` files).

    Raises
    ------
    PropwatchError
        When the suffixes name no format or several (SemEval files are all ``.txt``).
    """
    suffixes = set()
    for path in paths:
        inner = {p.suffix for p in path.iterdir()} if path.is_dir() else {path.suffix}
        suffixes |= {".ann"} if ".ann" in inner else inner
    names = [n for n in registry.annotation_formats if annotation_format(n).suffix in suffixes]
    if len(names) != 1:
        known = ", ".join(registry.annotation_formats)
        raise PropwatchError(f"cannot tell the format of these files; give --format: {known}")
    return names[0]


def _checked(item: ReadAnnotation, analysis: Analysis, who: str, now: datetime) -> Annotation:
    if item.text is not None and item.text != analysis.text:
        raise PropwatchError(f"the text of article {item.article_id!r} differs from the stored one")
    annotation = item.annotation
    if item.line is not None:
        paragraph = paragraph_line(analysis.text, item.line)
        if paragraph is None:
            raise PropwatchError(f"line {item.line} of the stored article is not a paragraph")
        action = paragraph_action(analysis, item.line, annotation.labels)
        annotation = replace(
            annotation,
            action=action,
            start=paragraph.start,
            end=paragraph.end,
            who=who,
            created_at=now,
        )
    elif not annotation.action:
        predicted = analysis.layer(TECHNIQUES)
        action = infer_action(annotation.start, annotation.end, annotation.labels, predicted)
        annotation = replace(annotation, action=action, who=who, created_at=now)
    check_annotation(annotation, analysis)
    covered = analysis.text[annotation.start : annotation.end]
    if item.covered is not None and item.covered != covered:
        raise PropwatchError(
            f"the span [{annotation.start}, {annotation.end}) covers {covered!r} in the stored "
            f"article, not {item.covered!r}"
        )
    return annotation


def rejections(
    analysis: Analysis, annotations: Sequence[Annotation], who: str, now: datetime
) -> list[Annotation]:
    """``reject`` annotations for the model's technique spans that none of ``annotations``
    corrects: what a file that lists every technique span of the article says of the others.

    A reject names the predicted offsets with every technique the model gave there, as the
    page's reject button does.
    """
    notes = [a for a in annotations if a.kind == TECHNIQUE]
    if not notes:  # paragraph labels, speakers or roles say nothing of the technique spans
        return []
    predicted = analysis.layer(TECHNIQUES)
    left = {
        (p.start, p.end)
        for p in predicted
        if not any(corrects(a, p.start, p.end, (p.label,)) for a in notes)
    }
    at = group_by_offsets((p.start, p.end, (p.label,)) for p in predicted)
    return [
        Annotation(TECHNIQUE, REJECT, start, end, at[(start, end)], who, now)
        for start, end in sorted(left)
    ]


def import_annotations(
    session: Session,
    paths: Sequence[Path],
    format_name: str | None = None,
    who: str = LOCAL,
    complete: bool = False,
) -> ImportReport:
    """Read annotation files and add their good annotations to the stored articles.

    Parameters
    ----------
    session : Session
        An open session on the database.
    paths : sequence of Path
        Files, or folders of files with the format's suffix.
    format_name : str or None
        A registered format; None guesses it from the suffixes (:func:`guess_format`).
    who : str, default="local"
        Who the annotations are by, where the format does not say.
    complete : bool, default=False
        The files list every technique span of the articles they give spans of (gold
        annotations made without the model, such as a shared task's): the model's spans of
        those articles that no imported annotation corrects are rejected (:func:`rejections`).
        Without it, spans a file does not mention stay as the model gave them.

    Returns
    -------
    ImportReport
        Counts and one ``where: problem`` line per row left out; nothing is written unless
        every good row can be.

    Raises
    ------
    PropwatchError
        For an unknown format, one that cannot be guessed, or an export-only one.
    """
    found = annotation_format(format_name or guess_format(paths))
    report = ImportReport()
    read: list[ReadAnnotation] = []
    for path in files_to_read(paths, found):
        try:
            reading = found.read(path)
        except InputError as error:  # the file itself: missing, not UTF-8
            report.problems.append(str(error))
            continue
        report.problems.extend(str(problem) for problem in reading.problems)
        read.extend(reading.annotations)
    stored = repo.articles_by_source_id(session, {item.article_id for item in read})
    # The newest analysis of each article id, read once.
    analyses = {key: (rows[-1].id, repo.to_analysis(rows[-1])) for key, rows in stored.items()}
    now = datetime.now(UTC)
    batches: dict[int, list[Annotation]] = {}
    for item in read:
        if item.article_id not in analyses:
            report.problems.append(f"{item.where}: no stored article with id {item.article_id!r}")
            continue
        row_id, analysis = analyses[item.article_id]
        try:
            annotation = _checked(item, analysis, who, now)
        except PropwatchError as error:
            report.problems.append(f"{item.where}: {error}")
            continue
        batches.setdefault(row_id, []).append(annotation)
    if complete:
        for row_id, analysis in analyses.values():
            if row_id in batches:
                batches[row_id] += rejections(analysis, batches[row_id], who, now)
    report.added = repo.import_annotations(session, batches)
    report.present = sum(map(len, batches.values())) - report.added
    return report
