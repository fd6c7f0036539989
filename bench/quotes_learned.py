"""Learned variants of the quote rules on PolNeAR: train cross-validation, then dev once each.

Usage::

    nice .venv/bin/python bench/quotes_learned.py --cache DIR [--variant filter]
        [--thresholds 0.2,0.3] [--folds 5] [--limit N]

Issue 21 asked whether a model trained on PolNeAR train lifts all-attribution F1 where the hand
lexicon of :mod:`propwatch.models.quotes.lexicon` has plateaued. Each variant is an L2 logistic
regression (scikit-learn) over spaCy features of the clauses that the rules of
:mod:`propwatch.models.quotes.clauses` find: the cue's lemma, part of speech and dependency,
which rule and which word list found it, the source's entity type, the content's length, head
and first word. Probabilities come out of folds by article over PolNeAR train; each threshold
is scored end to end on train (the rules' extraction with the variant's clauses, scored by the
``quotes`` scorer), and dev is scored once per threshold with the model fitted on all of train:

- ``filter``: drops a rule clause whose probability is under the threshold (label: the
  attribution the rules make from that cue matched a gold one on train);
- ``extra``: adds the clauses the same rules find when every verb and noun counts as a cue,
  where they overlap no rule clause (label: it matches a gold attribution the rules miss);
- ``cut``: replaces the rule that ends a content before a relative clause or a clause of
  contrast: the content ends before the first point of its right edge (a right child whose
  subtree closes the content) whose probability reaches the threshold (label: the gold content
  starting within 3 characters of it ends there).

The parses come from ``bench/quotes_polnear.py``'s ``--cache`` folder (one parse of train takes
about 10 minutes on a busy machine).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest.mock import patch

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from spacy.tokens import Doc, Token

from propwatch.eval.quotes import can_match, match_quotes, read_gold_quotes, score_quotes
from propwatch.io.labels.quotes import PredictedQuote
from propwatch.io.labels.tsv import read_text
from propwatch.models.quotes import clauses, extract, lexicon
from propwatch.models.quotes.marks import MARK, find_quoted_spans
from propwatch.text.span import Span

sys.path.insert(0, str(Path(__file__).parent))
from quotes_polnear import POLNEAR, cached_parses

RULES: tuple[tuple[str, Callable[[Doc, str], Iterator[clauses.Clause]]], ...] = (
    ("verb", clauses.verb_clauses),
    ("according", lambda doc, text: clauses.according_to_clauses(doc)),
    ("object", clauses.object_clauses),
    ("parenthetical", clauses.parenthetical_clauses),
    ("passive", clauses.passive_clauses),
    ("noun", clauses.noun_clauses),
    ("adjective", clauses.adjective_clauses),
    ("colon", clauses.colon_clauses),
)
# Rules whose word list the ``extra`` variant opens to every verb or noun.
BROAD_RULES = frozenset({"verb", "object", "parenthetical", "noun"})
WORD_LISTS = {
    "speech": lexicon.SPEECH_VERBS,
    "stance": lexicon.STANCE_VERBS,
    "clause": lexicon.CLAUSE_VERBS,
    "object": lexicon.OBJECT_VERBS,
    "passive": lexicon.PASSIVE_VERBS,
    "noun": lexicon.NOUN_CUES,
    "adjective": lexicon.ADJECTIVE_CUES,
    "topic": frozenset(lexicon.TOPIC_VERBS),
}
NEAR = 3  # characters between a content's start and a gold start for the cut labels


class _Everything(frozenset[str]):
    """A word list holding every word."""

    def __contains__(self, word: object) -> bool:
        return True


@contextmanager
def every_word_a_cue() -> Iterator[None]:
    """The rules with every verb a cue verb and every noun a cue noun."""
    with ExitStack() as stack:
        stack.enter_context(
            patch.object(clauses, "is_cue_verb", lambda t: t.pos_ in {"VERB", "AUX"})
        )
        stack.enter_context(patch.object(clauses, "is_object_cue", lambda lemma: True))
        stack.enter_context(patch.object(clauses, "NOUN_CUES", _Everything()))
        yield


def no_asides() -> patch:  # type: ignore[type-arg]
    """The rules without the one that ends a content before an aside."""
    return patch.object(clauses, "_before_aside", lambda doc, first, last: last)


def bucket(n: int) -> str:
    """``n`` (a count of tokens) on a doubling scale."""
    return str(next((b for b in (1, 2, 3, 5, 9, 17, 33) if n < b), "more"))


def clause_features(doc: Doc, clause: clauses.Clause, rule: str, quotes: list[Span]) -> list[str]:
    """Binary features of a clause: its cue, rule, word lists, source and content."""
    cue = doc.char_span(*clause.cue, alignment_mode="expand")
    token = cue.root if cue is not None else doc[0]
    lemma = token.lemma_.lower()
    found = [name for name, words in WORD_LISTS.items() if lemma in words]
    features = [
        f"rule={rule}",
        f"lemma={lemma}",
        f"rule_lemma={rule}|{lemma}",
        f"tag={token.tag_}",
        f"dep={rule}|{token.dep_}",
        f"head={token.head.dep_}|{token.head.pos_}",
        *(f"list={rule}|{name}" for name in found),
        "negated" if any(c.dep_ == "neg" for c in token.children) else "affirmed",
        "pieces" if clause.pieces else "one piece",
    ]
    if clause.source is None:
        features.append("source=none")
    else:
        head = clause.source.root
        features += [
            f"source={head.pos_}|{head.ent_type_}",
            f"source_len={bucket(len(clause.source))}",
        ]
        if head.pos_ == "PRON":
            features.append(f"source_word={head.lower_}")
    content = doc.char_span(*clause.content, alignment_mode="expand")
    if content is not None and len(content):
        first = content[0]
        features += [
            f"content_len={rule}|{bucket(len(content))}",
            f"content_head={content.root.pos_}|{content.root.dep_}",
            f"first={first.lower_ if first.is_stop else first.pos_}",
        ]
    start, end = clause.content
    if any(q.start < end and start < q.end for q in quotes):
        features.append("touches_quote")
    return features


def cut_points(doc: Doc, first: int, last: int) -> list[Token]:
    """Right children inside tokens ``first``..``last`` whose subtree closes the content, by
    the first token they would cut off."""
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    points = [
        t
        for t in doc[first + 1 : last + 1]
        if t.right_edge.i >= last and first <= t.head.i < t.i and t.left_edge.i > first
    ]
    return sorted(points, key=lambda t: t.left_edge.i)


def cut_features(doc: Doc, first: int, last: int, point: Token, rule: str, order: int) -> list[str]:
    """Binary features of ending the content ``first``..``last`` before ``point``'s subtree."""
    cut = point.left_edge
    before = doc[cut.i - 1].text if doc[cut.i - 1].is_punct else "word"
    markers = [c.lower_ for c in point.children if c.dep_ in {"mark", "cc", "prep"}]
    cut_off = doc[cut.i : last + 1]
    return [
        f"dep={point.dep_}",
        f"tag={point.tag_}",
        f"dep_before={point.dep_}|{before}",
        f"head={point.head.pos_}|{point.head.dep_}",
        f"first={cut.lower_ if cut.is_stop or cut.is_punct else cut.pos_}",
        f"rule={rule}|{point.dep_}",
        f"kept={bucket(cut.i - first)}",
        f"cut={bucket(last - cut.i + 1)}",
        f"order={min(order, 3)}",
        f"word={point.lower_ if point.dep_ in {'prep', 'cc', 'mark', 'advmod'} else ''}",
        f"marker={markers[0] if markers else ''}",
        "time" if any(t.ent_type_ in clauses.TIME_ENTITIES for t in point.subtree) else "no time",
        "quote" if any(MARK.match(t.text) for t in cut_off) else "no quote",
        "of_root" if point.head.i == doc[first : last + 1].root.i else "deeper",
    ]


