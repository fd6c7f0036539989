"""Partial-overlap span credit shared by the ``si`` and ``flc`` scorers (PTC definition).

For every (predicted p, gold g) pair of an article, the precision credit is |p ∩ g| / |p| and
the recall credit |p ∩ g| / |g|, where spans are sets of character indices. Overlapping spans
(sharing at least one character; touching spans do not overlap) are merged first, separately
in predictions and gold, within each article (and within each technique for ``flc``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from propwatch.errors import ScoringError
from propwatch.io.labels.semeval2020 import SpanLabel
from propwatch.text.span import Span


def merge_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Union spans that share at least one character; the result is sorted and disjoint.

    All input spans should carry the same label; the first one's label is kept.
    """
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.label)
        else:
            merged.append(span)
    return merged


def merged_by_article(labels: Sequence[SpanLabel], by_label: bool) -> dict[str, list[Span]]:
    """Spans grouped by article, overlaps merged (per label when ``by_label``)."""
    groups: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for item in labels:
        label = item.span.label if by_label else ""
        groups[item.article_id, label].append(Span(item.span.start, item.span.end, label))
    articles: dict[str, list[Span]] = defaultdict(list)
    for (article_id, _label), spans in groups.items():
        articles[article_id].extend(merge_overlapping(spans))
    return dict(articles)


@dataclass
class Credit:
    """Summed overlap credit and span counts, per label (``""`` when labels are ignored)."""

    precision: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    recall: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    n_predicted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    n_gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unknown_articles: list[str] = field(default_factory=list)

    def labels(self) -> list[str]:
        return sorted(set(self.n_predicted) | set(self.n_gold))

    def notes(self) -> tuple[str, ...]:
        """A note about predicted articles missing from gold, if any."""
        if not self.unknown_articles:
            return ()
        return (
            f"{len(self.unknown_articles)} predicted articles are not in gold "
            f"(e.g. {self.unknown_articles[0]}); their spans count as wrong",
        )


def overlap_credit(
    pred: Sequence[SpanLabel],
    gold: Sequence[SpanLabel],
    by_label: bool,
    articles: Collection[str] | None = None,
) -> Credit:
    """Sum the PTC precision and recall credit over all articles.

    Parameters
    ----------
    pred, gold : sequence of SpanLabel
        Predicted and gold spans of any number of articles.
    by_label : bool
        ``False`` for SI (any two spans credit each other); ``True`` for FLC (only spans with
        the same technique do, and merging happens per technique).
    articles : collection of str or None
        Every article scored, those without gold spans included; ``None`` when only the gold
        file says which articles there are.

    Raises
    ------
    ScoringError
        Without ``articles``: when predictions cover more articles than gold does (the official
        SI scorer stops there). With ``articles``: when a prediction is for an article outside
        them and gold. Predicted articles absent from gold are allowed otherwise: their spans
        count in the precision denominator without credit, and are listed in
        ``unknown_articles``.
    """
    pred_spans = merged_by_article(pred, by_label)
    gold_spans = merged_by_article(gold, by_label)
    if articles is None and len(pred_spans) > len(gold_spans):
        raise ScoringError(
            f"predictions cover {len(pred_spans)} articles but gold only {len(gold_spans)}"
        )
    outside = sorted(set(pred_spans) - set(gold_spans) - set(articles or ()))
    if articles is not None and outside:
        raise ScoringError(f"prediction for article {outside[0]!r}, which is not scored")
    credit = Credit()
    for spans in gold_spans.values():
        for g in spans:
            credit.n_gold[g.label] += 1
    for article_id, spans in pred_spans.items():
        if article_id not in gold_spans:
            credit.unknown_articles.append(article_id)
        for p in spans:
            credit.n_predicted[p.label] += 1
            for g in gold_spans.get(article_id, []):
                shared = p.overlap(g)
                if shared and g.label == p.label:
                    credit.precision[g.label] += shared / len(p)
                    credit.recall[g.label] += shared / len(g)
    return credit
