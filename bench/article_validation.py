"""Score the article-level models end to end on their validation split (needs ../shared/data).

Trains each model on its 80% part (``propwatch train article all --validation-only``), writes
the held-out documents and their gold labels to OUT, runs the real ``propwatch analyze`` on
them in the SemEval formats with those models (``PROPWATCH_ARTICLE_MODEL_DIR``), and scores the
predictions with ``propwatch eval``. It also times analysis per article.

Usage::

    python bench/article_validation.py ../shared/data runs/article-val
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROPWATCH = str(Path(sys.executable).with_name("propwatch"))


def run(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env).stdout


def subset(source: Path, keep: set[str], target: Path, key: int = 0) -> None:
    """Copy the lines of ``source`` whose field ``key`` is in ``keep`` (gold subset)."""
    with open(source, encoding="utf-8", newline="") as stream:
        lines = [line for line in stream if line.split("\t")[key].strip() in keep]
    target.write_text("".join(line.rstrip("\r\n") + "\n" for line in lines), encoding="utf-8")


def documents(folder: Path, names: list[str], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(folder / name, target / name)


def main(data: Path, out: Path) -> None:
    models = out / "models"
    run(
        PROPWATCH,
        "train",
        "article",
        "all",
        "--data",
        str(data),
        "--out",
        str(models),
        "--validation-only",
    )
    report = {
        kind: json.loads((models / f"{kind}-validation.json").read_text())
        for kind in ("genre", "frames", "narratives", "roles")
    }
    env = {**os.environ, "PROPWATCH_ARTICLE_MODEL_DIR": str(models)}
    s23, s25 = data / "semeval2023-en", data / "semeval2025-en"
    jobs = [
        # (name, documents folder, file name of an id, gold file, format, scorer, extra options)
        (
            "genre",
            s23 / "train-articles-subtask-1",
            "article{}.txt",
            s23 / "train-labels-subtask-1.txt",
            "semeval2023-st1",
            "st1",
            (),
        ),
        (
            "frames",
            s23 / "train-articles-subtask-2",
            "article{}.txt",
            s23 / "train-labels-subtask-2.txt",
            "semeval2023-st2",
            "st2",
            (),
        ),
        (
            "narratives",
            s25 / "train" / "raw-documents",
            "{}",
            s25 / "train" / "subtask-2-annotations.txt",
            "semeval2025-st2",
            "narratives",
            (),
        ),
        (
            "roles",
            s25 / "train" / "raw-documents",
            "{}",
            s25 / "train" / "subtask-1-annotations.txt",
            "semeval2025-st1",
            "roles",
            ("entities",),
        ),
    ]
    scores = {}
    for name, folder, pattern, gold, format_name, scorer, extra in jobs:
        keep = set(report[name]["validation_documents"])
        docs = out / name / "documents"
        documents(folder, sorted(pattern.format(i) for i in keep), docs)
        gold_subset = out / name / "gold.txt"
        subset(gold, keep, gold_subset)
        options = ["--entities", str(gold_subset)] if extra else []
        pred = out / name / "pred.txt"
        began = time.perf_counter()
        run(
            PROPWATCH,
            "analyze",
            str(docs),
            "--format",
            format_name,
            "-o",
            str(pred),
            "-q",
            *options,
            env=env,
        )
        seconds = time.perf_counter() - began
        result = json.loads(run(PROPWATCH, "eval", scorer, str(pred), str(gold_subset), "--json"))
        scores[name] = {
            "eval": result,
            "documents": len(keep),
            "analyze_seconds": round(seconds, 1),
        }
        print(json.dumps({name: scores[name]}), flush=True)
    (out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