@dataclass
class Chunk:
    """A parsed chunk of an article with its clauses under each variant and their rows."""

    article: int
    start: int
    doc: Doc
    rules: list[tuple[str, clauses.Clause]]
    broad: list[tuple[str, clauses.Clause]]
    unended: list[tuple[str, clauses.Clause]]
    rows: dict[str, list[tuple[int, list[str], int]]] = field(default_factory=dict)


@dataclass
class Split:
    """One PolNeAR split: its article ids, chunks, gold quotes and the rules' predictions."""

    ids: list[str]
    chunks: list[Chunk]
    gold: dict[str, list]  # type: ignore[type-arg]


def load_split(name: str, cache: Path, limit: int | None) -> Split:
    """Parses, clauses (rules, every word a cue, no aside rule) and labels of a split."""
    root = POLNEAR.resolve() / name
    paths = sorted((root / "text").glob("*.txt"))[:limit]
    ids = [p.stem for p in paths]
    gold_all = read_gold_quotes(root / "attributions", root / "text")
    gold = {i: gold_all.get(i, []) for i in ids}
    chunks = []
    for article, parsed in enumerate(cached_parses([read_text(p) for p in paths], cache)):
        golds = [g.content for g in gold[ids[article]]]
        made = [
            (chunk.start, a.shifted(chunk.start))
            for chunk in parsed.chunks
            for a in extract.extract_attributions(chunk.doc)
        ]
        pairs = match_quotes([Span(a.start, a.end) for _, a in made], golds)
        matched_cues = {made[i][1].cue for i, _ in pairs}
        made_cues = {a.cue for _, a in made}
        missed = [g for j, g in enumerate(golds) if j not in {j for _, j in pairs}]
        for part in parsed.chunks:
            doc, text = part.doc, part.doc.text
            rules = [(r, c) for r, rule in RULES for c in rule(doc, text)]
            with every_word_a_cue():
                seen = {(c.cue, c.content) for _, c in rules}
                broad = [
                    (r, c)
                    for r, rule in RULES
                    if r in BROAD_RULES
                    for c in rule(doc, text)
                    if (c.cue, c.content) not in seen
                ]
            with no_asides():
                unended = [(r, c) for r, rule in RULES for c in rule(doc, text)]
            chunk = Chunk(article, part.start, doc, rules, broad, unended)
            quotes = [Span(q.start, q.end) for q in find_quoted_spans(text)]
            shift = part.start

            def moved(r: tuple[int, int], by: int = shift) -> tuple[int, int]:
                return r[0] + by, r[1] + by

            chunk.rows["filter"] = [
                (i, clause_features(doc, c, r, quotes), int(moved(c.cue) in matched_cues))
                for i, (r, c) in enumerate(rules)
                if moved(c.cue) in made_cues
            ]
            chunk.rows["extra"] = [
                (
                    i,
                    clause_features(doc, c, r, quotes),
                    int(any(can_match(Span(*moved(c.content)), g) for g in missed)),
                )
                for i, (r, c) in enumerate(broad)
            ]
            chunk.rows["cut"] = list(_cut_rows(chunk, golds))
            chunks.append(chunk)
    return Split(ids, chunks, gold)


