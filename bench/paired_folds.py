"""Fold-by-fold differences between two runs of ``bench/article_cv.py --per-fold``.

Both runs must use the same kind and ``--repeats`` (so the same folds). For each score both
hold: the mean of each run, the mean difference (after minus before) and its standard error
over folds (the folds of repeated cross-validation overlap, so the error is a little small).

Usage::

    python bench/paired_folds.py BEFORE.json AFTER.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (args.before, args.after))
    rows = {}
    for name in sorted(before.keys() & after.keys()):
        old, new = np.array(before[name]), np.array(after[name])
        if old.shape != new.shape:
            raise SystemExit(f"{name}: {len(old)} folds against {len(new)}: not the same folds")
        change = new - old
        rows[name] = {
            "before": round(float(old.mean()), 4),
            "after": round(float(new.mean()), 4),
            "difference": round(float(change.mean()), 4),
            "standard_error": round(float(change.std() / np.sqrt(len(change))), 4),
        }
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
