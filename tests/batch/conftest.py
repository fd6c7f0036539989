"""Fixtures of tests/batch: a small corpus the tests write themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_corpus import article_text, write_jsonl


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of 10 PTC-layout articles plus a JSONL file with 6 more (16 articles)."""
    folder = tmp_path / "corpus"
    (folder / "ptc").mkdir(parents=True)
    for n in range(10):
        (folder / "ptc" / f"article{100 + n}.txt").write_text(article_text(n), encoding="utf-8")
    records = [
        {"id": f"j{n}", "text": article_text(20 + n), "outlet": f"outlet{n % 2}"} for n in range(6)
    ]
    write_jsonl(folder / "more.jsonl", records)
    return folder
