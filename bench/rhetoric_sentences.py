"""Can whole sentences tell the rhetorical techniques the token tagger never names? A probe.

The hand-written sanity suite's straw men, red herrings, whataboutisms, appeals to hypocrisy
or to time and the like are never named by the technique model (``bench/techniques_sanity.py``):
they are moves of an argument over a sentence or two, not loaded words. This probes whether a
sentence-level classifier learns them from the data we have: one class-balanced logistic
regression per technique of :data:`RHETORICAL` (standardised inputs, ``--C``) over each
sentence's vector, fitted on the sentences of the SemEval-2023 training articles and the
CheckThat! 2024 articles (a sentence carries a technique when a gold span of it covers at least
half of the shorter of the two) and on the LOGIC textbook and presidential-debate fallacies
that ``propwatch train techniques --extra logic2022 --extra debates2020`` maps to those
techniques (their span's text as one unit).

``--vectors encoder``: the technique encoder's mean and largest states over the sentence (what
a component could read at run time for free; ``--model`` gives the encoder). ``--vectors
published``: all-MiniLM-L6-v2 as published, a sentence-similarity model (a second encoder at
run time).

At each ``--threshold`` it prints, per technique and in total:

- ``sanity``: the suite's cases of the technique whose marked fragment lies in a sentence
  flagged with it; ``other``: flags on the suite's other SemEval-2023 cases; and the neutral
  texts with any flag (the classifier never saw a suite text);
- ``dev``: sentences of the official dev set's 75 articles flagged, and of those the ones a
  gold span of the technique covers (fitted on all the articles above);
- ``checkthat``: the same for the CheckThat! articles, each third flagged by a classifier
  fitted without it (``bench/checkthat_span_cv.py``'s thirds).

A probe, not a component: a lead would go on to the pipeline's FLC on dev and CheckThat!.

Usage::

    python bench/rhetoric_sentences.py ../shared/data [--vectors encoder|published] \\
        [--model DIR] [--C 0.05] [--threshold 0.9 0.97 0.99]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from article_embeddings import SentenceEncoder, packaged_encoder
from checkthat_span_cv import folds
from propwatch.models.techniques import DEFAULT_MODEL_DIR
from propwatch.models.techniques.tagger import Encoded, TechniqueTagger
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import SENTENCES
from propwatch.text.article import Article
from propwatch.training.techniques.data import (
    CORPORA,
    Corpus,
    GoldSpan,
    load_checkthat2024,
    load_debates2020,
    load_logic2022,
)
from techniques_sanity import NEUTRAL, read_suite

RHETORICAL = (
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
    "Consequential_Oversimplification",
    "Appeal_to_Time",
    "Obfuscation-Vagueness-Confusion",
    "Appeal_to_Popularity",
    "Guilt_by_Association",
    "Conversation_Killer",
    "Appeal_to_Values",
)
Ranges = list[tuple[int, int]]
Vectorise = Callable[[str, Encoded, Ranges], NDArray[np.float32]]


@dataclass(frozen=True)
class Units:
    """Sentences (or snippets) of one text: their vectors and the techniques they carry."""

    key: str
    ranges: Ranges
    vectors: NDArray[np.float32]
    labels: NDArray[np.bool_]


def carried(ranges: Ranges, gold: Sequence[GoldSpan]) -> NDArray[np.bool_]:
    """Which techniques of RHETORICAL each range carries: a gold span of it covers at least
    half of the shorter of the two."""
    labels = np.zeros((len(ranges), len(RHETORICAL)), dtype=bool)
    for row, (start, end) in enumerate(ranges):
        for g_start, g_end, technique in gold:
            overlap = min(end, g_end) - max(start, g_start)
            if technique in RHETORICAL and 0 < overlap >= min(end - start, g_end - g_start) / 2:
                labels[row, RHETORICAL.index(technique)] = True
    return labels


def encoder_vectors(_text: str, encoded: Encoded, ranges: Ranges) -> NDArray[np.float32]:
    """Mean and largest technique-encoder state of the tokens of each range (zeros for a
    range without tokens, such as a line of symbols the tokenizer drops)."""
    offsets = encoded.offsets
    rows = np.zeros((len(ranges), 2 * encoded.hidden.shape[1]), dtype=np.float32)
    for row, (start, end) in enumerate(ranges):
        inside = np.flatnonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))
        if len(inside):
            states = encoded.token_states(int(inside[0]), int(inside[-1]) + 1)
            rows[row] = np.concatenate([states.mean(0), states.max(0)])
    return rows


def published_vectors(encoder: SentenceEncoder) -> Vectorise:
    """Each range's text embedded by the published sentence encoder."""
    return lambda text, _encoded, ranges: encoder([text[s:e] for s, e in ranges])


