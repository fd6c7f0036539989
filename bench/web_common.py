"""Helpers shared by the web benchmarks: start ``propwatch serve`` and time requests."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

PROPWATCH = Path(sys.executable).with_name("propwatch")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(db_url: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``propwatch serve`` on a free local port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(PROPWATCH), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url],
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{base}/api/v1/stats", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("propwatch serve did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def percentiles(milliseconds: Sequence[float]) -> dict[str, float]:
    """p50 and p95 of a list of durations, in milliseconds."""
    ordered = sorted(milliseconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1)}
