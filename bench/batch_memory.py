"""Peak memory of ``propwatch batch`` on a big JSONL file (default: 1 million lines).

Usage::

    .venv/bin/python bench/batch_memory.py [--lines 1000000] [--workers 2] [--components ""]

Writes a JSONL file of short invented articles, runs the ``propwatch batch`` command on it and
samples the resident memory (RSS) of the command and all its child processes (the local Dask
workers) every 0.2 s. The default pipeline is empty so the run measures the batch machinery
(streaming, keys, futures, part files, compaction), not model sizes; pass ``--components`` to
include models.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent
WORDS = ["the", "council", "said", "on", "tuesday", "that", "new", "budget", "plans"]
WORDS += ["would", "cut", "school", "spending"]


def write_corpus(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for n in range(lines):
            text = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(30)) + f" ({n})."
            stream.write(json.dumps({"id": f"a{n}", "text": text, "outlet": f"o{n % 7}"}) + "\n")


def tree_rss(process: psutil.Process) -> int:
    """Bytes resident in ``process`` and all its descendants."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue  # a worker that just exited holds no memory
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--components", default="")
    parser.add_argument("--chunk-size", type=int, default=256)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "big.jsonl"
        write_corpus(corpus, args.lines)
        print(f"{corpus}: {args.lines:,} lines, {corpus.stat().st_size / 1e6:.0f} MB", flush=True)
        command = [str(BIN / "propwatch"), "batch", str(corpus), "--out", f"{tmp}/r.parquet"]
        command += ["--workers", str(args.workers), "--components", args.components]
        command += ["--chunk-size", str(args.chunk_size), "--flush-rows", "10000"]
        started = time.perf_counter()
        job = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        peak, driver_peak = 0, 0
        watched = psutil.Process(job.pid)
        next_report = started + 60
        while job.poll() is None:
            try:
                rss = tree_rss(watched)
                driver_peak = max(driver_peak, watched.memory_info().rss)
            except psutil.NoSuchProcess:
                break
            peak = max(peak, rss)
            if time.perf_counter() >= next_report:  # shows whether memory grows with the input
                print(
                    f"  {time.perf_counter() - started:5.0f} s: RSS {rss / 2**30:.2f} GiB",
                    flush=True,
                )
                next_report += 60
            time.sleep(0.2)
        wall = time.perf_counter() - started
        _, stderr = job.communicate()
        print(stderr.strip().splitlines()[0] if stderr.strip() else f"exit {job.returncode}")
        print(
            f"wall {wall:.0f} s ({args.lines / wall:,.0f} articles/s); peak RSS of the command and "
            f"its workers {peak / 2**30:.2f} GiB (driver alone {driver_peak / 2**30:.2f} GiB)"
        )


if __name__ == "__main__":
    main()
