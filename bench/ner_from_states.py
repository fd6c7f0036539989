"""Could the technique encoder's states stand in for spaCy's named entity recogniser?

Issue 19: spaCy's NER is about 0.058 CPU-s of an article's 0.32 (its own tok2vec and its
transition decoder), while the technique encoder's contextual states (MiniLM, 384 floats per
wordpiece) are computed for every article anyway. This measures, without touching the shipped
pipeline, whether a token head over those states reproduces the entities the pipeline reads:

1. Silver labels: unlabelled news that is not PTC (the SemEval-2019 hyperpartisan articles and
   PolNeAR texts) is parsed by the shared spaCy model (:func:`~propwatch.text.nlp.shared_model`,
   NER included) and encoded by the shipped technique tagger. Each spaCy token (whitespace left
   out) gets the state of its first wordpiece, the tagger's cheap word features (casing above
   all: the encoder is uncased) and spaCy's BIO tag over its 18 OntoNotes labels. One ``.npz``
   per article is kept under ``--cache`` and read back on the next run.
2. A token head, fitted on the training articles (torch, one thread) and run with numpy: a
   softmax layer (``linear``), one hidden layer of ``--hidden`` units (``mlp``), and the same
   with the word features of the tokens before and after (``mlp_neighbours``). Tags are
   decoded per article (an ``I-`` tag that does not continue its entity starts one).
3. Agreement with spaCy on held-out articles (a fifth of hyperpartisan by a seeded shuffle,
   and PolNeAR's dev texts, another source and year, as a shifted set): entity-level
   exact-match precision, recall and F1 per label and micro over all labels and over the four
   the entities layer keeps; the same with the four labels merged (what the quote rules'
   ``SPEAKER_ENTITY_LABELS`` and ``HEARER_ENTITIES`` tests see); token-level F1 of
   ``ent_type_ == "PERSON"``, of the four-label set and of ``DATE``/``TIME`` (the attributes
   that speakers, clauses and roles read token by token). Micro F1 comes with a bootstrap
   standard error over articles.
4. Run-time cost on the first ``--timed`` held-out articles: spaCy's ``ner`` pipe alone on
   docs parsed without it, against the head (rows, matmul, decoding and ``Doc.set_ents``) on
   the same docs, both with one BLAS thread, in CPU-seconds per article.

Usage::

    .venv/bin/python bench/ner_from_states.py ../shared/data --cache /tmp/q19ner \
        --polnear-train 100 --epochs 8

Measured 6 Dec 2026 with that command (616 training articles, 129 held out, 84 shifted; the
first run parses and encodes about 830 articles, 30 minutes at nice 19 on a loaded 2-core
machine, then 15 minutes): the best head, ``mlp_neighbours``, agrees with spaCy on held-out
entities at micro F1 0.60 ± 0.02 (PERSON 0.68, ORG 0.44, GPE 0.70, NORP 0.83, DATE 0.62, TIME
0.38), 0.70 for the four layer labels merged, 0.84 token by token for the four; at 0.004
CPU-s per article against NER's 0.053. Far from a drop-in replacement: ORG and PERSON are
confused. Adding the encoder's own input embedding of each token's first wordpiece (its
int8 table dequantized, a one-off check outside this script) changed nothing (held-out 0.597,
layer 0.618), so the words' identity is not what the contextual states lack.

Prints one JSON object (also written to ``--out`` when given).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propwatch.components.technique_model import default_tagger
from propwatch.models.techniques.features import N_FEATURES
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.text.nlp import SpacyModel, shared_model
from propwatch.text.threads import one_blas_thread
from propwatch.training.article.datasets import hyperpartisan_texts

OUTSIDE = "O"
# What the pipeline reads: the entities layer (and the quote rules' speaker and hearer sets)
# keep these four; the quote clauses also read DATE and TIME; roles read every label.
LAYER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
TIME_LABELS = ("DATE", "TIME")
HELD_OUT_SHARE = 0.2
BOOTSTRAP = 200
Spans = set[tuple[int, int, str]]


@dataclass(frozen=True)
class Sample:
    """One article's spaCy tokens: features, silver tags and character bounds.

    Attributes
    ----------
    key : str
    x : ndarray of float32, shape (n_tokens, hidden_size + n_features)
        First wordpiece state and word features of each token (zeros if no wordpiece).
    y : ndarray of int64, shape (n_tokens,)
        Index of spaCy's tag in the tag list (``O``, then ``B-``/``I-`` per label).
    """

    key: str
    x: NDArray[np.float32]
    y: NDArray[np.int64]


def tag_names(labels: Sequence[str]) -> list[str]:
    """``O``, then ``B-label`` and ``I-label`` for each label."""
    return [OUTSIDE] + [f"{prefix}-{label}" for label in labels for prefix in "BI"]


def first_pieces(offsets: NDArray[np.int64], bounds: NDArray[np.int64]) -> NDArray[np.int64]:
    """Per token ``[start, end)`` of ``bounds``, the first wordpiece of ``offsets`` that
    overlaps it, or -1 where none does."""
    if len(offsets) == 0:
        return np.full(len(bounds), -1, dtype=np.int64)
    piece = np.searchsorted(offsets[:, 1], bounds[:, 0], side="right")
    inside = piece < len(offsets)
    inside[inside] = offsets[piece[inside], 0] < bounds[inside, 1]
    return np.where(inside, piece, -1)


def token_inputs(
    hidden: NDArray[np.float32], features: NDArray[np.float32], pieces: NDArray[np.int64]
) -> NDArray[np.float32]:
    """The head's input rows: state and features of each token's first wordpiece."""
    both = np.concatenate([hidden, features], axis=1)
    rows = np.zeros((len(pieces), both.shape[1]), dtype=np.float32)
    found = pieces >= 0
    rows[found] = both[pieces[found]]
    return rows


def encode_sample(
    key: str, text: str, tagger: TechniqueTagger, model: SpacyModel, tags: dict[str, int]
) -> Sample:
    """Parse and encode ``text``; the sample of its non-space spaCy tokens."""
    encoded = tagger.encode(text)
    parsed = model.parse(text)
    tokens = [(chunk.start, t) for chunk in parsed.chunks for t in chunk.doc if not t.is_space]
    bounds = np.array(
        [(start + t.idx, start + t.idx + len(t)) for start, t in tokens], dtype=np.int64
    ).reshape(-1, 2)
    tag = [t.ent_iob_ + "-" + t.ent_type_ if t.ent_type_ else OUTSIDE for _, t in tokens]
    hidden = np.asarray(encoded.hidden[0 : len(encoded.hidden)], dtype=np.float32)
    pieces = first_pieces(encoded.tokens.offsets, bounds)
    x = token_inputs(hidden, encoded.features, pieces)
    return Sample(key, x, np.array([tags[t] for t in tag], dtype=np.int64))


def cached(folder: Path, items: list[tuple[str, str]], tags: dict[str, int]) -> Iterator[Sample]:
    """The samples of ``(key, text)`` items, computed once and kept in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    tagger: TechniqueTagger | None = None
    for key, text in items:
        path = folder / f"{key}.npz"
        if not path.exists():
            tagger = tagger or default_tagger()
            sample = encode_sample(key, text, tagger, shared_model(), tags)
            partial = path.with_suffix(".partial.npz")  # a killed run leaves no broken file
            np.savez(partial, x=sample.x.astype(np.float16), y=sample.y)
            partial.replace(path)
        with np.load(path) as saved:
            yield Sample(key, saved["x"].astype(np.float32), saved["y"])