def sentence_units(
    texts: dict[str, str],
    gold: dict[str, list[GoldSpan]],
    tagger: TechniqueTagger,
    vectorise: Vectorise,
) -> list[Units]:
    """The sentences of each text as the pipeline's ``text`` component splits them, with
    their vectors (the encoder run once per text, no spans decoded)."""
    pipeline = Pipeline.from_names(["text"])
    units = []
    for analysis in pipeline.pipe(Article(id=key, text=texts[key]) for key in sorted(texts)):
        ranges = [(s.start, s.end) for s in analysis.layer(SENTENCES)]
        vectors = vectorise(analysis.text, tagger.encode(analysis.text), ranges)
        units.append(
            Units(analysis.article.id, ranges, vectors, carried(ranges, gold[analysis.article.id]))
        )
        analysis.cache.clear()
    return units


def snippet_units(corpus: Corpus, tagger: TechniqueTagger, vectorise: Vectorise) -> list[Units]:
    """Each gold span of RHETORICAL in ``corpus`` as one unit."""
    units = []
    for key, text in corpus.texts.items():
        ranges = [(s, e) for s, e, t in corpus.spans[key] if t in RHETORICAL]
        if ranges:
            vectors = vectorise(text, tagger.encode(text), ranges)
            units.append(Units(key, ranges, vectors, carried(ranges, corpus.spans[key])))
    return units


Classifier = tuple[StandardScaler, list[LogisticRegression]]


def fit(units: Sequence[Units], C: float) -> Classifier:
    vectors = np.concatenate([u.vectors for u in units])
    labels = np.concatenate([u.labels for u in units])
    scaler = StandardScaler().fit(vectors)
    inputs = scaler.transform(vectors)
    models = [
        LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(inputs, labels[:, j])
        for j in range(len(RHETORICAL))
    ]
    return scaler, models


def probabilities(classifier: Classifier, vectors: NDArray[np.float32]) -> NDArray[np.float64]:
    scaler, models = classifier
    inputs = scaler.transform(vectors)
    return np.stack([m.predict_proba(inputs)[:, 1] for m in models], axis=1)


def flag_counts(
    units: Sequence[Units], probs: Sequence[NDArray[np.float64]], threshold: float
) -> NDArray[np.int64]:
    """Per technique: sentences flagged, flagged and carrying it, carrying it."""
    flagged = np.concatenate(probs) >= threshold
    labels = np.concatenate([u.labels for u in units])
    return np.stack([flagged.sum(0), (flagged & labels).sum(0), labels.sum(0)], axis=1)


def sanity_counts(
    cases: dict[str, str | None],
    units: Sequence[Units],
    probs: Sequence[NDArray[np.float64]],
    threshold: float,
) -> tuple[NDArray[np.int64], int, int]:
    """Per technique (cases, hits: its fragment's sentence flagged with it); flags on the cases
    of other techniques; neutral texts with any flag."""
    table = np.zeros((len(RHETORICAL), 2), dtype=np.int64)
    other = neutral = 0
    for case, p in zip(units, probs, strict=True):
        flags = p >= threshold
        technique = cases[case.key]
        if technique is None:
            neutral += int(flags.any())
        elif technique in RHETORICAL:
            j = RHETORICAL.index(technique)
            table[j] += (1, int(flags[case.labels[:, j], j].any()))
        else:
            other += int(flags.sum())
    return table, other, neutral


