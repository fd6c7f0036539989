"""The per-component profile (bench/pipeline_profile.py prints it for the default pipeline)."""

from __future__ import annotations

from propwatch.pipeline import Component, Pipeline
from propwatch.pipeline.profile import ComponentProfile, format_table, profile_pipeline
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span


class Words(Component):
    name = "words"
    assigns = ("words",)

    def predict(self, analysis: Analysis) -> list[Span]:
        text, spans, start = analysis.text, [], 0
        for word in text.split(" "):
            spans.append(Span(start, start + len(word), "word"))
            start += len(word) + 1
        return spans

    def set_annotations(self, analysis: Analysis, results: list[Span]) -> None:
        analysis.set_layer("words", results)


class Longest(Component):
    name = "longest"
    requires = ("words",)

    def predict(self, analysis: Analysis) -> int:
        return max(len(span) for span in analysis.layer("words"))

    def set_annotations(self, analysis: Analysis, results: int) -> None:
        analysis.labels["longest"] = results


ARTICLES = [
    Article(id="1", text="The mayor opened the new bridge on Monday"),
    Article(id="2", text="Rain is expected all week"),
]


def test_every_component_is_profiled_in_order_over_every_article() -> None:
    profiles = profile_pipeline(Pipeline([Words(), Longest()]), ARTICLES)
    assert [p.name for p in profiles] == ["words", "longest"]
    assert all(p.wall_s >= 0 and p.cpu_s >= 0 and p.traced_peak_mb is None for p in profiles)
    traced = profile_pipeline(Pipeline([Words(), Longest()]), ARTICLES, allocations=True)
    assert all(p.traced_peak_mb is not None and p.traced_peak_mb > 0 for p in traced)


def test_the_table_has_a_row_per_component_with_its_share_and_a_total() -> None:
    profiles = [
        ComponentProfile("text", 3.0, 2.5, 40.0, 12.5),
        ComponentProfile("techniques", 1.0, 2.5, 0.0, 0.0),
    ]
    assert format_table(profiles, 10).splitlines() == [
        "component   wall s  wall %  cpu s  cpu %  ms/article  rss +MB  peak +MB",
        "text          3.00    75.0   2.50   50.0       300.0     40.0      12.5",
        "techniques    1.00    25.0   2.50   50.0       100.0      0.0       0.0",
        "total         4.00   100.0   5.00  100.0       400.0",
    ]
    traced = [ComponentProfile("text", 1.0, 1.0, 0.0, 0.0, 7.25)]
    assert format_table(traced, 1).splitlines()[0].endswith("peak +MB  traced MB")
    assert format_table(traced, 1).splitlines()[1].endswith("7.2")
