"""PolNeAR articles as training examples of the content tagger.

Each article gives the tagger's inputs (the shipped technique encoder's wordpiece states and
:func:`~propwatch.models.quotes.learned.cue_flags`), its B/I/O labels from the gold contents,
the rules' attributions (which the tagger's contents are added to, and scored beside) and the
gold quotes for scoring.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from propwatch.components.quotes import span_attribution
from propwatch.components.technique_model import default_encoder_version, default_tagger
from propwatch.eval.quotes import GoldQuote, read_gold_quotes
from propwatch.io.labels.tsv import read_text
from propwatch.models.quotes import Attribution
from propwatch.models.quotes.learned import B, I, O, cue_flags
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import QUOTES, Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import PARSE_CACHE_KEY, ParsedText, parse_of
from propwatch.text.span import Span

Parser = Callable[[list[str]], list[ParsedText]]


@dataclass
class QuoteArticle:
    """One article: its parse, the tagger's inputs and labels, the rules' quotes and gold.

    Attributes
    ----------
    states : ndarray of float16, shape (n_wordpieces, hidden_size)
        Encoder states (float16 keeps the 840 training articles near 1 GB).
    flags : ndarray of float32, shape (n_wordpieces, N_FLAGS)
    labels : ndarray of int64, shape (n_wordpieces, 2)
        O, B or I of each wordpiece, as a content and as a source.
    """

    id: str
    parsed: ParsedText
    offsets: NDArray[np.int64]
    states: NDArray[np.float16]
    flags: NDArray[np.float32]
    labels: NDArray[np.int64]
    rules: list[Attribution]
    gold: list[GoldQuote]

    @property
    def text(self) -> str:
        return self.parsed.text

    def state_rows(self, first: int, last: int) -> NDArray[np.float32]:
        """States of wordpieces ``first:last`` as float32 (the tagger's ``StateRows``)."""
        return self.states[first:last].astype(np.float32)

    def inputs(self) -> NDArray[np.float32]:
        """States and flags side by side, as the model reads them."""
        return np.concatenate([self.state_rows(0, len(self.labels)), self.flags], axis=1)


def bio(offsets: NDArray[np.int64], spans: Sequence[Span]) -> NDArray[np.int64]:
    """B/I/O of each wordpiece from ``spans``, longest first; a span overlapping one already
    labelled is left out, since B/I/O cannot nest."""
    labels = np.full(len(offsets), O, dtype=np.int64)
    for span in sorted(spans, key=lambda s: -len(s)):
        inside = np.flatnonzero((offsets[:, 0] < span.end) & (offsets[:, 1] > span.start))
        if len(inside) and (labels[inside] == O).all():
            labels[inside] = I
            labels[inside[0]] = B
    return labels


def bio_labels(offsets: NDArray[np.int64], gold: Sequence[GoldQuote]) -> NDArray[np.int64]:
    """Two B/I/O columns per wordpiece: the gold contents (first piece's start to last piece's
    end, as the scorer reads them) and the gold source pieces (each piece on its own, as the
    scorer matches a source against any piece; a mention that is the source of several
    attributions once)."""
    contents = [quote.content for quote in gold]
    pieces = sorted({(s.start, s.end) for quote in gold for s in quote.sources})
    sources = [Span(start, end) for start, end in pieces]
    return np.stack([bio(offsets, contents), bio(offsets, sources)], axis=1)


def encoder_states(
    text: str, cache: Path | None, key: str
) -> tuple[NDArray[np.float16], NDArray[np.int64]]:
    """The shipped encoder's states (float16) and wordpiece offsets of ``text``, kept in
    ``cache/<encoder version>/<key>.npz`` when a cache folder is given."""
    file = None if cache is None else cache / default_encoder_version() / f"{key}.npz"
    if file is not None and file.is_file():
        stored = np.load(file)
        return stored["hidden"], stored["offsets"]
    encoded = default_tagger().encode(text)
    offsets = encoded.offsets.astype(np.int64)
    hidden = encoded.token_states(0, len(offsets)).astype(np.float16)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_suffix(".part.npz")  # renamed when whole: no truncated file
        np.savez(partial, hidden=hidden, offsets=offsets)
        partial.rename(file)
    return hidden, offsets


def load_split(
    folder: Path,
    *,
    states_cache: Path | None = None,
    limit: int = 0,
    parse: Parser | None = None,
) -> list[QuoteArticle]:
    """The articles of a PolNeAR split folder (``text/*.txt``, ``attributions/*.ann``).

    The rules run as the default pipeline runs them (``text``, then ``quotes``); ``limit``
    keeps the first articles by file name (0: all). ``parse`` parses all texts at once (e.g.
    from a cache, as ``bench/quotes_polnear.py --cache`` does); by default the ``text``
    component parses them.
    """
    paths = sorted((folder / "text").glob("*.txt"))
    paths = paths[:limit] if limit else paths
    gold = read_gold_quotes(folder / "attributions", folder / "text")
    analyses = [Analysis(Article(id=p.stem, text=read_text(p))) for p in paths]
    if parse is not None:
        for analysis, parsed in zip(analyses, parse([a.text for a in analyses]), strict=True):
            analysis.cache[PARSE_CACHE_KEY] = parsed
    text, quotes = Pipeline.from_names(["text", "quotes"]).components
    return [
        _example(quotes(analysis), gold.get(analysis.article.id, []), folder.name, states_cache)
        for analysis in text.pipe(analyses)
    ]


def _example(
    analysis: Analysis, gold: list[GoldQuote], split: str, states_cache: Path | None
) -> QuoteArticle:
    parsed = parse_of(analysis)
    key = f"{split}/{analysis.article.id}"
    states, offsets = encoder_states(analysis.text, states_cache, key)
    return QuoteArticle(
        analysis.article.id,
        parsed,
        offsets,
        states,
        cue_flags(analysis.text, parsed, offsets),
        bio_labels(offsets, gold),
        [span_attribution(span) for span in analysis.layer(QUOTES)],
        gold,
    )
