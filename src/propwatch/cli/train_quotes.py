"""``propwatch train quotes``: train the learned quote-content tagger.

Registers on the ``train`` group of :mod:`propwatch.cli.train`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import typer

from propwatch.cli.output import stderr, user_errors
from propwatch.cli.train import train_app
from propwatch.errors import InputError

HELP = """Train the quote tagger (contents and sources) and write it, scored, to OUT/model.

DATA is the folder holding polnear/ (../shared/data). A third of PolNeAR train (seeded, by
article) is held out and scored with and without the tagger; the model is then fitted on all of
train and scored on PolNeAR dev, which it is never fitted or tuned on (OUT/report.json,
OUT/model/MODEL_CARD.md). It reads the shipped technique encoder's states, so retrain it
whenever that encoder changes. Copy OUT/model into src/propwatch/data/models/quotes to ship it.

\b
Example (how the shipped model was made; about 10 minutes on 2 CPU cores):
  propwatch train quotes --data ../shared/data --out runs/quotes
"""


@train_app.command("quotes", help=HELP)
def quotes(
    data: Path = typer.Option(..., "--data", help="Folder with polnear/."),
    out: Path = typer.Option(..., "--out", help="Output folder."),
    epochs: int = typer.Option(6, "--epochs", min=1, help="Passes over the training articles."),
    seed: int = typer.Option(0, "--seed", help="Seed of the held-out draw, the init, the batches."),
    limit_articles: int = typer.Option(
        0, "--limit-articles", min=0, help="Use only the first N articles of each split; tests."
    ),
    states_cache: Path | None = typer.Option(
        None, "--states-cache", help="Keep the encoder states here, so reruns skip the encoding."
    ),
) -> None:
    # Imported here: torch loads only for this command.
    from propwatch.training.quotes.fit import FitSettings
    from propwatch.training.quotes.run import train_quotes

    with user_errors():
        if not (data / "polnear" / "train" / "text").is_dir():
            raise InputError(str(data / "polnear" / "train"), "no PolNeAR training texts here")
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        out.mkdir(parents=True, exist_ok=True)
        stderr.print("training the quote tagger…", markup=False)
        report = train_quotes(
            data,
            out,
            settings=FitSettings(epochs=epochs, seed=seed),
            states_cache=states_cache,
            limit=limit_articles,
        )
        typer.echo(json.dumps(report))


def register(app: typer.Typer) -> None:
    """Nothing to add to ``app``: importing this module added ``quotes`` to ``train``."""