def _cut_rows(chunk: Chunk, golds: list[Span]) -> Iterator[tuple[int, list[str], int]]:
    """Rows of the cut points of each one-piece clause: (clause index * 1000 + point order,
    features, label); label -1 where no gold content starts near the clause's."""
    doc = chunk.doc
    for i, (rule, clause) in enumerate(chunk.unended):
        span = doc.char_span(*clause.content, alignment_mode="expand")
        if clause.pieces or span is None or len(span) < 2:
            continue
        start = clause.content[0] + chunk.start
        near = [g for g in golds if abs(g.start - start) <= NEAR]
        first, last = span.start, span.end - 1
        for order, point in enumerate(cut_points(doc, first, last)):
            label = -1
            if near:
                gold = min(near, key=lambda g: abs(g.start - start))
                label = int(gold.end - chunk.start <= point.left_edge.idx)
            yield i * 1000 + order, cut_features(doc, first, last, point, rule, order), label


def fit(rows: list[tuple[list[str], int]]) -> tuple[DictVectorizer, LogisticRegression]:
    """A logistic regression on the labelled rows."""
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(f, 1) for f, _ in rows])
    model = LogisticRegression(C=1.0, max_iter=3000).fit(x, [y for _, y in rows])
    return vectorizer, model


def probabilities(
    variant: str, train: Split, other: Split | None, folds: int
) -> dict[tuple[int, int, int], float]:
    """(article, chunk start, row key) -> probability: out of fold on ``train`` when ``other``
    is ``None``, else from the model fitted on all of ``train``."""
    rows = [(c.article, c.start, key, f, y) for c in train.chunks for key, f, y in c.rows[variant]]
    out: dict[tuple[int, int, int], float] = {}

    def predict(model: tuple[DictVectorizer, LogisticRegression], batch: list) -> None:  # type: ignore[type-arg]
        if batch:
            x = model[0].transform([dict.fromkeys(r[3], 1) for r in batch])
            for r, p in zip(batch, model[1].predict_proba(x)[:, 1], strict=True):
                out[r[0], r[1], r[2]] = float(p)

    if other is not None:
        model = fit([(r[3], r[4]) for r in rows if r[4] >= 0])
        predict(
            model,
            [(c.article, c.start, k, f, y) for c in other.chunks for k, f, y in c.rows[variant]],
        )
        return out
    groups = np.array([r[0] for r in rows])
    for fitted, held in GroupKFold(folds).split(rows, groups=groups):
        model = fit([(rows[i][3], rows[i][4]) for i in fitted if rows[i][4] >= 0])
        predict(model, [rows[i] for i in held])
    return out


