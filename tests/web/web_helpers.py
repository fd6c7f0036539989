"""Shared pieces of the web tests: team-written articles and a light, deterministic pipeline
that lets tests assert exact spans without loading models."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

import uvicorn
from alembic import command
from fastapi import FastAPI

from propwatch.db.engine import alembic_config, make_engine
from propwatch.errors import InputError
from propwatch.pipeline import Component, Pipeline
from propwatch.settings import Settings
from propwatch.text.analysis import QUOTES, TECHNIQUES, Analysis
from propwatch.text.span import Span
from propwatch.web.workers import AnalysisPool, PipelineFactory

POSTGRES_URL = os.environ.get("PROPWATCH_TEST_POSTGRES_URL")

# Team-written test articles.
ARTICLE = (
    "Council vote sparks anger\n\n"
    "The corrupt elites on the council ignored everyone again. "
    '"This is a disaster for our town," said Mayor Jane Park.'
)
# (technique, category) for each phrase the keyword tagger marks.
KEYWORDS = {
    "corrupt elites": ("Name_Calling-Labeling", "attack on reputation"),
    "corrupt": ("Loaded_Language", "manipulative wording"),
    "disaster": ("Loaded_Language", "manipulative wording"),
    "everyone": ("Exaggeration-Minimisation", "manipulative wording"),
}
_QUOTE = re.compile(r'"([^"]+)"')


class KeywordTagger(Component):
    """Marks fixed phrases as techniques and "..." as quotes by Mayor Jane Park."""

    name = "keywords"
    assigns: ClassVar[tuple[str, ...]] = (TECHNIQUES, QUOTES, "genre", "narratives")
    version = "test-1"

    def __call__(self, analysis: Analysis) -> Analysis:
        text = analysis.text
        spans = [
            Span(m.start(), m.end(), technique, 0.75, {"category": category, "voice": "author"})
            for phrase, (technique, category) in KEYWORDS.items()
            for m in re.finditer(rf"\b{phrase}\b", text, flags=re.IGNORECASE)
        ]
        analysis.set_layer(TECHNIQUES, spans)
        quotes = [
            Span(m.start(1), m.end(1), "direct", 1.0, {"speaker": "Jane Park"})
            for m in _QUOTE.finditer(text)
        ]
        analysis.set_layer(QUOTES, quotes)
        analysis.labels["genre"] = "opinion"
        analysis.labels["narratives"] = (
            [
                {
                    "narrative": "Distrust of officials",
                    "subnarratives": [],
                    "score": 0.9,
                    "evidence": [[spans[0].start, spans[0].end]],
                }
            ]
            if spans
            else []
        )
        return analysis


SLEEP_S = 30.0


class Saboteur(Component):
    """Misbehaves on cue: "SLOW" sleeps ``SLEEP_S`` (a runaway analysis), "REFUSE" raises an
    input error, "BUG" a bug's exception, "DIE" ends the process (as the kernel's
    out-of-memory killer would)."""

    name = "saboteur"
    assigns: ClassVar[tuple[str, ...]] = ()
    version = "test-1"

    def __call__(self, analysis: Analysis) -> Analysis:
        if "SLOW" in analysis.text:
            time.sleep(SLEEP_S)
        if "REFUSE" in analysis.text:
            raise InputError(analysis.article.id, "refused by the saboteur")
        if "BUG" in analysis.text:
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        if "DIE" in analysis.text:
            os._exit(9)
        return analysis


def light_pipeline() -> Pipeline:
    """The keyword tagger alone; module-level so that worker processes can unpickle it."""
    return Pipeline([KeywordTagger()])


def sabotaged_pipeline() -> Pipeline:
    """The keyword tagger behind the :class:`Saboteur`."""
    return Pipeline([Saboteur(), KeywordTagger()])


def light_pool(
    build: PipelineFactory = light_pipeline,
    *,
    workers: int = 2,
    queue: int = 64,
    timeout_s: float = 60,
) -> AnalysisPool:
    return AnalysisPool(build, workers=workers, queue=queue, timeout_s=timeout_s)


def reset_postgres(url: str) -> None:
    """Drop every propwatch table so each test starts from an empty database."""
    engine = make_engine(url)
    command.downgrade(alembic_config(engine), "base")
    engine.dispose()


def make_settings(database_url: str, **overrides: object) -> Settings:
    return Settings(database_url=database_url, **overrides)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A uvicorn server on 127.0.0.1 running in a thread."""

    url: str
    app: FastAPI


@contextmanager
def serve(app: FastAPI) -> Iterator[LiveServer]:
    """Run ``app`` with uvicorn on a free local port for the duration of the block."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# A name-calling sentence written for the explanation tests, and its slur.
SLUR_TEXT = (
    "Harbour plan divides town\n"
    "Residents met on Monday to discuss the harbour plan. Councillor Ben Dorne said the "
    "developers are greedy vultures and liars. The meeting ended at nine.\n"
)
SLUR = "greedy vultures and liars"


def slur_analysis() -> Analysis:
    """An analysis of :data:`SLUR_TEXT` whose one technique span is the slur, as the shipped
    technique model marks it (semeval2023 scheme)."""
    from propwatch.text.article import Article

    analysis = Analysis(Article(id="harbour", text=SLUR_TEXT))
    start = SLUR_TEXT.index(SLUR)
    span = Span(start, start + len(SLUR), "Name_Calling-Labeling", 0.47)
    analysis.set_layer(TECHNIQUES, [span])
    analysis.labels["scheme"] = "semeval2023"
    return analysis
