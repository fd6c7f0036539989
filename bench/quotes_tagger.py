"""A learned BIO tagger of attribution contents on PolNeAR, alone and combined with the rules.

Usage::

    nice .venv/bin/python bench/quotes_tagger.py --cache DIR [--states /tmp/q14b] [--held 0.33]
        [--epochs 4] [--hidden 64] [--limit N] [--dev]

Issue 21 asked whether a learned sequence tagger beats or complements the quote rules of
:mod:`propwatch.models.quotes`, whose all-attribution F1 has plateaued. The tagger is a small
bidirectional GRU (torch, one thread; a linear projection to ``--hidden`` inputs, then
``--hidden`` units each way) over the frozen wordpiece states of the shipped technique
encoder (:func:`~propwatch.models.techniques.shipped_tagger`, 384 dimensions) and six flags per
wordpiece: inside a pair of quotation marks, a quotation mark, its spaCy word's lemma in the
rules' cue-verb lists, in their cue noun or adjective lists (plus "according"), first wordpiece
of a sentence, of a paragraph. Labels are B/I/O of PolNeAR ``Content`` extents (first piece's
start to last piece's end, as the ``quotes`` scorer reads them; a content overlapping one
already labelled, longest first, is left out, since BIO cannot nest).

A third of the train articles (``--held``, drawn with a fixed seed) is held out; the model is
fitted on the rest, with a tenth of those kept back to choose the epoch (the best
all-attribution F1 of the tagger alone); cross-fitting every train article was not affordable
on two shared cores. Five variants are scored on the held-out train articles with the
``quotes`` scorer (:func:`propwatch.eval.quotes.score_quotes`):

- ``rules``: the shipped rules, as ``bench/quotes_polnear.py`` runs them;
- ``tagger``: the tagger's spans alone: runs of wordpieces whose P(B) + P(I) > 0.5, a new span
  where P(B) > P(I), at least two wordpieces; kind ``direct`` when the span is a direct quote by
  the scorer's quotation-mark rule; the speaker is a cheap guess (:func:`with_speaker`): the
  subject of the verb the content hangs on, or of its sentence, or the last rule speaker in the
  paragraph;
- ``union``: the rules' quotes plus the tagger spans that overlap none of them;
- ``union-sure``: the same with only the tagger spans whose mean P(B) + P(I) reaches a level
  chosen (0.5 to 0.9) on the tenth of the fitted articles that chose the epoch;
- ``filter``: the rules' quotes whose wordpieces the tagger marks as content on average
  (mean P(B) + P(I) >= 0.5).

Each variant is compared with ``rules`` by a paired bootstrap over articles (the same draws
for both); the SE of the F1 difference is printed. With ``--dev``, dev is scored once with the
same model, and only when a variant beats the rules on the held-out train articles by more than
two SE. Speaker accuracy is printed per variant.

Encoder states are cached as ``.npz`` per article under ``--states``/<encoder version>/<split>
(about 1 s an article to compute on a busy machine, 1 GB for train); the spaCy parses come from
``bench/quotes_polnear.py``'s ``--cache`` folder. Times printed: the encoder per article (when
computed in this run) and the GRU with decoding per article.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from propwatch import registry
from propwatch.eval.quotes import GoldQuote, is_direct, read_gold_quotes, score_quotes
from propwatch.eval.result import official_prf
from propwatch.io.labels.quotes import PredictedQuote, read_quotes_tsv
from propwatch.models.quotes import clauses, lexicon
from propwatch.models.quotes.marks import MARK, find_quoted_spans
from propwatch.models.techniques import shipped_tagger
from propwatch.models.techniques.tagger import shipped_encoder_version
from propwatch.text.nlp import PARSE_CACHE_KEY, ParsedText
from propwatch.text.span import Span

sys.path.insert(0, str(Path(__file__).parent))
from quotes_polnear import POLNEAR, timed_analyses

CUE_VERBS = (
    lexicon.SPEECH_VERBS
    | lexicon.STANCE_VERBS
    | lexicon.CLAUSE_VERBS
    | lexicon.OBJECT_VERBS
    | lexicon.PASSIVE_VERBS
    | frozenset(lexicon.TOPIC_VERBS)
)
CUE_WORDS = lexicon.NOUN_CUES | lexicon.ADJECTIVE_CUES | {"according"}
N_FLAGS = 6
O, B, I = 0, 1, 2  # noqa: E741 (the tag names)
CHUNK = 256  # wordpieces per training sequence
MIN_PIECES = 2  # shortest tagger span kept
SEED = 0
SURE = (0.5, 0.6, 0.7, 0.8, 0.9)  # levels tried for the union-sure variant


@dataclass
class Item:
    """One article: wordpiece offsets and inputs, BIO labels, the rules' quotes and gold."""

    id: str
    text: str
    offsets: NDArray[np.int64]
    x: NDArray[np.float16]
    y: NDArray[np.int64]
    rules: list[PredictedQuote]
    gold: list[GoldQuote]
    parsed: ParsedText


