"""What a ``propwatch batch`` run costs: CPU seconds per article, memory per worker, scaling.

Usage::

    .venv/bin/python bench/batch_economics.py --articles ../shared/data/ptc2020/test-articles

Runs the same articles through the default pipeline three ways, each into a fresh output: 1
local worker, 2 local workers, and a Dask scheduler with 2 single-threaded ``dask worker``
processes on 127.0.0.1 (started beforehand, as a cluster would be). A sampler thread reads,
every ``--sample-s`` seconds, the CPU time and the peak resident set (``VmHWM``) of this
process and every process below it (local workers, the scheduler, Dask's nannies and
workers). Reported per setting:

- wall seconds of the whole run and the steady rate (articles/s from the first stored result
  to the last, which is what a long job sees; see ``bench/batch_throughput.py``);
- CPU seconds of all those processes over the whole run (start-up and model loading in each
  worker included), and over the steady part only, per article: the marginal cost of one more
  article, which decides what a million cost;
- the largest peak resident set of a worker process, and that of the driver;
- the 1-minute load average at the end (on a shared machine the CPU figures are the ones
  to compare: other processes inflate wall times, far less CPU times).

Then the cost of 1,000,000 articles like these (their mean length is printed) in CPU-hours,
from the steady CPU seconds per article of each setting, plus each worker's start-up cost.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from batch_throughput import Clock, dask_cluster
from propwatch.batch import BatchOptions, PipelineSpec, run_batch

MILLION = 1_000_000


def peak_rss_mb(pid: int) -> float:
    """``VmHWM`` of a process (MB): the largest resident set it has had; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Sampler:
    """Samples the CPU seconds and peak RSS of this process tree on a background thread.

    ``series`` holds ``(perf_counter, total CPU seconds)`` pairs; a process's CPU time is
    kept at its last sample after it exits, so the total never falls.
    """

    interval: float
    series: list[tuple[float, float]] = field(default_factory=list)
    cpu: dict[int, float] = field(default_factory=dict)
    peaks: dict[int, float] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        me = psutil.Process()
        for process in [me, *me.children(recursive=True)]:
            try:
                times = process.cpu_times()
                self.cpu[process.pid] = times.user + times.system
                self.names.setdefault(process.pid, " ".join(process.cmdline()))
            except psutil.Error:
                continue
            self.peaks[process.pid] = max(
                self.peaks.get(process.pid, 0.0), peak_rss_mb(process.pid)
            )
        # children's own threads are counted in their process; the sampler thread is this one's
        self.series.append((time.perf_counter(), sum(self.cpu.values())))

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> Sampler:
        self.sample()
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def cpu_at(self, moment: float) -> float:
        """Total CPU seconds at ``moment``, from the nearest samples (linear in between)."""
        before = [(t, c) for t, c in self.series if t <= moment] or self.series[:1]
        after = [(t, c) for t, c in self.series if t >= moment] or self.series[-1:]
        (t0, c0), (t1, c1) = before[-1], after[0]
        return c0 if t1 <= t0 else c0 + (c1 - c0) * (moment - t0) / (t1 - t0)


@dataclass(frozen=True)
class Setting:
    label: str
    analysed: int
    wall_s: float
    steady_rate: float
    cpu_s: float
    steady_cpu_per_article: float
    worker_peak_mb: float
    driver_peak_mb: float
    load_1min: float

    @property
    def startup_cpu_s(self) -> float:
        """CPU seconds the run spent beyond its articles' steady cost (start-up, loading)."""
        return self.cpu_s - self.analysed * self.steady_cpu_per_article


def measure(label: str, options: BatchOptions, interval: float) -> Setting:
    clock = Clock()
    started = time.perf_counter()
    with Sampler(interval) as sampler:
        summary = run_batch(options, clock)
    wall = time.perf_counter() - started
    cpu = sampler.series[-1][1] - sampler.series[0][1]
    if clock.first is None or clock.done < 2:
        raise SystemExit(f"{label}: too few results to measure a steady rate")
    steady = (sampler.cpu_at(clock.last) - sampler.cpu_at(clock.first)) / (clock.done - 1)
    me = os.getpid()
    # local and Dask workers alike are multiprocessing children (Dask's nanny spawns its worker)
    workers = [mb for pid, mb in sampler.peaks.items() if "spawn_main" in sampler.names[pid]]
    setting = Setting(
        label,
        summary.analysed,
        wall,
        clock.steady_rate,
        cpu,
        steady,
        max(workers, default=0.0),
        sampler.peaks[me],
        os.getloadavg()[0],
    )
    print(
        f"{label:>15}: {setting.analysed} analysed in {wall:.1f} s wall "
        f"(steady {setting.steady_rate:.2f} articles/s); CPU {cpu:.1f} s in all "
        f"({setting.analysed / cpu:.2f} articles per CPU-second), "
        f"steady {steady:.3f} CPU-s per article ({1 / steady:.2f} per CPU-second); "
        f"peak RSS worker {setting.worker_peak_mb:.0f} MB, driver {setting.driver_peak_mb:.0f} MB; "
        f"load average {setting.load_1min:.2f}",
        flush=True,
    )
    return setting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, required=True, help="folder of PTC .txt files")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--chunk-size", type=int, default=4)
    parser.add_argument("--sample-s", type=float, default=0.5)
    args = parser.parse_args()
    paths = sorted(args.articles.glob("*.txt"))[: args.limit]
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths) / max(len(paths), 1)
    print(
        f"{len(paths)} articles, mean {chars:,.0f} characters; load average at start "
        f"{os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:

        def options(name: str, **kwargs: object) -> BatchOptions:
            return BatchOptions(
                inputs=(str(args.articles),),
                out=Path(tmp) / f"{name}.parquet",
                spec=PipelineSpec(),
                limit=args.limit,
                chunk_size=args.chunk_size,
                **kwargs,
            )

        settings = [
            measure("1 worker", options("one", workers=1), args.sample_s),
            measure("2 workers", options("two", workers=2), args.sample_s),
        ]
        with dask_cluster(2) as address:
            settings.append(
                measure("dask 2 workers", options("dask", scheduler=address), args.sample_s)
            )
    one = settings[0]
    for setting in settings[1:]:
        print(
            f"scaling efficiency, {setting.label}: "
            f"{setting.steady_rate / (2 * one.steady_rate):.0%}"
        )
    print(f"\n1,000,000 articles of {chars:,.0f} characters (from the steady CPU per article):")
    for setting in settings:
        hours = MILLION * setting.steady_cpu_per_article / 3600
        print(
            f"{setting.label:>15}: {hours:,.0f} CPU-hours, plus {setting.startup_cpu_s:.0f} CPU-s "
            f"of start-up per run; {MILLION / setting.steady_rate / 3600:,.1f} h wall at this "
            f"run's steady rate"
        )
    cluster_hours = MILLION * settings[-1].steady_cpu_per_article / 3600
    print(
        "projection, not measured: with the Dask run's CPU per article and perfect scaling, "
        + ", ".join(f"{n} workers {cluster_hours / n:,.1f} h" for n in (16, 64, 256))
    )


if __name__ == "__main__":
    main()
