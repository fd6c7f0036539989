"""A learned tagger of reported speech and its sources, run beside the rules.

The rules of :mod:`.extract` find direct quotes well but miss much reported speech (noun cues,
speech spanning sentences, unusual verbs). A small bidirectional GRU reads the technique
encoder's wordpiece states (which the pipeline has already computed) plus six cue flags per
wordpiece and tags, B/I/O, two things at once: attribution contents and source mentions; it
was trained on PolNeAR (``propwatch train quotes``). :func:`tagged_runs` turns its
probabilities into spans, each with its mean probability (``support``); the ``quote_tagger``
component adds the contents where no rule quote lies and the support reaches the model's
``sure`` level, and :mod:`.tagged` finds their speakers, first among the tagged sources.

The model folder holds ``content_tagger.onnx`` (input ``inputs``: float32 of shape
``(1, n_wordpieces, hidden_size + N_FLAGS)``; output ``probs``: ``(1, n_wordpieces, 6)``,
probabilities of O, B and I of a content, then of a source) and ``meta.json`` (its version,
the encoder version it was trained on, ``sure``, ``min_pieces`` and its scores; see
``MODEL_CARD.md``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from spacy.symbols import AUX, VERB

from propwatch.errors import InputError
from propwatch.models.quotes import lexicon
from propwatch.models.quotes.marks import MARK, find_quoted_spans
from propwatch.text.nlp import ParsedText

CUE_VERBS = (
    lexicon.SPEECH_VERBS
    | lexicon.STANCE_VERBS
    | lexicon.CLAUSE_VERBS
    | lexicon.OBJECT_VERBS
    | lexicon.PASSIVE_VERBS
    | frozenset(lexicon.TOPIC_VERBS)
)
CUE_WORDS = lexicon.NOUN_CUES | lexicon.ADJECTIVE_CUES | {"according"}
FLAGS = (
    "inside_quotation_marks",
    "quotation_mark",
    "cue_verb",
    "cue_noun_or_adjective",
    "sentence_start",
    "paragraph_start",
)
N_FLAGS = len(FLAGS)
O, B, I = 0, 1, 2  # noqa: E741 (the tag names, columns of the content tags)
SOURCE = 3  # the source tags are the next three columns: O, B, I of a source mention
# Least P(B) + P(I) of a wordpiece of a tagged source: below the contents' 0.5, since a
# content's real source is often tagged at 0.3-0.5 (on held-out PolNeAR train articles the
# added contents' speaker accuracy was 0.77, 0.80, 0.82, 0.80 at 0.5, 0.4, 0.3, 0.2).
SOURCE_LEVEL = 0.3
# The GRU reads a long article in windows of this many wordpieces, each with this many more on
# either side as context, so its working memory is bounded whatever the text's length; it was
# trained on pieces of 256 wordpieces, and news articles are mostly one window.
WINDOW = 1024
MARGIN = 64
ONNX_FILE = "content_tagger.onnx"
META_FILE = "meta.json"
LINE_BREAK = re.compile("\n")
# states(first, last): encoder states of wordpieces first:last, float32 (n, hidden_size)
StateRows = Callable[[int, int], NDArray[np.float32]]
DEFAULT_MODEL_DIR = Path(str(files("propwatch") / "data" / "models" / "quotes"))


def cue_flags(text: str, parsed: ParsedText, offsets: NDArray[np.int64]) -> NDArray[np.float32]:
    """The :data:`FLAGS` of each wordpiece (``offsets``: character start and end of each).

    Flags 2-4 read the spaCy word the wordpiece starts in: a verb whose lemma is a cue verb of
    the rules' lexicon, a cue noun or adjective ("claim", "according"), a sentence's first
    word; flag 5 marks a wordpiece at the start of the text or of a line. Computed per
    character and per word, then read at each wordpiece's offsets: no loop over wordpieces.
    """
    n_chars = len(text) + 1
    quoted = np.zeros(n_chars, dtype=bool)
    for q in find_quoted_spans(text):
        quoted[q.start : q.end] = True
    # marks_before[c]: quotation marks starting before character c
    marks = np.zeros(n_chars, dtype=np.int32)
    for match in MARK.finditer(text):
        marks[match.start()] = 1
    marks_before = np.concatenate([[0], np.cumsum(marks)])
    newlines = np.zeros(n_chars, dtype=np.int32)
    newlines[[match.start() for match in LINE_BREAK.finditer(text)]] = 1
    breaks = np.concatenate([[0], np.cumsum(newlines)])  # breaks[c]: line breaks before c
    word_bounds, word_flags = _word_columns(parsed)
    # word_at[c]: index of the spaCy word holding character c (-1: none)
    word_at = np.full(n_chars, -1, dtype=np.int32)
    for n, (first, last) in enumerate(word_bounds.tolist()):
        word_at[first:last] = n
    word_starts = word_bounds[:, 0]
    starts, ends = offsets[:, 0], offsets[:, 1]
    word = word_at[starts]
    has_word = word >= 0
    out = np.zeros((len(offsets), N_FLAGS), dtype=np.float32)
    out[:, 0] = quoted[starts]
    out[:, 1] = marks_before[ends] > marks_before[starts]
    out[has_word, 2] = word_flags[word[has_word], 0]
    out[has_word, 3] = word_flags[word[has_word], 1]
    out[has_word, 4] = word_flags[word[has_word], 2] & (
        word_starts[word[has_word]] == starts[has_word]
    )
    out[:, 5] = (starts == 0) | (breaks[starts] > breaks[np.maximum(starts - 2, 0)])
    return out


def _word_columns(parsed: ParsedText) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Each spaCy word's character ``[start, end)`` in the text, and three flags: a cue verb,
    a cue noun or adjective, a sentence start. Read as columns of the parse (``to_array``):
    making a Python object per word cost more than all the rest of :func:`cue_flags`."""
    bounds, flags = [], []
    for chunk in parsed.chunks:
        doc = chunk.doc
        if not len(doc):
            continue
        columns = doc.to_array(["IDX", "LENGTH", "POS", "SENT_START"]).astype(np.int64)
        lemma_hashes = doc.to_array("LEMMA")  # uint64: hashes do not fit int64
        lower = {h: doc.vocab.strings[int(h)].lower() for h in np.unique(lemma_hashes).tolist()}
        lemmas = [lower[h] for h in lemma_hashes.tolist()]
        verbs = np.isin(columns[:, 2], [VERB, AUX])
        cue_verbs = verbs & np.array([lemma in CUE_VERBS for lemma in lemmas], dtype=bool)
        cue_words = np.array([lemma in CUE_WORDS for lemma in lemmas], dtype=bool)
        starts = chunk.start + columns[:, 0]
        bounds.append(np.stack([starts, starts + columns[:, 1]], axis=1))
        flags.append(np.stack([cue_verbs, cue_words, columns[:, 3] == 1], axis=1))
    if not bounds:
        return np.zeros((0, 2), dtype=np.int64), np.zeros((0, 3), dtype=bool)
    return np.concatenate(bounds), np.concatenate(flags)