def states(text: str, file: Path) -> tuple[NDArray[np.float16], NDArray[np.int64], float]:
    """Encoder states (float16) and wordpiece offsets of ``text``, cached in ``file``, with the
    seconds the encoder took (0 when read back)."""
    if file.is_file():
        stored = np.load(file)
        return stored["hidden"], stored["offsets"], 0.0
    start = time.perf_counter()
    encoded = shipped_tagger().encode(text)
    seconds = time.perf_counter() - start
    hidden = np.asarray(encoded.hidden[0 : len(encoded.tokens)], dtype=np.float16)
    offsets = encoded.tokens.offsets.astype(np.int64)
    file.parent.mkdir(parents=True, exist_ok=True)
    # written aside and renamed, so that an interrupted run leaves no truncated file
    partial = file.with_suffix(".part.npz")
    np.savez(partial, hidden=hidden, offsets=offsets)
    partial.rename(file)
    return hidden, offsets, seconds


def flags(text: str, parsed: ParsedText, offsets: NDArray[np.int64]) -> NDArray[np.float16]:
    """The six flags of each wordpiece (see the module docstring)."""
    quoted = np.zeros(len(text) + 1, dtype=bool)
    for q in find_quoted_spans(text):
        quoted[q.start : q.end] = True
    word_at = np.full(len(text) + 1, -1)
    words = [t for chunk in parsed.chunks for t in chunk.doc]
    starts = [chunk.start + t.idx for chunk in parsed.chunks for t in chunk.doc]
    for n, (t, s) in enumerate(zip(words, starts, strict=True)):
        word_at[s : s + len(t.text)] = n
    out = np.zeros((len(offsets), N_FLAGS), dtype=np.float16)
    for i, (start, end) in enumerate(offsets):
        out[i, 0] = quoted[start]
        out[i, 1] = MARK.search(text, start, end) is not None
        n = word_at[start]
        if n >= 0:
            word, lemma = words[n], words[n].lemma_.lower()
            out[i, 2] = word.pos_ in {"VERB", "AUX"} and lemma in CUE_VERBS
            out[i, 3] = lemma in CUE_WORDS
            out[i, 4] = bool(word.is_sent_start) and starts[n] == start
        out[i, 5] = start == 0 or "\n" in text[max(0, start - 2) : start]
    return out


def bio(offsets: NDArray[np.int64], gold: Sequence[GoldQuote]) -> NDArray[np.int64]:
    """B/I/O of each wordpiece from the gold contents, longest first, skipping overlaps."""
    y = np.full(len(offsets), O, dtype=np.int64)
    for g in sorted(gold, key=lambda g: -len(g.content)):
        inside = np.flatnonzero((offsets[:, 0] < g.content.end) & (offsets[:, 1] > g.content.start))
        if len(inside) and (y[inside] == O).all():
            y[inside] = I
            y[inside[0]] = B
    return y


