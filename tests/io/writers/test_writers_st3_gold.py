"""``semeval2023-st3`` rebuilds the organizers' paragraph labels from their span labels.

The paragraph rows (ids and 1-based line numbers counting empty lines) must be exactly the
gold files' rows, and "a paragraph gets a technique when a span overlaps it" must give the gold
technique sets. One train paragraph differs: its span ends on the line break just before the
paragraph, which the organizers' conversion counts and an end-exclusive overlap does not.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

from propwatch import Analysis, Span, registry
from propwatch.io.labels.semeval2023 import read_paragraph_labels, read_technique_spans
from propwatch.io.readers import read_inputs
from propwatch.text.article import Article
from propwatch.text.segment import paragraphs


def test_st3_rows_match_the_train_gold(shared_data: Path) -> None:
    root = shared_data / "semeval2023-en"
    spans: dict[str, list[Span]] = defaultdict(list)
    for label in read_technique_spans(root / "train-labels-subtask-3-spans"):
        spans[label.article_id].append(label.span)
    analyses = []
    for article in read_inputs([str(root / "train-articles-subtask-3")]):
        assert isinstance(article, Article), article
        analysis = Analysis(article)
        analysis.set_layer("paragraphs", paragraphs(article.text))
        analysis.set_layer("techniques", spans[article.id])
        analyses.append(analysis)
    stream = io.StringIO()
    registry.writers.get("semeval2023-st3").write(analyses, stream)
    written = {}
    for line in stream.getvalue().splitlines():
        article_id, number, techniques = line.split("\t")
        written[article_id, int(number)] = set(filter(None, techniques.split(",")))
    gold = {k: set(v) for k, v in read_paragraph_labels(root / "train-labels-subtask-3").items()}
    assert written.keys() == gold.keys()
    differing = [key for key in gold if written[key] != gold[key]]
    assert len(differing) <= 1, differing[:5]
