"""The technique tagger at inference: ONNX encoder + numpy heads, no torch.

A model folder holds ``encoder.onnx`` (int8), ``tokenizer.json``, ``heads.npz``,
``config.json`` (head layout, window sizes, tuned thresholds) and, once its heads were refitted,
``token_head.onnx`` (the sequence token head that replaces the linear one of ``heads.npz``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propwatch.errors import InputError, UnknownNameError
from propwatch.models.techniques.calibration import FILE_NAME as CALIBRATION_FILE
from propwatch.models.techniques.calibration import SpanCalibration, recurrence_features
from propwatch.models.techniques.decode import (
    line_breaks,
    paragraph_max,
    snap,
    technique_runs,
    token_runs,
)
from propwatch.models.techniques.features import N_FEATURES, token_features
from propwatch.models.techniques.heads import Heads, span_vector
from propwatch.models.techniques.layout import Layout
from propwatch.models.techniques.runtime import run_options, session_options
from propwatch.models.techniques.sequence import FILE_NAME as SEQUENCE_HEAD_FILE
from propwatch.models.techniques.sequence import SequenceHead
from propwatch.models.techniques.windows import (
    States,
    Tokens,
    boundary_ids,
    context_chunks,
    load_tokenizer,
    pooled_mean,
    token_states,
    tokenize,
    window_batch,
    window_starts,
)
from propwatch.text.segment import paragraphs
from propwatch.text.span import Span

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "models" / "techniques"
# The int8 encoder quantises each call's activations with one scale for the whole call, so a
# window's states depend on the windows encoded with it (token probabilities move by up to 0.2).
# Texts of up to 128 windows (12,000 wordpieces, about 55,000 characters: every article of the
# training corpora) are encoded in one call, exactly as before batching. onnxruntime needs
# about 340 MB during such a call (see run_options). A longer text is encoded
# LONG_BATCH_WINDOWS at a time (80 MB): it cannot be encoded as before anyway.
BATCH_WINDOWS = 128
LONG_BATCH_WINDOWS = 32
# Longer texts are "long": their states are kept in int8 (Int8States: 388 bytes per token
# instead of 1,536) and the token head reads them in pieces of HEAD_PIECE_TOKENS tokens plus
# HEAD_CONTEXT_TOKENS on each side. Every article of the training corpora is shorter, so it is
# read whole in float32.
LONG_TEXT_TOKENS = 16_384
# The sequence head needs about 14 KB per token it reads at once (its GRUs keep every step):
# 260 MB for 16,384 tokens and their context, 156 MB for 8,192; the context then costs a
# quarter of the piece instead of an eighth.
HEAD_PIECE_TOKENS = 8_192
HEAD_CONTEXT_TOKENS = 1_024


@dataclass(frozen=True)
class Detection:
    """One technique found in a text.

    Attributes
    ----------
    start, end : int
        Character offsets into the text, end-exclusive.
    technique : str
        Technique name of the scheme.
    score : float
        Confidence in [0, 1]: span probability times technique probability.
    runner_up : str or None
        The next most probable technique of the span, so a reader sees how close the call
        was (None where it was not computed).
    runner_up_score : float
        Its confidence, on the same scale as ``score``.
    """

    start: int
    end: int
    technique: str
    score: float
    runner_up: str | None = None
    runner_up_score: float = 0.0


@dataclass(frozen=True)
class Encoded:
    """One text run through the encoder.

    Attributes
    ----------
    tokens : Tokens
    hidden : ndarray of float32 (Int8States for long texts), shape (n_tokens, hidden_size)
    features : ndarray of float32, shape (n_tokens, n_features)
    probs : ndarray of float32, shape (n_tokens, n_token_outputs)
        Token-head probabilities.
    encoder : str
        Version of the encoder that computed ``hidden`` (see :func:`encoder_version`).
    """

    tokens: Tokens
    hidden: States
    features: NDArray[np.float32]
    probs: NDArray[np.float32]
    encoder: str

    @property
    def offsets(self) -> NDArray[np.int64]:
        """Character offsets ``[start, end)`` of each token, shape (n_tokens, 2)."""
        return self.tokens.offsets

    def token_states(self, first: int, last: int) -> NDArray[np.float32]:
        """States of tokens ``first`` to ``last`` (end-exclusive) as float32 (int8 rows of a
        long text are scaled back), shape (n, hidden_size)."""
        return np.asarray(self.hidden[first:last], dtype=np.float32)

    def mean_state(self, start: int = 0, end: int | None = None) -> NDArray[np.float32]:
        """Mean encoder state of the tokens overlapping characters ``[start, end)``.

        Shape (hidden_size,); the whole text by default; zeros when no token overlaps (e.g. an
        empty text), so article-level models always get a vector. Tokens are found by binary
        search and averaged in place, so a call costs the span's length, not the text's.
        """
        offsets = self.tokens.offsets
        if end is None:
            end = int(offsets[-1, 1]) if len(offsets) else 0
        low = int(offsets[:, 1].searchsorted(start, side="right"))
        high = int(offsets[:, 0].searchsorted(end, side="left"))
        part = offsets[low:high]
        inside = (part[:, 0] < end) & (part[:, 1] > start)
        if not inside.any():
            return np.zeros(self.hidden.shape[1], dtype=np.float32)
        return pooled_mean(self.hidden, low, high, inside)


class TechniqueTagger:
    """Find persuasion-technique spans; classify given spans; score paragraphs.

    Parameters
    ----------
    model_dir : str or Path or None, default=None
        Folder of a trained model; ``None`` means the model shipped with propwatch.
    threads : int, default=0
        onnxruntime intra-op threads; 0 lets onnxruntime choose.
    batch_windows : int, default=BATCH_WINDOWS
        Most windows encoded in one call: a text of no more windows is encoded in one call,
        a longer one :data:`LONG_BATCH_WINDOWS` at a time. Memory grows with it, not with
        the text.
    long_text_tokens : int, default=LONG_TEXT_TOKENS
        Texts with more tokens keep int8 states and have the token head read them in pieces
        of :data:`HEAD_PIECE_TOKENS` tokens (or of this many, if fewer).

    Attributes
    ----------
    layout_ : Layout
    config_ : dict
        The model folder's ``config.json`` (thresholds per scheme under ``"thresholds"``).
    """

    def __init__(
        self,
        *,
        model_dir: str | Path | None = None,
        threads: int = 0,
        batch_windows: int = BATCH_WINDOWS,
        long_text_tokens: int = LONG_TEXT_TOKENS,
    ) -> None:
        self.model_dir = model_dir
        self.threads = threads
        self.batch_windows = batch_windows
        self.long_text_tokens = long_text_tokens

    def load(self) -> TechniqueTagger:
        """Read the model folder and open the ONNX session."""
        import onnxruntime

        folder = Path(self.model_dir) if self.model_dir else DEFAULT_MODEL_DIR
        config_path = folder / "config.json"
        if not config_path.is_file():
            raise InputError(str(folder), "not a technique model folder (config.json missing)")
        self.config_ = json.loads(config_path.read_text(encoding="utf-8"))
        self.layout_ = Layout(self.config_["techniques"])
        self.tokenizer_ = load_tokenizer(folder / "tokenizer.json")
        with np.load(folder / "heads.npz") as arrays:
            self.heads_ = Heads.from_arrays(dict(arrays), self.layout_.schemes)
        self.session_ = onnxruntime.InferenceSession(
            str(folder / "encoder.onnx"),
            session_options(self.threads),
            providers=["CPUExecutionProvider"],
        )
        sequence = folder / SEQUENCE_HEAD_FILE
        self.sequence_head_ = (
            SequenceHead(sequence, self.layout_.n_token_outputs) if sequence.is_file() else None
        )
        calibration = folder / CALIBRATION_FILE
        self.calibration_ = SpanCalibration.load(calibration) if calibration.is_file() else None
        self.cls_id_, self.sep_id_ = boundary_ids(self.tokenizer_)
        # BERT-style encoders take segment ids, MPNet's does not
        self.segment_ids_ = any(i.name == "token_type_ids" for i in self.session_.get_inputs())
        return self

    def check_scheme(self, scheme: str) -> None:
        """Raise :class:`UnknownNameError` unless the model was trained on ``scheme``."""
        if scheme not in self.layout_.techniques:
            raise UnknownNameError("technique-model scheme", scheme, self.layout_.schemes)

    def encode(self, text: str) -> Encoded:
        """Run the encoder over all windows of ``text`` and the token head over the result."""
        tokens = tokenize(self.tokenizer_, text)
        features = token_features(text, tokens.offsets)
        hidden = self._states(tokens)
        probs = self.token_probs(hidden, features)
        return Encoded(tokens, hidden, features, probs, encoder_version(self.config_))

    def _states(self, tokens: Tokens) -> States:
        """Token states, shape (n_tokens, hidden_size), int8 for long texts."""
        window, stride = int(self.config_["window"]), int(self.config_["stride"])
        starts = window_starts(len(tokens), window, stride)
        if not starts:
            size = self.heads_.token_w.shape[0] - N_FEATURES
            return np.zeros((0, size), dtype=np.float32)
        one_call = len(starts) <= self.batch_windows
        return token_states(
            functools.partial(self._run_encoder, tokens.ids),
            starts,
            len(tokens),
            batch_windows=self.batch_windows if one_call else LONG_BATCH_WINDOWS,
            compact=len(tokens) > self.long_text_tokens,
        )

    def _run_encoder(self, ids: NDArray[np.int64], starts: list[int]) -> NDArray[np.float32]:
        window = int(self.config_["window"])
        return self.run_windows(*window_batch(ids, starts, window, self.cls_id_, self.sep_id_))

    def run_windows(
        self, input_ids: NDArray[np.int64], mask: NDArray[np.int64]
    ) -> NDArray[np.float32]:
        """Encoder output of prepared windows (see :func:`window_batch`), shape
        ``(n_windows, width, hidden_size)``; one encoder call, so one int8 activation scale."""
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if self.segment_ids_:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        options = run_options(input_ids.size)
        states = self.session_.run(["last_hidden_state"], feed, options)[0]
        return np.asarray(states, dtype=np.float32)

    def token_probs(self, hidden: States, features: NDArray[np.float32]) -> NDArray[np.float32]:
        """Token-head probabilities, shape (n_tokens, n_token_outputs); the sequence head's
        when the model has one. Long texts are read in pieces (see :func:`context_chunks`)."""
        probs = np.empty((len(hidden), self.layout_.n_token_outputs), dtype=np.float32)
        whole = len(hidden) <= self.long_text_tokens
        size = len(hidden) if whole else min(self.long_text_tokens, HEAD_PIECE_TOKENS)
        pieces = context_chunks(len(hidden), size, HEAD_CONTEXT_TOKENS)
        for low, high, keep_low, keep_high in pieces:
            states = np.asarray(hidden[low:high], dtype=np.float32)
            if self.sequence_head_ is not None:
                part = self.sequence_head_.token_probs(states, features[low:high])
            else:
                part = self.heads_.token_probs(states, features[low:high])
            probs[keep_low:keep_high] = part[keep_low - low : keep_high - low]
        return probs

    def limits(self, scheme: str) -> dict[str, Any]:
        """Tuned decoding of ``scheme``: ``span``, ``max_gap``, ``min_tokens``, ``paragraph``."""
        return dict(self.config_["thresholds"][scheme])

    def span_scores(self, encoded: Encoded, scheme: str) -> NDArray[np.float32]:
        """How likely each token is inside a ``scheme`` technique span, shape (n_tokens,).

        With ``"span_score": "blend"`` in the model's config: the mean of every scheme's
        *inside a span* column and the highest of ``scheme``'s technique columns. The schemes'
        span columns learned from two annotations of the same articles, and the technique
        columns from the labels themselves; their mean ranks tokens better than one column
        (validation SI 0.427 -> 0.440, see the model card). Otherwise ``scheme``'s own
        *inside a span* column.
        """
        probs, layout = encoded.probs, self.layout_
        own = probs[:, layout.any_column(scheme)]
        if self.config_.get("span_score") != "blend":
            return own
        columns = [probs[:, layout.any_column(s)] for s in layout.schemes]
        columns.append(probs[:, layout.technique_columns(scheme)].max(axis=1))
        return np.mean(columns, axis=0).astype(np.float32)

    def find_runs(
        self, text: str, encoded: Encoded, scheme: str, limits: dict[str, Any]
    ) -> list[tuple[int, int]]:
        """Token ranges ``[first, last)`` whose span score passes ``limits["span"]``."""
        return self._runs(text, encoded, self.span_scores(encoded, scheme), limits)

    @staticmethod
    def _runs(
        text: str, encoded: Encoded, scores: NDArray[np.float32], limits: dict[str, Any]
    ) -> list[tuple[int, int]]:
        breaks = line_breaks(text, encoded.tokens.offsets)
        runs = token_runs(scores >= limits["span"], breaks, int(limits["max_gap"]))
        return [r for r in runs if r[1] - r[0] >= int(limits["min_tokens"])]

    def run_bounds(
        self, text: str, encoded: Encoded, runs: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Character offsets of token ranges, widened to whole words."""
        offsets = encoded.tokens.offsets
        return [
            snap(text, int(offsets[first, 0]), int(offsets[last - 1, 1])) for first, last in runs
        ]

    def detect(
        self,
        text: str,
        scheme: str,
        encoded: Encoded | None = None,
        limits: dict[str, Any] | None = None,
    ) -> list[Detection]:
        """Technique spans of ``text`` in ``scheme``, ordered by start.

        Span runs are found first and the span head names each run's technique. With a
        ``"technique"`` threshold in the limits, fragments of a run whose own probability of
        another technique passes it become spans of that technique too (see
        :func:`technique_runs`): one fragment may then carry several techniques, each with
        its own score.
        """
        self.check_scheme(scheme)
        encoded = encoded or self.encode(text)
        if len(encoded.tokens) == 0:
            return []
        limits = limits or self.limits(scheme)
        span_prob = self.span_scores(encoded, scheme)
        runs = self._runs(text, encoded, span_prob, limits)
        bounds = self.run_bounds(text, encoded, runs)
        classes = self.calibrated(text, bounds, scheme, self.span_probs(encoded, runs, scheme))
        names = self.layout_.techniques[scheme]
        # once per text, not per run: it scans every line break of the text
        breaks = line_breaks(text, encoded.tokens.offsets)
        found = []
        for (first, last), (start, end), dist in zip(runs, bounds, classes, strict=True):
            inside = float(span_prob[first:last].mean())
            best, second = (int(i) for i in np.argsort(-dist, kind="stable")[:2])
            found.append(
                Detection(
                    start,
                    end,
                    names[best],
                    inside * float(dist[best]),
                    names[second],
                    inside * float(dist[second]),
                )
            )
            if limits.get("technique") is not None:
                found.extend(
                    self._fragments(text, encoded, breaks, (first, last), best, scheme, limits)
                )
        return sorted(found, key=lambda d: (d.start, -d.end))

    def _fragments(
        self,
        text: str,
        encoded: Encoded,
        breaks: NDArray[np.bool_],
        run: tuple[int, int],
        best: int,
        scheme: str,
        limits: dict[str, Any],
    ) -> list[Detection]:
        """Spans of the techniques other than ``best`` inside one run; the score of each is
        the mean probability of its technique over its tokens. They name no runner-up: under
        several labels per fragment, a second technique is another span, not a rival."""
        first, last = run
        probs = encoded.probs[first:last, self.layout_.technique_columns(scheme)]
        names = self.layout_.techniques[scheme]
        out = []
        # the run's first flag is never read: runs bridge gaps only after their first token
        for low, high, column in technique_runs(
            probs, breaks[first:last], limits["technique"], best
        ):
            start, end = self.run_bounds(text, encoded, [(first + low, first + high)])[0]
            score = float(probs[low:high, column].mean())
            out.append(Detection(start, end, names[column], score))
        return out

    def span_probs(
        self, encoded: Encoded, runs: list[tuple[int, int]], scheme: str
    ) -> NDArray[np.float32]:
        """Technique distribution of token ranges, shape (len(runs), n_techniques)."""
        if not runs:
            return np.zeros((0, len(self.layout_.techniques[scheme])), dtype=np.float32)
        vectors = np.stack(
            [span_vector(encoded.hidden, encoded.features, first, last) for first, last in runs]
        )
        return self.heads_.span_probs(vectors, scheme)

    def calibrated(
        self, text: str, spans: list[tuple[int, int]], scheme: str, probs: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        """``probs`` of character ``spans`` through the model's span calibration, if any.

        See :mod:`propwatch.models.techniques.calibration`: the head's answer re-weighed on
        spans it never saw, with the article's repetitions of the fragment as evidence.
        """
        if self.calibration_ is None:
            return probs
        return self.calibration_.apply(scheme, probs, recurrence_features(text, spans))

    def classify(
        self,
        text: str,
        spans: list[tuple[int, int]],
        scheme: str,
        encoded: Encoded | None = None,
        calibrated: bool = True,
    ) -> NDArray[np.float32]:
        """Technique distribution of given character spans, shape (len(spans), n_techniques).

        A span covering no token (e.g. only spaces) is classified by its nearest token.
        ``calibrated=False`` gives the span head's own distribution (what the calibration is
        fitted on).
        """
        self.check_scheme(scheme)
        encoded = encoded or self.encode(text)
        offsets = encoded.tokens.offsets
        runs = []
        for start, end in spans:
            hit = np.flatnonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))
            if hit.size == 0:
                nearest = int(np.abs(offsets[:, 0] - start).argmin()) if len(offsets) else 0
                runs.append((nearest, nearest + 1))
            else:
                runs.append((int(hit[0]), int(hit[-1]) + 1))
        if len(offsets) == 0:
            return np.full(
                (len(spans), len(self.layout_.techniques[scheme])),
                1.0 / len(self.layout_.techniques[scheme]),
                dtype=np.float32,
            )
        probs = self.span_probs(encoded, runs, scheme)
        return self.calibrated(text, spans, scheme, probs) if calibrated else probs

    def paragraph_scores(
        self, text: str, scheme: str, encoded: Encoded | None = None
    ) -> tuple[list[Span], NDArray[np.float32]]:
        """Per-paragraph technique scores: the highest token probability of each technique.

        Returns
        -------
        paragraphs : list of Span
            Non-blank lines with ``attrs["line"]`` (1-based, counting blank lines).
        scores : ndarray of shape (len(paragraphs), n_techniques)
        """
        self.check_scheme(scheme)
        encoded = encoded or self.encode(text)
        spans = paragraphs(text)
        columns = encoded.probs[:, self.layout_.technique_columns(scheme)]
        bounds = [(p.start, p.end) for p in spans]
        return spans, paragraph_max(columns, encoded.tokens.offsets, bounds)

    def paragraph_techniques(
        self, text: str, scheme: str, encoded: Encoded | None = None
    ) -> list[tuple[Span, list[tuple[str, float]]]]:
        """Techniques of each non-blank line, as (paragraph span, [(technique, score)])."""
        spans, scores = self.paragraph_scores(text, scheme, encoded)
        limits = self.limits(scheme)["paragraph"]
        names = self.layout_.techniques[scheme]
        out = []
        for paragraph, row in zip(spans, scores, strict=True):
            chosen = [(n, float(p)) for n, p in zip(names, row, strict=True) if p >= limits[n]]
            out.append((paragraph, chosen))
        return out


def encoder_version(config: dict[str, Any]) -> str:
    """Version of a technique model's encoder (its training date), from its ``config.json``.

    Article-level models read that encoder's states and record this version; refitting only the
    heads (``propwatch train techniques --from-model``) keeps it.
    """
    return str(config.get("encoder_version", config.get("version", "0")))