def load(split: str, cache: Path, folder: Path, limit: int | None) -> tuple[list[Item], float]:
    """The articles of a split with their inputs, labels, rule quotes and gold, and the encoder
    seconds per article spent in this run (0 when all states were cached)."""
    root = POLNEAR.resolve() / split
    paths = sorted((root / "text").glob("*.txt"))[:limit]
    analyses, _, _ = timed_analyses(paths, cache)
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "quotes.tsv"
        with tsv.open("w", encoding="utf-8") as stream:
            registry.writers.get("quotes-tsv").write(analyses, stream)
        rules = read_quotes_tsv(tsv)
    gold = read_gold_quotes(root / "attributions", root / "text")
    items, spent, computed = [], 0.0, 0
    for analysis in analyses:
        text, stem = analysis.text, analysis.article.id
        hidden, offsets, seconds = states(text, folder / split / f"{stem}.npz")
        spent, computed = spent + seconds, computed + (seconds > 0)
        parsed = analysis.cache[PARSE_CACHE_KEY]
        x = np.concatenate([hidden, flags(text, parsed, offsets)], axis=1)
        items.append(
            Item(
                stem,
                text,
                offsets,
                x,
                bio(offsets, gold.get(stem, [])),
                [q for q in rules if q.article_id == stem],
                gold.get(stem, []),
                parsed,
            )
        )
    return items, spent / computed if computed else 0.0


