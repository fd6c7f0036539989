"""Does the text around a span tell its technique beyond the span's own states? A quick probe.

The span head reads a span's mean, max and first encoder states and its token features
(:func:`~propwatch.models.techniques.heads.span_vector`). The SemEval-2020 TC winners also
read the span's context. Before changing the model, this probes whether the context adds
anything the contextual states do not already carry: the same linear classifier (standardised
inputs, multinomial logistic regression, ``--C``) is fitted on the gold spans of the training
articles and scored on those of the official dev set, once on the span vector alone and once
with the mean state of the ``--context`` tokens on each side appended. Accuracy of the
technique (the TC measure on gold spans), per scheme, with the paired article-bootstrap
standard error of the difference. A probe, not the span head: a gain here is a lead to test
with ``bench/dev_cv.py``, not a result.

``--model`` must be a model whose heads never saw the dev set (its encoder is what matters).

Usage::

    python bench/span_context.py ../shared/data --model DIR [--context 16] [--C 0.1]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from propwatch.models.techniques.heads import span_vector
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.models.techniques.windows import pooled_rows
from propwatch.training.techniques.data import CORPORA, Example
from propwatch.training.techniques.fit import dev_examples, scheme_examples
from propwatch.training.techniques.validate import trained_on_dev
from span_head_accuracy import paired_accuracy

Rows = dict[str, list[tuple[str, NDArray[np.float32], NDArray[np.float32], int]]]


def span_rows(tagger: TechniqueTagger, items: dict[str, tuple[str, Example]], context: int) -> Rows:
    """Per scheme: (article, span vector, context vector, class) of every gold span."""
    rows: Rows = {}
    for key, (text, example) in items.items():
        encoded = tagger.encode(text)
        n_tokens = encoded.hidden.shape[0]
        for first, last, scheme, index in example.spans:
            vector = span_vector(encoded.hidden, encoded.features, first, last)
            left = pooled_rows(encoded.hidden, max(0, first - context), max(1, first))[0]
            right = pooled_rows(
                encoded.hidden, min(last, n_tokens - 1), min(n_tokens, last + context)
            )[0]
            rows.setdefault(scheme, []).append((key, vector, np.concatenate([left, right]), index))
    return rows


def accuracy_by_article(
    train: list[tuple[str, NDArray[np.float32], NDArray[np.float32], int]],
    test: list[tuple[str, NDArray[np.float32], NDArray[np.float32], int]],
    with_context: bool,
    C: float,
) -> dict[str, tuple[int, int]]:
    """Per test article: (spans right, spans)."""

    def inputs(
        rows: list[tuple[str, NDArray[np.float32], NDArray[np.float32], int]],
    ) -> NDArray[np.float32]:
        return np.array([np.concatenate([v, c]) if with_context else v for _k, v, c, _i in rows])

    scaler = StandardScaler().fit(inputs(train))
    model = LogisticRegression(C=C, max_iter=2000).fit(
        scaler.transform(inputs(train)), [i for *_rest, i in train]
    )
    guess = model.predict(scaler.transform(inputs(test)))
    out: dict[str, tuple[int, int]] = {}
    for (key, _v, _c, index), found in zip(test, guess, strict=True):
        right, total = out.get(key, (0, 0))
        out[key] = (right + int(found == index), total + 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding ptc2020/ and semeval2023-en/.")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--context", type=int, default=16, help="Tokens on each side.")
    parser.add_argument("--C", type=float, default=0.1)
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    if trained_on_dev(args.model):
        raise SystemExit(f"{args.model} was trained on the dev set: give a model that was not")
    tagger = TechniqueTagger(model_dir=args.model, threads=2).load()
    tokenizer = args.model / "tokenizer.json"
    _layout, texts, train = scheme_examples(args.data, list(CORPORA), tokenizer, "train")
    train_rows = span_rows(tagger, {k: (texts[k], e) for k, e in train.items()}, args.context)
    dev_rows = span_rows(tagger, dev_examples(args.data, list(CORPORA), tokenizer), args.context)
    rng = np.random.default_rng(0)
    report = {}
    for scheme in sorted(dev_rows):
        plain, wider = (
            accuracy_by_article(train_rows[scheme], dev_rows[scheme], c, args.C)
            for c in (False, True)
        )
        keys = sorted(plain)
        a, b = (np.array([found[k] for k in keys]) for found in (plain, wider))
        alone, with_context, error = paired_accuracy(a, b, args.samples, rng)
        report[scheme] = {
            "spans": int(a[:, 1].sum()),
            "span_alone": round(alone, 4),
            "with_context": round(with_context, 4),
            "standard_error": round(error, 4),
        }
    print(json.dumps({"context": args.context, "C": args.C, **report}, indent=2))


if __name__ == "__main__":
    main()
