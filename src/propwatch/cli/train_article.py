"""``propwatch train article``: train the article-level models.

Registers on the ``train`` group of :mod:`propwatch.cli.train`.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from propwatch.cli.output import stderr, user_errors
from propwatch.cli.train import train_app
from propwatch.errors import UnknownNameError
from propwatch.text.nlp import shared_model

HELP = """Train the article-level models and write them, with validation scores, to OUT.

DATA is the folder holding semeval2023-en/ and semeval2025-en/ (../shared/data). For each KIND
(genre, frames, narratives, roles, cast, or all), 20% of the documents (seeded, by document)
are held out and scored per label (OUT/<kind>-validation.json); the model is then refitted on
all documents and saved as OUT/<kind>.npz. Copy the .npz files into
src/propwatch/data/models/article to ship them.

\b
Example (reproduces the shipped models, a few minutes on 2 CPU cores):
  propwatch train article all --data ../shared/data --out runs/article
  propwatch train article narratives --data ../shared/data --out runs/val \\
      --validation-only
"""


@train_app.command("article", help=HELP)
def article(
    kinds: list[str] = typer.Argument(..., help="genre, frames, narratives, roles, cast, or all."),
    data: Path = typer.Option(..., "--data", help="Folder with semeval2023-en/, semeval2025-en/."),
    out: Path = typer.Option(..., "--out", help="Output folder."),
    seed: int = typer.Option(0, "--seed", help="Seed of the validation split and the solvers."),
    validation_only: bool = typer.Option(
        False,
        "--validation-only",
        help="Save the model fitted on the 80% training part, to score it end to end.",
    ),
    states_cache: Path | None = typer.Option(
        None,
        "--states-cache",
        help="Keep texts' mean encoder states in this folder, so reruns skip the encoding.",
    ),
) -> None:
    # Imported here so that other commands do not pay for scikit-learn at start-up.
    from propwatch.training.article.train import TRAINERS, train

    with user_errors():
        names = list(TRAINERS) if kinds == ["all"] else kinds
        for name in names:
            if name not in TRAINERS:
                raise UnknownNameError("model kind", name, [*TRAINERS, "all"])
        out.mkdir(parents=True, exist_ok=True)
        for name in names:
            stderr.print(f"training {name}…", markup=False)
            report = train(
                name,
                data,
                out,
                seed=seed,
                parse=shared_model().parse_many,
                validation_only=validation_only,
                states_cache=states_cache,
            )
            summary = {k: v for k, v in report["validation"].items() if not k.startswith("per_")}
            typer.echo(json.dumps({"kind": name, "seconds": report["seconds"], **summary}))


def register(app: typer.Typer) -> None:
    """Nothing to add to ``app``: importing this module added ``article`` to ``train``."""
