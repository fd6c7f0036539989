"""``propwatch batch``: analyse a corpus in parallel, resumably, into one Parquet file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from propwatch import config
from propwatch.batch import BatchOptions, BatchSummary, PipelineSpec, count_inputs, run_batch
from propwatch.cli.output import (
    COMPONENTS_HELP,
    MODEL_HELP,
    database_errors,
    parse_components,
    stderr,
    use_technique_model,
    user_errors,
)
from propwatch.io.readers import ReadOptions

HELP = """Analyse a corpus of articles in parallel and store one result row per article.

INPUT may be a folder (read recursively), a glob in quotes, or files: .txt/.html articles,
JSONL (.jsonl, .jsonl.gz: one {"id", "text", ...} per line), Parquet with one article per row
(--text-column, --id-column), and WARC crawl files (.warc, .warc.gz; main text of each HTML page).
Big files are streamed, so memory stays bounded.

Results go to --out, a Parquet file with one row per (article id, text hash, model version):
status ok with the analysis JSON, or failed with the reason. The job is resumable: after a crash
or kill, run the same command again; stored articles are skipped and every article ends up in
the output exactly once. --retry-failed analyses the failed ones again. With --db, the
analyses are also stored in the web app's database (propwatch serve shows them).

\b
Examples:
  propwatch batch articles/ --out results.parquet
  propwatch batch crawl/*.warc.gz --out results.parquet --workers 8
  propwatch batch news.parquet --text-column body --id-column url \\
      --out results.parquet
  propwatch batch big.jsonl.gz --out results.parquet \\
      --scheduler tcp://10.0.0.5:8786

Exit status 1 when any input failed (the summary lists the reasons).
"""

_TOP_REASONS = 10


class _RateColumn(ProgressColumn):
    """Articles per second over the bar's recent window."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text("-- articles/s" if speed is None else f"{speed:.1f} articles/s")


class _Bar:
    """The Rich progress bar, fed by the runner; the total arrives from a counting thread."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress = progress
        self.task = task

    def advance(self, done: int) -> None:
        self.progress.advance(self.task, done)

    def count_in_background(self, options: BatchOptions) -> None:
        def count() -> None:
            self.progress.update(self.task, total=count_inputs(options))

        threading.Thread(target=count, name="propwatch-count", daemon=True).start()


def _run_with_bar(options: BatchOptions) -> BatchSummary:
    columns = (
        SpinnerColumn(),
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        bar = _Bar(progress, progress.add_task("batch", total=None))
        bar.count_in_background(options)
        return run_batch(options, bar)


def _print_summary(summary: BatchSummary, out: Path) -> None:
    rate = summary.analysed / summary.elapsed_s if summary.elapsed_s else 0.0
    stderr.print(
        f"analysed {summary.analysed}, skipped {summary.skipped} (stored before or repeated), "
        f"failed {summary.failed} in {summary.elapsed_s:.1f} s ({rate:.2f} articles/s); "
        f"{out} holds {summary.rows_stored} rows (models {summary.model_version})",
        markup=False,
    )
    if summary.reasons:
        table = Table("failures", "reason", title="Failed inputs by reason", title_justify="left")
        for reason, count in summary.reasons.most_common(_TOP_REASONS):
            table.add_row(str(count), Text(reason))
        stderr.print(table)


def batch(
    inputs: list[str] = typer.Argument(..., help="Folders, globs or files to analyse."),
    out: Path = typer.Option(
        Path("results.parquet"), "--out", "-o", help="Parquet file that receives the results."
    ),
    db: str | None = typer.Option(
        None,
        "--db",
        help="Also store the analyses in the web app's database at this SQLAlchemy URL "
        "(sqlite:///propwatch.db, postgresql+psycopg://...), each once, after the run.",
        show_default=False,
    ),
    workers: int = typer.Option(
        os.cpu_count() or 1,
        "--workers",
        "-w",
        min=1,
        help="Worker processes on this machine (each loads the models once).",
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Run on this Dask cluster instead (tcp://HOST:8786); --workers is then ignored.",
    ),
    limit: int | None = typer.Option(
        None, "--limit", min=1, help="Read only the first N inputs (articles or bad inputs)."
    ),
    retry_failed: bool = typer.Option(
        False, "--retry-failed", help="Analyse again the inputs that failed in earlier runs."
    ),
    text_column: str = typer.Option("text", "--text-column", help="Parquet column of the text."),
    id_column: str = typer.Option("id", "--id-column", help="Parquet column of the article id."),
    scheme: str = typer.Option(
        config.DEFAULT_SCHEME, "--scheme", "-s", help="Technique scheme: semeval2023, semeval2020."
    ),
    components: str | None = typer.Option(
        None,
        "--components",
        help=COMPONENTS_HELP,
        show_default=False,
    ),
    chunk_size: int = typer.Option(8, "--chunk-size", min=1, help="Articles per Dask task."),
    flush_rows: int = typer.Option(
        256,
        "--flush-rows",
        min=1,
        help="Rows per result part file (also written every 5 s); smaller redoes less after a "
        "crash.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    model: Path | None = typer.Option(None, "--model", help=MODEL_HELP, show_default=False),
) -> None:
    options = BatchOptions(
        inputs=tuple(inputs),
        out=out,
        spec=PipelineSpec(scheme=scheme, components=parse_components(components)),
        read_options=ReadOptions(text_column=text_column, id_column=id_column),
        workers=workers,
        scheduler=scheduler,
        limit=limit,
        retry_failed=retry_failed,
        chunk_size=chunk_size,
        flush_rows=flush_rows,
    )
    with user_errors():
        use_technique_model(model)
        show_bar = not quiet and stderr.is_terminal
        summary = _run_with_bar(options) if show_bar else run_batch(options)
        if not quiet:
            _print_summary(summary, out)
        if db is not None:
            from propwatch.batch.database import export_to_db  # SQLAlchemy only when asked

            with database_errors(db):
                added = export_to_db(out, db)
            if not quiet:
                stderr.print(f"database: {added} analyses added", markup=False)
    if summary.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``batch`` to the ``propwatch`` command."""
    app.command("batch", help=HELP)(batch)
