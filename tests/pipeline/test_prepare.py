"""Components that prepare from the text alone: started when the article enters the pipeline."""

from __future__ import annotations

import threading

from propwatch.pipeline import Component, Pipeline
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article


class Parse(Component):
    """Stands for the text component: the slow step that the preparation overlaps."""

    name = "parse"
    assigns = ("parsed",)

    def __init__(self, prepared: threading.Event) -> None:
        self.prepared_meanwhile = prepared
        self.overlapped: list[bool] = []

    def __call__(self, analysis: Analysis) -> Analysis:
        # the preparation of this article finishes while this component is still working
        self.overlapped.append(self.prepared_meanwhile.wait(timeout=10))
        self.prepared_meanwhile.clear()
        analysis.labels["parsed"] = True
        return analysis


class Shout(Component):
    """Prepares the upper-cased text and writes it once the parse is there."""

    name = "shout"
    requires = ("parsed",)

    def __init__(self, done: threading.Event) -> None:
        self.done = done
        self.threads: list[str] = []

    def prepares_early(self, analysis: Analysis) -> bool:
        return len(analysis.text) <= 20  # longer texts are prepared when their turn comes

    def prepare(self, analysis: Analysis) -> str:
        self.threads.append(threading.current_thread().name)
        self.done.set()
        return analysis.text.upper()

    def __call__(self, analysis: Analysis) -> Analysis:
        analysis.labels["shout"] = self.prepared(analysis)
        return analysis


ARTICLES = [Article(id="1", text="Polls close at eight"), Article(id="2", text="Counting starts")]


def test_the_preparation_runs_in_the_background_while_earlier_components_work() -> None:
    done = threading.Event()
    parse, shout = Parse(done), Shout(done)
    analyses = list(Pipeline([parse, shout]).pipe(ARTICLES))
    assert [a.labels["shout"] for a in analyses] == ["POLLS CLOSE AT EIGHT", "COUNTING STARTS"]
    assert parse.overlapped == [True, True]
    assert [name.startswith("propwatch-prepare") for name in shout.threads] == [True, True]
    assert all("shout.prepared" not in a.cache for a in analyses)


def test_a_text_too_long_to_prepare_early_is_prepared_when_its_turn_comes() -> None:
    no_wait = threading.Event()
    no_wait.set()
    shout = Shout(threading.Event())
    article = Article(id="4", text="Turnout was the highest in forty years")
    (analysis,) = Pipeline([Parse(no_wait), shout]).pipe([article])
    assert analysis.labels["shout"] == "TURNOUT WAS THE HIGHEST IN FORTY YEARS"
    assert shout.threads == [threading.current_thread().name]


def test_a_component_called_alone_prepares_on_the_spot() -> None:
    shout = Shout(threading.Event())
    analysis = shout(Analysis(Article(id="3", text="Recount ordered")))
    assert analysis.labels["shout"] == "RECOUNT ORDERED"
    assert shout.threads == [threading.current_thread().name]
