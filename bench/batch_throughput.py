"""Throughput of ``propwatch batch`` at 1 and 2 local workers and on a local Dask cluster.

Usage::

    .venv/bin/python bench/batch_throughput.py [--articles DIR] [--limit N] [--components a,b]

Each setting analyses the same articles into a fresh output. Reported per setting: wall time of
the whole run (cluster start and model loading included), and the steady rate, measured from
the first stored result to the last, which is what a long job sees. Scaling efficiency is
``rate(N workers) / (N * rate(1 worker))``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from distributed import Client

from propwatch.batch import BatchOptions, PipelineSpec, run_batch

DEFAULT_ARTICLES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ptc2020"
BIN = Path(sys.executable).parent


class Clock:
    """A :class:`propwatch.batch.Progress` that notes when the first and last results came."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.last = 0.0
        self.done = 0

    def advance(self, done: int) -> None:
        now = time.perf_counter()
        self.first = now if self.first is None else self.first
        self.last = now
        self.done += done

    @property
    def steady_rate(self) -> float:
        """Articles per second between the first and the last result (first one excluded)."""
        if self.first is None or self.last <= self.first:
            return 0.0
        return (self.done - 1) / (self.last - self.first)


@contextmanager
def dask_cluster(workers: int) -> Iterator[str]:
    """``dask scheduler`` plus ``workers`` single-threaded ``dask worker`` processes."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(BIN / "dask")
    commands = [[dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]]
    commands += [[dask, "worker", address, "--nthreads", "1", "--no-dashboard"]] * workers
    # as the README advises for a cluster: no MALLOC_TRIM_THRESHOLD_ (see propwatch.batch.runner)
    env = {
        **os.environ,
        "DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON": '{"MALLOC_TRIM_THRESHOLD_": None}',
    }
    processes = [subprocess.Popen(c, stderr=subprocess.DEVNULL, env=env) for c in commands]
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=180)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)


def measure(label: str, options: BatchOptions) -> tuple[float, float]:
    clock = Clock()
    started = time.perf_counter()
    summary = run_batch(options, clock)
    wall = time.perf_counter() - started
    print(
        f"{label:>14}: {summary.analysed} analysed, {summary.failed} failed, wall {wall:.1f} s "
        f"({summary.analysed / wall:.2f} articles/s), steady {clock.steady_rate:.2f} articles/s",
        flush=True,
    )
    return wall, clock.steady_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES / "train-articles")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--components", default=None, help="comma list; default pipeline if unset")
    parser.add_argument("--chunk-size", type=int, default=8)
    args = parser.parse_args()
    components = (
        None if args.components is None else tuple(filter(None, args.components.split(",")))
    )
    spec = PipelineSpec(components=components)
    print(f"pipeline: {components or 'default'}; articles: {args.articles}; limit: {args.limit}")
    with tempfile.TemporaryDirectory() as tmp:

        def options(name: str, **kwargs: object) -> BatchOptions:
            return BatchOptions(
                inputs=(str(args.articles),),
                out=Path(tmp) / f"{name}.parquet",
                spec=spec,
                limit=args.limit,
                chunk_size=args.chunk_size,
                **kwargs,  # type: ignore[arg-type]
            )

        _, one = measure("1 worker", options("one", workers=1))
        _, two = measure("2 workers", options("two", workers=2))
        with dask_cluster(2) as address:
            _, cluster = measure("dask 2 workers", options("cluster", scheduler=address))
    print(f"scaling efficiency, 2 local workers: {two / (2 * one):.0%}")
    print(f"scaling efficiency, dask cluster of 2: {cluster / (2 * one):.0%}")


if __name__ == "__main__":
    main()
