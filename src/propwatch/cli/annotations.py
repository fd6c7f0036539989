"""``propwatch annotations``: export people's corrections to files, import others' files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlalchemy.orm import Session

from propwatch import registry
from propwatch.annotations.store import export_annotations, import_annotations
from propwatch.cli.db import DB_OPTION
from propwatch.cli.output import database_errors, report_error, user_errors
from propwatch.db.engine import make_engine, make_sessionmaker, upgrade
from propwatch.settings import load_settings
from propwatch.text.annotation import LOCAL

HELP = """Export the corrections stored in the database, or import annotation files into it.

jsonl is propwatch's own format and keeps every field; the others (SemEval, Label Studio,
brat) hold the technique spans a person kept, and an import tells accept, relabel, resize
and add apart by comparing each span with the model's spans. An import finds each
annotation's article by the article's id and checks it as the REST API does.
"""

FORMAT_HELP = f"One of: {', '.join(registry.annotation_formats.names())}."


@contextmanager
def database_session(db: str | None) -> Iterator[Session]:
    """A session on the ``--db`` database (else the configured one), its schema up to date."""
    url = load_settings(database_url=db).database_url
    with database_errors(url):
        engine = make_engine(url)
        upgrade(engine)
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def export_command(
    output: Path = typer.Option(
        ..., "-o", "--output", help="File, or folder for semeval2023-spans and brat."
    ),
    format_name: str = typer.Option("jsonl", "--format", help=FORMAT_HELP),
    db: str | None = DB_OPTION,
) -> None:
    """Write every annotated article's annotations in one format."""
    with user_errors(), database_session(db) as session:
        count = export_annotations(session, format_name, output)
        typer.echo(f"wrote the annotations of {count} articles to {output} ({format_name})")


def import_command(
    files: list[Path] = typer.Argument(..., help="Annotation files, or folders of them."),
    format_name: str | None = typer.Option(
        None, "--format", help=f"{FORMAT_HELP} Default: guessed from the file suffixes."
    ),
    who: str = typer.Option(LOCAL, "--who", help="Who the annotations are by, if files don't say."),
    complete: bool = typer.Option(
        False,
        "--complete",
        help="The files list every technique span of their articles (gold labels made "
        "without the model): reject the model's spans they do not keep.",
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Add the annotations of FILES to the stored articles; each bad row is one line on
    stderr, the others are imported (all or none of them). Exit status 1 if a row was bad."""
    with user_errors(), database_session(db) as session:
        report = import_annotations(session, files, format_name, who, complete)
    for problem in report.problems:
        report_error(problem)
    typer.echo(
        f"imported {report.added} annotations ({report.present} already stored, "
        f"{len(report.problems)} rows left out)"
    )
    if report.problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``annotations`` command group to the ``propwatch`` command."""
    group = typer.Typer(help=HELP, no_args_is_help=True)
    group.command("export")(export_command)
    group.command("import")(import_command)
    app.add_typer(group, name="annotations")
