"""``propwatch classify``: name the technique of given spans (SemEval-2020 TC)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from propwatch import api, config
from propwatch.cli.output import report_error, user_errors
from propwatch.errors import InputError
from propwatch.io.labels.semeval2020 import read_tc
from propwatch.io.writers.base import write_tsv_rows

HELP = """Fill in the technique of every span of a SemEval-2020 TC template.

TEMPLATE rows are tab-separated: article id, ? (or any technique), start, end (end-exclusive
character offsets into article<ID>.txt). The output has the same rows, in the same order, with
the most probable technique of the scheme in the second column.

\b
Examples:
  propwatch classify --spans test-task-tc-template.tsv \\
      --articles test-articles/ -o tc.tsv
  propwatch classify --spans spans.tsv --articles articles/ -s semeval2023
"""


def classify(
    spans: Path = typer.Option(..., "--spans", help="TC template: id, ?, start, end per row."),
    articles: Path = typer.Option(..., "--articles", help="Folder of article<ID>.txt files."),
    scheme: str = typer.Option(
        config.DEFAULT_SCHEME, "--scheme", "-s", help="Technique scheme: semeval2023, semeval2020."
    ),
    output: str = typer.Option("-", "--output", "-o", help="Output file (- = standard output)."),
) -> None:
    failed: list[InputError] = []

    def on_error(error: InputError) -> None:
        failed.append(error)
        report_error(str(error))

    with user_errors():
        rows = read_tc(spans)
        texts = {a.id: a.text for a in api.articles_from_inputs([str(articles)], on_error)}
        # Imported here: the tagger loads onnxruntime, which --help does not need.
        from propwatch.models.techniques import TechniqueTagger

        tagger = TechniqueTagger().load()
        tagger.check_scheme(scheme)
        filled = api.classify_template(texts, rows, scheme, tagger)
        table = [(r.article_id, r.span.label, r.span.start, r.span.end) for r in filled]
        if output == "-":
            write_tsv_rows(sys.stdout, table)
        else:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                write_tsv_rows(stream, table)
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``classify`` to the ``propwatch`` command."""
    app.command("classify", help=HELP)(classify)
