"""Per-component profile of the default pipeline on a folder of articles (not part of the tests).

Prints a table: for each component, wall and CPU seconds and their shares, milliseconds per
article, resident-set growth and peak growth (MB); with ``--allocations`` a second pass adds
the peak of Python-traced allocations (``tracemalloc``; its times are not used). Below it,
the parts of the two largest costs: the technique encoder's ONNX runs inside ``techniques``,
and each spaCy pipe inside ``text``. The 1-minute load average is printed at the start and end
(on a busy machine compare the CPU columns, which other processes do not inflate).

Usage::

    python bench/pipeline_profile.py ../shared/data/ptc2020/test-articles --threads 2
    python bench/pipeline_profile.py DIR --allocations --json profile.json
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propwatch import api
from propwatch.pipeline import Pipeline
from propwatch.pipeline.profile import format_table, peak_mb, profile_pipeline
from propwatch.text.article import Article
from propwatch.text.nlp import shared_model
from propwatch.text.threads import one_blas_thread

if TYPE_CHECKING:
    from spacy.tokens import Doc


def read_folder(folder: Path, limit: int | None) -> list[Article]:
    paths = sorted(folder.glob("*.txt"))[:limit]
    return [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in paths]


class TimedSession:
    """An onnxruntime session whose ``run`` calls add their wall and CPU time to a total."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.wall = self.cpu = 0.0

    def run(self, *args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return self.session.run(*args, **kwargs)
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def timed_encoder(pipeline: Pipeline) -> TimedSession | None:
    """Put a :class:`TimedSession` in place of the techniques component's encoder session."""
    for component in pipeline.components:
        if component.name == "techniques":
            tagger = component.tagger()  # type: ignore[attr-defined]
            tagger.session_ = TimedSession(tagger.session_)
            return tagger.session_  # type: ignore[no-any-return]
    return None


def _run_pipe(pipe: Any, batch_size: int, docs: list[Doc]) -> list[Doc]:
    return list(pipe.pipe(docs, batch_size=batch_size))


def spacy_parts(texts: list[str]) -> list[dict[str, Any]]:
    """Wall and CPU seconds of each part of the parse over the texts, one part at a time, as
    :class:`~propwatch.text.nlp.SpacyModel` runs them: spaCy's pipes but the attribute ruler
    and lemmatizer, then both of those at once (``attributes``, see ``text/spacy_speed.py``)."""
    model = shared_model()
    nlp, attributes = model.nlp, model.attributes
    wall, cpu = time.perf_counter(), time.process_time()
    docs = [doc for each in model.prepare_many(texts) for _, doc in each]
    parts = [("tokenizer", time.perf_counter() - wall, time.process_time() - cpu)]
    steps: list[tuple[str, Callable[[list[Doc]], list[Doc]]]] = [
        (name, functools.partial(_run_pipe, pipe, model.batch_size))
        for name, pipe in nlp.pipeline
        if name not in attributes.skipped
    ]
    steps.append(("attributes", lambda docs: list(attributes.pipe(docs))))
    with one_blas_thread():
        for name, step in steps:
            wall, cpu = time.perf_counter(), time.process_time()
            docs = step(docs)
            parts.append((name, time.perf_counter() - wall, time.process_time() - cpu))
    return [{"part": n, "wall_s": round(w, 3), "cpu_s": round(c, 3)} for n, w, c in parts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scheme", default="semeval2023")
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0: auto)")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--allocations", action="store_true", help="also trace allocations")
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    print(f"load average (1 min) at start: {load_start:.2f}")
    articles = read_folder(args.folder, args.limit)
    pipeline = api.load_pipeline(scheme=args.scheme)
    for component in pipeline.components:
        if component.name == "techniques":
            component.threads = args.threads  # type: ignore[attr-defined]
    wall = time.perf_counter()
    pipeline(articles[0])  # load every model once, outside the timings
    load_seconds = time.perf_counter() - wall
    encoder = timed_encoder(pipeline)

    profiles = profile_pipeline(pipeline, articles)
    # only this pass: in the streamed one the process's CPU time also counts the parse thread
    encoder_time = None if encoder is None else {"wall_s": encoder.wall, "cpu_s": encoder.cpu}
    if args.allocations:
        traced = profile_pipeline(pipeline, articles, allocations=True)
        profiles = [
            type(p)(p.name, p.wall_s, p.cpu_s, p.rss_growth_mb, p.peak_growth_mb, t.traced_peak_mb)
            for p, t in zip(profiles, traced, strict=True)
        ]
    print(f"{len(articles)} articles, {sum(len(a.text) for a in articles):,} characters")
    print(format_table(profiles, len(articles)))

    wall, cpu = time.perf_counter(), time.process_time()
    for _analysis in pipeline.pipe(articles):
        pass
    streamed = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}
    print(
        f"\nstreamed (Pipeline.pipe, parse overlapping the encoder): {streamed['wall_s']:.2f} s "
        f"wall, {streamed['cpu_s']:.2f} s CPU, {len(articles) / streamed['wall_s']:.2f} articles/s"
    )
    parts: dict[str, Any] = {}
    if encoder_time is not None:
        parts["encoder"] = encoder_time
        print(
            f"techniques: encoder ONNX runs {encoder_time['wall_s']:.2f} s wall, "
            f"{encoder_time['cpu_s']:.2f} s CPU"
        )
    parts["spacy"] = spacy_parts([a.text for a in articles])
    print(
        "text: spaCy pipes alone "
        + ", ".join(f"{p['part']} {p['wall_s']:.2f}/{p['cpu_s']:.2f}" for p in parts["spacy"])
        + " s (wall/CPU)"
    )
    load_end = os.getloadavg()[0]
    print(f"model loading {load_seconds:.2f} s; peak RSS {peak_mb():.0f} MB")
    print(f"load average (1 min) at end: {load_end:.2f}")
    if args.json:
        result = {
            "articles": len(articles),
            "characters": sum(len(a.text) for a in articles),
            "components": [p.to_dict() for p in profiles],
            "streamed": streamed,
            "parts": parts,
            "model_loading_s": load_seconds,
            "peak_rss_mb": peak_mb(),
            "load_average_1min": {"start": load_start, "end": load_end},
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
