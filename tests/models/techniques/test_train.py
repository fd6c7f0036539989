"""Training on a tiny corpus with a tiny random encoder: train, export, tune and score."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from propwatch.cli.main import app
from propwatch.models.techniques import TechniqueTagger
from propwatch.models.techniques.calibration import FILE_NAME as CALIBRATION_FILE
from propwatch.models.techniques.calibration import RECURRENCE_FEATURES, SpanCalibration
from propwatch.training.techniques.tune import split_scores, tune_spans
from propwatch.training.techniques.validate import validate_checkthat

pytestmark = pytest.mark.slow


def test_training_writes_an_inference_model(trained: Path) -> None:
    model = trained / "model"
    assert sorted(p.name for p in model.iterdir()) == [
        "MODEL_CARD.md",
        "calibration.npz",
        "config.json",
        "encoder.onnx",
        "heads.npz",
        "token_head.onnx",
        "tokenizer.json",
    ]
    config = json.loads((model / "config.json").read_text())
    assert config["techniques"]["semeval2020"] == [
        "Loaded_Language",
        "Name_Calling,Labeling",
        "Repetition",
    ]
    assert config["encoder"] == {"name": "tiny-bert0", "layers": 1, "width": 32, "weights": "int8"}
    assert "Shared tiny-bert0 encoder (1-layer, 32 wide)" in (model / "MODEL_CARD.md").read_text()
    assert sorted(config["thresholds"]["semeval2023"]) == [
        "max_gap",
        "min_tokens",
        "paragraph",
        "span",
        "technique",
    ]


def test_training_validates_with_the_scorers(trained: Path) -> None:
    report = json.loads((trained / "val" / "report.json").read_text())
    # 15% of 4 articles rounds to 1 held-out article
    assert (report["train_articles"], report["val_articles"]) == (3, 1)
    assert sorted(report["scores"]["semeval2020"]) == ["flc", "si", "tc"]
    assert sorted(report["scores"]["semeval2023"]) == ["flc", "si", "st3", "st3_from_spans", "tc"]
    for name in ("si.tsv", "flc.tsv", "tc.tsv", "st3.txt", "st3-from-spans.txt", "tc-2023.tsv"):
        assert (trained / "val" / name).is_file()
    assert (trained / "val" / "si-2023.tsv").is_file()
    assert "## Validation scores" in (trained / "model" / "MODEL_CARD.md").read_text()


def test_training_scores_the_dev_set(trained: Path) -> None:
    report = json.loads((trained / "val" / "report.json").read_text())
    assert sorted(report["dev_scores"]["semeval2020"]) == ["flc", "si", "tc"]
    assert (trained / "dev" / "articles.txt").read_text().split() == [
        "1001",
        "1002",
        "1003",
        "1004",
    ]


def test_a_model_is_scored_on_the_checkthat_articles_too(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    scores = validate_checkthat(trained / "model", tiny_corpus, tmp_path / "checkthat")
    assert scores is not None
    assert sorted(scores["semeval2023"]) == ["flc", "si", "st3", "st3_from_spans", "tc"]
    assert (tmp_path / "checkthat" / "articles.txt").read_text().split() == ["9001"]
    gold = (tmp_path / "checkthat" / "gold-si-2023.tsv").read_text().splitlines()
    assert gold and all(line.startswith("9001\t") for line in gold)
    assert validate_checkthat(trained / "model", tmp_path, tmp_path / "none") is None


def _command(data: Path, out: Path) -> list[str]:
    return ["train", "techniques", "--data", str(data), "--out", str(out)]


def test_heads_can_be_fitted_again_on_a_kept_encoder(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(trained / "model", source)
    config = json.loads((source / "config.json").read_text())
    (source / "config.json").write_text(json.dumps({**config, "encoder_version": "1999-01-01"}))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [*_command(tiny_corpus, out), "--from-model", str(source), "--seed", "3"],
    )
    assert result.exit_code == 0, result.output
    model = out / "model"
    assert (model / "encoder.onnx").read_bytes() == (source / "encoder.onnx").read_bytes()
    after = json.loads((model / "config.json").read_text())
    assert after["encoder_version"] == "1999-01-01"
    assert after["version"] != "1999-01-01"
    assert "--from-model" in (model / "MODEL_CARD.md").read_text()
    text = "Title\n\nThe mayor called the old bridge a disgrace."
    assert TechniqueTagger(model_dir=model).load().encode(text).probs.shape[1] == 8


def _refit_keeping(trained: Path, data: Path, out: Path, flag: str) -> Path:
    """The model folder of ``train techniques --from-model TRAINED FLAG`` (which must succeed)."""
    command = [*_command(data, out), "--from-model", str(trained / "model")]
    result = CliRunner().invoke(app, [*command, flag, "--seed", "3"])
    assert result.exit_code == 0, result.output
    return out / "model"


def test_calibration_alone_keeps_encoder_heads_and_thresholds(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    model = _refit_keeping(trained, tiny_corpus, out, "--calibrate-only")
    for name in ("encoder.onnx", "heads.npz", "token_head.onnx"):
        assert (model / name).read_bytes() == (trained / "model" / name).read_bytes()
    before = json.loads((trained / "model" / "config.json").read_text())
    after = json.loads((model / "config.json").read_text())
    assert after["thresholds"] == before["thresholds"]
    calibration = SpanCalibration.load(model / CALIBRATION_FILE)
    assert sorted(calibration.weights) == ["semeval2020", "semeval2023"]
    report = json.loads((out / "val" / "report.json").read_text())
    assert report["dev_scores"]["semeval2020"]["tc"]["metrics"]["f1"] >= 0.0


def test_span_head_only_keeps_encoder_and_token_head(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    model = _refit_keeping(trained, tiny_corpus, tmp_path / "out", "--span-head-only")
    for name in ("encoder.onnx", "token_head.onnx"):
        assert (model / name).read_bytes() == (trained / "model" / name).read_bytes()
    with np.load(model / "heads.npz") as after, np.load(trained / "model" / "heads.npz") as before:
        assert np.array_equal(after["token_w"], before["token_w"])
        assert not np.array_equal(after["span_w"], before["span_w"])


def test_a_model_trained_on_the_dev_set_reports_no_dev_score(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    model = _refit_keeping(trained, tiny_corpus, out, "--with-dev")
    report = json.loads((out / "val" / "report.json").read_text())
    assert report["dev_scores"] is None
    assert report["settings"]["with_dev"] is True
    assert (
        report["val_articles"]
        == json.loads((trained / "val" / "report.json").read_text())["val_articles"]
    )  # the dev articles train; the held-out split is the same
    card = (model / "MODEL_CARD.md").read_text()
    assert "Trained on the official dev set too" in card and "--with-dev" in card
    assert "## Official dev set (never trained" not in card
    assert json.loads((model / "config.json").read_text())["trained_on_dev"] is True
    # heads refitted from these start from their weights, so they saw the dev set too
    again = tmp_path / "again"
    command = [*_command(tiny_corpus, again), "--from-model", str(model), "--span-head-only"]
    assert CliRunner().invoke(app, command).exit_code == 0
    assert json.loads((again / "val" / "report.json").read_text())["dev_scores"] is None
    assert "Trained on the official dev set too" in (again / "model" / "MODEL_CARD.md").read_text()


def test_dev_articles_given_to_a_refit_count_as_training_on_the_dev_set(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    # how bench/dev_cv.py adds two thirds of the dev articles to a refit
    fit = pytest.importorskip("propwatch.training.techniques.fit")
    run = pytest.importorskip("propwatch.training.techniques.run")
    model = trained / "model"
    dev = fit.dev_examples(tiny_corpus, ["semeval2020", "semeval2023"], model / "tokenizer.json")
    added = {key: dev[key] for key in ("dev:1001", "dev:1002")}
    report = run.refit_model(tiny_corpus, model, tmp_path / "out", fit.TrainSettings(), added)
    assert report["trained_on_dev"] is True and report["dev_scores"] is None
    assert report["settings"]["with_dev"] is False  # not asked for: the caller gave them


@pytest.mark.parametrize("flag", ["--calibrate-only", "--span-head-only"])
def test_keeping_parts_needs_a_model(tiny_corpus: Path, tmp_path: Path, flag: str) -> None:
    result = CliRunner().invoke(app, [*_command(tiny_corpus, tmp_path), flag])
    assert result.exit_code != 0
    assert "--calibrate-only and --span-head-only need --from-model" in result.output


def test_from_model_needs_a_model_folder(tiny_corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [*_command(tiny_corpus, tmp_path), "--from-model", str(tmp_path)],
    )
    assert result.exit_code != 0
    assert "not a technique model folder" in result.output


def test_trained_model_runs_without_torch_objects(trained: Path) -> None:
    tagger = TechniqueTagger(model_dir=trained / "model").load()
    text = "Title\n\nThe mayor called the old bridge a disgrace."
    encoded = tagger.encode(text)
    assert encoded.hidden.shape == (len(encoded.tokens), 32)
    assert encoded.probs.shape == (len(encoded.tokens), 2 + 3 + 3)
    for detection in tagger.detect(text, "semeval2023"):
        assert 0 <= detection.start < detection.end <= len(text)
        assert 0.0 <= detection.score <= 1.0
    probs = tagger.classify(text, [(36, 44)], "semeval2020")
    assert probs.shape == (1, 3)
    assert abs(float(probs.sum()) - 1.0) < 1e-5


def test_an_interrupted_run_resumes_where_it_stopped(
    tiny_corpus: Path, tiny_encoder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch = pytest.importorskip("torch")
    from propwatch.training.techniques import fit

    # 4 one-window articles in batches of 2: 2 steps per epoch, 6 in all; saved after each
    # step. One thread and no time budget to speak of: two runs then give the same weights.
    settings = fit.TrainSettings(
        encoder=str(tiny_encoder),
        epochs=3,
        batch_size=2,
        checkpoint_minutes=0.0,
        threads=1,
        max_minutes=1e6,
    )
    schemes = ["semeval2020", "semeval2023"]
    layout, _texts, examples = fit.load_examples(
        tiny_corpus, schemes, tiny_encoder / "tokenizer.json"
    )
    articles = list(examples.values())
    uninterrupted = fit.train_net(layout, articles, settings)

    real_loss, calls = fit._loss, []

    def killed_in_step_four(*args: object) -> object:
        calls.append(1)
        if len(calls) == 4:  # mid-way through the second epoch
            raise KeyboardInterrupt
        return real_loss(*args)  # type: ignore[arg-type]

    progress = tmp_path / "progress.pt"
    monkeypatch.setattr(fit, "_loss", killed_in_step_four)
    with pytest.raises(KeyboardInterrupt):
        fit.train_net(layout, articles, settings, progress_path=progress)
    monkeypatch.setattr(fit, "_loss", real_loss)
    resumed = fit.train_net(layout, articles, settings, progress_path=progress)
    assert torch.load(progress, weights_only=False)["progress"]["step"] == 6
    expected = uninterrupted.state_dict()
    for name, weights in resumed.state_dict().items():
        assert torch.allclose(weights, expected[name], atol=1e-6), name


def test_a_run_in_progress_is_resumed_only_when_asked(tiny_corpus: Path, tmp_path: Path) -> None:
    args = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--resume"])
    assert result.exit_code == 1
    assert "nothing to resume" in result.output
    (tmp_path / "checkpoint").mkdir()
    (tmp_path / "checkpoint" / "progress.pt").write_bytes(b"")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "already holds a training run" in result.output
    assert "add --resume to continue it" in result.output


def test_every_encoder_layer_can_be_fine_tuned_at_a_chosen_rate(
    tiny_corpus: Path, tiny_encoder: Path, tmp_path: Path
) -> None:
    command = [*_command(tiny_corpus, tmp_path), "--encoder", str(tiny_encoder)]
    options = ["--epochs", "1", "--head-members", "1", "--head-epochs", "1"]
    result = CliRunner().invoke(
        app, [*command, *options, "--freeze-layers", "0", "--encoder-lr", "0.0001"]
    )
    assert result.exit_code == 0, result.output
    settings = json.loads((tmp_path / "val" / "report.json").read_text())["settings"]
    assert (settings["freeze_layers"], settings["encoder_lr"]) == (0, 0.0001)
    card = (tmp_path / "model" / "MODEL_CARD.md").read_text()
    assert "every layer and the embeddings" in card and "encoder lr 0.0001" in card


def test_thresholds_are_tuned_on_held_out_articles_without_gold_spans(trained: Path) -> None:
    # another split seed may hold out an article with no span of one scheme
    tagger = TechniqueTagger(model_dir=trained / "model").load()
    texts = {
        "1": "These corrupt traitors betrayed us again, the corrupt traitors!",
        "2": "The council met on Tuesday and approved the budget for the library.",
    }
    encoded = {key: tagger.encode(text) for key, text in texts.items()}
    gold = {"1": [(6, 22, "Name_Calling,Labeling")]}
    limits, f1 = tune_spans(tagger, texts, encoded, gold, "semeval2020")
    assert set(limits) == {"span", "max_gap", "min_tokens"} and 0.0 <= f1 <= 1.0
    scores = split_scores(tagger, texts, encoded, gold, "semeval2020", limits)
    assert all(0.0 <= value <= 1.0 for value in scores.values())


# A second 2023-24 article, so that the CheckThat! articles can be split into two folds.
SECOND_CHECKTHAT_ARTICLE = (
    "Senator Attacks Rail Strike\n\n"
    "The senator called the union leaders a band of greedy saboteurs.\n"
    "It is a shameful, outrageous betrayal of every commuter, she said.\n"
)
SECOND_CHECKTHAT_LABELS = [
    ("Name_Calling-Labeling", "a band of greedy saboteurs"),
    ("Loaded_Language", "a shameful, outrageous betrayal"),
]


@pytest.fixture
def two_checkthat_articles(tiny_corpus: Path, tmp_path: Path) -> Path:
    """The tiny corpus with a second CheckThat! article."""
    root = tmp_path / "data"
    shutil.copytree(tiny_corpus, root)
    folder = root / "checkthat2024-en"
    (folder / "articles" / "article9002.txt").write_text(SECOND_CHECKTHAT_ARTICLE)
    text = SECOND_CHECKTHAT_ARTICLE
    lines = "".join(
        f"9002\t{t}\t{text.index(p)}\t{text.index(p) + len(p)}\n"
        for t, p in SECOND_CHECKTHAT_LABELS
    )
    (folder / "labels-subtask-3-spans" / "article9002-labels-subtask-3.txt").write_text(lines)
    return root


def test_extra_articles_calibrate_the_span_head_answered_out_of_fold(
    trained: Path, two_checkthat_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fit = pytest.importorskip("propwatch.training.techniques.fit")
    out_of_fold = pytest.importorskip("propwatch.training.techniques.out_of_fold")
    model = trained / "model"
    _layout, texts, examples = fit.load_examples(
        two_checkthat_articles,
        ["semeval2020", "semeval2023"],
        model / "tokenizer.json",
        extra=("checkthat2024",),
    )
    refit_on = {key: (texts[key], examples[key]) for key in examples}
    trained_on: list[set[str]] = []
    refit_heads = out_of_fold.refit_heads

    def recording(tagger: TechniqueTagger, texts: dict[str, str], *args, **kwargs):  # type: ignore[no-untyped-def]
        trained_on.append(set(texts))
        return refit_heads(tagger, texts, *args, **kwargs)

    monkeypatch.setattr(out_of_fold, "refit_heads", recording)
    tagger = TechniqueTagger(model_dir=model).load()
    weights = np.ones(tagger.layout_.n_token_outputs, dtype=np.float32)
    rows = out_of_fold.out_of_fold_rows(
        tagger, two_checkthat_articles, refit_on, ["checkthat2024"], 2, weights, seed=0
    )
    # each refit leaves out one CheckThat! article and keeps every other training article
    extra = {"checkthat2024:9001", "checkthat2024:9002"}
    assert sorted(len(extra - kept) for kept in trained_on) == [1, 1]
    assert set.union(*(extra - kept for kept in trained_on)) == extra
    assert all(set(refit_on) - extra <= kept for kept in trained_on)
    inputs, labels = rows["semeval2023"]
    names = tagger.layout_.techniques["semeval2023"]
    assert inputs.shape == (4, len(names) + len(RECURRENCE_FEATURES))
    assert sorted(names[i] for i in labels) == sorted(
        ["Name_Calling-Labeling", "Repetition", "Name_Calling-Labeling", "Loaded_Language"]
    )


def test_calibration_folds_are_recorded_and_refused_for_heads_that_saw_the_articles(
    trained: Path, two_checkthat_articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = [*_command(two_checkthat_articles, out), "--from-model", str(trained / "model")]
    options = ["--span-head-only", "--extra", "checkthat2024", "--calibration-folds", "2"]
    result = CliRunner().invoke(app, [*command, *options])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "val" / "report.json").read_text())
    assert report["calibration_spans_out_of_fold"] == {"semeval2023": 4}
    config = json.loads((out / "model" / "config.json").read_text())
    assert config["trained_on_extra"] == ["checkthat2024"]
    assert "--calibration-folds 2" in (out / "model" / "MODEL_CARD.md").read_text()
    # that model's span head trained on both articles: it cannot answer them out of fold
    again = [*_command(two_checkthat_articles, tmp_path / "again"), "--from-model"]
    result = CliRunner().invoke(app, [*again, str(out / "model"), *options])
    assert result.exit_code != 0
    assert "already trained on checkthat2024" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--calibration-folds", "2"], "needs at least 2 folds of --extra articles"),
        (["--extra", "checkthat2024", "--calibration-folds", "1"], "at least 2 folds"),
        (["--extra", "checkthat2024", "--calibration-folds", "2"], "needs --from-model"),
    ],
)
def test_calibration_folds_need_extra_articles_and_a_model(
    tiny_corpus: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, [*_command(tiny_corpus, tmp_path), *options])
    assert result.exit_code != 0
    assert message in result.output
