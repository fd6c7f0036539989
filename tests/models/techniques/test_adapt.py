"""Adapting a tiny model to people's corrections: ``propwatch train techniques --from-model
DIR --annotations URL`` refits the heads on the training data and the annotated articles, and
scores the model before and after on the annotated articles it held out."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propwatch.annotations.formats.base import AnnotatedArticle
from propwatch.cli.main import app
from propwatch.db import repo
from propwatch.db.engine import make_engine, make_sessionmaker, upgrade
from propwatch.errors import PropwatchError
from propwatch.text.analysis import SCHEME_LABEL, TECHNIQUES, Analysis
from propwatch.text.annotation import Annotation
from propwatch.text.article import Article
from propwatch.text.span import Span
from propwatch.training.techniques.adapt import held_out_split, load_annotations

pytestmark = pytest.mark.slow

WHEN = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
# Articles a newsroom reviewed (written for this test): in each, the model marked "Monday"
# (wrong: rejected) and missed the loaded phrase, which the reviewer added.
REVIEWED = {
    f"desk-{n}": f"Harbour Story {n}\n\nOn Monday the council made a {phrase} of the harbour.\n"
    for n, phrase in enumerate(
        [
            "shameful disgrace",
            "disgraceful shambles",
            "shameful mess",
            "disgraceful farce",
            "shameful farce",
            "disgraceful mess",
            "shameful shambles",
            "disgraceful disgrace",
        ]
    )
}


def _phrase(text: str) -> tuple[int, int]:
    start = text.index("made a ") + len("made a ")
    return start, text.index(" of the")


@pytest.fixture(scope="module")
def reviewed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'desk.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        for key, text in REVIEWED.items():
            analysis = Analysis(Article(id=key, text=text))
            monday = text.index("Monday")
            analysis.set_layer(TECHNIQUES, [Span(monday, monday + 6, "Loaded_Language", 0.6)])
            analysis.labels[SCHEME_LABEL] = "semeval2023"
            row = repo.add_analysis(session, analysis)
            start, end = _phrase(text)
            repo.import_annotations(
                session,
                {
                    row.id: [
                        Annotation("technique", "reject", monday, monday + 6, ("Loaded_Language",)),
                        Annotation("technique", "add", start, end, ("Loaded_Language",), "ed"),
                    ]
                },
            )
    engine.dispose()
    return url


def test_the_corrected_spans_are_the_training_spans(reviewed_db: str) -> None:
    corpus = load_annotations(reviewed_db, "semeval2023")
    assert sorted(corpus.texts) == sorted(REVIEWED)
    text = REVIEWED["desk-0"]
    assert corpus.spans["desk-0"] == [(*_phrase(text), "Loaded_Language")]
    # An unreviewed prediction stays as the model gave it.
    article = AnnotatedArticle(
        "a",
        text,
        "semeval2023",
        (Span(0, 7, "Loaded_Language"), Span(0, 7, "Doubt")),
        (Annotation("technique", "relabel", 0, 7, ("Doubt",), "ed", WHEN),),
    )
    assert article.gold_spans() == [(0, 7, "Doubt")]
    assert held_out_split(sorted(REVIEWED), 0.25, 3) == (
        ["desk-0", "desk-1", "desk-2", "desk-3", "desk-4", "desk-5"],
        ["desk-6", "desk-7"],
    )


def test_adapting_scores_the_held_out_articles_before_and_after(
    trained: Path, tiny_corpus: Path, reviewed_db: str, tmp_path: Path
) -> None:
    out = tmp_path / "adapted"
    command = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(out)]
    options = ["--from-model", str(trained / "model"), "--annotations", reviewed_db, "--seed", "3"]
    result = CliRunner().invoke(app, [*command, *options])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "annotations" / "report.json").read_text())
    assert report["held_out"] == ["desk-6", "desk-7"]
    assert len(report["trained_on"]) == 6
    lines = [line for line in result.stdout.splitlines() if line.startswith("held-out")]
    assert [line.split(" ")[3] for line in lines] == ["st3", "st3_from_spans", "si", "flc", "tc"]
    # The reviewed lines' technique is found once the heads have seen the corrections.
    assert [report[when]["st3"]["metrics"]["micro_f1"] for when in ("before", "after")] == [
        0.0,
        1.0,
    ]
    assert lines[0] == "held-out annotated articles: st3 micro_f1 0.000 -> 1.000"
    assert (out / "model" / "heads.npz").is_file()


def test_annotations_need_a_model_to_adapt(
    trained: Path, tiny_corpus: Path, reviewed_db: str, tmp_path: Path
) -> None:
    command = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(tmp_path)]
    alone = CliRunner().invoke(app, [*command, "--annotations", reviewed_db])
    assert (alone.exit_code, alone.stderr) == (
        1,
        "propwatch: error: --annotations needs --from-model\n",
    )
    model = ["--from-model", str(trained / "model"), "--annotations", reviewed_db]
    both = CliRunner().invoke(app, [*command, *model, "--calibrate-only"])
    assert (both.exit_code, both.stderr) == (
        1,
        "propwatch: error: --annotations refits the heads; --calibrate-only keeps them\n",
    )
    other = CliRunner().invoke(app, [*command, *model, "--annotations-scheme", "semeval2020"])
    assert (other.exit_code, other.stderr) == (
        1,
        f"propwatch: error: {reviewed_db}: no article of scheme 'semeval2020' has technique "
        "span annotations\n",
    )
    seed = CliRunner().invoke(app, [*command, "--holdout-seed", "2"])
    assert (seed.exit_code, seed.stderr) == (
        1,
        "propwatch: error: --holdout-seed draws held-out annotated articles: add --annotations\n",
    )


def _paragraph_db(path: Path, keys: list[str]) -> str:
    """A database where ``desk-0`` has an added span and the others a paragraph label only."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        for key in keys:
            text = REVIEWED[key]
            analysis = Analysis(Article(id=key, text=text))
            analysis.labels[SCHEME_LABEL] = "semeval2023"
            row = repo.add_analysis(session, analysis)
            body = text.index("On Monday")
            if key == "desk-0":
                note = Annotation("technique", "add", *_phrase(text), ("Loaded_Language",))
            else:
                end = text.index("\n", body)
                note = Annotation("paragraph", "relabel", body, end, ("Loaded_Language",))
            repo.import_annotations(session, {row.id: [note]})
    engine.dispose()
    return url


def test_paragraph_labels_alone_cannot_train_span_heads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mixed = _paragraph_db(tmp_path / "mixed.db", ["desk-0", "desk-1", "desk-2"])
    assert sorted(load_annotations(mixed, "semeval2023").texts) == ["desk-0"]
    assert caplog.messages == [
        "2 annotated articles have paragraph labels only: paragraph labels name no span, so "
        "they cannot train the span heads; left out"
    ]
    alone = _paragraph_db(tmp_path / "alone.db", ["desk-1"])
    with pytest.raises(PropwatchError) as refused:
        load_annotations(alone, "semeval2023")
    assert str(refused.value) == (
        f"{alone}: no article of scheme 'semeval2023' has technique span annotations; "
        "1 annotated articles have paragraph labels only: paragraph labels name no span, so "
        "they cannot train the span heads"
    )
