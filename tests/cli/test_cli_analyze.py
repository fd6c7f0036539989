"""``propwatch analyze`` as a user runs it: inputs, formats, bad files, exit codes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from propwatch import Analysis, Article, Span
from propwatch.api import keep_confident, load_pipeline, resolve_writer
from propwatch.errors import NotBuiltError, UnknownNameError
from propwatch.models.techniques.tagger import DEFAULT_MODEL_DIR
from propwatch.pipeline import Pipeline

Invoke = Callable[..., Result]  # the ``propwatch`` fixture of tests/cli/conftest.py


def test_a_bad_file_is_reported_and_the_good_ones_are_still_written(
    propwatch: Invoke, ptc_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    result = propwatch("analyze", ptc_folder, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == f"propwatch: error: {ptc_folder / 'article102.txt'}: empty file\n"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["article"]["id"] for d in data] == ["101", "103"]
    assert [d["article"]["title"] for d in data] == ["Harbour Plan Approved", "Ferry Returns"]
    paragraphs = data[0]["spans"]["paragraphs"]
    assert [(p["start"], p["end"], p["attrs"]["line"]) for p in paragraphs] == [
        (0, 21, 1),
        (23, 53, 3),
        (54, 75, 4),
    ]
    sentences = data[1]["spans"]["sentences"]
    assert [(s["start"], s["end"]) for s in sentences] == [(0, 13), (15, 37), (38, 56)]


def test_each_failing_input_gets_its_own_line(propwatch: Invoke, ptc_folder: Path) -> None:
    (ptc_folder / "article104.txt").write_bytes(b"\x00\x01binary")
    result = propwatch("analyze", ptc_folder, tmp_missing := ptc_folder / "nope.txt", "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"propwatch: error: {ptc_folder / 'article102.txt'}: empty file",
        f"propwatch: error: {ptc_folder / 'article104.txt'}: "
        "binary file (contains NUL bytes), not text",
        f"propwatch: error: {tmp_missing}: no such file or folder",
    ]
    assert [d["article"]["id"] for d in json.loads(result.stdout)] == ["101", "103"]


def test_all_good_inputs_exit_zero_and_dash_output_is_stdout(
    propwatch: Invoke, ptc_folder: Path
) -> None:
    result = propwatch("analyze", ptc_folder / "article101.txt", "-o", "-", "-f", "jsonl")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)["article"]["id"] == "101"


def test_stdin_is_read_with_a_dash(propwatch: Invoke) -> None:
    result = propwatch("analyze", "-", stdin="Short Title\n\nOne body line.\n")
    assert result.exit_code == 0
    [data] = json.loads(result.stdout)
    assert (data["article"]["id"], data["article"]["title"]) == ("stdin", "Short Title")


def test_example_article_is_analysed(propwatch: Invoke) -> None:
    result = propwatch("analyze", "--example")
    assert result.exit_code == 0, result.stderr
    [data] = json.loads(result.stdout)
    assert data["article"]["id"] == "article_director_interview"
    assert data["article"]["title"].startswith("Director Defends Four-Hour Interview")
    lines = [p["attrs"]["line"] for p in data["spans"]["paragraphs"]]
    assert lines == list(range(1, 24, 2))


def test_output_suffix_picks_the_format(propwatch: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = propwatch("analyze", "--example", "-o", out)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_ambiguous_suffix_asks_for_format(propwatch: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "predictions.txt"
    result = propwatch("analyze", "--example", "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"propwatch: error: {out}: cannot tell the output format from the suffix '.txt' (formats "
    )
    assert result.stderr.endswith("all use it); pass --format\n")
    assert not out.exists()


def test_unknown_format_lists_the_valid_ones(propwatch: Invoke) -> None:
    result = propwatch("analyze", "--example", "--format", "yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "propwatch: error: unknown format 'yaml'; choose one of: csv, html, json, jsonl, "
        "quotes-tsv, semeval-flc, semeval-si, semeval2023-st1, semeval2023-st2, semeval2023-st3, "
        "semeval2025-st1, semeval2025-st2\n"
    )


def test_unknown_scheme_lists_the_valid_ones(propwatch: Invoke) -> None:
    result = propwatch("analyze", "--example", "--scheme", "semeval2099")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "propwatch: error: unknown scheme 'semeval2099'; choose one of: "
    )


def test_no_input_is_a_usage_error(propwatch: Invoke) -> None:
    result = propwatch("analyze")
    assert result.exit_code == 2
    assert "give at least one PATH, or --example" in result.stderr


def test_a_format_whose_analysis_is_missing_says_so(propwatch: Invoke) -> None:
    pipeline = Pipeline([])
    with pytest.raises(NotBuiltError) as error:
        resolve_writer("quotes-tsv", pipeline)
    assert str(error.value) == (
        "format 'quotes-tsv' needs the quotes analysis, which this propwatch pipeline (empty) "
        "does not build yet"
    )
    if "quotes" not in {n for c in load_pipeline().components for n in c.assigns}:
        result = propwatch("analyze", "--example", "--format", "quotes-tsv")
        assert result.exit_code == 1
        assert result.stderr.startswith(
            "propwatch: error: format 'quotes-tsv' needs the quotes analysis"
        )


def test_help_teaches_with_examples(propwatch: Invoke) -> None:
    result = propwatch("analyze", "--help")
    assert result.exit_code == 0
    assert "propwatch analyze article123.txt --format html -o report.html" in result.stdout


def test_min_confidence_keeps_only_confident_techniques() -> None:
    analysis = Analysis(Article(id="1", text="abcdef"))
    analysis.set_layer("techniques", [Span(0, 2, "Doubt", 0.3), Span(2, 4, "Slogans", 0.7)])
    assert [s.label for s in keep_confident(analysis, 0.5).layer("techniques")] == ["Slogans"]


def test_the_scheme_reaches_components_that_take_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from propwatch import registry
    from propwatch.pipeline import Component

    class Takes(Component):
        name = "takes-scheme"

        def __init__(self, *, scheme: str = "none") -> None:
            self.scheme = scheme

    monkeypatch.setitem(registry.components._items, "takes-scheme", Takes)
    pipeline = load_pipeline(scheme="semeval2020", components=["takes-scheme"])
    assert [(c.name, getattr(c, "scheme", None)) for c in pipeline.components] == [
        ("takes-scheme", "semeval2020")
    ]
    with pytest.raises(UnknownNameError):
        load_pipeline(scheme="nope", components=["takes-scheme"])


def test_reader_options_choose_reader_and_id(propwatch: Invoke, tmp_path: Path) -> None:
    notes = tmp_path / "EN_UA_000001.md"
    notes.write_text("Some Title\n\nBody.\n", encoding="utf-8")
    result = propwatch("analyze", notes, "--input-format", "txt", "--id-from", "name")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["article"]["id"] == "EN_UA_000001.md"


def test_a_bad_reader_option_fails_before_any_output(propwatch: Invoke, tmp_path: Path) -> None:
    result = propwatch("analyze", tmp_path, "--id-from", "title")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "propwatch: error: unknown id rule 'title'; choose one of: auto, digits, name, stem\n"
    )


def test_html_report_of_a_hostile_article_shows_its_markup_as_text(
    propwatch: Invoke, tmp_path: Path
) -> None:
    hostile = tmp_path / "article666.txt"
    hostile.write_text(
        "<script>alert(1)</script> Title\n\n"
        '<img src=x onerror=alert(2)> and <a href="javascript:alert(3)">a link</a>.\n',
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    result = propwatch("analyze", hostile, "-o", out)
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and '<a href="javascript' not in html
    assert "<h2>&lt;script&gt;alert(1)&lt;/script&gt; Title</h2>" in html
    # technique highlights may cut the markup text into several marked segments
    assert "&lt;img src" in html and "onerror=alert(2)&gt;" in html


def test_explain_adds_the_words_that_weighed_most_and_only_when_asked(
    propwatch: Invoke, tmp_path: Path
) -> None:
    article = tmp_path / "harbour.txt"
    article.write_text(
        "Harbour plan divides town\nResidents met on Monday to discuss the harbour plan. "
        "Councillor Ben Dorne said the developers are greedy vultures and liars.\n",
        encoding="utf-8",
    )
    for flags, explained in (([], False), (["--explain"], True)):
        result = propwatch("analyze", article, "--components", "text,techniques", *flags)
        assert result.exit_code == 0, result.stderr
        (analysis,) = json.loads(result.stdout)
        text = analysis["article"]["text"]
        (span,) = [
            s
            for s in analysis["spans"]["techniques"]
            if "liars" in text[s["start"] : s["end"]] and s["label"] == "Name_Calling-Labeling"
        ]
        assert ("explain" in analysis["models"]) is explained
        if not explained:
            assert "weighed_words" not in span["attrs"]
            continue
        words = [text[w["start"] : w["end"]] for w in span["attrs"]["weighed_words"]]
        # a slur among the two words that weighed most (the model of 6 Dec evening puts the
        # speaker's name "Dorne", just before the span, first and "vultures" second)
        assert {"greedy", "vultures", "liars"} & set(words[:2])
        weights = [w["weight"] for w in span["attrs"]["weighed_words"]]
        assert weights == sorted(weights, reverse=True) and weights[-1] > 0


def test_model_option_runs_another_technique_model(
    propwatch: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --model sets the variable for the process; monkeypatch undoes that after the test
    monkeypatch.setenv("PROPWATCH_TECHNIQUE_MODEL_DIR", str(DEFAULT_MODEL_DIR))
    silent = tmp_path / "silent-model"
    shutil.copytree(DEFAULT_MODEL_DIR, silent)
    config = json.loads((silent / "config.json").read_text())
    for limits in config["thresholds"].values():
        limits["span"] = 1.01  # no token passes: this model finds no span at all
    (silent / "config.json").write_text(json.dumps(config))
    command = ["analyze", "--example", "--components", "text,techniques", "-o", "-"]
    (shipped,) = json.loads(propwatch(*command).stdout)
    assert len(shipped["spans"]["techniques"]) > 0
    (chosen,) = json.loads(propwatch(*command, "--model", str(silent)).stdout)
    assert chosen["spans"]["techniques"] == []
    assert len(chosen["spans"]["sentences"]) == len(shipped["spans"]["sentences"])


def test_model_option_needs_a_model_folder(
    propwatch: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROPWATCH_TECHNIQUE_MODEL_DIR", str(DEFAULT_MODEL_DIR))
    result = propwatch("analyze", "--example", "--model", str(tmp_path))
    assert result.exit_code == 1
    assert "not a technique model folder (config.json missing)" in result.output
