"""Genre from style numbers beside the encoder state: measured against the shipped recipe.

The shipped genre model reads the technique encoder's mean state, which knows the topic, and
learns "reporting" mostly from PolNeAR's US political news. Here a second head reads thirty
style numbers that carry genre and not topic (:func:`style_numbers`: regular expressions and
word lists, no parse, about a millisecond per article): first and second person, quoted share
and attributions per sentence, a dateline or agency credit, weekdays and honorifics, hedges,
modal verbs of obligation, evaluative words, negation and contractions, questions and
exclamations, the headline's form, sentence length and spread, past-tense share, digits,
paragraph length. Its log-probabilities (standardised, logistic regression, balanced, C=0.1)
are averaged with those of the shipped recipe's state head (C=0.01), then moved to the same
news prior and ``unsure`` threshold.

Both recipes are scored the same way: cross-validation over SemEval-2023 train as
``bench/article_cv.py genre`` folds it (5 folds by article, stratified by genre, one shuffle
per repeat; PolNeAR's train reports split into the folds, trained on, scored apart), then
fitted on everything and checked on the PTC dev articles (per genre), PolNeAR's dev reports
and the sanity texts of ``tests/fixtures/genre/sanity.jsonl`` (a check, never tuned on). PTC
dev is compared with a paired article bootstrap (the same draws for both recipes; a
difference under two standard errors is noise).

Usage::

    python bench/genre_style.py ../shared/data --states-cache DIR [--repeats 2]
        [--samples 1000]

Prints JSON per recipe (``state``, ``state+style``) and the bootstrap of B - A.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedGroupKFold

from propwatch.eval.measures import macro_f1, per_label
from propwatch.models.article.genre import UNSURE, GenreClassifier
from propwatch.models.article.linear import softmax
from propwatch.models.article.states import StateSoftmax
from propwatch.text.nlp import shared_model
from propwatch.training.article import datasets
from propwatch.training.article.train import TRAINERS, Examples, MeanStates

FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves", "we're", "we've", "let's"})
SECOND_PERSON = frozenset(
    {"you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll"}
)
ATTRIBUTION = frozenset(
    {
        "said", "says", "told", "according", "added", "stated", "announced", "reported",
        "explained", "noted", "asked", "confirmed", "declined", "spokesman", "spokeswoman",
        "spokesperson", "statement",
    }
)  # fmt: skip
HEDGES = frozenset(
    {
        "might", "may", "could", "perhaps", "possibly", "seems", "seem", "apparently", "likely",
        "probably", "suggest", "suggests", "appears", "allegedly", "reportedly",
    }
)  # fmt: skip
OBLIGATION = frozenset({"should", "must", "ought", "need", "needs", "shouldn't", "mustn't"})
EVALUATIVE = frozenset(
    {
        "very", "truly", "absolutely", "totally", "clearly", "obviously", "ridiculous",
        "outrageous", "disgusting", "great", "terrible", "horrible", "stupid", "insane",
        "incredible", "amazing", "shameful", "pathetic", "disgraceful", "evil", "wonderful",
        "awful", "absurd", "sad", "shocking", "simply", "utterly", "really", "just", "even",
        "indeed", "surely", "certainly", "worst", "best", "disaster", "lies", "liar",
    }
)  # fmt: skip
DAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
     "today"}
)  # fmt: skip
# Common past and present forms; words ending in -ed count as past too.
PAST = frozenset({"was", "were", "had", "did", "said", "told", "went", "came", "made", "took"})
PRESENT = frozenset({"is", "are", "has", "does", "says", "do", "am", "tells", "goes", "makes"})
NEGATION = frozenset({"not", "no", "never", "nothing", "nobody"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen"})

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
NUMBER = re.compile(r"\d[\d,.]*")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
QUOTATION = re.compile(r"[\"\u201c][^\"\u201d]{1,600}[\"\u201d]")
# "HARWICK (Agency) -", "PARIS, May 4 -": a place in capitals, maybe a date and an agency.
DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .,'\u2019-]{2,}(?:,\s*[A-Z][a-z]+\.?\s*\d{0,2})?\s*(?:\([^)]{1,40}\))?"
    r"\s*[-\u2013\u2014:]"
)
AGENCY = re.compile(r"\((?:AP|Reuters|AFP|UPI)\)|Associated Press|Reuters|Agence France|Bloomberg")
# A dateline or agency credit opens a report: only the body's first characters are searched.
DATELINE_CHARACTERS = 200
AGENCY_CHARACTERS = 400

STYLE_NAMES = (
    "first_singular_per_100_words",
    "first_plural_per_100_words",
    "second_person_per_100_words",
    "quoted_share",
    "attributions_per_sentence",
    "said_per_sentence",
    "dateline",
    "agency",
    "hedges_per_100_words",
    "obligation_per_100_words",
    "evaluative_per_100_words",
    "questions_per_sentence",
    "exclamations_per_sentence",
    "headline_question",
    "headline_exclamation",
    "headline_capitalised_share",
    "headline_words",
    "headline_colon",
    "sentence_words_mean",
    "sentence_words_spread",
    "past_share",
    "numbers_per_100_words",
    "words_per_paragraph",
    "capitals_words_per_100_words",
    "parentheses_per_sentence",
    "negations_per_100_words",
    "contractions_per_100_words",
    "honorifics_per_100_words",
    "days_per_100_words",
    "log_words",
)


def style_numbers(text: str) -> NDArray[np.float32]:
    """The :data:`STYLE_NAMES` numbers of one article, shape (30,).

    Rates are per 100 words of the body or per sentence (split at ., ! or ? followed by
    space, and at line breaks); flags are 0 or 1. A text of one line is its own body.
    """
    title, _, rest = text.strip().partition("\n")
    body = rest.strip() or text
    tokens = WORD.findall(body)
    lower = [token.lower() for token in tokens]
    count = Counter(lower)
    n_words = max(len(lower), 1)
    sentences = [s for s in SENTENCE_BREAK.split(body) if len(s.strip()) > 1]
    n_sentences = max(len(sentences), 1)
    lengths = np.array([len(WORD.findall(s)) for s in sentences] or [0], dtype=np.float64)
    paragraphs = [p for p in body.split("\n") if p.strip()]
    opening = paragraphs[0] if paragraphs else ""
    headline = WORD.findall(title)
    past = sum(count[w] for w in PAST) + sum(1 for w in lower if w.endswith("ed"))
    present = sum(count[w] for w in PRESENT)

    def per_100(words: frozenset[str]) -> float:
        return 100 * sum(count[w] for w in words) / n_words

    values = (
        per_100(FIRST_SINGULAR),
        per_100(FIRST_PLURAL),
        per_100(SECOND_PERSON),
        sum(len(q) for q in QUOTATION.findall(body)) / max(len(body), 1),
        sum(count[w] for w in ATTRIBUTION) / n_sentences,
        count["said"] / n_sentences,
        float(DATELINE.match(opening[:DATELINE_CHARACTERS]) is not None),
        float(AGENCY.search(body[:AGENCY_CHARACTERS]) is not None),
        per_100(HEDGES),
        per_100(OBLIGATION),
        per_100(EVALUATIVE),
        body.count("?") / n_sentences,
        body.count("!") / n_sentences,
        float(title.strip().endswith("?")),
        float(title.strip().endswith("!")),
        sum(1 for w in headline if w[0].isupper()) / max(len(headline), 1),
        float(len(headline)),
        float(":" in title),
        float(lengths.mean()),
        float(lengths.std()),
        past / (past + present + 1),
        100 * len(NUMBER.findall(body)) / n_words,
        len(lower) / max(len(paragraphs), 1),
        100 * sum(1 for t in tokens if len(t) > 1 and t.isupper()) / n_words,
        body.count("(") / n_sentences,
        per_100(NEGATION),
        100 * sum(1 for w in lower if "'" in w and not w.endswith("'s")) / n_words,
        per_100(HONORIFICS),
        per_100(DAYS),
        math.log(n_words),
    )
    return np.array(values, dtype=np.float32)


# The style head's inverse regularisation strength: 30 numbers, about 1,200 articles.
STYLE_C = 0.1
GENRES = ("opinion", "reporting", "satire")
SANITY = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "genre" / "sanity.jsonl"
TRAINER = TRAINERS["genre"]
# Fits one recipe on some examples (their inputs: states, or states then style numbers).
Fit = Callable[[Examples], Any]


class StyledGenre:
    """The shipped recipe's state head (balanced, no prior) beside a head of ``n_side`` more
    numbers per article; rows are a mean state followed by them (by default the
    :data:`STYLE_NAMES` numbers)."""

    def __init__(self, seed: int, n_side: int = len(STYLE_NAMES)) -> None:
        self.seed = seed
        self.n_side = n_side

    def fit(self, rows: np.ndarray, genres: list[str]) -> StyledGenre:
        self.state = GenreClassifier(prior=None, random_state=self.seed)
        self.state.fit(rows[:, : -self.n_side], genres)
        self.style = StateSoftmax.fit(
            rows[:, -self.n_side :], genres, C=STYLE_C, balanced=True, seed=self.seed
        )
        self.classes_ = self.state.classes_
        self.news = GenreClassifier()  # its prior and unsure threshold
        return self

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        both = [
            self.state.predict_proba(rows[:, : -self.n_side]),
            self.style.proba(rows[:, -self.n_side :]),
        ]
        balanced = softmax(np.log(np.clip(both, 1e-30, 1)).mean(axis=0))
        prior = self.news.prior or {}
        weights = np.array([prior[c] for c in self.classes_])
        shifted = balanced * weights
        return shifted / shifted.sum(axis=1, keepdims=True)

    def predict(self, rows: np.ndarray) -> np.ndarray:
        return self.classes_[self.predict_proba(rows).argmax(axis=1)]

    def decide(self, rows: np.ndarray) -> np.ndarray:
        probabilities = self.predict_proba(rows)
        best = self.classes_[probabilities.argmax(axis=1)]
        return np.where(probabilities.max(axis=1) < self.news.unsure_below, UNSURE, best)


def with_side(
    examples: Examples, texts: list[str], numbers: Callable[[str], NDArray[np.float32]]
) -> Examples:
    """``examples`` (mean states) with each text's side ``numbers`` after its state."""
    rows = [np.concatenate([s, numbers(t)]) for s, t in zip(examples.inputs, texts, strict=True)]
    return Examples(examples.groups, rows, examples.labels)


