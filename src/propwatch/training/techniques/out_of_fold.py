"""Span-calibration examples from the extra corpora's articles, answered out of fold.

The span calibration (:mod:`.calibration`) must be fitted on the span head's answers on spans
it never trained on. The held-out PTC articles give those, but only PTC articles of 2017-18
are held out: the articles of the ``--extra`` corpora (CheckThat! 2024: news of 2023-24) are
all trained on, so a calibration fitted on PTC alone moves every answer towards PTC's
technique shares and leaves the techniques that PTC-style labels never use as the head gives
them. With ``--calibration-folds K`` the span head is refitted K more times, each time without
one K-th of the extra articles, and each refit answers the articles it left out; those answers
join the held-out PTC spans in the calibration's fit. The K heads are then thrown away; the
model keeps the head trained on everything.

The K refits start from the same heads as the model's own refit, so those heads must not have
trained on the extra articles (see :data:`TRAINED_ON_EXTRA`).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import KFold

from propwatch.models.techniques.tagger import TechniqueTagger
from propwatch.training.techniques.calibration import Rows, span_examples
from propwatch.training.techniques.data import EXTRA_CORPORA, Corpus, Example
from propwatch.training.techniques.fit import EXTRA_SEPARATOR
from propwatch.training.techniques.refit import refit_heads
from propwatch.training.techniques.span_distil import SoftSpans

# config.json key of a technique model: the extra corpora its heads trained on.
TRAINED_ON_EXTRA = "trained_on_extra"


def extra_keys(keys: Sequence[str], extra: Sequence[str]) -> list[str]:
    """The keys of articles of the ``extra`` corpora (``<corpus>:<id>``), sorted."""
    return sorted(key for key in keys if key.split(EXTRA_SEPARATOR, 1)[0] in extra)


def corpus_rows(tagger: TechniqueTagger, corpus: Corpus, keys: Sequence[str], scheme: str) -> Rows:
    """Calibration inputs and classes of the gold spans of ``corpus``'s articles ``keys`` in
    ``scheme``, as ``tagger``'s span head answers them."""
    texts = {key: corpus.texts[key] for key in keys}
    encoded = {key: tagger.encode(text) for key, text in texts.items()}
    return span_examples(tagger, texts, encoded, corpus.spans, scheme)


def out_of_fold_rows(
    tagger: TechniqueTagger,
    data_root: Path,
    refit_on: Mapping[str, tuple[str, Example]],
    extra: Sequence[str],
    folds: int,
    pos_weight: NDArray[np.float32],
    seed: int,
    soft: SoftSpans | None = None,
    soft_weight: float = 1.0,
) -> dict[str, Rows]:
    """Per scheme, calibration inputs and classes of the extra articles' gold spans, each
    answered by a span head refitted (from ``tagger``'s heads) without that article's fold."""
    keys = extra_keys(list(refit_on), extra)
    if len(keys) < folds:
        return {}
    corpora = {name: EXTRA_CORPORA[name][1](data_root) for name in extra}
    found: dict[str, list[Rows]] = defaultdict(list)
    for _kept, left_out in KFold(folds, shuffle=True, random_state=seed).split(keys):
        held = {keys[i] for i in left_out}
        kept = [key for key in refit_on if key not in held]
        heads, _token_head = refit_heads(
            tagger,
            {key: refit_on[key][0] for key in kept},
            [refit_on[key][1] for key in kept],
            pos_weight,
            seed,
            soft=soft,
            soft_weight=soft_weight,
            token_head=False,
        )
        answering = copy.copy(tagger)
        answering.heads_ = heads
        for name in extra:
            scheme, corpus = EXTRA_CORPORA[name][0], corpora[name]
            prefix = f"{name}{EXTRA_SEPARATOR}"
            ids = [key.removeprefix(prefix) for key in sorted(held) if key.startswith(prefix)]
            rows = corpus_rows(answering, corpus, ids, scheme)
            if len(rows[1]):
                found[scheme].append(rows)
    return {
        scheme: (np.concatenate([r[0] for r in parts]), np.concatenate([r[1] for r in parts]))
        for scheme, parts in found.items()
    }
