"""Genre with the hyperpartisan articles as more examples: measured against the shipped recipe.

The shipped genre model learns ``reporting`` mostly from PolNeAR's US political news of
2015-16, so it knows the topic more than the genre (our wire reports on a bridge or a strike
come out ``opinion``). The SemEval-2019 hyperpartisan articles (645, 2016-18) have no genre,
but their labels and addresses give weak ones of varied topics (local TV news, sport, the
networks' sites): a non-hyperpartisan article whose address names no opinion section
(:data:`OPINION_ADDRESS`) as ``reporting`` (401 of them), and with ``--opinion`` also the 238
hyperpartisan ones as ``opinion``.

Scored as ``bench/genre_style.py`` scores its recipes (the same folds over SemEval-2023 train;
the added articles are trained on in every fold and never scored; then the PTC dev articles,
PolNeAR's dev reports and the sanity texts, a check never tuned on) and compared with the
shipped recipe by a paired article bootstrap over the PTC dev articles.

Usage::

    python bench/genre_data.py ../shared/data --states-cache DIR [--opinion] [--repeats 3]
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import numpy as np

from genre_style import (
    GENRES,
    SANITY,
    TRAINER,
    bootstrap,
    cross_validated,
    genre_parser,
    shifted_check,
)
from propwatch.text.nlp import shared_model
from propwatch.training.article import datasets
from propwatch.training.article.train import Examples, MeanStates

OPINION_ADDRESS = re.compile(r"opinion|commentary|editorial|op-ed|/column|blog|/views?/")
GROUND_TRUTH = "hyperpartisan/ground-truth-training-byarticle-20181122.xml"


def hyperpartisan_genres(data: Path, opinion: bool) -> tuple[list[str], list[str]]:
    """Texts and weak genres of the hyperpartisan articles that get one."""
    truth = ElementTree.parse(data / GROUND_TRUTH).getroot()
    texts, genres = [], []
    for article, text in zip(truth, datasets.hyperpartisan_texts(data), strict=True):
        if article.get("hyperpartisan") == "true":
            if opinion:
                texts.append(text)
                genres.append("opinion")
        elif not OPINION_ADDRESS.search(article.get("url", "")):
            texts.append(text)
            genres.append("reporting")
    return texts, genres


def joined(a: Examples, b: Examples) -> Examples:
    return Examples(a.groups + b.groups, a.inputs + b.inputs, a.labels + b.labels, a.extra)


def main() -> None:
    parser = genre_parser(__doc__.split("\n")[0], repeats=3)
    parser.add_argument("--opinion", action="store_true", help="Hyperpartisan ones as opinion.")
    args = parser.parse_args()
    states = MeanStates(args.states_cache)
    plain = TRAINER.load(args.data, shared_model().parse_many, states)
    texts, genres = hyperpartisan_genres(args.data, args.opinion)
    added = Examples(
        [f"hyperpartisan:{i}" for i in range(len(texts))], [states(t) for t in texts], genres
    )
    dev, check, _ = shifted_check(args.data, states)
    sanity = [json.loads(line) for line in SANITY.read_text(encoding="utf-8").splitlines()]
    sanity_states = np.array([states(row["text"]) for row in sanity])
    recipes = {
        "shipped": lambda e: TRAINER.fit(e, 0),
        "with_hyperpartisan": lambda e: TRAINER.fit(joined(e, added), 0),
    }
    out: dict[str, object] = {"added": dict(Counter(genres))}
    guesses = []
    for name, fit in recipes.items():
        model = fit(plain)
        scored = TRAINER.score(model, check)
        guesses.append(model.predict(np.array(check.inputs))[: len(dev.ids)])
        decided = model.decide(sanity_states)
        right = Counter(
            row["genre"] for row, d in zip(sanity, decided, strict=True) if row["genre"] == d
        )
        out[name] = {
            "cross_validated": cross_validated(plain, fit, args.repeats),
            "ptc_dev": {k: v for k, v in scored.items() if k != "polnear_reports_called_reporting"},
            "polnear_dev_reports_called_reporting": scored["polnear_reports_called_reporting"],
            "sanity_right": {genre: right[genre] for genre in GENRES},
        }
    out["ptc_dev_bootstrap_b_minus_a"] = bootstrap(
        np.array(dev.labels), guesses[0], guesses[1], args.samples
    )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
