"""Span distillation: the teacher's span-head distributions on spans of unlabelled news.

The span head names the technique of a span (TC, and the label of every FLC span). It is
trained on the few thousand gold spans of the training articles only, and on them the MPNet
teacher's span head beats the MiniLM student's by about 6 points of dev TC. Here the teacher
reads unlabelled news, finds its own candidate spans and writes its span head's technique
distribution of each; the student's span head is then refitted on its own states of those
spans, with the teacher's distributions as soft targets beside the gold (see :mod:`.refit`).

Two steps:

1. :func:`label_spans` runs the teacher over the texts and writes one ``.npz`` per article
   (key, text, the candidate spans' character offsets and one float16 distribution per span
   and scheme) plus ``meta.json``, in a seeded random order of the articles: a run stopped by
   its time budget leaves a random sample, and a later call continues it.
2. :func:`soft_spans` reads that folder with the *student*: its span vector of every span
   (the characters are the same, the tokens are not) and the teacher's targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from propwatch.models.techniques.decode import line_breaks, technique_runs
from propwatch.models.techniques.heads import span_vector
from propwatch.models.techniques.tagger import Encoded, TechniqueTagger
from propwatch.training.techniques.data import token_range
from propwatch.training.techniques.distil import (
    check_labels,
    label_files,
    pending,
    save_labels,
    write_meta,
)

PROBS_PREFIX = "probs:"  # the teacher's distributions of one scheme, e.g. "probs:semeval2020"


def candidate_runs(tagger: TechniqueTagger, text: str, encoded: Encoded) -> list[tuple[int, int]]:
    """Token ranges ``[first, last)`` the tagger's decoding keeps in any of its schemes.

    The span runs at each scheme's tuned threshold and, where the scheme has a ``technique``
    threshold, the fragments inside a run that pass it for some technique (short spans, as
    most gold spans are); each range once, in text order.
    """
    found: set[tuple[int, int]] = set()
    breaks = line_breaks(text, encoded.tokens.offsets)
    for scheme in tagger.layout_.schemes:
        limits = tagger.limits(scheme)
        runs = tagger.find_runs(text, encoded, scheme, limits)
        found.update(runs)
        if limits.get("technique") is None:
            continue
        columns = tagger.layout_.technique_columns(scheme)
        for first, last in runs:
            probs = encoded.probs[first:last, columns]
            fragments = technique_runs(probs, breaks[first:last], limits["technique"], skip=-1)
            found.update((first + low, first + high) for low, high, _column in fragments)
    return sorted(found)


def label_spans(
    teacher: TechniqueTagger,
    texts: dict[str, str],
    out: Path,
    max_minutes: float = 0.0,
    seed: int = 0,
) -> int:
    """Write the teacher's candidate spans of every text and its span distributions of them.

    Parameters
    ----------
    teacher : TechniqueTagger
        Loaded teacher model (its decoding finds the spans, its span head labels them).
    texts : dict of str to str
        Unlabelled articles by key (e.g. :func:`.distil.unlabelled_news`).
    out : Path
        Folder of the label files; texts already labelled there are skipped.
    max_minutes : float, default=0.0
        Stop after this many minutes (0: no limit), to be continued by calling again.
    seed : int, default=0
        Order in which the articles are labelled.

    Returns
    -------
    int
        How many articles are labelled in ``out`` now.
    """
    write_meta(teacher, out)
    schemes = teacher.layout_.schemes
    keys = sorted(texts)
    order = [keys[i] for i in np.random.default_rng(seed).permutation(len(keys))]
    for key, path in pending(order, out, max_minutes, len(keys)):
        text = texts[key]
        encoded = teacher.encode(text)
        runs = candidate_runs(teacher, text, encoded)
        offsets = encoded.tokens.offsets
        bounds = [(offsets[first, 0], offsets[last - 1, 1]) for first, last in runs]
        probs = {
            PROBS_PREFIX + scheme: teacher.span_probs(encoded, runs, scheme).astype(np.float16)
            for scheme in schemes
        }
        save_labels(
            path,
            key=np.array(key),
            text=np.array(text),
            spans=np.array(bounds, dtype=np.int32).reshape(-1, 2),
            **probs,
        )
    return sum(1 for _ in label_files(out))


@dataclass(frozen=True)
class SoftSpans:
    """The teacher's spans in the student's representation.

    Attributes
    ----------
    vectors : ndarray of float32, shape (n_spans, span vector size)
        The student's :func:`~propwatch.models.techniques.heads.span_vector` of each span.
    targets : dict of str to ndarray of float32, shape (n_spans, n_techniques of the scheme)
        The teacher's technique distribution of each span, per scheme.
    articles : int
        Articles the spans come from.
    """

    vectors: NDArray[np.float32]
    targets: dict[str, NDArray[np.float32]]
    articles: int


def soft_spans(student: TechniqueTagger, folder: Path) -> SoftSpans:
    """Read the label files of :func:`label_spans` with the ``student``'s encoder.

    A span that covers no student token (only spaces between two of them) is left out.
    """
    layout = student.layout_
    check_labels(folder, layout)
    vectors: list[NDArray[np.float32]] = []
    targets: dict[str, list[NDArray[np.float32]]] = {scheme: [] for scheme in layout.schemes}
    articles = 0
    for path in label_files(folder):
        with np.load(path) as saved:
            text, spans = str(saved["text"]), saved["spans"]
            probs = {s: saved[PROBS_PREFIX + s].astype(np.float32) for s in layout.schemes}
        articles += 1
        if not len(spans):
            continue
        encoded = student.encode(text)
        for row, (start, end) in enumerate(spans):
            first, last = token_range(encoded.tokens.offsets, int(start), int(end))
            if first == last:
                continue
            vectors.append(span_vector(encoded.hidden, encoded.features, first, last))
            for scheme in layout.schemes:
                targets[scheme].append(probs[scheme][row])
    width = len(student.heads_.span_w)
    return SoftSpans(
        np.stack(vectors) if vectors else np.zeros((0, width), dtype=np.float32),
        {
            scheme: np.stack(rows)
            if rows
            else np.zeros((0, len(layout.techniques[scheme])), dtype=np.float32)
            for scheme, rows in targets.items()
        },
        articles,
    )
