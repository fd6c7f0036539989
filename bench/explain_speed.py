"""Cost of explaining technique spans (``propwatch analyze --explain``), per span shown.

Analyses the articles of a folder with ``text`` and ``techniques``, then times the
``explain`` component's occlusion on every span scored at least ``--min-confidence`` (the
spans a reader is shown), one span at a time, as the article page asks for them. Prints the
milliseconds per span (mean, p50, p90, max), the words masked per span, and the 1-minute load
average at the end, since other processes on a shared machine inflate wall times.

Usage::

    nice python bench/explain_speed.py ../shared/data/ptc2020/test-articles --limit 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from propwatch import api, registry
from propwatch.io.labels.tsv import read_text
from propwatch.text.analysis import TECHNIQUES
from propwatch.text.article import Article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=20, help="articles, first by file name")
    parser.add_argument("--min-confidence", type=float, default=0.4)
    args = parser.parse_args()
    paths = sorted(args.folder.glob("*.txt"))[: args.limit]
    pipeline = api.load_pipeline(components=["text", "techniques"])
    articles = [Article(id=p.stem, text=read_text(p)) for p in paths]
    explain = registry.components.get("explain")()
    explain.tagger()  # loaded before timing
    times, words = [], []
    for analysis in api.analyze_articles(articles, pipeline, min_confidence=args.min_confidence):
        for span in analysis.layer(TECHNIQUES):
            start = time.perf_counter()
            weights = explain.explain_span(analysis, span)
            times.append(1000 * (time.perf_counter() - start))
            words.append(len(weights))
    deciles = statistics.quantiles(times, n=10)
    print(
        f"{len(times)} spans in {len(paths)} articles: ms per span "
        f"mean {statistics.mean(times):.0f}, p50 {statistics.median(times):.0f}, "
        f"p90 {deciles[8]:.0f}, max {max(times):.0f}; "
        f"words masked per span mean {statistics.mean(words):.1f}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
