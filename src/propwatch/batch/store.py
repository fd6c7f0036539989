"""Exactly-once result storage: Parquet part files, atomic renames, one compacted output.

Layout for ``--out results.parquet``::

    results.parquet            compacted results (written by :meth:`ResultStore.compact`)
    results.parquet.parts/     part files of runs not yet compacted, plus a lock file

A part file appears only through ``os.replace`` of a fully written and fsynced temporary file, so
after ``kill -9`` at any moment every part on disk is complete and every row in it is final. The
set of stored keys is read back from the part files and the compacted output, so there is no
second ledger that could disagree with the data. Compaction writes the new output to a temporary
file, renames it over the old one, then deletes the parts; a crash between the two steps leaves
rows in both places, which the next compaction deduplicates by key.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from propwatch.batch.keys import key_digest
from propwatch.errors import PropwatchError

STATUS_OK = "ok"
STATUS_FAILED = "failed"

# One row per result key. ``analysis`` is Analysis.to_dict() as JSON (null for failures).
SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("content_hash", pa.string()),
        ("model_version", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("published", pa.string()),
        ("language", pa.string()),
        ("n_chars", pa.int64()),
        ("analysis", pa.string()),
    ]
)
KEY_COLUMNS = ["article_id", "content_hash", "model_version", "status"]
_TMP_PREFIX = ".tmp-"


class ResultStore:
    """The parts folder and compacted output of one ``--out`` path.

    Use as a context manager: entering takes an exclusive lock (a second batch on the same output
    fails with a clear message) and removes temporary files a killed run left behind.

    Parameters
    ----------
    out : Path
        The compacted Parquet file, e.g. ``results.parquet``.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.parts_dir = out.with_name(out.name + ".parts")
        self._lock_fd: int | None = None
        self._run_stamp = time.time_ns()
        self._seq = 0

    def __enter__(self) -> ResultStore:
        if self.out.is_dir():
            raise PropwatchError(f"{self.out}: is a folder; --out names the results file")
        with self._writing():
            self.parts_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.parts_dir / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise PropwatchError(f"{self.out}: another propwatch batch is writing it") from None
        self._lock_fd = fd
        for stale in self.parts_dir.glob(_TMP_PREFIX + "*"):
            stale.unlink()
        return self

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn a file-system failure (read-only folder, disk full) into one line naming --out."""
        try:
            yield
        except OSError as error:
            reason = error.strerror or str(error)
            raise PropwatchError(f"{self.out}: cannot write the results ({reason})") from None

    def __exit__(self, *exc: object) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def sources(self) -> list[Path]:
        """Files holding rows, oldest first: the compacted output, then parts by creation."""
        parts = sorted(self.parts_dir.glob("part-*.parquet")) if self.parts_dir.is_dir() else []
        return ([self.out] if self.out.is_file() else []) + parts

    def stored_keys(self) -> tuple[set[bytes], set[bytes]]:
        """Digests of stored keys, as ``(succeeded, failed_only)``.

        A key counts as succeeded if any row for it has status ``ok``; ``failed_only`` holds keys
        whose every row failed (candidates for ``--retry-failed``).
        """
        ok: set[bytes] = set()
        failed: set[bytes] = set()
        for path in self.sources():
            for digest, status in _iter_key_status(path):
                (ok if status == STATUS_OK else failed).add(digest)
        return ok, failed - ok

    def write_part(self, rows: Sequence[Mapping[str, Any]]) -> Path:
        """Write ``rows`` as one new part file, atomically; returns its path."""
        self._seq += 1
        name = f"part-{self._run_stamp:020d}-{os.getpid()}-{self._seq:06d}.parquet"
        final = self.parts_dir / name
        tmp = self.parts_dir / (_TMP_PREFIX + name)
        table = pa.Table.from_pylist(list(rows), schema=SCHEMA)
        with self._writing(), tmp.open("wb") as stream:
            pq.write_table(table, stream, compression="zstd")
            stream.flush()
            os.fsync(stream.fileno())
            os.replace(tmp, final)
        return final

    def compact(self) -> int:
        """Merge the output and all parts into the output, one row per key; returns row count.

        For each key the last ``ok`` row wins; a key that never succeeded keeps its last failure.
        Memory grows with the number of keys (16-byte digests), not with the rows' size: rows
        are streamed one record batch at a time.
        """
        sources = self.sources()
        parts = [p for p in sources if p != self.out]
        if not parts:
            return pq.ParquetFile(self.out).metadata.num_rows if self.out.is_file() else 0
        masks = _winner_masks(sources)
        tmp = self.out.with_name(_TMP_PREFIX + self.out.name)
        with self._writing():
            written = _write_winners(tmp, sources, masks)
            os.replace(tmp, self.out)
        for part in parts:
            part.unlink()
        return written


def _write_winners(tmp: Path, sources: Sequence[Path], masks: Sequence[np.ndarray]) -> int:
    """Write the rows of ``sources`` that ``masks`` keep to ``tmp``; returns how many."""
    written = 0
    with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:
        for path, mask in zip(sources, masks, strict=True):
            offset = 0
            for batch in pq.ParquetFile(path).iter_batches(batch_size=2048):
                keep = mask[offset : offset + batch.num_rows]
                offset += batch.num_rows
                if keep.any():
                    writer.write_batch(batch.filter(pa.array(keep)))
                    written += int(keep.sum())
    return written


def _iter_key_status(path: Path) -> Iterator[tuple[bytes, str]]:
    """(key digest, status) of every row of ``path``, read column-wise in record batches."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=65536, columns=KEY_COLUMNS):
        columns = [batch.column(name).to_pylist() for name in KEY_COLUMNS]
        for article_id, text_hash, version, status in zip(*columns, strict=True):
            yield key_digest(article_id, text_hash, version), status


def _winner_masks(sources: Sequence[Path]) -> list[np.ndarray]:
    """One boolean array per source marking the rows that survive deduplication.

    Rows are sorted by (key digest, succeeded, position); the last row of each key wins, which
    is its last success, or its last failure when it never succeeded. Arrays, not dicts: about
    40 bytes per row, so a million rows need ~40 MB.
    """
    sizes = [pq.ParquetFile(p).metadata.num_rows for p in sources]
    digests = np.empty((sum(sizes), 2), dtype=np.uint64)
    succeeded = np.empty(sum(sizes), dtype=bool)
    row = 0
    for path in sources:
        for digest, status in _iter_key_status(path):
            digests[row] = np.frombuffer(digest, dtype=np.uint64)
            succeeded[row] = status == STATUS_OK
            row += 1
    position = np.arange(row)
    order = np.lexsort((position, succeeded, digests[:, 1], digests[:, 0]))
    ordered = digests[order]
    last_of_key = np.ones(row, dtype=bool)
    last_of_key[:-1] = np.any(ordered[1:] != ordered[:-1], axis=1)
    keep = np.zeros(row, dtype=bool)
    keep[order[last_of_key]] = True
    return np.split(keep, np.cumsum(sizes)[:-1])
