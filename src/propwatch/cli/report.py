"""``propwatch report``: technique, voice and narrative statistics of a batch, as HTML."""

from __future__ import annotations

from pathlib import Path

import typer

from propwatch.cli.output import stderr, user_errors
from propwatch.render.corpus import GROUPINGS
from propwatch.render.corpus_report import write_report

HELP = """Write an HTML report of a propwatch batch result: technique, voice and narrative
statistics with charts, by outlet or by month.

The page is one self-contained file (CSS in the page and SVG charts, no scripts, nothing loaded
from the network), safe to open even though outlet names and labels come from the articles.
Articles without an outlet are counted under "(no outlet)".

\b
Examples:
  propwatch batch articles/ --out results.parquet
  propwatch report results.parquet --by outlet -o report.html
  propwatch report results.parquet --by month -o months.html
"""


def report(
    results: Path = typer.Argument(..., help="Parquet file written by propwatch batch."),
    by: str = typer.Option("outlet", "--by", help=f"Group articles by: {', '.join(GROUPINGS)}."),
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="HTML file to write."),
    top: int = typer.Option(10, "--top", min=1, help="Techniques, speakers, narratives ranked."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line."),
) -> None:
    with user_errors():
        view = write_report(results, by, output, top=top)
    if not quiet:
        stderr.print(
            f"{output}: {view.articles} articles in {len(view.group_names)} {by} groups, "
            f"{view.spans} technique spans",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``propwatch`` command."""
    app.command("report", help=HELP)(report)