@dataclass(frozen=True, slots=True)
class Tagged:
    """A span the tagger found: character offsets and its mean P(B) + P(I)."""

    start: int
    end: int
    support: float


def tagged_runs(
    offsets: NDArray[np.int64], probs: NDArray[np.float32], *, level: float, min_pieces: int
) -> list[Tagged]:
    """Runs of wordpieces whose P(B) + P(I) > ``level`` (``probs``: O, B, I columns), a new run
    where P(B) beats P(I), of at least ``min_pieces`` wordpieces."""
    inside = probs[:, B] + probs[:, I]
    runs: list[list[int]] = []
    for i in np.flatnonzero(inside > level).tolist():
        if runs and runs[-1][-1] == i - 1 and probs[i, B] <= probs[i, I]:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [
        Tagged(
            int(offsets[run[0], 0]),
            int(offsets[run[-1], 1]),
            float(inside[run[0] : run[-1] + 1].mean()),
        )
        for run in runs
        if len(run) >= min_pieces
    ]


def tagged_contents(
    offsets: NDArray[np.int64], probs: NDArray[np.float32], min_pieces: int
) -> list[Tagged]:
    """Contents: runs above 0.5 of at least ``min_pieces`` wordpieces (shorter ones are stray
    tokens, not speech)."""
    return tagged_runs(offsets, probs[:, :SOURCE], level=0.5, min_pieces=min_pieces)