def cross_validated(examples: Examples, fit: Fit, repeats: int) -> dict[str, dict[str, float]]:
    """Mean and standard error over folds of each scalar score and each genre's F1."""
    groups = np.array(examples.groups)
    found: dict[str, list[float]] = {}
    for repeat in range(repeats):
        folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=repeat)
        for train, test in folds.split(groups, examples.labels, groups):
            report = TRAINER.score(
                fit(examples.subset(set(groups[train]))), examples.subset(set(groups[test]))
            )
            for name, value in report.items():
                if isinstance(value, float):
                    found.setdefault(name, []).append(value)
            for genre, counts in report["per_label"].items():
                found.setdefault(f"f1_{genre}", []).append(counts["f1"])
    return {
        name: {
            "mean": round(float(np.mean(v)), 3),
            "standard_error": round(float(np.std(v) / math.sqrt(len(v))), 3),
        }
        for name, v in found.items()
    }


def genre_f1(truth: list[str], guess: list[str]) -> dict[str, float]:
    """Macro-F1 over the genres seen (the st1 measure) and each genre's F1 (0 when unseen)."""
    per = per_label([[t] for t in truth], [[g] for g in guess])
    return {
        "macro_f1": macro_f1([[t] for t in truth], [[g] for g in guess]),
        **{f"f1_{genre}": per[genre]["f1"] if genre in per else 0.0 for genre in GENRES},
    }