class Tagger(nn.Module):
    """A bidirectional GRU over the wordpiece inputs with a B/I/O output layer."""

    def __init__(self, n_inputs: int, hidden: int) -> None:
        super().__init__()
        self.drop = nn.Dropout(0.2)
        # a projection first: the recurrent steps on one thread cost far less at 64 inputs
        self.project = nn.Linear(n_inputs, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits, shape (batch, length, 3)."""
        states, _ = self.gru(torch.relu(self.project(self.drop(x))))
        return self.out(self.drop(states))


def probs(model: Tagger, item: Item) -> NDArray[np.float32]:
    """B/I/O probabilities of each wordpiece of an article (one sequence)."""
    model.eval()
    with torch.no_grad():
        x = torch.from_numpy(item.x.astype(np.float32))[None]
        return torch.softmax(model(x)[0], dim=-1).numpy()


def decode(item: Item, p: NDArray[np.float32]) -> list[PredictedQuote]:
    """The tagger's spans: runs of content wordpieces, a new one where B beats I."""
    inside = p[:, B] + p[:, I] > 0.5
    runs: list[list[int]] = []
    for i in np.flatnonzero(inside):
        if runs and runs[-1][-1] == i - 1 and p[i, B] <= p[i, I]:
            runs[-1].append(int(i))
        else:
            runs.append([int(i)])
    quotes = []
    for run in runs:
        if len(run) >= MIN_PIECES:
            span = Span(int(item.offsets[run[0], 0]), int(item.offsets[run[-1], 1]))
            kind = "direct" if is_direct(item.text, span) else "indirect"
            quotes.append(PredictedQuote(item.id, span, None, None, "", kind))
    return quotes


def with_speaker(item: Item, quote: PredictedQuote) -> PredictedQuote:
    """``quote`` with a speaker: the subject (:func:`~propwatch.models.quotes.clauses.
    subject_of`) of the verb the content depends on, else of its sentence's root, outside the
    content; else the speaker of the last rule quote before it in its paragraph; else none."""
    chunk = next(c for c in reversed(item.parsed.chunks) if c.start <= quote.quote.start)
    outside = (quote.quote.start - chunk.start, quote.quote.end - chunk.start)
    content = chunk.doc.char_span(*outside, alignment_mode="expand")
    if content is not None and len(content):
        for verb in (content.root.head, content.root.sent.root):
            subject = clauses.subject_of(verb)
            mention = None if subject is None else clauses.mention_of(subject, outside)
            if mention is not None and len(mention):
                start = chunk.start + mention.start_char
                source = Span(start, chunk.start + mention.end_char)
                return replace(quote, source=source, speaker=mention.text)
    before = [
        r
        for r in item.rules
        if r.quote.end <= quote.quote.start
        and r.speaker
        and "\n" not in item.text[r.quote.end : quote.quote.start]
    ]
    if before:
        last = max(before, key=lambda r: r.quote.end)
        return replace(quote, source=last.source, speaker=last.speaker)
    return quote


def variants(item: Item, p: NDArray[np.float32], sure: float) -> dict[str, list[PredictedQuote]]:
    """The quotes of the article under each variant (see the module docstring); ``sure`` is the
    least mean content probability of a tagger span that ``union-sure`` adds."""
    tagged = [with_speaker(item, t) for t in decode(item, p)]
    content = p[:, B] + p[:, I]

    def support(q: PredictedQuote) -> float:
        o = item.offsets
        inside = (o[:, 0] < q.quote.end) & (o[:, 1] > q.quote.start)
        return float(content[inside].mean()) if inside.any() else 0.0

    new = [t for t in tagged if not any(t.quote.overlap(r.quote) for r in item.rules)]
    return {
        "rules": item.rules,
        "tagger": tagged,
        "union": item.rules + new,
        "union-sure": item.rules + [t for t in new if support(t) >= sure],
        "filter": [r for r in item.rules if support(r) >= 0.5],
    }


def batches(
    items: Sequence[Item], rng: np.random.Generator, size: int = 32
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled batches of ``CHUNK``-wordpiece pieces of the articles: inputs, zero-padded, and
    labels, padded with -100 (ignored by the loss)."""
    pieces = [(it, s) for it in items for s in range(0, len(it.y), CHUNK)]
    order = rng.permutation(len(pieces))
    out = []
    for b in range(0, len(order), size):
        chosen = [pieces[i] for i in order[b : b + size]]
        length = max(min(CHUNK, len(it.y) - s) for it, s in chosen)
        x = np.zeros((len(chosen), length, chosen[0][0].x.shape[1]), dtype=np.float32)
        y = np.full((len(chosen), length), -100, dtype=np.int64)
        for row, (it, s) in enumerate(chosen):
            n = min(CHUNK, len(it.y) - s)
            x[row, :n], y[row, :n] = it.x[s : s + n], it.y[s : s + n]
        out.append((torch.from_numpy(x), torch.from_numpy(y)))
    return out


def f1(items: Sequence[Item], quotes: Sequence[PredictedQuote]) -> float:
    """All-attribution F1 of ``quotes`` against the gold of ``items``."""
    return float(score_quotes(quotes, {it.id: it.gold for it in items}, False).metrics["f1"])


def fit(items: Sequence[Item], epochs: int, hidden: int) -> tuple[Tagger, int, float]:
    """A tagger fitted on nine tenths of ``items``, at the epoch with the best tagger F1 on
    the last tenth, that epoch, and the ``sure`` level (of :data:`SURE`) with the best
    ``union-sure`` F1 on that tenth."""
    rng = np.random.default_rng(SEED)
    torch.manual_seed(SEED)
    order = rng.permutation(len(items))
    held = [items[i] for i in order[: max(1, len(items) // 10)]]
    fitted = [items[i] for i in order[max(1, len(items) // 10) :]]
    model = Tagger(items[0].x.shape[1], hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = nn.CrossEntropyLoss(ignore_index=-100)
    best, best_epoch, best_state = -1.0, 0, model.state_dict()
    for epoch in range(1, epochs + 1):
        model.train()
        for x, y in batches(fitted, rng):
            optimizer.zero_grad()
            loss(model(x).reshape(-1, 3), y.reshape(-1)).backward()
            optimizer.step()
        score = f1(held, [q for it in held for q in decode(it, probs(model, it))])
        print(f"  epoch {epoch}: tagger F1 {score:.4f} on {len(held)} articles", flush=True)
        if score > best:
            best, best_epoch = score, epoch
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    p = {it.id: probs(model, it) for it in held}

    def union_f1(sure: float) -> float:
        return f1(held, [q for it in held for q in variants(it, p[it.id], sure)["union-sure"]])

    return model, best_epoch, max(SURE, key=union_f1)


def counts(items: Sequence[Item], quotes: dict[str, list[PredictedQuote]]) -> NDArray[np.int64]:
    """(matched, predicted, gold) of each article, by the ``quotes`` scorer."""
    rows = []
    for it in items:
        c = score_quotes(quotes[it.id], {it.id: it.gold}, False).counts
        rows.append((c["matched"], c["predicted_quotes"], c["gold_quotes"]))
    return np.array(rows, dtype=np.int64)


def bootstrap_se(a: NDArray[np.int64], b: NDArray[np.int64], draws: int = 1000) -> float:
    """SE of F1(b) - F1(a) over article resamples (the same draws for both)."""
    rng = np.random.default_rng(SEED)
    diffs = []
    for _ in range(draws):
        pick = rng.integers(0, len(a), len(a))
        sa, sb = a[pick].sum(axis=0), b[pick].sum(axis=0)
        diffs.append(
            official_prf(sb[0], sb[1], sb[0], sb[2])[2] - official_prf(*sa[[0, 1, 0, 2]])[2]
        )
    return float(np.std(diffs))


def report(
    name: str, items: Sequence[Item], p: dict[str, NDArray[np.float32]], sure: float
) -> dict[str, tuple[float, float]]:
    """Print the scores of every variant on ``items`` given each article's probabilities;
    return each variant's F1 difference with the rules and its paired SE."""
    by_variant: dict[str, dict[str, list[PredictedQuote]]] = {}
    for it in items:
        for variant, made in variants(it, p[it.id], sure).items():
            by_variant.setdefault(variant, {})[it.id] = made
    gold = {it.id: it.gold for it in items}
    base = counts(items, by_variant["rules"])
    print(f"{name}: {len(items)} articles")
    out = {}
    for variant, quotes in by_variant.items():
        flat = [q for qs in quotes.values() for q in qs]
        every = score_quotes(flat, gold, False).metrics
        direct = score_quotes(flat, gold, True).metrics
        diff = every["f1"] - official_prf(*base.sum(axis=0)[[0, 1, 0, 2]])[2]
        se = bootstrap_se(base, counts(items, quotes)) if variant != "rules" else 0.0
        print(
            f"  {variant:10s} all P {every['precision']:.3f} R {every['recall']:.3f} "
            f"F1 {every['f1']:.4f} (vs rules {diff:+.4f}, paired SE {se:.4f})  "
            f"direct F1 {direct['f1']:.3f}  speaker accuracy {every['speaker_accuracy']:.3f}",
            flush=True,
        )
        out[variant] = (diff, se)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="folder of the parses")
    parser.add_argument("--states", type=Path, default=Path("/tmp/q14b"))
    parser.add_argument("--held", type=float, default=1 / 3, help="share of train held out")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each split")
    parser.add_argument("--dev", action="store_true", help="score dev once, after train")
    args = parser.parse_args()
    torch.set_num_threads(1)
    folder = args.states / shipped_encoder_version()
    train, encode_s = load("train", args.cache, folder, args.limit)
    if encode_s:
        print(f"encoder {1000 * encode_s:.0f} ms/article")
    order = np.random.default_rng(SEED).permutation(len(train))
    held_out = [train[i] for i in sorted(order[: round(len(train) * args.held)])]
    model, epoch, sure = fit(
        [train[i] for i in sorted(order[round(len(train) * args.held) :])],
        args.epochs,
        args.hidden,
    )
    print(f"chosen epoch {epoch}, union-sure level {sure}", flush=True)
    start = time.perf_counter()
    held = {}
    for it in held_out:
        held[it.id] = probs(model, it)
        decode(it, held[it.id])
    spent = (time.perf_counter() - start) / len(held_out)
    print(f"tagger (GRU and decoding, one thread) {1000 * spent:.1f} ms/article")
    gains = report("PolNeAR train, held-out articles", held_out, held, sure)
    better = [v for v, (diff, se) in gains.items() if se and diff > 2 * se]
    if args.dev and not better:
        print("dev not scored: no variant beats the rules by more than 2 SE on held-out train")
    elif args.dev:
        print(f"dev scored once: {', '.join(better)} beat the rules by more than 2 SE")
        dev, _ = load("dev", args.cache, folder, args.limit)
        report(
            "PolNeAR dev",
            dev,
            {it.id: probs(model, it) for it in dev},
            sure,
        )


if __name__ == "__main__":
    main()
