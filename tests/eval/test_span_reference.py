"""``si``/``flc`` agree with a set-of-indices reference of the official definition (to 1e-9)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from propwatch.eval.flc import score_flc
from propwatch.eval.si import score_si
from propwatch.io.labels.semeval2020 import SpanLabel
from propwatch.text.span import Span

ARTICLES = ["a", "b", "c"]
LABELS = ["X", "Y"]


@st.composite
def span_rows(draw: st.DrawFn, articles: list[str]) -> list[SpanLabel]:
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, 40))
        end = draw(st.integers(start + 1, start + 15))
        rows.append(
            SpanLabel(
                draw(st.sampled_from(articles)), Span(start, end, draw(st.sampled_from(LABELS)))
            )
        )
    return rows


def reference(
    pred: list[SpanLabel], gold: list[SpanLabel], by_label: bool
) -> tuple[float, float, float]:
    """Spans as sets of character indices; sets sharing an index are united until none do."""

    def merged(rows: list[SpanLabel]) -> dict[str, list[tuple[str, set[int]]]]:
        groups: dict[tuple[str, str], list[set[int]]] = defaultdict(list)
        for row in rows:
            label = row.span.label if by_label else ""
            groups[row.article_id, label].append(set(range(row.span.start, row.span.end)))
        out: dict[str, list[tuple[str, set[int]]]] = defaultdict(list)
        for (article, label), sets in groups.items():
            changed = True
            while changed:
                changed = False
                for i in range(len(sets)):
                    for j in range(i + 1, len(sets)):
                        if sets[i] & sets[j]:
                            sets[i] |= sets.pop(j)
                            changed = True
                            break
                    if changed:
                        break
            out[article].extend((label, s) for s in sets)
        return out

    p_sets, g_sets = merged(pred), merged(gold)
    n_p = sum(len(v) for v in p_sets.values())
    n_g = sum(len(v) for v in g_sets.values())
    cp = cr = 0.0
    for article, plist in p_sets.items():
        for pl, p in plist:
            for gl, g in g_sets.get(article, []):
                if pl == gl:
                    cp += len(p & g) / len(p)
                    cr += len(p & g) / len(g)
    precision = cp / n_p if n_p else 0.0
    recall = cr / n_g if n_g else 0.0
    f1 = 1.0 if n_p == 0 and n_g == 0 else 0.0
    if precision > 0 and recall > 0:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


@settings(max_examples=150, deadline=None)
@given(gold=span_rows(ARTICLES), pred=span_rows(ARTICLES[:2]))
def test_si_matches_reference(gold: list[SpanLabel], pred: list[SpanLabel]) -> None:
    # More predicted than gold articles is refused, like officially (tested elsewhere).
    assume(len({r.article_id for r in pred}) <= len({r.article_id for r in gold}))
    m = score_si(pred, gold).metrics
    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx(reference(pred, gold, False))


@settings(max_examples=150, deadline=None)
@given(gold=span_rows(ARTICLES), pred=span_rows(ARTICLES[:2]))
def test_flc_matches_reference(gold: list[SpanLabel], pred: list[SpanLabel]) -> None:
    assume(len({r.article_id for r in pred}) <= len({r.article_id for r in gold}))
    m = score_flc(pred, gold).metrics
    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx(reference(pred, gold, True))
