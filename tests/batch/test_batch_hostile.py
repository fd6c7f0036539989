"""Batch rows and submissions that hostile articles cannot break: one failed row each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from propwatch.batch import BatchOptions
from propwatch.batch.keys import ResultKey, content_hash
from propwatch.batch.rows import failed_row
from propwatch.batch.runner import NoProgress, _Job
from propwatch.batch.store import ResultStore
from propwatch.text.article import Article

VERSION = "semeval2023;text=1"


def _item(article_id: str, **fields: Any) -> tuple[ResultKey, Article]:
    article = Article(id=article_id, text="Body.", meta={"source": f"{article_id}.txt"}, **fields)
    return ResultKey(article_id, content_hash(article.text), VERSION), article


def test_metadata_of_any_type_fits_the_fixed_part_schema(tmp_path: Path) -> None:
    key, article = _item("a", title=7, url={"host": "x"}, outlet="o\ud800")  # type: ignore[arg-type]
    with ResultStore(tmp_path / "r.parquet") as store:
        part = store.write_part([failed_row(key, "a.txt", "reason", article)])
    [row] = pq.read_table(part).to_pylist()
    assert (row["title"], row["url"], row["outlet"]) == ("7", "{'host': 'x'}", "o\ufffd")


class _PickyClient:
    """A Dask client stand-in that cannot send article ``bad`` (as pickle fails on it)."""

    def __init__(self) -> None:
        self.sent: list[list[str]] = []

    def nthreads(self) -> dict[str, int]:
        return {"worker": 1}

    def submit(self, *args: Any, **kwargs: Any) -> object:
        ids = [article.id for _, article in args[-1]]
        if "bad" in ids:
            raise TypeError("Could not serialize object of type LLGExpr")
        self.sent.append(ids)
        return object()


def test_an_article_that_cannot_be_sent_fails_alone(tmp_path: Path) -> None:
    client = _PickyClient()
    options = BatchOptions(inputs=(), out=tmp_path / "r.parquet")
    with ResultStore(options.out) as store:
        job = _Job(options, client, store)  # type: ignore[arg-type]
        job.submit([_item("a"), _item("bad"), _item("c")], NoProgress())
    assert client.sent == [["a"], ["c"]]
    [row] = job.buffer
    assert (row["source"], row["status"]) == ("bad.txt", "failed")
    assert row["error"] == (
        "cannot send to a worker (TypeError: Could not serialize object of type LLGExpr)"
    )