def held_out_thirds(
    train: Sequence[Units], extra: Sequence[Units], checkthat: Sequence[Units], C: float
) -> list[NDArray[np.float64]]:
    """Each CheckThat! article's probabilities from a classifier fitted without its third."""
    keys = [u.key for u in checkthat]
    found: dict[str, NDArray[np.float64]] = {}
    for held in folds(keys, 3, 0):
        kept = [u for u in checkthat if u.key not in held]
        classifier = fit([*train, *extra, *kept], C)
        found.update(
            {u.key: probabilities(classifier, u.vectors) for u in checkthat if u.key in held}
        )
    return [found[key] for key in keys]


def print_table(
    threshold: float,
    sanity: tuple[NDArray[np.int64], int, int],
    dev: NDArray[np.int64],
    checkthat: NDArray[np.int64],
    n_neutral: int,
) -> None:
    table, other, neutral = sanity
    print(f"\nthreshold {threshold:g}")
    print(f"  {'technique':<34} {'sanity':>7}  {'dev flagged/right/gold':>22}  {'checkthat':>14}")
    for j, name in enumerate(RHETORICAL):
        print(
            f"  {name:<34} {table[j, 1]:>3}/{table[j, 0]:<3}  {'/'.join(map(str, dev[j])):>22}"
            f"  {'/'.join(map(str, checkthat[j])):>14}"
        )
    totals = [f"{'/'.join(map(str, part.sum(0)))}" for part in (dev, checkthat)]
    print(
        f"  {'all':<34} {table[:, 1].sum():>3}/{table[:, 0].sum():<3}  {totals[0]:>22}"
        f"  {totals[1]:>14}"
    )
    print(f"  flags on other sanity cases {other}; neutral texts flagged {neutral} of {n_neutral}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "data", type=Path, help="Folder holding semeval2023-en/, checkthat2024-en/."
    )
    parser.add_argument("--vectors", choices=("encoder", "published"), default="encoder")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--C", type=float, default=0.05)
    parser.add_argument("--threshold", type=float, nargs="+", default=[0.9, 0.97, 0.99])
    args = parser.parse_args()
    vectorise: Vectorise = encoder_vectors
    if args.vectors == "published":
        vectorise = published_vectors(SentenceEncoder(packaged_encoder()))
    tagger = TechniqueTagger(model_dir=args.model).load()

    def units_of(corpus: Corpus) -> list[Units]:
        return sentence_units(corpus.texts, corpus.spans, tagger, vectorise)

    train = units_of(CORPORA["semeval2023"](args.data, "train"))
    dev = units_of(CORPORA["semeval2023"](args.data, "dev"))
    checkthat = units_of(load_checkthat2024(args.data))
    extra = [
        unit
        for load in (load_logic2022, load_debates2020)
        for unit in snippet_units(load(args.data), tagger, vectorise)
    ]
    suite = read_suite()
    cases = [*suite["semeval2023"], *suite[NEUTRAL]]
    sanity = sentence_units(
        {c.id: c.text for c in cases},
        {c.id: [] if c.technique is None else [(c.start, c.end, c.technique)] for c in cases},
        tagger,
        vectorise,
    )
    classifier = fit([*train, *checkthat, *extra], args.C)
    sanity_probs = [probabilities(classifier, u.vectors) for u in sanity]
    dev_probs = [probabilities(classifier, u.vectors) for u in dev]
    checkthat_probs = held_out_thirds(train, extra, checkthat, args.C)
    techniques = {c.id: c.technique for c in cases}
    for threshold in args.threshold:
        print_table(
            threshold,
            sanity_counts(techniques, sanity, sanity_probs, threshold),
            flag_counts(dev, dev_probs, threshold),
            flag_counts(checkthat, checkthat_probs, threshold),
            len(suite[NEUTRAL]),
        )


if __name__ == "__main__":
    main()
