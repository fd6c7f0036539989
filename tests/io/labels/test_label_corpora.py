"""The label readers on the real corpora in ../shared/data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

from propwatch.io.labels import brat, semeval2020, semeval2023, semeval2025


def test_ptc_label_files(shared_data: Path) -> None:
    ptc = shared_data / "ptc2020"
    assert len(semeval2020.read_si(ptc / "train-labels-si.tsv")) == 5468
    assert len(semeval2020.read_tc(ptc / "train-labels-tc.tsv")) == 6128
    template = semeval2020.read_tc(ptc / "test-task-tc-template.tsv")
    assert {item.span.label for item in template} == {""}


def test_semeval2023_paragraph_labels_cover_all_articles(shared_data: Path) -> None:
    labels = semeval2023.read_paragraph_labels(
        shared_data / "semeval2023-en" / "train-labels-subtask-3"
    )
    assert len({article for article, _line in labels}) == 371


def test_semeval2025_utf16_fixer_repairs_the_eleven_shifted_mentions(shared_data: Path) -> None:
    train = shared_data / "semeval2025-en" / "train"
    mentions = semeval2025.read_entity_mentions(train / "subtask-1-annotations.txt")
    texts = {
        m.doc_id: (train / "raw-documents" / m.doc_id).read_bytes().decode("utf-8")
        for m in mentions
    }
    fixed = [semeval2025.fix_utf16_offsets(m, texts[m.doc_id]) for m in mentions]
    assert len(mentions) == 414
    assert sum(a != b for a, b in zip(mentions, fixed, strict=True)) == 11
    assert all(texts[m.doc_id][m.start : m.end] == m.entity for m in fixed)


def test_polnear_spans_lie_inside_their_texts(shared_data: Path) -> None:
    train = shared_data / "polnear" / "train"
    articles = brat.read_attribution_folder(train / "attributions")
    assert len(articles) == 840
    for article_id, attributions in articles.items():
        length = len((train / "text" / f"{article_id}.txt").read_text(encoding="utf-8"))
        for attribution in attributions:
            pieces = attribution.source + attribution.cue + attribution.content
            assert all(0 <= s.start < s.end <= length for s in pieces), attribution.id
