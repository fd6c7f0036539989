"""The research corpora read as their label files expect (skipped without ../shared/data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reader_helpers import read_all

from propwatch.text.article import Article


def test_ptc_test_articles_read_with_digit_ids_and_exact_text(shared_data: Path) -> None:
    folder = shared_data / "ptc2020" / "test-articles"
    results = read_all([folder])
    assert all(isinstance(r, Article) for r in results)
    assert len(results) == 90
    for article in results:
        assert isinstance(article, Article)
        assert re.fullmatch(r"\d+", article.id)
        path = folder / f"article{article.id}.txt"
        assert article.text == path.read_bytes().decode("utf-8")
        assert article.title == article.text.split("\n", 1)[0].strip()


def test_semeval2025_documents_use_the_file_name_as_id(shared_data: Path) -> None:
    folder = shared_data / "semeval2025-en" / "train" / "raw-documents"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    first = sorted(folder.glob("*.txt"))[0]
    (article,) = read_all([first])
    assert isinstance(article, Article)
    assert article.id == first.name
