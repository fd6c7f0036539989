"""Where the peak memory of analysing one long article comes from (not a test).

Analyses one article the way ``bench/resources.py``'s child does (``api.analyze_articles`` and
the JSON writer, after a warm-up article), while a thread reads the resident set every 10 ms.
Prints, for each component in the order it finished, the highest resident set seen while it
ran and the resident set it left, in MiB; then the process's peak (``ru_maxrss``). Unlike
``bench/pipeline_profile.py``, which runs each component over all articles in turn, the
components run as ``propwatch analyze`` runs them (the parse on its own thread).

Usage::

    python bench/memory_timeline.py --size 1000000
    python bench/memory_timeline.py --file article.txt
"""

from __future__ import annotations

import argparse
import os
import resource
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from propwatch import api
from propwatch.errors import InputError
from propwatch.pipeline import Component, Pipeline
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from resources import STARTUP_CHARS, bench_prose

MIB = 2**20


def resident_mib() -> float:
    """Current resident set of this process (MiB), from ``/proc/self/statm``."""
    with open("/proc/self/statm", encoding="ascii") as stream:
        pages = int(stream.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / MIB


class Watch:
    """The highest resident set since the last :meth:`mark`, sampled on a daemon thread."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.peak = resident_mib()
        self.marks: list[tuple[float, str, float, float]] = []
        self.started = time.perf_counter()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, resident_mib())
            time.sleep(self.interval)

    def mark(self, name: str) -> None:
        """Record ``name`` with the peak since the last mark and the resident set now."""
        now = resident_mib()
        self.marks.append((time.perf_counter() - self.started, name, max(self.peak, now), now))
        self.peak = now


def watched(pipeline: Pipeline, watch: Watch) -> None:
    """Make every component of ``pipeline`` call ``watch.mark`` as it hands an article on."""
    stamp = Pipeline._stamp

    def marking(component: Component, analyses: Iterable[Analysis]) -> Iterator[Analysis]:
        for analysis in stamp(component, analyses):
            watch.mark(component.name)
            yield analysis

    pipeline._stamp = marking  # type: ignore[method-assign]


def failed(error: InputError) -> None:
    raise SystemExit(str(error))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--size", type=int, help="characters of bench prose (resources.py's)")
    source.add_argument("--file", type=Path, help="analyse this text file instead")
    args = parser.parse_args()
    text = args.file.read_text(encoding="utf-8") if args.file else bench_prose(args.size)
    pipeline = api.load_pipeline(max_text_chars=max(len(text), STARTUP_CHARS))
    writer = api.resolve_writer("json", pipeline)
    list(api.analyze_articles([Article(text=bench_prose(STARTUP_CHARS), id="w")], pipeline))
    print(f"{len(text):,} characters; load average {os.getloadavg()[0]:.2f} at start")
    watch = Watch()
    watched(pipeline, watch)
    watch.mark("start")
    with open(os.devnull, "w", encoding="utf-8") as stream:
        analyses = api.analyze_articles([Article(text=text, id="big")], pipeline, on_error=failed)
        writer.write(analyses, stream)
    watch.mark("json written")
    for seconds, name, peak, left in watch.marks:
        print(f"{seconds:8.1f} s  {name:14} peak {peak:6.0f} MiB, then {left:6.0f} MiB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"peak RSS {peak / MIB:,.0f} MiB ({peak / 1e9:.2f} x 10^9 bytes); ", end="")
    print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
