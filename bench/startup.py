"""Start-up of the ``propwatch`` command as a user meets it (not part of the test run).

Runs each case ``--runs`` times, each in a fresh process, and prints the median wall and CPU
seconds (user + system of that process) with the 1-minute load average before and after:

- ``--help``: ``propwatch --help``;
- ``analyze``: ``propwatch analyze ARTICLE -o FILE.json``; beside it, the analysis itself:
  what the command does (read, analyse, write JSON) run three more times in one process with
  one pipeline after a first run (models loaded, caches warm), whose median is subtracted from
  the cold wall to give the start-up "on top of the analysis" (issue 19's target: < 1.5 s);
- ``serve``: ``propwatch serve`` on a free port over a new SQLite file, from the start of the
  process until ``GET /`` first answers 200 (issue 19's target: < 3 s).

The commands are the ``propwatch`` script next to the Python that runs this file, so run it
with the interpreter of the install to measure (a user's ``make run`` install has no torch,
which spaCy's thinc imports when present; the dev install has it)::

    cd /work/userinst  # a user's install: make .venv/.installed-run
    .venv/bin/python bench/startup.py ../shared/data/ptc2020/dev-articles/article730081389.txt
    .venv/bin/python bench/startup.py ARTICLE --runs 7 --cases analyze serve
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "propwatch"
# The analysis itself, as propwatch analyze does it (read the file, analyse, write JSON), with
# one pipeline: once to load the models, then WARM_RUNS times; prints each wall in seconds.
WARM_RUNS = 3
WARM_CHILD = """
import sys, time
from propwatch import api
runs, path, output = int(sys.argv[1]), sys.argv[2], sys.argv[3]
pipeline = api.load_pipeline()
writer = api.resolve_writer("json", pipeline)
def fail(error):
    raise error
for _ in range(1 + runs):
    started = time.perf_counter()
    articles = api.articles_from_inputs([path], fail)
    with open(output, "w", encoding="utf-8", newline="") as stream:
        writer.write(api.analyze_articles(articles, pipeline, on_error=fail), stream)
    print(time.perf_counter() - started)
"""
READY_TIMEOUT_S = 120.0


def timed_run(argv: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and standard output of ``argv`` run to its end.

    Raises
    ------
    RuntimeError
        If the command exits with a non-zero status (its stderr is in the message).
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err)
        assert process.stdout is not None
        with process.stdout:
            out = process.stdout.read().decode("utf-8")
        # wait4, not Popen.wait: it also gives the child's own resource usage.
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(argv)} exited with {process.returncode}: {message}")
    return wall, usage.ru_utime + usage.ru_stime, out


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_run(folder: Path, index: int) -> tuple[float, float]:
    """Wall and CPU seconds from starting ``propwatch serve`` to its first ``GET /`` 200."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    database = f"sqlite:///{folder / f'serve{index}.db'}"
    argv = [str(SCRIPT), "serve", "--port", str(port), "--db", database]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - started < READY_TIMEOUT_S:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited with {process.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return time.perf_counter() - started, proc_cpu_seconds(process.pid)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.02)
        raise RuntimeError(f"serve did not answer {url} within {READY_TIMEOUT_S:.0f} s")
    finally:
        process.terminate()
        process.wait()


def measure(name: str, runs: int, run: Callable[[int], tuple[float, float]]) -> None:
    """Run ``run`` ``runs`` times and print the median wall and CPU with the load average."""
    before = os.getloadavg()[0]
    walls, cpus = zip(*(run(index) for index in range(runs)), strict=True)
    after = os.getloadavg()[0]
    print(
        f"{name:10} wall median {statistics.median(walls):6.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f}), "
        f"CPU median {statistics.median(cpus):5.2f} s; "
        f"load average {before:.2f} -> {after:.2f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", type=Path, help="one article file for propwatch analyze")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per case")
    parser.add_argument(
        "--cases",
        nargs="+",
        choices=["help", "analyze", "serve"],
        default=["help", "analyze", "serve"],
    )
    args = parser.parse_args()
    if not SCRIPT.is_file():
        parser.error(f"no propwatch script next to {sys.executable}")
    print(f"interpreter {sys.executable}; {args.runs} runs per case", flush=True)
    with tempfile.TemporaryDirectory(prefix="propwatch-startup-") as tmp:
        folder = Path(tmp)
        output = str(folder / "out.json")
        analyze = [str(SCRIPT), "analyze", str(args.article), "-o", output]
        if "help" in args.cases:
            measure("--help", args.runs, lambda _i: timed_run([str(SCRIPT), "--help"])[:2])
        if "analyze" in args.cases:
            cold: list[float] = []

            def analyze_run(_index: int) -> tuple[float, float]:
                wall, cpu, _out = timed_run(analyze)
                cold.append(wall)
                return wall, cpu

            measure("analyze", args.runs, analyze_run)
            warm_argv = [
                sys.executable,
                "-c",
                WARM_CHILD,
                str(WARM_RUNS),
                str(args.article),
                output,
            ]
            walls = [float(line) for line in timed_run(warm_argv)[2].split()]
            warm = statistics.median(walls[1:])
            print(
                f"{'':10} the analysis itself (warm, in one process, median of {WARM_RUNS}): "
                f"{warm:.2f} s; start-up on top of it: {statistics.median(cold) - warm:.2f} s",
                flush=True,
            )
        if "serve" in args.cases:
            measure("serve", args.runs, lambda index: serve_run(folder, index))


if __name__ == "__main__":
    main()
