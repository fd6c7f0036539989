"""The exactly-once store: atomic parts, stored keys, deduplicating compaction, the lock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from propwatch.batch.keys import ResultKey, content_hash, key_digest
from propwatch.batch.rows import failed_row
from propwatch.batch.store import ResultStore
from propwatch.errors import PropwatchError
from propwatch.io.readers.clean import one_line

VERSION = "semeval2023;text=1"


def _ok(article_id: str, text: str = "Some text.") -> dict[str, Any]:
    key = ResultKey(article_id, content_hash(text), VERSION)
    row = failed_row(key, f"{article_id}.txt", "placeholder")
    return {**row, "status": "ok", "error": None, "analysis": '{"x":1}'}


def _failed(article_id: str, reason: str, text: str = "Some text.") -> dict[str, Any]:
    return failed_row(
        ResultKey(article_id, content_hash(text), VERSION), f"{article_id}.txt", reason
    )


def _rows(path: Path) -> list[tuple[str, str, str | None]]:
    table = pq.read_table(path, columns=["article_id", "status", "error"])
    return sorted(zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True))


def test_parts_are_compacted_into_one_row_per_key(tmp_path: Path) -> None:
    out = tmp_path / "results.parquet"
    with ResultStore(out) as store:
        store.write_part([_ok("1"), _failed("2", "2.txt: empty file")])
        store.write_part([_ok("3")])
        assert store.compact() == 3
    assert _rows(out) == [
        ("1", "ok", None),
        ("2", "failed", "2.txt: empty file"),
        ("3", "ok", None),
    ]
    assert list((tmp_path / "results.parquet.parts").glob("part-*")) == []


def test_success_beats_failure_and_later_failure_beats_earlier(tmp_path: Path) -> None:
    out = tmp_path / "results.parquet"
    with ResultStore(out) as store:
        store.write_part([_failed("1", "first try"), _failed("2", "first try")])
        store.compact()
        store.write_part([_ok("1"), _failed("2", "second try")])
        store.write_part([_failed("1", "third try")])
        assert store.compact() == 2
    assert _rows(out) == [("1", "ok", None), ("2", "failed", "second try")]


def test_rows_left_in_parts_after_a_crash_during_compaction_are_not_duplicated(
    tmp_path: Path,
) -> None:
    out = tmp_path / "results.parquet"
    with ResultStore(out) as store:
        part = store.write_part([_ok("1"), _ok("2")])
        kept = part.read_bytes()
        store.compact()
        part.write_bytes(kept)  # as if killed after the rename, before deleting the part
        store.write_part([_ok("3")])
        assert store.compact() == 3
    assert [row[0] for row in _rows(out)] == ["1", "2", "3"]


def test_stored_keys_separate_successes_from_failures(tmp_path: Path) -> None:
    with ResultStore(tmp_path / "r.parquet") as store:
        store.write_part([_ok("1"), _failed("2", "x"), _failed("3", "x")])
        store.write_part([_ok("3")])
        ok, failed_only = store.stored_keys()
    text_hash = content_hash("Some text.")
    assert ok == {key_digest("1", text_hash, VERSION), key_digest("3", text_hash, VERSION)}
    assert failed_only == {key_digest("2", text_hash, VERSION)}


def test_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    parts = tmp_path / "r.parquet.parts"
    parts.mkdir()
    (parts / ".tmp-part-1.parquet").write_bytes(b"PAR1 half written")
    with ResultStore(tmp_path / "r.parquet") as store:
        assert store.sources() == []
    assert not (parts / ".tmp-part-1.parquet").exists()


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    with ResultStore(out), pytest.raises(PropwatchError) as caught, ResultStore(out):
        pass
    assert str(caught.value) == f"{out}: another propwatch batch is writing it"


def test_reasons_are_kept_to_one_short_line() -> None:
    assert one_line("ValueError: bad\n  value\there") == "ValueError: bad value here"
    assert len(one_line("x" * 1000)) == 300