def corpora(data: Path, polnear_train: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """``(key, text)`` items of the ``train``, ``held-out`` and ``shifted`` sets."""
    hyper = [(f"hyper-{i:03d}", text) for i, text in enumerate(hyperpartisan_texts(data))]
    order = np.random.default_rng(seed).permutation(len(hyper))
    cut = int(len(hyper) * (1 - HELD_OUT_SHARE))
    polnear = {
        split: sorted((data / "polnear" / split / "text").glob("*.txt"))
        for split in ("train", "dev")
    }

    def read(split: str, paths: list[Path]) -> list[tuple[str, str]]:
        return [(f"polnear-{split}-{p.stem}", p.read_text(encoding="utf-8")) for p in paths]

    return {
        "train": [hyper[i] for i in order[:cut]] + read("train", polnear["train"][:polnear_train]),
        "held-out": [hyper[i] for i in order[cut:]],
        "shifted": read("dev", polnear["dev"]),
    }


def with_neighbours(x: NDArray[np.float32]) -> NDArray[np.float32]:
    """``x`` with the word features of the token before and after each row appended (zeros
    at the ends): the encoder is uncased, and "Donald Trump" begins one name where "donald
    trump" would not."""
    features = x[:, -N_FEATURES:]
    before, after = np.zeros_like(features), np.zeros_like(features)
    before[1:], after[:-1] = features[:-1], features[1:]
    return np.concatenate([x, before, after], axis=1)


@dataclass(frozen=True)
class Head:
    """A token head in numpy: ``softmax(relu(x @ w1 + b1) @ w2 + b2)``, or without the
    hidden layer when ``w1`` is None; inputs standardised with ``mean`` and ``scale`` (after
    :func:`with_neighbours` when ``neighbours``)."""

    neighbours: bool
    mean: NDArray[np.float32]
    scale: NDArray[np.float32]
    w1: NDArray[np.float32] | None
    b1: NDArray[np.float32] | None
    w2: NDArray[np.float32]
    b2: NDArray[np.float32]

    def tags(self, x: NDArray[np.float32]) -> NDArray[np.int64]:
        """The most likely tag of each row of ``x``."""
        h = ((with_neighbours(x) if self.neighbours else x) - self.mean) / self.scale
        if self.w1 is not None and self.b1 is not None:
            h = np.maximum(h @ self.w1 + self.b1, 0.0)
        return np.asarray((h @ self.w2 + self.b2).argmax(axis=1), dtype=np.int64)


def fit_head(
    samples: list[Sample], n_tags: int, hidden: int, neighbours: bool, epochs: int, seed: int
) -> Head:
    """Fit a head by Adam on the samples' tokens (``hidden=0``: softmax regression)."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x = np.concatenate([with_neighbours(s.x) if neighbours else s.x for s in samples])
    y = np.concatenate([s.y for s in samples])
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-3
    inputs = torch.from_numpy((x - mean) / scale)
    targets = torch.from_numpy(y)
    layers: list[torch.nn.Module] = (
        [torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, n_tags)]
        if hidden
        else [torch.nn.Linear(x.shape[1], n_tags)]
    )
    net = torch.nn.Sequential(*layers)
    optimiser = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    loss = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for batch in torch.randperm(len(y), generator=generator).split(256):
            optimiser.zero_grad()
            loss(net(inputs[batch]), targets[batch]).backward()
            optimiser.step()
    weights = [p.detach().numpy().T.copy() for p in net.parameters() if p.dim() == 2]
    biases = [p.detach().numpy().copy() for p in net.parameters() if p.dim() == 1]
    if not hidden:
        return Head(neighbours, mean, scale, None, None, weights[0], biases[0])
    return Head(neighbours, mean, scale, weights[0], biases[0], weights[1], biases[1])


def spans_of(tags: NDArray[np.int64], names: Sequence[str]) -> Spans:
    """Entity spans ``(first, end, label)`` of a BIO tag sequence; an ``I-`` tag that does not
    continue an entity of its label starts one, as a ``B-`` tag would."""
    found: Spans = set()
    start, label = -1, ""
    for i, tag in enumerate([*(names[t] for t in tags), OUTSIDE]):
        kind = tag[2:]
        if start >= 0 and (tag == OUTSIDE or tag[0] == "B" or kind != label):
            found.add((start, i, label))
            start = -1
        if tag != OUTSIDE and start < 0:
            start, label = i, kind
    return found


def prf(counts: Counter[str], prefix: str) -> dict[str, float]:
    """Precision, recall and F1 from ``prefix`` + ``tp``/``fp``/``fn`` counts."""
    tp, fp, fn = (counts[prefix + k] for k in ("tp", "fp", "fn"))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "support": tp + fn,
    }


def article_counts(
    gold: NDArray[np.int64], predicted: NDArray[np.int64], names: Sequence[str]
) -> Counter[str]:
    """True/false positive and false negative counts of one article, keyed ``measure:k``."""
    counts: Counter[str] = Counter()
    truth, guess = spans_of(gold, names), spans_of(predicted, names)

    def add(measure: str, g: set[Any], p: set[Any]) -> None:
        counts[measure + ":tp"] += len(g & p)
        counts[measure + ":fp"] += len(p - g)
        counts[measure + ":fn"] += len(g - p)

    add("all", truth, guess)
    for label in {s[2] for s in truth | guess}:
        add(label + ":", {s for s in truth if s[2] == label}, {s for s in guess if s[2] == label})

    def layer(spans: Spans) -> Spans:
        return {s for s in spans if s[2] in LAYER_LABELS}

    add("layer", layer(truth), layer(guess))
    add("layer_merged", {s[:2] for s in layer(truth)}, {s[:2] for s in layer(guess)})
    kinds = [np.array([n[2:] for n in names])[t] for t in (gold, predicted)]
    for measure, labels in (
        ("token_person", ("PERSON",)),
        ("token_layer", LAYER_LABELS),
        ("token_time", TIME_LABELS),
    ):
        g, p = (set(np.flatnonzero(np.isin(k, labels)).tolist()) for k in kinds)
        add(measure, g, p)
    return counts


def scores(samples: list[Sample], head: Head, names: Sequence[str], seed: int) -> dict[str, Any]:
    """Agreement of the head with spaCy on ``samples`` (see the module docstring)."""
    per_article = [article_counts(s.y, head.tags(s.x), names) for s in samples]
    total = sum(per_article, Counter())
    labels = sorted({k.split(":")[0] for k in total if k.count(":") == 2})
    out: dict[str, Any] = {"articles": len(samples), "tokens": sum(len(s.y) for s in samples)}
    for measure in (
        "all",
        "layer",
        "layer_merged",
        "token_person",
        "token_layer",
        "token_time",
    ):
        out[measure] = prf(total, measure + ":")
    rng = np.random.default_rng(seed)
    for measure in ("all", "layer"):
        draws = [
            prf(sum((per_article[i] for i in pick), Counter()), measure + ":")["f1"]
            for pick in rng.integers(0, len(samples), (BOOTSTRAP, len(samples)))
        ]
        out[measure]["f1_se"] = round(float(np.std(draws)), 4)
    out["per_label"] = {label: prf(total, label + "::") for label in labels}
    return out


def cost(items: list[tuple[str, str]], head: Head, names: Sequence[str]) -> dict[str, float]:
    """CPU-seconds per article of spaCy's ``ner`` pipe and of the head, on the same docs."""
    from spacy.tokens import Span as SpacySpan

    model, tagger = shared_model(), default_tagger()
    nlp = model.nlp
    ner = nlp.get_pipe("ner")
    texts = [text for _, text in items]
    docs = [doc for each in model.prepare_many(texts) for _, doc in each]
    with one_blas_thread():
        parsed = list(nlp.pipe(docs, disable=[*model.attributes.skipped, "ner"]))
        copies = [doc.copy() for doc in parsed]
        begin = time.process_time()
        list(ner.pipe(parsed, batch_size=model.batch_size))
        ner_s = time.process_time() - begin
        encoded = [tagger.encode(doc.text) for doc in copies]
        begin = time.process_time()
        for doc, enc in zip(copies, encoded, strict=True):
            words = [t for t in doc if not t.is_space]
            idx = np.array([t.idx for t in words], dtype=np.int64)
            bounds = np.stack([idx, idx + np.array([len(t) for t in words])], axis=1)
            x = token_inputs(
                np.asarray(enc.hidden[0 : len(enc.hidden)]),
                enc.features,
                first_pieces(enc.tokens.offsets, bounds),
            )
            doc.set_ents(
                [
                    SpacySpan(doc, words[a].i, words[b - 1].i + 1, label)
                    for a, b, label in spans_of(head.tags(x), names)
                ],
                default="outside",
            )
        head_s = time.process_time() - begin
    return {
        "articles": len(texts),
        "ner_cpu_s_per_article": round(ner_s / len(texts), 5),
        "head_cpu_s_per_article": round(head_s / len(texts), 5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the shared data folder")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/q19ner"))
    parser.add_argument(
        "--polnear-train", type=int, default=0, help="PolNeAR train texts added to training"
    )
    parser.add_argument("--hidden", type=int, default=256, help="hidden units of the mlp head")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--timed", type=int, default=40, help="held-out articles timed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    names = tag_names(shared_model().nlp.get_pipe("ner").labels)
    tags = {name: i for i, name in enumerate(names)}
    sets = corpora(args.data, args.polnear_train, args.seed)
    samples = {name: list(cached(args.cache, items, tags)) for name, items in sets.items()}
    result: dict[str, Any] = {"train_articles": len(samples["train"])}
    for kind, hidden, neighbours in (
        ("linear", 0, False),
        ("mlp", args.hidden, False),
        ("mlp_neighbours", args.hidden, True),
    ):
        begin = time.process_time()
        head = fit_head(samples["train"], len(names), hidden, neighbours, args.epochs, args.seed)
        result[kind] = {
            "fit_cpu_s": round(time.process_time() - begin, 1),
            "held-out": scores(samples["held-out"], head, names, args.seed),
            "shifted": scores(samples["shifted"], head, names, args.seed),
            "cost": cost(sets["held-out"][: args.timed], head, names),
        }
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
