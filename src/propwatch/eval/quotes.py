"""``quotes``: quote (attribution content) span F1 and speaker accuracy against PolNeAR gold.

PRED is a quotes-tsv file; GOLD a folder of brat ``.ann`` files (one annotator per article,
see :func:`~propwatch.io.labels.brat.read_attribution_folder`) with the article texts in
``text/`` beside it (or ``--text``). A gold quote is the extent of an attribution's content
pieces (first start to last end); its speaker is the attribution's source pieces.

Definitions (per article, then summed over all gold articles):

- a predicted quote p and a gold quote g *can match* when |p ∩ g| >= max(|p|, |g|) / 2;
- matching is one-to-one and maximises the number of matched pairs (ties: larger total
  overlap ratio), solved with ``scipy.optimize.linear_sum_assignment``;
- P = matched / predicted quotes, R = matched / gold quotes, F1 = 2PR / (P + R) (0 if P or R
  is 0); predicted articles absent from gold count as unmatched predictions;
- speaker accuracy, over matched pairs whose gold attribution has a source: correct when the
  predicted source span overlaps a gold source piece, or the predicted speaker name contains
  the gold source text (case-insensitive, as whole words: a source ``he`` does not match
  ``Stephen Miller``).

``--direct-only`` keeps the gold quotes that are direct and the predictions of kind
``direct``. PolNeAR does not mark direct quotes; a gold content is taken as direct when it
opens with a double quotation mark (``"“”„«»``) as its first character or right before it, and
closes with one as its last character, right after it, or before final ``.,;:!?``
punctuation; a doubled apostrophe ``''`` (the NYT articles' straight double quote) counts as
a double mark. Single quotes are not used: the right single quotation mark is also the
apostrophe.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from propwatch.errors import InputError
from propwatch.eval.result import EvalOptions, Score, official_prf
from propwatch.io.labels.brat import Attribution, read_attribution_folder
from propwatch.io.labels.quotes import PredictedQuote, read_quotes_tsv
from propwatch.io.labels.tsv import read_text
from propwatch.registry import scorers
from propwatch.text.span import Span

DOUBLE_QUOTES = frozenset('"“”„«»‟')
CLOSING_PUNCTUATION = frozenset(".,;:!?")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """A gold quote: content extent, source pieces and their text.

    ``source_text`` joins the source pieces with spaces; ``direct`` follows the module rule.
    """

    article_id: str
    content: Span
    sources: tuple[Span, ...]
    source_text: str
    direct: bool


def is_direct(text: str, content: Span) -> bool:
    """Whether ``text[content]`` is a direct quote by the quotation-mark rule above."""
    start, end = content.start, content.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return False
    opens = _is_double_mark(text, start) or (start > 0 and _is_double_mark(text, start - 1))
    last = text[end - 1]
    closes = (
        _is_double_mark(text, end - 1)
        or (end < len(text) and _is_double_mark(text, end))
        or (last in CLOSING_PUNCTUATION and end - 2 >= start and _is_double_mark(text, end - 2))
    )
    return opens and closes


def _is_double_mark(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a double quotation mark, or half of a doubled apostrophe ``''``
    (how the NYT articles of PolNeAR write straight double quotes)."""
    if text[i] in DOUBLE_QUOTES:
        return True
    return text[i] == "'" and "''" in text[max(0, i - 1) : i + 2]


def gold_quotes(attributions: Sequence[Attribution], text: str) -> list[GoldQuote]:
    """The gold quotes of one article; attributions without content are skipped."""
    quotes = []
    for attribution in attributions:
        if not attribution.content:
            continue
        content = Span(attribution.content[0].start, max(s.end for s in attribution.content))
        quotes.append(
            GoldQuote(
                attribution.article_id,
                content,
                attribution.source,
                " ".join(s.text_of(text) for s in attribution.source),
                is_direct(text, content),
            )
        )
    return quotes