def bootstrap(
    truth: np.ndarray, a: np.ndarray, b: np.ndarray, samples: int
) -> dict[str, dict[str, float]]:
    """B - A on all articles and its standard error over paired article resamples."""
    rng = np.random.default_rng(0)
    differences: dict[str, list[float]] = {}
    for _ in range(samples):
        draw = rng.integers(0, len(truth), len(truth))
        scored = [genre_f1(list(truth[draw]), list(g[draw])) for g in (a, b)]
        for name in scored[0]:
            differences.setdefault(name, []).append(scored[1][name] - scored[0][name])
    whole = [genre_f1(list(truth), list(g)) for g in (a, b)]
    return {
        name: {
            "b_minus_a": round(whole[1][name] - whole[0][name], 3),
            "standard_error": round(float(np.std(v)), 3),
        }
        for name, v in differences.items()
    }


def genre_parser(
    description: str, repeats: int, *, bootstrap: bool = True
) -> argparse.ArgumentParser:
    """The options every genre bench takes: the data folder, repeats, the states cache, and
    bootstrap draws where it ``bootstrap``s."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data", type=Path, help="Folder of the shared training data.")
    parser.add_argument("--repeats", type=int, default=repeats)
    if bootstrap:
        parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument(
        "--states-cache", type=Path, help="Folder of mean encoder states kept between runs."
    )
    return parser


def shifted_check(data: Path, states: MeanStates) -> tuple[datasets.Documents, Examples, list[str]]:
    """The PTC dev articles, and as examples those articles followed by PolNeAR's dev reports
    (their mean states), with the texts of both."""
    dev = datasets.genre_dev_documents(data)
    reports = datasets.polnear_reports(data, "dev")
    texts = dev.texts + reports.texts
    check = Examples(dev.ids + reports.ids, [states(t) for t in texts], dev.labels + reports.labels)
    return dev, check, texts


def compare_side_numbers(
    args: argparse.Namespace, numbers: Callable[[str], NDArray[np.float32]], name: str
) -> dict[str, object]:
    """The shipped recipe (``state``) against it with a second head on each text's side
    ``numbers`` (recipe ``name``), scored as the module docstring says."""
    states = MeanStates(args.states_cache)
    plain = TRAINER.load(args.data, shared_model().parse_many, states)
    texts = (
        datasets.genre_documents(args.data).texts
        + datasets.polnear_reports(args.data, "train").texts
    )
    dev, check, check_texts = shifted_check(args.data, states)
    sanity = [json.loads(line) for line in SANITY.read_text(encoding="utf-8").splitlines()]
    sanity_texts = [row["text"] for row in sanity]
    sanity_rows = Examples(
        [r["id"] for r in sanity], [states(t) for t in sanity_texts], [r["genre"] for r in sanity]
    )
    n_side = len(numbers(sanity_texts[0]))
    recipes: dict[str, tuple[Fit, Callable[[Examples, list[str]], Examples]]] = {
        "state": (lambda e: TRAINER.fit(e, 0), lambda e, _: e),
        name: (
            lambda e: StyledGenre(0, n_side).fit(np.array(e.inputs), e.labels),
            lambda e, t: with_side(e, t, numbers),
        ),
    }
    out: dict[str, object] = {}
    guesses = []
    for recipe, (fit, rows) in recipes.items():
        model = fit(rows(plain, texts))
        scored = TRAINER.score(model, rows(check, check_texts))
        found = model.predict(np.array(rows(check, check_texts).inputs))[: len(dev.ids)]
        guesses.append(found)
        decided = model.decide(np.array(rows(sanity_rows, sanity_texts).inputs))
        right = Counter(g for g, d in zip(sanity_rows.labels, decided, strict=True) if g == d)
        out[recipe] = {
            "cross_validated": cross_validated(rows(plain, texts), fit, args.repeats),
            "ptc_dev": {k: v for k, v in scored.items() if k != "polnear_reports_called_reporting"},
            "ptc_dev_most_probable": dict(Counter(found.tolist())),
            "polnear_dev_reports_called_reporting": scored["polnear_reports_called_reporting"],
            "sanity_right": {genre: right[genre] for genre in GENRES},
            "sanity_decided": dict(Counter(decided.tolist())),
        }
    out["ptc_dev_bootstrap_b_minus_a"] = bootstrap(
        np.array(dev.labels), guesses[0], guesses[1], args.samples
    )
    return out


def main() -> None:
    args = genre_parser(__doc__.split("\n")[0], repeats=2).parse_args()
    print(json.dumps(compare_side_numbers(args, style_numbers, "state+style"), indent=2))


if __name__ == "__main__":
    main()
