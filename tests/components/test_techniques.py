"""The techniques component and the research-format commands, with the shipped model."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from propwatch import api, registry
from propwatch.cli.main import app
from propwatch.components.technique_model import default_tagger
from propwatch.eval.result import EvalOptions
from propwatch.eval.runner import evaluate
from propwatch.io.labels.semeval2020 import SpanLabel
from propwatch.models.techniques import TechniqueTagger
from propwatch.pipeline import Pipeline
from propwatch.schemes import load_scheme
from propwatch.text.analysis import TECHNIQUES
from propwatch.text.article import Article
from propwatch.text.span import Span

EXAMPLE = api.example_path().read_text(encoding="utf-8")
OWN_ARTICLE = (
    "Council Approves Harbour Plan\n\n"
    "The council approved the harbour plan on Monday by seven votes to two.\n"
    "One councillor called the plan a shameless giveaway to greedy developers.\n"
    "\n"
    "Supporters said the new quay would bring hundreds of jobs to the town.\n"
)

# Spans the shipped model finds in the example article (semeval2023 scheme), as
# (start, end, technique, named by): "run" spans get their technique from the span head,
# "fragment" spans are the parts of a run whose own probability of another technique passes
# the model's "technique" threshold. Update together with the model and its MODEL_CARD.md.
EXPECTED_EXAMPLE: list[tuple[int, int, str, str]] = [
    (147, 161, "Name_Calling-Labeling", "run"),  # "Quiet Republic", a film title: a false alarm
    (394, 435, "Loaded_Language", "run"),  # "an unchallenged platform ..."
    (638, 832, "Doubt", "run"),  # "him a dictator because he refuses ..."
    (642, 652, "Name_Calling-Labeling", "fragment"),  # "a dictator"
    (746, 830, "Name_Calling-Labeling", "fragment"),
    (748, 782, "Flag_Waving", "fragment"),  # "patriot who loves his country more"
    (834, 1055, "Appeal_to_Authority", "run"),  # "Asked about the jailed opposition figures ..."
    (846, 875, "Name_Calling-Labeling", "fragment"),
    (945, 1013, "Doubt", "fragment"),  # "What about the people rotting in our own prisons ..."
    (975, 985, "Appeal_to_Hypocrisy", "fragment"),  # "in our own"
    (1040, 1045, "Loaded_Language", "fragment"),  # "sleep"
    (1214, 1282, "Red_Herring", "run"),  # "... was a puppet of someone"
    (1255, 1261, "Name_Calling-Labeling", "fragment"),  # "puppet"
    (1302, 1375, "Doubt", "run"),
    (1751, 1801, "Doubt", "run"),  # "who is paying these so-called human rights experts"
    (1817, 1935, "Doubt", "run"),  # "Are they really independent? ..."
    (1980, 2143, "Obfuscation-Vagueness-Confusion", "run"),  # "the only thing standing ..."
    (2050, 2055, "Loaded_Language", "fragment"),  # "chaos"
    (2341, 2356, "Loaded_Language", "run"),  # "can take a side"
    (2345, 2351, "Appeal_to_Authority", "fragment"),  # "take a": a false alarm
]


@pytest.fixture(scope="module")
def pipeline_2023() -> Pipeline:
    return Pipeline.from_names(["text", "techniques"], {"techniques": {"scheme": "semeval2023"}})


# Two techniques within this probability of each other are a tie that onnxruntime builds and
# CPUs may break either way (e.g. 0.3126 Repetition vs 0.3116 Loaded_Language at 1773-1801).
TIE = 0.01


def test_example_article_spans_are_stable(pipeline_2023: Pipeline) -> None:
    analysis = pipeline_2023(Article(id="example", text=EXAMPLE))
    found = analysis.layer(TECHNIQUES)
    assert [(s.start, s.end) for s in found] == [(a, b) for a, b, _, _ in EXPECTED_EXAMPLE]
    tagger = default_tagger()
    names = tagger.layout_.techniques["semeval2023"]
    dists = tagger.classify(EXAMPLE, [(s.start, s.end) for s in found], "semeval2023")
    for span, dist, (_, _, expected, named_by) in zip(found, dists, EXPECTED_EXAMPLE, strict=True):
        assert ("runner_up" in span.attrs) == (named_by == "run"), span
        if span.label != expected:
            assert named_by == "run", (span, expected)
            assert dist[names.index(expected)] >= dist.max() - TIE, (span, expected)


def test_spans_carry_category_definition_and_sentence(pipeline_2023: Pipeline) -> None:
    analysis = pipeline_2023(Article(id="example", text=EXAMPLE))
    scheme = load_scheme("semeval2023")
    assert analysis.labels["scheme"] == "semeval2023"
    for span in analysis.layer(TECHNIQUES):
        technique = scheme.technique(span.label)
        assert span.attrs["category"] == technique.category
        assert span.attrs["definition"] == technique.definition
        start, end = span.attrs["sentence"]
        assert start <= span.start < end  # the sentence holds the span's start
        assert 0.0 < span.score <= 1.0
        # A run's runner-up is another technique of the scheme, no more likely than the label
        # (fragments name none: their other techniques are spans of their own).
        if "runner_up" in span.attrs:
            assert scheme.technique(span.attrs["runner_up"]).name != span.label
            assert 0.0 <= span.attrs["runner_up_score"] <= span.score


def test_empty_article_has_no_techniques(pipeline_2023: Pipeline) -> None:
    analysis = pipeline_2023(Article(id="empty", text=""))
    assert analysis.layer(TECHNIQUES) == []
    tagger = TechniqueTagger().load()
    assert tagger.detect("", "semeval2020") == []
    assert tagger.classify("", [], "semeval2020").shape == (0, 14)


def test_span_score_blends_both_schemes_and_the_strongest_technique() -> None:
    tagger = TechniqueTagger().load()
    encoded = tagger.encode(OWN_ARTICLE)
    layout, probs = tagger.layout_, encoded.probs
    own = probs[:, layout.any_column("semeval2020")]
    blend = (
        own
        + probs[:, layout.any_column("semeval2023")]
        + probs[:, layout.technique_columns("semeval2020")].max(axis=1)
    ) / 3
    assert tagger.config_["span_score"] == "blend"
    assert tagger.span_scores(encoded, "semeval2020") == pytest.approx(blend, abs=1e-6)
    tagger.config_["span_score"] = "own"  # any other value: the scheme's own column
    assert tagger.span_scores(encoded, "semeval2020") == pytest.approx(own)


def test_long_article_is_read_whole() -> None:
    tagger = TechniqueTagger().load()
    text = "\n\n".join([EXAMPLE] * 4)
    encoded = tagger.encode(text)
    assert len(encoded.tokens) > 2000  # several 128-token windows
    assert encoded.hidden.shape[0] == len(encoded.tokens)
    last_copy = len(text) - len(EXAMPLE)
    found = tagger.detect(text, "semeval2023", encoded)
    assert all(0 <= d.start < d.end <= len(text) for d in found)
    assert any(d.start >= last_copy for d in found)


def test_unknown_scheme_is_one_line_error() -> None:
    tagger = TechniqueTagger().load()
    with pytest.raises(KeyError, match="unknown technique-model scheme 'nope'"):
        tagger.check_scheme("nope")


@pytest.fixture(scope="module")
def article_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    (folder / "article7001.txt").write_text(EXAMPLE, encoding="utf-8")
    (folder / "article7002.txt").write_text(OWN_ARTICLE, encoding="utf-8")
    return folder


def _run(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def test_semeval2020_files_are_accepted_by_the_scorers(article_dir: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold.tsv"
    gold.write_text("7002\tLoaded_Language\t135\t144\n7002\tName_Calling,Labeling\t157\t174\n")
    _run(
        "analyze",
        str(article_dir),
        "--scheme",
        "semeval2020",
        "--format",
        "semeval-si",
        "-o",
        str(tmp_path / "si.tsv"),
        "-q",
    )
    _run(
        "analyze",
        str(article_dir),
        "--scheme",
        "semeval2020",
        "--format",
        "semeval-flc",
        "-o",
        str(tmp_path / "flc.tsv"),
        "-q",
    )
    clowns = EXAMPLE.index("Washington clowns")
    gold.write_text(f"7001\tName_Calling,Labeling\t{clowns}\t{clowns + 17}\n" + gold.read_text())
    gold_si = tmp_path / "gold-si.tsv"
    gold_si.write_text(f"7001\t{clowns}\t{clowns + 17}\n7002\t135\t144\n7002\t157\t174\n")
    predicted = len((tmp_path / "si.tsv").read_text().splitlines())
    # a fragment with several techniques, or inside another span, is one SI row
    assert len((tmp_path / "flc.tsv").read_text().splitlines()) > predicted > 0
    score = evaluate("si", tmp_path / "si.tsv", gold_si)
    assert score.counts == {"predicted_spans": predicted, "gold_spans": 3}
    assert evaluate("flc", tmp_path / "flc.tsv", gold).kind == "flc"


def test_classify_fills_a_template_the_tc_scorer_accepts(article_dir: Path, tmp_path: Path) -> None:
    assert (OWN_ARTICLE[135:144], OWN_ARTICLE[157:174]) == ("shameless", "greedy developers")
    template = tmp_path / "template.tsv"
    template.write_text("7002\t?\t135\t144\n7002\t?\t157\t174\n")
    out = tmp_path / "tc.tsv"
    _run(
        "classify",
        "--spans",
        str(template),
        "--articles",
        str(article_dir),
        "--scheme",
        "semeval2020",
        "-o",
        str(out),
    )
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert [(r[0], r[2], r[3]) for r in rows] == [("7002", "135", "144"), ("7002", "157", "174")]
    names = set(load_scheme("semeval2020").names)
    assert all(r[1] in names for r in rows)
    gold = tmp_path / "gold.tsv"
    gold.write_text("7002\tLoaded_Language\t135\t144\n7002\tName_Calling,Labeling\t157\t174\n")
    assert evaluate("tc", out, gold).kind == "tc"


def test_a_span_listed_twice_gets_its_two_most_probable_techniques() -> None:
    start = OWN_ARTICLE.index("shameless giveaway")
    row = SpanLabel("7002", Span(start, start + len("shameless giveaway")))
    tagger = default_tagger()
    filled = api.classify_template({"7002": OWN_ARTICLE}, [row, row], "semeval2020", tagger)
    dist = tagger.classify(OWN_ARTICLE, [(row.span.start, row.span.end)], "semeval2020")
    names = tagger.layout_.techniques["semeval2020"]
    ranked = [names[int(i)] for i in np.argsort(-dist[0], kind="stable")[:2]]
    assert [f.span.label for f in filled] == ranked
    assert ranked[0] != ranked[1]


def test_st3_file_is_accepted_by_the_scorer(article_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "st3.txt"
    _run(
        "analyze",
        str(article_dir),
        "--scheme",
        "semeval2023",
        "--format",
        "semeval2023-st3",
        "-o",
        str(out),
        "-q",
    )
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert [(r[0], r[1]) for r in rows if r[0] == "7002"] == [
        ("7002", "1"),
        ("7002", "3"),
        ("7002", "4"),
        ("7002", "6"),
    ]
    gold = tmp_path / "gold.txt"
    gold.write_text("".join(f"{r[0]}\t{r[1]}\t\n" for r in rows))
    classes = tuple(load_scheme("semeval2023").names)
    assert evaluate("st3", out, gold, EvalOptions(classes=classes)).kind == "st3"


def test_paragraph_techniques_feed_the_st3_rows(pipeline_2023: Pipeline) -> None:
    analysis = pipeline_2023(Article(id="example", text=EXAMPLE))
    listed = analysis.labels["paragraph_techniques"]
    lines = {p.attrs["line"] for p in analysis.layer("paragraphs")}
    names = set(load_scheme("semeval2023").names)
    assert listed and all(item["line"] in lines for item in listed)
    assert all(set(item["techniques"]) <= names for item in listed)
    assert all(len(item["techniques"]) == len(item["scores"]) for item in listed)
    stream = io.StringIO()
    registry.writers.get("semeval2023-st3").write([analysis], stream)
    by_line = {int(r.split("\t")[1]): r.split("\t")[2] for r in stream.getvalue().splitlines()}
    assert by_line == {
        line: ",".join(sorted(next((i["techniques"] for i in listed if i["line"] == line), [])))
        for line in sorted(lines)
    }
