"""Paired article bootstrap of two models' dev-set scores: is B better than A beyond noise?

Every training run (and ``bench/techniques_heads.py``) writes its dev-set predictions and gold
subsets to ``OUT/dev``; ``bench/techniques_dev.py`` writes them to its ``OUT`` (and with
``--checkthat`` those of the CheckThat! 2024 articles to ``OUT/checkthat``, which pairs the same
way). Either folder may be given. This resamples the dev articles with
replacement (the same draws for both models), scores each draw with propwatch's official
scorers and prints, per measure, A's and B's score on all articles, B - A and the standard error
of B - A over the draws. A difference under two standard errors is noise.

Usage::

    python bench/dev_bootstrap.py OUT_A OUT_B [--samples 200]
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from propwatch.eval.result import EvalOptions
from propwatch.eval.runner import evaluate
from propwatch.schemes import load_scheme

# measure: scorer, prediction file, gold file (under OUT/dev), scheme of its class list
MEASURES = {
    "SemEval-2020 SI": ("si", "si.tsv", "gold-si.tsv", None),
    "SemEval-2020 TC": ("tc", "tc.tsv", "gold-tc.tsv", None),
    "SemEval-2020 FLC": ("flc", "flc.tsv", "gold-tc.tsv", None),
    "SemEval-2023 SI": ("si", "si-2023.tsv", "gold-si-2023.tsv", None),
    "SemEval-2023 FLC": ("flc", "flc-2023.tsv", "gold-tc-2023.tsv", None),
    "SemEval-2023 TC": ("tc", "tc-2023.tsv", "gold-tc-2023.tsv", None),
    "SemEval-2023 paragraphs": ("st3", "st3.txt", "gold-st3.txt", "semeval2023"),
}


def _rows(path: Path) -> dict[str, list[str]]:
    """Lines of a prediction or gold file by article id (its first column)."""
    rows: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows[line.split("\t", 1)[0]].append(line.split("\t", 1)[1])
    return rows


def _write(path: Path, rows: dict[str, list[str]], draw: list[tuple[str, str]]) -> None:
    """The rows of the drawn articles, each under its draw's own id (a draw repeats articles)."""
    lines = [f"{new}\t{rest}\n" for old, new in draw for rest in rows.get(old, [])]
    path.write_text("".join(lines), encoding="utf-8")


def score(
    kind: str,
    pred: dict[str, list[str]],
    gold: dict[str, list[str]],
    draw: list[tuple[str, str]],
    classes: tuple[str, ...] | None,
    folder: Path,
) -> float:
    """Official score of the drawn articles."""
    _write(folder / "pred", pred, draw)
    _write(folder / "gold", gold, draw)
    articles = tuple(new for _old, new in draw) if kind in ("si", "flc") else None
    options = EvalOptions(classes=classes, articles=articles)
    result = evaluate(kind, folder / "pred", folder / "gold", options)
    return float(result.metrics[result.official])


def dev_folder(run: Path) -> Path:
    """The folder holding a run's dev predictions: ``run/dev`` or ``run`` itself."""
    return run / "dev" if (run / "dev" / "articles.txt").is_file() else run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="Run folder of model A (or its dev folder).")
    parser.add_argument("b", type=Path, help="Run folder of model B (or its dev folder).")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    folders = [dev_folder(args.a), dev_folder(args.b)]
    articles = (folders[0] / "articles.txt").read_text(encoding="utf-8").split()
    rng = np.random.default_rng(0)
    # Each drawn article gets its own id; the separator keeps "4215" drawn 38th apart from
    # "42153" drawn 8th.
    draws = [
        [(articles[i], f"{articles[i]}_{j}") for j, i in enumerate(pick)]
        for pick in rng.integers(0, len(articles), size=(args.samples, len(articles)))
    ]
    everything = [(k, k) for k in articles]
    print(f"{len(articles)} dev articles, {args.samples} paired draws; A = {args.a}, B = {args.b}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, (kind, pred_file, gold_file, scheme) in MEASURES.items():
            files = [folders[0] / gold_file, *(folder / pred_file for folder in folders)]
            if not all(path.is_file() for path in files):  # runs from before that measure
                print(f"{name:26s} not in both runs")
                continue
            classes = tuple(load_scheme(scheme).names) if scheme else None
            gold = _rows(folders[0] / gold_file)
            preds = [_rows(folder / pred_file) for folder in folders]
            full = [score(kind, p, gold, everything, classes, folder) for p in preds]
            diffs = [
                score(kind, preds[1], gold, d, classes, folder)
                - score(kind, preds[0], gold, d, classes, folder)
                for d in draws
            ]
            print(
                f"{name:26s} A {full[0]:.4f}  B {full[1]:.4f}  B - A {full[1] - full[0]:+.4f}"
                f"  SE {np.std(diffs):.4f}"
            )


if __name__ == "__main__":
    main()
