"""Peak memory of ``propwatch batch`` on a big JSONL file (default: 1 million lines).

Usage::

    .venv/bin/python bench/batch_memory.py [--lines 1000000] [--workers 2] [--components ""]
    .venv/bin/python bench/batch_memory.py --input DIR --limit 100 --components default

Writes a JSONL file of short invented articles (or reads ``--input``), runs the ``propwatch
batch`` command on it and samples the resident memory (RSS) of the command and of each of its
child processes (the local Dask workers) every 0.2 s; the total is the sum over processes, so
pages they share are counted once per process. The default pipeline is empty so the run
measures the batch machinery (streaming, keys, futures, part files, compaction), not model
sizes; ``--components default`` runs the default pipeline, or pass a comma-separated list.
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
GIB = 2**30


def write_corpus(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for n in range(lines):
            text = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(30)) + f" ({n})."
            stream.write(json.dumps({"id": f"a{n}", "text": text, "outlet": f"o{n % 7}"}) + "\n")


def rss_by_process(process: psutil.Process) -> dict[int, int]:
    """Bytes resident in ``process`` and in each of its descendants, by process id."""
    sizes = {}
    for member in [process, *process.children(recursive=True)]:
        try:
            sizes[member.pid] = member.memory_info().rss
        except psutil.NoSuchProcess:
            continue  # a worker that just exited holds no memory
    return sizes


def watch(command: list[str]) -> None:
    """Run ``command``; print RSS every minute, then the summary line and the peaks."""
    started = time.perf_counter()
    job = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    peak = 0
    peaks: dict[int, int] = {}  # each process's own peak
    watched = psutil.Process(job.pid)
    next_report = started + 60
    while job.poll() is None:
        try:
            sizes = rss_by_process(watched)
        except psutil.NoSuchProcess:
            break
        peak = max(peak, sum(sizes.values()))
        for pid, size in sizes.items():
            peaks[pid] = max(peaks.get(pid, 0), size)
        if time.perf_counter() >= next_report:  # shows whether memory grows with the input
            minutes = (time.perf_counter() - started) / 60
            print(f"  {minutes:4.0f} min: RSS {sum(sizes.values()) / GIB:.2f} GiB", flush=True)
            next_report += 60
        time.sleep(0.2)
    wall = time.perf_counter() - started
    _, stderr = job.communicate()
    print(stderr.strip().splitlines()[0] if stderr.strip() else f"exit {job.returncode}")
    children = sorted((size for pid, size in peaks.items() if pid != job.pid), reverse=True)
    print(
        f"wall {wall:.0f} s; peak RSS of the command and its workers {peak / GIB:.2f} GiB; "
        f"each process's peak: driver {peaks.get(job.pid, 0) / GIB:.2f} GiB, children "
        + ", ".join(f"{size / GIB:.2f}" for size in children)
        + " GiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--input", type=Path, help="analyse this instead of invented lines")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--components", default="", help='"" (none), "default", or a,b,c')
    parser.add_argument("--chunk-size", type=int, default=256)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.input or Path(tmp) / "big.jsonl"
        if args.input is None:
            write_corpus(corpus, args.lines)
            print(f"{corpus}: {args.lines:,} lines, {corpus.stat().st_size / 1e6:.0f} MB")
        command = [str(BIN / "propwatch"), "batch", str(corpus), "--out", f"{tmp}/r.parquet"]
        command += ["--workers", str(args.workers), "--chunk-size", str(args.chunk_size)]
        command += ["--flush-rows", "10000"]
        if args.components != "default":
            command += ["--components", args.components]
        if args.limit is not None:
            command += ["--limit", str(args.limit)]
        print(" ".join(command[1:]), flush=True)
        watch(command)


if __name__ == "__main__":
    main()
