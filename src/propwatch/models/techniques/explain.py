"""Which words weighed most for a span's technique: occlusion over the ONNX encoder.

Gradient-free, so it needs nothing but the inference model: each word of the span (and
:data:`CONTEXT_WORDS` words on either side) is replaced by the tokenizer's mask token in its
own copy of the one encoder window that holds the span, all copies and the untouched window go
through the encoder in one call (one int8 activation scale for all), and a word weighs what
the span head's probability of the technique loses when it is masked.

The span head's own probability is measured, not the card's confidence: the confidence also
multiplies in how likely each token is inside a span at all, and masking almost any word of a
span moves that (by up to 0.2 on a name-calling sentence written for the tests), which buried
the words that decide *which* technique it is.

Cost: one encoder call of ``1 + n_words`` windows of at most ``window`` tokens per span,
whatever the article's length (the article is tokenized, never encoded).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from propwatch.models.techniques.features import WORD, token_features
from propwatch.models.techniques.heads import span_vector
from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.models.techniques.windows import Tokens, tokenize, window_batch

CONTEXT_WORDS = 3  # words on each side of the span: a cue just outside it can carry the call
MASK_TOKENS = ("[MASK]", "<mask>")  # BERT's and MPNet's spelling; else the unknown token


@dataclass(frozen=True, slots=True)
class WordWeight:
    """One word and what masking it costs the span's technique score.

    Attributes
    ----------
    start, end : int
        Character offsets of the word in the text, end-exclusive.
    weight : float
        The span's score minus its score with the word masked, in score units (confidence,
        [0, 1] scale): positive when the word supports the technique.
    """

    start: int
    end: int
    weight: float


def mask_id(tagger: TechniqueTagger) -> int:
    """The id that stands in for an occluded wordpiece: the mask token, else unknown."""
    tokenizer = tagger.tokenizer_
    for name in MASK_TOKENS:
        found = tokenizer.token_to_id(name)
        if found is not None:
            return int(found)
    unknown = tokenizer.token_to_id(getattr(tokenizer.model, "unk_token", "[UNK]"))
    if unknown is None:
        raise ValueError("the technique tokenizer has neither a mask nor an unknown token")
    return int(unknown)


def _window_start(first: int, last: int, n_tokens: int, window: int) -> int:
    """First token of the window that centres tokens ``[first, last)`` (its start when the
    span is longer than a window)."""
    centred = first - max(window - (last - first), 0) // 2
    return max(0, min(centred, n_tokens - window))


def _words(text: str, offsets: NDArray[np.int64], low: int, high: int) -> list[tuple[int, int]]:
    """Character ranges of the words that the tokens ``[low, high)`` cover."""
    if low >= high:
        return []
    begin, end = int(offsets[low, 0]), int(offsets[high - 1, 1])
    return [(m.start() + begin, m.end() + begin) for m in WORD.finditer(text[begin:end])]


def occlusion_weights(
    tagger: TechniqueTagger,
    text: str,
    span: tuple[int, int],
    technique: str,
    scheme: str,
    *,
    tokens: Tokens | None = None,
    context_words: int = CONTEXT_WORDS,
) -> list[WordWeight]:
    """The words of a technique span and its context, with what each weighs for ``technique``.

    Parameters
    ----------
    tagger : TechniqueTagger
        Loaded; the model that marked the span.
    text : str
        The article text.
    span : (int, int)
        Character offsets of the span, end-exclusive.
    technique : str
        A technique of ``scheme`` (usually the span's own).
    scheme : str
        Technique scheme the model was trained on.
    tokens : Tokens or None, default=None
        The text's wordpieces when already known (e.g. :attr:`Encoded.tokens`); tokenized
        otherwise.
    context_words : int, default=CONTEXT_WORDS
        Words before and after the span that are masked too.

    Returns
    -------
    list of WordWeight
        In text order; empty when the span covers no wordpiece. Words of the span that fall
        outside the encoder window (a span longer than a window) are left out.
    """
    tagger.check_scheme(scheme)
    tokens = tokens if tokens is not None else tokenize(tagger.tokenizer_, text)
    offsets = tokens.offsets
    hit = np.flatnonzero((offsets[:, 0] < span[1]) & (offsets[:, 1] > span[0]))
    if hit.size == 0:
        return []
    window = int(tagger.config_["window"])
    low = _window_start(int(hit[0]), int(hit[-1]) + 1, len(tokens), window)
    high = min(low + window, len(tokens))
    first, last = max(int(hit[0]), low) - low, min(int(hit[-1]) + 1, high) - low
    window_offsets = offsets[low:high]
    before = _words(text, window_offsets, 0, first)
    after = _words(text, window_offsets, last, high - low)
    words = [
        *before[max(len(before) - context_words, 0) :],
        *_words(text, window_offsets, first, last),
        *after[:context_words],
    ]
    # every copy: the window's ids with one word's wordpieces masked (copy 0 masks nothing)
    input_ids, attention = window_batch(
        tokens.ids[low:high], [0] * (1 + len(words)), window, tagger.cls_id_, tagger.sep_id_
    )
    for copy, (start, end) in enumerate(words, start=1):
        covered = (window_offsets[:, 0] < end) & (window_offsets[:, 1] > start)
        input_ids[copy, 1 : high - low + 1][covered] = mask_id(tagger)
    states = tagger.run_windows(input_ids, attention)[:, 1 : high - low + 1]
    features = token_features(text, window_offsets)
    vectors = np.stack([span_vector(hidden, features, first, last) for hidden in states])
    column = tagger.layout_.techniques[scheme].index(technique)
    probs = tagger.heads_.span_probs(vectors, scheme)[:, column]
    return [
        WordWeight(start, end, round(float(probs[0] - prob), 4))
        for (start, end), prob in zip(words, probs[1:], strict=True)
    ]