def tagged_sources(offsets: NDArray[np.int64], probs: NDArray[np.float32]) -> list[Tagged]:
    """Source mentions: runs above :data:`SOURCE_LEVEL`, one wordpiece or more ("he")."""
    return tagged_runs(offsets, probs[:, SOURCE:], level=SOURCE_LEVEL, min_pieces=1)


def outside(
    contents: Sequence[Tagged], ranges: Iterable[tuple[int, int]], length: int
) -> list[Tagged]:
    """The contents that overlap none of ``ranges`` (character ranges of a text of ``length``
    characters): one pass over a character mask, however many ranges and contents."""
    covered = np.zeros(length, dtype=bool)
    for start, end in ranges:
        covered[start:end] = True
    return [c for c in contents if not covered[c.start : c.end].any()]


@dataclass(frozen=True)
class Tagging:
    """What the tagger found in one text: the contents it is sure of, and every source."""

    contents: list[Tagged]
    sources: list[Tagged]


class ContentTagger:
    """The GRU content tagger: loads lazily, runs on onnxruntime.

    Parameters
    ----------
    model_dir : str or Path or None, default=None
        Folder of a model written by ``propwatch train quotes``; ``None``: the shipped one.
    threads : int, default=1
        onnxruntime intra-op threads (one: the recurrent steps are small and sequential).

    Attributes
    ----------
    meta_ : dict
        The folder's ``meta.json``.
    """

    def __init__(self, *, model_dir: str | Path | None = None, threads: int = 1) -> None:
        self.model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        self.threads = threads
        self._session: Any = None
        self.meta_: dict[str, Any] = {}

    def model_files(self) -> list[Path]:
        return [self.model_dir / ONNX_FILE, self.model_dir / META_FILE]

    def load(self) -> ContentTagger:
        """Read ``meta.json`` and start the onnxruntime session (once)."""
        if self._session is not None:
            return self
        import onnxruntime

        from propwatch.models.techniques.runtime import session_options

        for path in self.model_files():
            if not path.is_file():
                raise InputError(str(path), "missing: train one with 'propwatch train quotes'")
        self.meta_ = json.loads((self.model_dir / META_FILE).read_text(encoding="utf-8"))
        self._session = onnxruntime.InferenceSession(
            str(self.model_dir / ONNX_FILE),
            session_options(self.threads),
            providers=["CPUExecutionProvider"],
        )
        return self

    @property
    def encoder(self) -> str:
        """Version of the technique encoder whose states the model was trained on."""
        return str(self.load().meta_["encoder"])

    def probabilities(self, states: StateRows, flags: NDArray[np.float32]) -> NDArray[np.float32]:
        """Content then source O/B/I probabilities of each wordpiece, shape
        ``(n_wordpieces, 6)``.

        ``states(first, last)`` gives the encoder states of wordpieces ``first:last``, ``flags``
        their :func:`cue_flags`; the text is read in windows of :data:`WINDOW` wordpieces with
        :data:`MARGIN` more on each side.
        """
        session = self.load()._session
        n = len(flags)
        out = np.zeros((n, 2 * SOURCE), dtype=np.float32)
        for start in range(0, n, WINDOW):
            low, high = max(0, start - MARGIN), min(n, start + WINDOW + MARGIN)
            inputs = np.concatenate([states(low, high), flags[low:high]], axis=1)
            (probs,) = session.run(["probs"], {"inputs": inputs[None].astype(np.float32)})
            end = min(n, start + WINDOW)
            out[start:end] = probs[0, start - low : end - low]
        return out

    def tag(
        self, states: StateRows, offsets: NDArray[np.int64], flags: NDArray[np.float32]
    ) -> Tagging:
        """The contents the model is sure of (support at least its ``sure`` level), and the
        source mentions."""
        probs = self.probabilities(states, flags)
        sure = float(self.meta_["sure"])
        contents = tagged_contents(offsets, probs, int(self.meta_["min_pieces"]))
        return Tagging([c for c in contents if c.support >= sure], tagged_sources(offsets, probs))
