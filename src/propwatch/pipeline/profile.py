"""Where a pipeline spends its time and memory, component by component.

:func:`profile_pipeline` runs the components of a :class:`Pipeline` one after the other over a
whole list of articles (every article through ``text``, then every one through ``quotes``, ...),
so each component's cost is measured alone: wall and CPU seconds (CPU summed over the
process's threads, which other processes on a shared machine do not inflate), how much the
resident set grew while it ran, and optionally the peak of Python-traced allocations
(``tracemalloc``, which slows Python code down, so use it in a separate run from the timings).
:func:`format_table` prints the result::

    profiles = profile_pipeline(pipeline, articles)
    print(format_table(profiles, len(articles)))

Run this way the text component's background parse does not overlap the encoder as it does
in :meth:`Pipeline.pipe`, so the shares are of the work done, not of the streaming wall time;
numpy's BLAS uses one thread, as in :meth:`Pipeline.pipe`.
"""

from __future__ import annotations

import os
import resource
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from propwatch.pipeline.pipeline import Pipeline
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.threads import one_blas_thread

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ComponentProfile:
    """The cost of one component over all the articles of a run.

    Parameters
    ----------
    name : str
        Component name.
    wall_s : float
        Wall-clock seconds.
    cpu_s : float
        CPU seconds of the process, all threads.
    rss_growth_mb : float
        Resident set after minus before (MB); what the component left in memory (layers,
        cached parses, model weights loaded on first use).
    peak_growth_mb : float
        Rise of the process's peak resident set while it ran (MB); 0 when it stayed under an
        earlier peak.
    traced_peak_mb : float or None
        Peak of Python-traced allocations while it ran (MB, ``tracemalloc``); None unless
        allocations were traced.
    """

    name: str
    wall_s: float
    cpu_s: float
    rss_growth_mb: float
    peak_growth_mb: float
    traced_peak_mb: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def resident_mb() -> float:
    """Current resident set of this process (MB), from ``/proc/self/statm``; 0 where absent."""
    try:
        with open("/proc/self/statm", encoding="ascii") as stream:
            pages = int(stream.read().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / MB


def peak_mb() -> float:
    """Peak resident set of this process so far (MB; Linux reports ``ru_maxrss`` in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def profile_pipeline(
    pipeline: Pipeline, articles: Sequence[Article], *, allocations: bool = False
) -> list[ComponentProfile]:
    """Run each component of ``pipeline`` over all ``articles`` in turn and measure it.

    Parameters
    ----------
    pipeline : Pipeline
        Load its models beforehand (e.g. ``pipeline(articles[0])``) unless loading should
        count against the component that does it.
    articles : sequence of Article
        Analysed from scratch (no parse or state of an earlier run is reused).
    allocations : bool, default=False
        Also trace Python allocations (``traced_peak_mb``); slows Python code, so the
        times of such a run are not comparable with an untraced one.

    Returns
    -------
    list of ComponentProfile
        One per component, in pipeline order.
    """
    analyses = [Analysis(pipeline.checked(article)) for article in articles]
    profiles = []
    for component in pipeline.components:
        if allocations:
            tracemalloc.start()
        rss, peak = resident_mb(), peak_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        with one_blas_thread():
            analyses = list(component.pipe(analyses))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        traced = None
        if allocations:
            traced = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()
        profiles.append(
            ComponentProfile(
                component.name, wall, cpu, resident_mb() - rss, max(peak_mb() - peak, 0), traced
            )
        )
    return profiles


def format_table(profiles: Sequence[ComponentProfile], articles: int) -> str:
    """A plain-text table: one row per component and a total row.

    Columns: wall seconds and share of the total, CPU seconds and share, wall milliseconds
    per article, RSS growth, peak-RSS growth and (when traced) peak of traced allocations, in MB.
    """
    wall = sum(p.wall_s for p in profiles) or 1.0
    cpu = sum(p.cpu_s for p in profiles) or 1.0
    traced = any(p.traced_peak_mb is not None for p in profiles)
    header = ["component", "wall s", "wall %", "cpu s", "cpu %", "ms/article", "rss +MB"]
    header += ["peak +MB", "traced MB"] if traced else ["peak +MB"]
    rows = [header]
    for p in profiles:
        row = [
            p.name,
            f"{p.wall_s:.2f}",
            f"{100 * p.wall_s / wall:.1f}",
            f"{p.cpu_s:.2f}",
            f"{100 * p.cpu_s / cpu:.1f}",
            f"{1000 * p.wall_s / max(articles, 1):.1f}",
            f"{p.rss_growth_mb:.1f}",
            f"{p.peak_growth_mb:.1f}",
        ]
        if traced:
            row.append("-" if p.traced_peak_mb is None else f"{p.traced_peak_mb:.1f}")
        rows.append(row)
    total = ["total", f"{wall:.2f}", "100.0", f"{cpu:.2f}", "100.0"]
    total += [f"{1000 * wall / max(articles, 1):.1f}", ""]
    rows.append(total + [""] * (len(header) - len(total)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )
