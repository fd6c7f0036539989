"""Check that a speed change left the default pipeline's outputs as they were (not a test).

``save`` analyses every ``*.txt`` of a folder with the default pipeline and writes one JSON line
per article (every layer and label; the component versions are left out, since a speed change
may bump them without changing what they write). ``compare`` reports, per layer or label, how
many articles differ between two such files, and exits with status 1 when any does::

    python bench/pipeline_outputs.py save ../shared/data/ptc2020/dev-articles before.jsonl
    # ... change the code ...
    python bench/pipeline_outputs.py save ../shared/data/ptc2020/dev-articles after.jsonl
    python bench/pipeline_outputs.py compare before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from propwatch import api
from propwatch.text.article import Article


def save(folder: Path, out: Path) -> None:
    pipeline = api.load_pipeline()
    paths = sorted(folder.glob("*.txt"))
    articles = (Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in paths)
    with out.open("w", encoding="utf-8") as stream:
        for analysis in pipeline.pipe(articles):
            stream.write(json.dumps(analysis.to_dict(exclude=["models"]), sort_keys=True) + "\n")
    print(f"{len(paths)} analyses written to {out}")


def parts(line: str) -> dict[str, Any]:
    """Each span layer and each label of one saved analysis, by name."""
    data = json.loads(line)
    named = {f"spans.{k}": v for k, v in data["spans"].items()}
    named.update({f"labels.{k}": v for k, v in data["labels"].items()})
    named["article"] = data["article"]
    return named


def compare(before: Path, after: Path) -> int:
    old = before.read_text(encoding="utf-8").splitlines()
    new = after.read_text(encoding="utf-8").splitlines()
    if len(old) != len(new):
        print(f"{len(old)} analyses before, {len(new)} after")
        return 1
    differing: Counter[str] = Counter()
    for a, b in zip(old, new, strict=True):
        first, second = parts(a), parts(b)
        for name in sorted(first.keys() | second.keys()):
            if first.get(name) != second.get(name):
                differing[name] += 1
    names = sorted({name for line in old[:1] for name in parts(line)} | set(differing))
    for name in names:
        print(f"{name:32} {differing[name]:3d} of {len(old)} articles differ")
    return 1 if differing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save")
    saving.add_argument("folder", type=Path)
    saving.add_argument("out", type=Path)
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "save":
        save(args.folder, args.out)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
