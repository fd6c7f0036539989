"""``propwatch train quotes`` on a tiny PolNeAR-style corpus written for this test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propwatch.api import load_pipeline
from propwatch.cli.main import app
from propwatch.components.quotes import QuoteTaggerComponent
from propwatch.text.article import Article

pytest.importorskip("torch")
pytestmark = pytest.mark.slow

PEOPLE = ["Mayor Ana Ruiz", "Senator Tom Beck", "Judge Mia Holt", "Chief Omar Diaz"]
CLAIMS = [
    "the bridge would reopen in May",
    "the budget had been cut twice",
    "the court would rule next week",
    "the new rules were unfair to farmers",
]
FILLER = "The city council met on Tuesday. Rain fell over the harbour all day."


def article(n: int) -> tuple[str, list[tuple[str, str, str]]]:
    """A short report and its attributions as (source, cue, content) fragments."""
    person, claim = PEOPLE[n % 4], CLAIMS[(n + 1) % 4]
    other = PEOPLE[(n + 2) % 4]
    quoted = f"We will not give up on {CLAIMS[n % 4].split()[1]}"
    text = (
        f"Report number {n}\n\n{FILLER} {person} said that {claim}. "
        f'"{quoted}," {other} told reporters. {FILLER}\n'
    )
    return text, [(person, "said", claim), (other, "told", f'"{quoted},"')]


def write_corpus(root: Path, split: str, numbers: range) -> None:
    """PolNeAR's layout: ``text/<id>.txt`` and ``attributions/<id>_<annotator>.ann``."""
    (root / split / "text").mkdir(parents=True)
    (root / split / "attributions").mkdir(parents=True)
    for n in numbers:
        text, attributions = article(n)
        (root / split / "text" / f"story{n}.txt").write_text(text, encoding="utf-8")
        lines, t = [], 0
        for e, (source, cue, content) in enumerate(attributions, start=1):
            ids = []
            for kind, fragment in (("Source", source), ("Cue", cue), ("Content", content)):
                start = text.index(fragment)
                t += 1
                lines.append(f"T{t}\t{kind} {start} {start + len(fragment)}\t{fragment}")
                ids.append(f"T{t}")
            t += 1
            cue_at = text.index(cue)
            lines.append(f"T{t}\tAttribution {cue_at} {cue_at + len(cue)}\t{cue}")
            lines.append(f"E{e}\tAttribution:T{t} Content:{ids[2]} Cue:{ids[1]} Source:{ids[0]}")
        ann = root / split / "attributions" / f"story{n}_4e07.ann"
        ann.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    write_corpus(data / "polnear", "train", range(24))
    write_corpus(data / "polnear", "dev", range(24, 30))
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        app, ["train", "quotes", "--data", str(data), "--out", str(out), "--epochs", "2"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_training_writes_a_model_folder_with_its_card(trained: Path) -> None:
    model = trained / "model"
    assert sorted(p.name for p in model.iterdir()) == [
        "MODEL_CARD.md",
        "content_tagger.onnx",
        "meta.json",
    ]
    meta = json.loads((model / "meta.json").read_text())
    assert meta["training"] == {"data": "PolNeAR train", "articles": 24}
    assert meta["sure"] in (0.5, 0.6, 0.7, 0.8, 0.9)
    card = (model / "MODEL_CARD.md").read_text()
    assert "## Held-out PolNeAR train articles (8)" in card
    assert "## PolNeAR dev (6 articles, never fitted or tuned on)" in card


def test_training_scores_held_out_articles_and_dev(trained: Path) -> None:
    report = json.loads((trained / "report.json").read_text())
    for part in ("held_out", "dev"):
        scores = report[part]
        assert set(scores["with_tagger"]) == {
            "f1",
            "precision",
            "recall",
            "speaker_accuracy",
            "direct_f1",
        }
        assert 0.0 <= scores["rules"]["f1"] <= 1.0
        assert scores["f1_difference_se"] >= 0.0


def test_the_pipeline_runs_a_trained_tagger(trained: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPWATCH_QUOTE_MODEL_DIR", str(trained / "model"))
    text, _ = article(3)
    pipeline = load_pipeline(components=["text", "quotes", "techniques", "quote_tagger"])
    analysis = pipeline(Article(id="story3", text=text))
    # the component's version, then the digest of the trained model's files
    assert analysis.models["quote_tagger"].startswith(f"{QuoteTaggerComponent.version}+")
    assert all(q.label in ("direct", "indirect") for q in analysis.layer("quotes"))


def test_no_polnear_folder_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", "quotes", "--data", str(tmp_path), "--out", "o"])
    assert result.exit_code != 0
    assert "no PolNeAR training texts here" in result.output
