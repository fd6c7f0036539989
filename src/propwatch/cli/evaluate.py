"""``propwatch eval``: score a prediction file against gold labels, as the official scorers do."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from propwatch import api
from propwatch.cli.helptext import HELP_WIDTH
from propwatch.cli.output import report_warning, user_errors
from propwatch.eval.result import EvalOptions, Score
from propwatch.eval.runner import scorer_summaries
from propwatch.io.labels.tsv import read_label_list

HELP = """Score predictions (PRED) against gold labels (GOLD) exactly as the shared-task scorers do.

\b
KIND  what is scored (PRED and GOLD formats)
{kinds}

\b
Examples:
  propwatch eval si predictions-si.tsv ptc2020/train-labels-si.tsv
  propwatch eval tc predictions-tc.tsv gold-tc.tsv --json
  propwatch eval st3 pred-st3.txt labels-subtask-3/ --classes techniques.txt
  propwatch eval quotes quotes.tsv polnear/train/attributions --direct-only

{official}
"""

OFFICIAL_NOTE = (
    "The official metric is listed first. Predictions that do not fit the gold labels (missing "
    "articles or paragraphs, other spans for tc) are refused with one line saying why, as the "
    "official scorers refuse them; exit status 1. The exact definitions are in the docstrings "
    "of the propwatch.eval modules."
)


def _help() -> str:
    width = max(len(name) for name in scorer_summaries())
    # Wrapped here with a hanging indent: the block is verbatim (\b) and must fit 80 columns.
    kinds = "\n".join(
        textwrap.fill(
            summary,
            HELP_WIDTH,
            initial_indent=f"  {name:<{width}}  ",
            subsequent_indent=" " * (width + 4),
        )
        for name, summary in scorer_summaries().items()
    )
    return HELP.format(kinds=kinds, official=OFFICIAL_NOTE)


def _number(value: float) -> str:
    return f"{value:.4f}"


def score_tables(score: Score) -> list[Table]:
    """The metric table and, when the scorer has labels, the per-label table."""
    metrics = Table(title=f"propwatch eval {score.kind}")
    metrics.add_column("Metric")
    metrics.add_column("Value", justify="right")
    for name, value in score.metrics.items():
        label = f"{name} (official)" if name == score.official else name
        metrics.add_row(label, _number(value))
    for name, count in score.counts.items():
        metrics.add_row(name, str(count), style="dim")
    tables = [metrics]
    if score.per_label:
        per_label = Table(title="Per label")
        for column in ("Label", "Precision", "Recall", "F1", "Gold", "Predicted"):
            per_label.add_column(column, justify="left" if column == "Label" else "right")
        for row in score.per_label:
            per_label.add_row(
                row.label,
                _number(row.precision),
                _number(row.recall),
                _number(row.f1),
                str(row.support),
                str(row.predicted),
            )
        tables.append(per_label)
    return tables


def eval_command(
    kind: str = typer.Argument(..., help="Scorer name; see the list above."),
    pred: Path = typer.Argument(..., help="Prediction file (or folder, for st3)."),
    gold: Path = typer.Argument(..., help="Gold label file or folder."),
    json_output: bool = typer.Option(
        False, "--json", help="Print the result as JSON on stdout instead of tables."
    ),
    classes: Path | None = typer.Option(
        None,
        "--classes",
        help="File with the task's full label list, one per line (st1, st2, st3); macro-F1 "
        "then matches the official scorer, which counts labels absent from both files.",
    ),
    direct_only: bool = typer.Option(
        False, "--direct-only", help="quotes: score only direct quotes (see docs)."
    ),
    text: Path | None = typer.Option(
        None, "--text", help="quotes: folder of article texts (default: text/ beside GOLD)."
    ),
) -> None:
    with user_errors():
        options = EvalOptions(
            classes=read_label_list(classes) if classes else None,
            direct_only=direct_only,
            text_dir=text,
        )
        score = api.evaluate(kind, pred, gold, options)
    for note in score.notes:
        report_warning(note)
    if json_output:
        typer.echo(json.dumps(score.to_dict(), indent=2))
        return
    console = Console(highlight=False)
    for table in score_tables(score):
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``eval`` to the ``propwatch`` command."""
    app.command("eval", help=_help())(eval_command)
