"""Fit the heads on the exported (int8) encoder's states, with the encoder fixed.

On a 2-core CPU the joint fine-tuning sees each training window about once; the heads are then
under-trained. Running the int8 encoder over the training articles costs a fraction of one
training epoch, and training the heads alone on those states for several passes is cheap. It
also fits the heads to the quantized states the shipped model actually produces. The token head
fitted here is the sequence head (a bidirectional GRU over whole articles, see
:mod:`.sequence`); the linear token head trained with the encoder is kept in ``heads.npz`` for
models without one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import NDArray
from torch import nn

from propwatch.models.techniques.heads import Heads, span_vector
from propwatch.models.techniques.tagger import Encoded, TechniqueTagger
from propwatch.training.techniques.data import Example
from propwatch.training.techniques.sequence import SoftArticles, TokenGRUEnsemble, fit_token_gru
from propwatch.training.techniques.span_distil import SoftSpans


def _linear(weight: np.ndarray, bias: np.ndarray) -> nn.Linear:
    layer = nn.Linear(weight.shape[0], weight.shape[1])
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weight.T.copy()))
        layer.bias.copy_(torch.from_numpy(bias.copy()))
    return layer


def _weights(layer: nn.Linear) -> tuple[np.ndarray, np.ndarray]:
    return (
        layer.weight.detach().numpy().T.astype(np.float32).copy(),
        layer.bias.detach().numpy().astype(np.float32).copy(),
    )


def _soft_batches(
    soft: SoftSpans | None, n_batches: int, rng: np.random.Generator
) -> list[NDArray[np.intp]]:
    """Rows of ``soft`` for each of ``n_batches`` gold batches: a fresh shuffle of all of them
    split into that many parts (empty parts without soft spans)."""
    if soft is None:
        return [np.zeros(0, dtype=np.intp)] * n_batches
    return np.array_split(rng.permutation(len(soft.vectors)), n_batches)


def _token_inputs(encoded: Encoded) -> NDArray[np.float32]:
    """The sequence token head's input of an article: each token's encoder state (float32
    whatever the text's length) and its token features."""
    return np.concatenate([encoded.hidden[:], encoded.features], axis=1)


def _soft_articles(
    tagger: TechniqueTagger, articles: Sequence[tuple[str, Example]], share: float
) -> SoftArticles:
    """The token head's inputs of teacher-labelled articles, with the teacher's probabilities
    as targets."""
    inputs = [_token_inputs(tagger.encode(text)) for text, _example in articles]
    return SoftArticles(inputs, [example.targets for _text, example in articles], share)


def refit_heads(
    tagger: TechniqueTagger,
    texts: dict[str, str],
    examples: Sequence[Example],
    pos_weight: np.ndarray,
    seed: int,
    span_epochs: int = 30,
    members: int = 3,
    epochs: int = 12,
    soft: SoftSpans | None = None,
    soft_weight: float = 1.0,
    token_head: bool = True,
    soft_tokens: Sequence[tuple[str, Example]] = (),
    soft_share: float = 1.0,
) -> tuple[Heads, TokenGRUEnsemble | None]:
    """New span head and sequence token head trained on the tagger's encoder states.

    Parameters
    ----------
    tagger : TechniqueTagger
        Loaded model whose encoder and current heads (the starting point) are used.
    texts : dict of str to str
        Text of each example's article.
    examples : sequence of Example
        Training articles encoded with the same tokenizer (targets and gold spans).
    pos_weight : ndarray of shape (n_token_outputs,)
        Positive-class weights of the token loss.
    members, epochs : int
        GRU token heads to fit and the passes of each (see :func:`.fit_token_gru`).
    soft : SoftSpans or None, default=None
        A teacher's spans of unlabelled news (see :mod:`.span_distil`): each span-head step
        adds ``soft_weight`` times the cross-entropy of a batch of them against the teacher's
        distributions, so that every soft span is read once per pass over the gold ones.
    token_head : bool, default=True
        ``False`` fits the span head alone and returns ``None`` for the token head (the
        tagger's own is kept).
    soft_tokens : sequence of (text, Example), default=()
        Teacher-labelled articles (see :mod:`.distil`) the token head also learns from, the
        teacher's token probabilities as targets, ``soft_share`` of them per gold article
        and pass (distillation into the head, the encoder kept).
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    inputs, targets, vectors, classes = [], [], [], []
    for example in examples:
        encoded = tagger.encode(texts[example.key])
        inputs.append(_token_inputs(encoded))
        targets.append(example.targets)
        for first, last, scheme, index in example.spans:
            vectors.append((scheme, span_vector(encoded.hidden, encoded.features, first, last)))
            classes.append(index)
    columns = [example.columns for example in examples]
    weights = pos_weight.astype(np.float32)
    sequence: TokenGRUEnsemble | None = None
    if token_head:
        soft_articles = _soft_articles(tagger, soft_tokens, soft_share) if soft_tokens else None
        sequence = fit_token_gru(
            inputs, targets, weights, seed, columns, members, epochs, soft=soft_articles
        )
    heads = tagger.heads_
    hidden = _linear(heads.span_w, heads.span_b)
    outputs = {s: _linear(w, b) for s, (w, b) in heads.span_out.items()}
    params = [*hidden.parameters(), *(p for m in outputs.values() for p in m.parameters())]
    optimizer = torch.optim.Adam(params, lr=5e-4, weight_decay=1e-4)
    ce = nn.CrossEntropyLoss()
    dropout = nn.Dropout(0.2)
    by_scheme = {
        s: (
            torch.from_numpy(np.stack([v for t, v in vectors if t == s])),
            torch.tensor([c for (t, _v), c in zip(vectors, classes, strict=True) if t == s]),
        )
        for s in outputs
        if any(t == s for t, _v in vectors)
    }
    # its own random draws, so that a refit without soft spans is the same as before them
    soft_rng = np.random.default_rng(seed + 1)
    for _ in range(span_epochs):
        for scheme, (vx, vy) in by_scheme.items():
            batches = np.array_split(rng.permutation(len(vx)), max(1, len(vx) // 128))
            soft_batches = _soft_batches(soft, len(batches), soft_rng)
            for batch, soft_batch in zip(batches, soft_batches, strict=True):
                optimizer.zero_grad()
                inner = torch.relu(hidden(dropout(vx[batch])))
                loss = ce(outputs[scheme](inner), vy[batch])
                if soft is not None and len(soft_batch):
                    inner = torch.relu(hidden(dropout(torch.from_numpy(soft.vectors[soft_batch]))))
                    log_probs = torch.log_softmax(outputs[scheme](inner), dim=1)
                    target = torch.from_numpy(soft.targets[scheme][soft_batch])
                    loss = loss - soft_weight * (target * log_probs).sum(1).mean()
                loss.backward()
                optimizer.step()
    span_w, span_b = _weights(hidden)
    span_head = Heads(
        token_w=heads.token_w,
        token_b=heads.token_b,
        span_w=span_w,
        span_b=span_b,
        span_out={s: _weights(m) for s, m in outputs.items()},
    )
    return span_head, sequence
