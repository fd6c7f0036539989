"""``propwatch analyze``: read articles, run the pipeline, write one output format."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from propwatch import api, config, registry
from propwatch.cli.output import (
    COMPONENTS_HELP,
    MODEL_HELP,
    parse_components,
    report_error,
    report_warning,
    stderr,
    use_technique_model,
    user_errors,
)
from propwatch.errors import InputError, PropwatchError
from propwatch.io.labels.semeval2025 import read_entity_mentions
from propwatch.io.readers import ReadOptions
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article

STDOUT = "-"

HELP = """Find persuasion techniques in articles and write them in one format.

PATH may be a file (.txt in the PTC layout: title, empty line, body; .html; .jsonl), a folder
(read recursively), a glob in quotes, or - for standard input.

\b
Examples:
  propwatch analyze --example
  propwatch analyze article123.txt --format html -o report.html
  propwatch analyze articles/ --format semeval-flc -o predictions.txt
  cat story.txt | propwatch analyze - --format csv

A bad input, or an article whose analysis fails, prints one line naming it on stderr; the other
inputs are still written, and the exit status is 1 at the end. Exit status 2 means the command
line itself was wrong.
"""


def _format_help() -> str:
    names = ", ".join(registry.writers.names())
    return f"Output format: {names}. Default: taken from the -o suffix, else json."


def _input_help() -> str:
    names = ", ".join(registry.readers.names())
    return f"Read every input as this format ({names}). Default: by file suffix; - is txt."


def _with_warnings(articles: Iterable[Article]) -> Iterator[Article]:
    for article in articles:
        for warning in article.meta.get("warnings", ()):
            report_warning(warning)
        yield article


def _with_progress(analyses: Iterator[Analysis], enabled: bool) -> Iterator[Analysis]:
    """Show a transient progress line on stderr while ``analyses`` is consumed."""
    if not enabled:
        yield from analyses
        return
    columns = (SpinnerColumn(), TextColumn("analysed {task.completed} articles"), BarColumn())
    with Progress(*columns, TimeElapsedColumn(), console=stderr, transient=True) as progress:
        task = progress.add_task("analyse", total=None)
        for analysis in analyses:
            yield analysis
            progress.advance(task)


@contextmanager
def _output(output: str | None) -> Iterator[TextIO]:
    """The stream to write to; an output that cannot be opened, written or closed (a missing
    or read-only folder, a full disk) ends the run with one error line naming it."""
    if output is None or output == STDOUT:
        yield sys.stdout
        return
    try:
        # newline="" keeps the writers' "\n" line ends on every platform.
        with open(output, "w", encoding="utf-8", newline="") as stream:
            yield stream
    except OSError as error:  # readers report their own OSErrors, so this one is the output's
        reason = error.strerror or str(error)
        raise PropwatchError(f"{output}: cannot write the output ({reason})") from None


def analyze(
    paths: list[str] = typer.Argument(None, show_default=False, help="Files, folders, globs or -."),
    scheme: str = typer.Option(
        config.DEFAULT_SCHEME, "--scheme", "-s", help="Technique scheme: semeval2023, semeval2020."
    ),
    format_name: str | None = typer.Option(
        None, "--format", "-f", help=_format_help(), show_default=False
    ),
    output: str | None = typer.Option(
        None, "--output", "-o", help="Write here instead of standard output (- = stdout)."
    ),
    min_confidence: float = typer.Option(
        0.0, "--min-confidence", min=0.0, max=1.0, help="Drop techniques scored below this."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or warnings."),
    example: bool = typer.Option(
        False, "--example", help="Also analyse the example article bundled with propwatch."
    ),
    input_format: str | None = typer.Option(
        None, "--input-format", help=_input_help(), show_default=False
    ),
    entities: str | None = typer.Option(
        None,
        "--entities",
        help="SemEval-2025 mention list (doc, entity, start, end-inclusive): give entity roles "
        "to exactly these mentions (use with --format semeval2025-st1) instead of NER.",
        show_default=False,
    ),
    id_from: str = typer.Option(
        "auto",
        "--id-from",
        help="Article id from the file name: auto (digits of article<ID>.txt, full name of "
        "SemEval-2025 files, else the stem), digits, stem or name.",
    ),
    components: str | None = typer.Option(
        None, "--components", help=COMPONENTS_HELP, show_default=False
    ),
    model: Path | None = typer.Option(None, "--model", help=MODEL_HELP, show_default=False),
    explain: bool = typer.Option(
        False,
        "--explain",
        help="Add to each technique span the words that weighed most for its technique "
        "(weighed_words; about 0.4 s per span).",
    ),
) -> None:
    inputs = [*(paths or []), *([str(api.example_path())] if example else [])]
    if not inputs:
        raise typer.BadParameter("give at least one PATH, or --example", param_hint="PATH")
    failed: list[InputError] = []

    def on_error(error: InputError) -> None:
        failed.append(error)
        report_error(str(error))

    with user_errors():
        use_technique_model(model)
        pipeline = api.load_pipeline(scheme=scheme, components=parse_components(components))
        chosen = format_name or (
            api.format_for_path(output) if output not in (None, STDOUT) else api.DEFAULT_FORMAT
        )
        writer = api.resolve_writer(chosen, pipeline)
        options = ReadOptions(format=input_format, id_from=id_from)
        articles = api.articles_from_inputs(inputs, on_error, options=options)
        if entities is not None:
            # The roles component loads spaCy; only --entities needs it here, not --help.
            from propwatch.components.roles import attach_mentions

            articles = attach_mentions(articles, read_entity_mentions(Path(entities)))
        if not quiet:
            articles = _with_warnings(articles)
        analyses = api.analyze_articles(
            articles, pipeline, min_confidence=min_confidence, on_error=on_error
        )
        if explain:
            analyses = api.explain_analyses(analyses)
        show_progress = not quiet and stderr.is_terminal
        with _output(output) as stream:
            writer.write(_with_progress(analyses, show_progress), stream)
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to the ``propwatch`` command."""
    app.command("analyze", help=HELP)(analyze)