def can_match(p: Span, g: Span) -> bool:
    """Overlap of at least half of the longer span."""
    return 2 * p.overlap(g) >= max(len(p), len(g)) and p.overlap(g) > 0


def match_quotes(pred: Sequence[Span], gold: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) matches with the most pairs, then most overlap."""
    if not pred or not gold:
        return []
    # Each eligible pair is worth more than all overlap bonuses together (bonus <= 1 each).
    bonus_cap = min(len(pred), len(gold)) + 1
    weights = np.zeros((len(pred), len(gold)))
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if can_match(p, g):
                weights[i, j] = bonus_cap + p.overlap(g) / max(len(p), len(g))
    # Imported here: scipy.optimize takes about half a second to import.
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if weights[i, j] > 0]


def speaker_correct(pred: PredictedQuote, gold: GoldQuote) -> bool:
    """Source spans overlap, or the speaker name contains the gold source text as whole words."""
    if pred.source is not None and any(pred.source.overlap(s) for s in gold.sources):
        return True
    wanted = gold.source_text.strip()
    if not wanted:
        return False
    # Whole words only: a pronoun source ("he") must not match inside "Stephen".
    pattern = rf"(?<!\w){re.escape(wanted)}(?!\w)"
    return re.search(pattern, pred.speaker, flags=re.IGNORECASE) is not None


def score_quotes(
    pred: Sequence[PredictedQuote], gold: Mapping[str, Sequence[GoldQuote]], direct_only: bool
) -> Score:
    """Score predicted quotes against gold quotes grouped by article id."""
    if direct_only:
        pred = [q for q in pred if q.kind == "direct"]
        gold = {a: [q for q in quotes if q.direct] for a, quotes in gold.items()}
    by_article: dict[str, list[PredictedQuote]] = defaultdict(list)
    for quote in pred:
        by_article[quote.article_id].append(quote)
    n_gold = sum(len(quotes) for quotes in gold.values())
    matched = with_source = speakers_right = 0
    for article_id, gold_list in gold.items():
        pred_list = by_article.get(article_id, [])
        pairs = match_quotes([q.quote for q in pred_list], [g.content for g in gold_list])
        matched += len(pairs)
        for i, j in pairs:
            if gold_list[j].sources:
                with_source += 1
                speakers_right += speaker_correct(pred_list[i], gold_list[j])
    unknown = sorted(set(by_article) - set(gold))
    precision, recall, f1 = official_prf(matched, len(pred), matched, n_gold)
    notes: tuple[str, ...] = ()
    if unknown:
        notes = (f"{len(unknown)} predicted articles are not in gold (e.g. {unknown[0]})",)
    return Score(
        kind="quotes",
        official="f1",
        metrics={
            "f1": f1,
            "precision": precision,
            "recall": recall,
            "speaker_accuracy": speakers_right / with_source if with_source else 0.0,
        },
        counts={
            "predicted_quotes": len(pred),
            "gold_quotes": n_gold,
            "matched": matched,
            "matched_with_gold_source": with_source,
            "speakers_correct": speakers_right,
        },
        notes=notes,
    )


def read_gold_quotes(gold_dir: Path, text_dir: Path) -> dict[str, list[GoldQuote]]:
    """Gold quotes of every article of a brat folder, reading texts from ``text_dir``."""
    quotes = {}
    for article_id, attributions in read_attribution_folder(gold_dir).items():
        text_path = text_dir / f"{article_id}.txt"
        if not text_path.is_file():
            raise InputError(str(text_path), "article text for the gold annotations not found")
        quotes[article_id] = gold_quotes(attributions, read_text(text_path))
    return quotes


@scorers.register("quotes")
def score_quote_files(pred: Path, gold: Path, options: EvalOptions) -> Score:
    """Quote span F1 (overlap >= half the longer span) and speaker accuracy (PolNeAR brat)."""
    text_dir = options.text_dir or gold.parent / "text"
    return score_quotes(
        read_quotes_tsv(pred), read_gold_quotes(gold, text_dir), options.direct_only
    )
