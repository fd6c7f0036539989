"""Speed and memory of the default pipeline on a folder of articles (not part of the test run).

Measures, in one process:

- throughput: articles/s of ``Pipeline.pipe`` over every article of the folder;
- latency: p50/p90 of ``propwatch.api.analyze`` on single articles (ms);
- peak RSS of the process (MB);
- overhead: pipeline time divided by the time of the bare encoder forward (tokenize + ONNX
  run of the technique model's MiniLM over the same windows);
- the same in CPU seconds (summed over threads), which other processes on a shared machine
  do not inflate, and the 1-minute load average at the end.

Usage::

    python bench/techniques_speed.py ../shared/data/ptc2020/test-articles --threads 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

import numpy as np

from propwatch import api
from propwatch.models.techniques import TechniqueTagger
from propwatch.models.techniques.windows import tokenize, window_batch, window_starts
from propwatch.text.article import Article


def read_folder(folder: Path) -> list[Article]:
    return [
        Article(id=p.stem.removeprefix("article"), text=p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.txt"))
    ]


def encoder_seconds(tagger: TechniqueTagger, articles: list[Article]) -> float:
    """Wall time of tokenizing and running the bare encoder over every article's windows."""
    window, stride = int(tagger.config_["window"]), int(tagger.config_["stride"])
    started = time.perf_counter()
    for article in articles:
        tokens = tokenize(tagger.tokenizer_, article.text)
        starts = window_starts(len(tokens), window, stride)
        if not starts:
            continue
        ids, mask = window_batch(tokens.ids, starts, window, tagger.cls_id_, tagger.sep_id_)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        tagger.session_.run(["last_hidden_state"], feed)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scheme", default="semeval2023")
    parser.add_argument("--latency-articles", type=int, default=30)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0: auto)")
    args = parser.parse_args()
    articles = read_folder(args.folder)
    pipeline = api.load_pipeline(scheme=args.scheme)
    for component in pipeline.components:
        if component.name == "techniques":
            component.threads = args.threads  # type: ignore[attr-defined]
    pipeline(articles[0])  # load models once, outside the timings

    started, cpu_started = time.perf_counter(), time.process_time()
    for _analysis in pipeline.pipe(articles):
        pass
    pipeline_seconds = time.perf_counter() - started
    pipeline_cpu = time.process_time() - cpu_started

    latencies, cpu_latencies = [], []
    for article in articles[: args.latency_articles]:
        begin, cpu_begin = time.perf_counter(), time.process_time()
        api.analyze(article, pipeline)
        latencies.append((time.perf_counter() - begin) * 1000)
        cpu_latencies.append((time.process_time() - cpu_begin) * 1000)

    tagger = TechniqueTagger(threads=args.threads).load()
    bare = encoder_seconds(tagger, articles)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "articles": len(articles),
        "characters": sum(len(a.text) for a in articles),
        "pipeline": pipeline.names,
        "articles_per_second": round(len(articles) / pipeline_seconds, 2),
        "latency_ms_p50": round(statistics.median(latencies), 1),
        "latency_ms_p90": round(float(np.percentile(latencies, 90)), 1),
        "peak_rss_mb": round(peak_mb, 1),
        "encoder_seconds": round(bare, 2),
        "pipeline_seconds": round(pipeline_seconds, 2),
        "pipeline_over_encoder": round(pipeline_seconds / bare, 2),
        # CPU time (all threads) does not depend on what else runs on the machine
        "pipeline_cpu_seconds": round(pipeline_cpu, 2),
        "articles_per_cpu_second": round(len(articles) / pipeline_cpu, 2),
        "latency_cpu_ms_p50": round(statistics.median(cpu_latencies), 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
