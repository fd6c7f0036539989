"""Fit the content tagger: epochs chosen on a tenth of the articles, and the ``sure`` level.

The tagger's contents join the rules' where they overlap none; ``sure`` (the least mean content
probability of a content that joins) is chosen on the same tenth by the F1 of rules and tagger
together, which is what the ``quote_tagger`` component ships.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from propwatch.eval.quotes import score_quotes
from propwatch.io.labels.quotes import PredictedQuote
from propwatch.models.quotes.learned import SOURCE, Tagged, outside, tagged_contents
from propwatch.text.span import Span
from propwatch.training.quotes.data import QuoteArticle
from propwatch.training.quotes.model import ContentGRU, probabilities

log = logging.getLogger(__name__)
PIECE = 256  # wordpieces per training sequence
BATCH = 32
SURE_LEVELS = (0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class FitSettings:
    """How the tagger is fitted (its defaults made the shipped model)."""

    epochs: int = 6  # with the source tags, 4 left the contents' F1 still rising
    hidden: int = 64
    min_pieces: int = 2
    learning_rate: float = 1e-3
    seed: int = 0


@dataclass
class Fitted:
    """A fitted network with what was chosen on the held-back tenth."""

    net: ContentGRU
    epoch: int
    sure: float
    tenth_scores: dict[str, float]


def _batches(
    articles: Sequence[QuoteArticle], rng: np.random.Generator
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled batches of :data:`PIECE`-wordpiece pieces of the articles: inputs padded with
    zeros, labels (content and source columns) with -100 (ignored by the loss)."""
    pieces = [(a, s) for a in articles for s in range(0, len(a.labels), PIECE)]
    order = rng.permutation(len(pieces))
    width = articles[0].states.shape[1] + articles[0].flags.shape[1]
    out = []
    for first in range(0, len(order), BATCH):
        chosen = [pieces[i] for i in order[first : first + BATCH]]
        length = max(min(PIECE, len(a.labels) - s) for a, s in chosen)
        inputs = np.zeros((len(chosen), length, width), dtype=np.float32)
        labels = np.full((len(chosen), length, 2), -100, dtype=np.int64)
        for row, (article, start) in enumerate(chosen):
            n = min(PIECE, len(article.labels) - start)
            inputs[row, :n, : article.states.shape[1]] = article.states[start : start + n]
            inputs[row, :n, article.states.shape[1] :] = article.flags[start : start + n]
            labels[row, :n] = article.labels[start : start + n]
        out.append((torch.from_numpy(inputs), torch.from_numpy(labels)))
    return out


def _predicted(article: QuoteArticle, contents: Sequence[Tagged]) -> list[PredictedQuote]:
    return [
        PredictedQuote(article.id, Span(c.start, c.end), None, None, "", "indirect")
        for c in contents
    ]


def _rules(article: QuoteArticle) -> list[PredictedQuote]:
    return [
        PredictedQuote(article.id, Span(r.start, r.end), None, None, "", r.kind)
        for r in article.rules
    ]


def joined(article: QuoteArticle, found: Sequence[Tagged], sure: float) -> list[Tagged]:
    """The contents of ``found`` that join the rules' quotes at level ``sure``."""
    sure_enough = [c for c in found if c.support >= sure]
    return outside(sure_enough, ((r.start, r.end) for r in article.rules), len(article.text))


def _f1(articles: Sequence[QuoteArticle], quotes: list[PredictedQuote]) -> float:
    gold = {a.id: a.gold for a in articles}
    return float(score_quotes(quotes, gold, False).metrics["f1"])


def fit(articles: Sequence[QuoteArticle], settings: FitSettings) -> Fitted:
    """Fit on nine tenths of ``articles`` (seeded draw); keep the epoch whose tagger alone
    scores best on the last tenth, then choose ``sure`` there (see the module docstring)."""
    rng = np.random.default_rng(settings.seed)
    torch.manual_seed(settings.seed)
    order = rng.permutation(len(articles))
    n_tenth = max(1, len(articles) // 10)
    tenth = [articles[i] for i in order[:n_tenth]]
    rest = [articles[i] for i in order[n_tenth:]] or tenth
    width = articles[0].states.shape[1] + articles[0].flags.shape[1]
    net = ContentGRU(width, settings.hidden)
    optimizer = torch.optim.Adam(net.parameters(), lr=settings.learning_rate)
    loss = nn.CrossEntropyLoss(ignore_index=-100)
    best, best_epoch, best_state = -1.0, 0, net.state_dict()
    for epoch in range(1, settings.epochs + 1):
        net.train()
        for inputs, labels in _batches(rest, rng):
            optimizer.zero_grad()
            logits = net(inputs)
            # the content and the source tags, each its own cross-entropy
            content = loss(logits[..., :SOURCE].reshape(-1, 3), labels[..., 0].reshape(-1))
            source = loss(logits[..., SOURCE:].reshape(-1, 3), labels[..., 1].reshape(-1))
            (content + source).backward()
            optimizer.step()
        found = _found(net, tenth, settings.min_pieces)
        score = _f1(tenth, [q for a in tenth for q in _predicted(a, found[a.id])])
        log.info("epoch %d: tagger F1 %.4f on %d articles", epoch, score, len(tenth))
        if score > best:
            best, best_epoch = score, epoch
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    found = _found(net, tenth, settings.min_pieces)

    def with_rules(sure: float) -> float:
        quotes = [q for a in tenth for q in _rules(a) + _predicted(a, joined(a, found[a.id], sure))]
        return _f1(tenth, quotes)

    scores = {f"rules_and_tagger_f1_at_{level}": with_rules(level) for level in SURE_LEVELS}
    sure = max(SURE_LEVELS, key=with_rules)
    scores["tagger_f1"] = best
    return Fitted(net, best_epoch, sure, scores)


def _found(
    net: ContentGRU, articles: Sequence[QuoteArticle], min_pieces: int
) -> dict[str, list[Tagged]]:
    return {
        a.id: tagged_contents(a.offsets, probabilities(net, a.inputs()), min_pieces)
        for a in articles
    }