def clauses_of(
    variant: str, chunk: Chunk, probs: dict[tuple[int, int, int], float], threshold: float
) -> list[clauses.Clause]:
    """The clauses the variant hands to the extraction in ``chunk``."""
    key = (chunk.article, chunk.start)
    if variant == "filter":
        return [c for i, (_, c) in enumerate(chunk.rules) if probs.get((*key, i), 1.0) >= threshold]
    if variant == "extra":
        rules = [c for _, c in chunk.rules]
        added = [
            c
            for i, (_, c) in enumerate(chunk.broad)
            if probs.get((*key, i), 0.0) >= threshold
            and not any(
                extract._overlaps(c.content, r.content) or extract._overlaps(c.cue, r.content)
                for r in rules
            )
        ]
        return rules + added
    first_cut: dict[int, int] = {}  # clause index -> order of its first cut point
    for k, _, _ in chunk.rows["cut"]:
        if probs[(*key, k)] >= threshold:
            first_cut.setdefault(k // 1000, k % 1000)
    kept = []
    for i, (_, clause) in enumerate(chunk.unended):
        if i in first_cut:
            span = chunk.doc.char_span(*clause.content, alignment_mode="expand")
            point = cut_points(chunk.doc, span.start, span.end - 1)[first_cut[i]]
            content = clauses.token_range(chunk.doc, span.start, point.left_edge.i - 1)
            clause = clauses.Clause(clause.cue, content, clause.source, clause.pieces)
        kept.append(clause)
    return kept


def scores(split: Split, chosen: Callable[[Chunk], list[clauses.Clause]] | None) -> str:
    """All-attribution and direct F1 and speaker accuracy of the extraction over ``split``,
    with the clauses ``chosen`` gives for each chunk (``None``: the rules as shipped)."""
    predicted = []
    for chunk in split.chunks:
        with ExitStack() as stack:
            if chosen is not None:
                given = chosen(chunk)
                stack.enter_context(patch.object(extract, "verb_clauses", lambda d, t, g=given: g))
                for name in ("object", "parenthetical", "passive", "noun", "adjective", "colon"):
                    stack.enter_context(patch.object(extract, f"{name}_clauses", lambda d, t: []))
                stack.enter_context(patch.object(extract, "according_to_clauses", lambda d: []))
            for a in extract.extract_attributions(chunk.doc):
                a = a.shifted(chunk.start)
                predicted.append(
                    PredictedQuote(
                        split.ids[chunk.article],
                        Span(a.start, a.end),
                        None if a.source is None else Span(*a.source),
                        None if a.cue is None else Span(*a.cue),
                        a.speaker or "",
                        a.kind,
                    )
                )
    every = score_quotes(predicted, split.gold, direct_only=False).metrics
    direct = score_quotes(predicted, split.gold, direct_only=True).metrics
    return (
        f"all P {every['precision']:.3f} R {every['recall']:.3f} F1 {every['f1']:.4f}  "
        f"direct F1 {direct['f1']:.3f}  speaker accuracy {every['speaker_accuracy']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="folder of the parses")
    parser.add_argument("--variant", choices=["filter", "extra", "cut"], action="append")
    parser.add_argument("--thresholds", default="", help="comma-separated; default per variant")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each split")
    args = parser.parse_args()
    defaults = {"filter": "0.2,0.3", "extra": "0.4,0.5", "cut": "0.5,0.6"}
    train = load_split("train", args.cache, args.limit)
    dev = load_split("dev", args.cache, args.limit)
    print(f"rules    train {scores(train, None)}")
    print(f"rules    dev   {scores(dev, None)}", flush=True)
    for variant in args.variant or list(defaults):
        out_of_fold = probabilities(variant, train, None, args.folds)
        fitted = probabilities(variant, train, dev, args.folds)
        for threshold in map(float, (args.thresholds or defaults[variant]).split(",")):
            for name, split, probs in (("train", train, out_of_fold), ("dev  ", dev, fitted)):
                result = scores(
                    split, lambda c, v=variant, p=probs, t=threshold: clauses_of(v, c, p, t)
                )
                print(f"{variant:6s} {threshold:.2f} {name} {result}", flush=True)


if __name__ == "__main__":
    main()
