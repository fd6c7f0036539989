"""The real adaptation run: a newsroom's ~50 annotated articles of other news, imported and
adapted to with one command, timed and scored (not a test).

The annotated articles are the published half of the CLEF-2024 CheckThat! Task 3 English
test set (``checkthat2024-en``: 2023-24 news on Gaza, Ukraine, US politics, COVID, in the
SemEval-2023 scheme): a domain shift from the 2017-19 articles the shipped model learnt from.
The three articles whose spans are shifted (the data README) are left out: 46 remain. The
bench does what a user does, each step a ``propwatch`` command in a subprocess:

1. ``propwatch batch ARTICLES --db sqlite:///OUT/annotations.db --components text,techniques``
   stores the articles with the shipped model's technique spans;
2. ``propwatch annotations import SPANS --format semeval2023-spans --complete`` imports the
   gold span files as the newsroom's annotations (``--complete``: the model's spans the files
   do not keep are rejected);
3. ``propwatch train techniques --from-model MODEL --annotations sqlite:///... --holdout-seed
   S`` once per seed: a different quarter of the articles is held out each time (the rest of
   the training is the same), so the before/after has a spread. Each run's wall time, CPU
   time (user + system) and peak resident memory are measured with ``os.wait4``.

It then scores the shipped model on the official dev set (``ptc2020/dev-*``; each run scores
its adapted model there too) and prints, per held-out measure, the mean before and after over
the seeds with the standard error of the paired difference, and the dev scores of the shipped
model against the adapted ones. Everything goes under OUT (a folder outside the repository);
finished seeds are kept, so a second call only runs the missing ones and summarises.

``--before-only`` scores the shipped model on each seed's held-out quarter without adapting
(what each run reports as "before", in minutes): how far the quarters alone move the score.

Usage::

    nohup .venv/bin/python bench/adaptation.py ../shared/data /work/runs/adaptation \\
        --seeds 1 2 3 > /work/runs/adaptation.log 2>&1 &
    .venv/bin/python bench/adaptation.py ../shared/data /work/runs/adaptation \\
        --seeds 1 2 3 4 5 6 --before-only
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from propwatch.models.techniques import DEFAULT_MODEL_DIR
from propwatch.training.techniques.adapt import HELD_OUT_SHARE, held_out_split, load_annotations
from propwatch.training.techniques.data import CHECKTHAT_MISALIGNED
from propwatch.training.techniques.validate import VALIDATORS, validate_dev

PROPWATCH = str(Path(sys.executable).parent / "propwatch")
CHECKTHAT = "checkthat2024-en"
# Held-out measures of the semeval2023 scorers (report.json): name -> (score, metric).
HELD_OUT = {
    "span F1 (FLC)": ("flc", "f1"),
    "paragraph micro-F1": ("st3", "micro_f1"),
    "paragraph micro-F1 from spans": ("st3_from_spans", "micro_f1"),
}
DEV = {
    "SemEval-2020 SI F1": ("semeval2020", "si", "f1"),
    "SemEval-2020 TC micro-F1": ("semeval2020", "tc", "f1"),
    "SemEval-2020 FLC F1": ("semeval2020", "flc", "f1"),
    "SemEval-2023 paragraph micro-F1": ("semeval2023", "st3", "micro_f1"),
    "SemEval-2023 FLC F1": ("semeval2023", "flc", "f1"),
}


def measured(command: Sequence[str], log: Path) -> dict[str, float]:
    """Run ``command`` with its output in ``log``; its wall and CPU seconds and peak RSS (MB).

    Raises
    ------
    SystemExit
        When the command fails (the log's last lines say why).
    """
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as stream:
        child = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        tail = log.read_text(encoding="utf-8").splitlines()[-5:]
        raise SystemExit(f"failed: {' '.join(command)}\n" + "\n".join(tail))
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),  # ru_maxrss is in KiB on Linux
    }


def _linked(source: Path, target: Path, names: Sequence[str]) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        link = target / name
        if not link.exists():
            link.symlink_to((source / name).resolve())
    return target


def prepare(data: Path, out: Path) -> str:
    """Store the CheckThat! articles with the shipped model's spans and import their gold
    spans as annotations; return the database URL (done once: kept in OUT)."""
    url = f"sqlite:///{out / 'annotations.db'}"
    done = out / "prepared.json"
    if done.is_file():
        return url
    base = data / CHECKTHAT
    keys = sorted(
        path.stem.removeprefix("article")
        for path in (base / "articles").glob("article*.txt")
        if path.stem.removeprefix("article") not in CHECKTHAT_MISALIGNED
    )
    articles = _linked(base / "articles", out / "articles", [f"article{k}.txt" for k in keys])
    spans = _linked(
        base / "labels-subtask-3-spans",
        out / "spans",
        [f"article{k}-labels-subtask-3.txt" for k in keys],
    )
    analysed = measured(
        [
            PROPWATCH,
            "batch",
            str(articles),
            "--out",
            str(out / "predictions.parquet"),
            "--db",
            url,
            "--components",
            "text,techniques",
            "--quiet",
        ],
        out / "batch.log",
    )
    imported = measured(
        [
            PROPWATCH,
            "annotations",
            "import",
            str(spans),
            "--format",
            "semeval2023-spans",
            "--complete",
            "--db",
            url,
        ],
        out / "import.log",
    )
    summary = {
        "articles": len(keys),
        "batch": analysed,
        "import": imported,
        "import_says": (out / "import.log").read_text(encoding="utf-8").strip(),
    }
    done.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return url


def adapt(data: Path, model: Path, url: str, out: Path, seed: int) -> dict[str, Any]:
    """One ``train techniques --annotations`` run with held-out seed ``seed`` (kept in OUT)."""
    run = out / f"seed-{seed}"
    done = run / "measured.json"
    if not done.is_file():
        command = [
            PROPWATCH,
            "train",
            "techniques",
            "--data",
            str(data),
            "--out",
            str(run),
            "--from-model",
            str(model),
            "--annotations",
            url,
            "--holdout-seed",
            str(seed),
        ]
        run.mkdir(parents=True, exist_ok=True)
        done.write_text(json.dumps(measured(command, out / f"seed-{seed}.log")) + "\n")
    report = json.loads((run / "annotations" / "report.json").read_text(encoding="utf-8"))
    dev = json.loads((run / "val" / "report.json").read_text(encoding="utf-8"))["dev_scores"]
    return {**json.loads(done.read_text()), **report, "dev": dev}


def before_only(model: Path, url: str, out: Path, seeds: Sequence[int]) -> None:
    """Score ``model`` on each seed's held-out quarter as an adaptation run does before
    refitting, and print the scores with their mean and standard error over the seeds."""
    corpus = load_annotations(url, "semeval2023")
    rows = {}
    for seed in seeds:
        _train, held = held_out_split(sorted(corpus.texts), HELD_OUT_SHARE, seed)
        folder = out / f"before-seed-{seed}"
        folder.mkdir(parents=True, exist_ok=True)
        scores = VALIDATORS["semeval2023"](model, corpus, held, folder)
        rows[seed] = {name: _held_out(scores, *key) for name, key in HELD_OUT.items()}
        print(f"seed {seed} ({len(held)} articles): {rows[seed]}", flush=True)
    (out / "before-only.json").write_text(json.dumps(rows, indent=2) + "\n")
    print(f"\n| shipped model, held-out quarter ({len(seeds)} draws) | mean (SE) | range |")
    print("|---|---|---|")
    for name in HELD_OUT:
        values = [row[name] for row in rows.values()]
        mean, se = mean_se(values)
        print(f"| {name} | {mean:.3f} ({se:.3f}) | {min(values):.3f}-{max(values):.3f} |")


def _held_out(scores: dict[str, Any], score: str, metric: str) -> float:
    return float(scores[score]["metrics"][metric])


def _dev(scores: dict[str, Any], scheme: str, score: str, metric: str) -> float:
    return float(scores[scheme][score]["metrics"][metric])


def mean_se(values: Sequence[float]) -> tuple[float, float]:
    """Mean and standard error of the mean (0 for one value)."""
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return mean, se


def summarise(runs: dict[int, dict[str, Any]], shipped_dev: dict[str, Any]) -> dict[str, Any]:
    """Per held-out measure: mean before, after and paired difference with its SE over the
    seeds; per dev measure: the shipped model and the adapted models' mean."""
    held: dict[str, Any] = {}
    for name, (score, metric) in HELD_OUT.items():
        before = [_held_out(r["before"], score, metric) for r in runs.values()]
        after = [_held_out(r["after"], score, metric) for r in runs.values()]
        delta, se = mean_se([a - b for a, b in zip(after, before, strict=True)])
        held[name] = {
            "before": statistics.fmean(before),
            "after": statistics.fmean(after),
            "difference": delta,
            "se": se,
            "per_seed": {seed: [b, a] for seed, b, a in zip(runs, before, after, strict=True)},
        }
    dev = {}
    for name, key in DEV.items():
        adapted, se = mean_se([_dev(r["dev"], *key) for r in runs.values()])
        dev[name] = {"shipped": _dev(shipped_dev, *key), "adapted": adapted, "se": se}
    cost = {
        field: mean_se([float(r[field]) for r in runs.values()])
        for field in ("wall_s", "cpu_s", "peak_rss_mb")
    }
    return {"seeds": list(runs), "held_out": held, "dev": dev, "cost": cost}


def print_summary(summary: dict[str, Any], held_out_count: int) -> None:
    """The summary as the README's tables."""
    seeds = len(summary["seeds"])
    wall, cpu, rss = (summary["cost"][k] for k in ("wall_s", "cpu_s", "peak_rss_mb"))
    print(
        f"\n{seeds} runs: wall {wall[0] / 60:.1f} min (SE {wall[1] / 60:.1f}), "
        f"CPU {cpu[0] / 60:.1f} min, peak RSS {rss[0]:.0f} MB"
    )
    head = f"held-out ({held_out_count} articles x {seeds} draws)"
    print(f"\n| {head} | before | after | diff (SE) |")
    print("|---|---|---|---|")
    for name, row in summary["held_out"].items():
        print(
            f"| {name} | {row['before']:.3f} | {row['after']:.3f} | "
            f"{row['difference']:+.3f} ({row['se']:.3f}) |"
        )
    print("\n| official dev set (75 articles) | shipped | adapted (SE over runs) |")
    print("|---|---|---|")
    for name, row in summary["dev"].items():
        print(f"| {name} | {row['shipped']:.3f} | {row['adapted']:.3f} ({row['se']:.3f}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="Folder holding checkthat2024-en/ and ptc2020/.")
    parser.add_argument("out", type=Path, help="Work folder (database, runs, logs, summary).")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument(
        "--before-only", action="store_true", help="Only score the shipped model per draw."
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    url = prepare(args.data, args.out)
    print(json.loads((args.out / "prepared.json").read_text())["import_says"], flush=True)
    if args.before_only:
        before_only(args.model, url, args.out, args.seeds)
        return
    runs = {seed: adapt(args.data, args.model, url, args.out, seed) for seed in args.seeds}
    shipped_file = args.out / "shipped-dev.json"
    if not shipped_file.is_file():
        shipped = validate_dev(args.model, args.data, args.out / "shipped-dev")
        shipped_file.write_text(json.dumps(shipped, indent=2) + "\n")
    summary = summarise(runs, json.loads(shipped_file.read_text()))
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print_summary(summary, len(next(iter(runs.values()))["held_out"]))


if __name__ == "__main__":
    main()
