"""Distillation: a teacher labels unlabelled news, a student learns from those soft labels."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from propwatch.cli.main import app
from propwatch.training.techniques.data import Example, make_windows
from propwatch.training.techniques.distil import student_targets, unlabelled_news
from propwatch.training.techniques.fit import epoch_windows

pytest.importorskip("torch")

NEWS = {
    "article7001": "Harbour Reopens After Repairs\n\nThe harbour reopened on Friday.\n",
    "article7002": "Rail Strike Ends\n\nDrivers returned to work after a week of talks.\n",
}
BLIND_TITLE = "Harbour Reopens After Repairs"  # also the title of a (blind) PTC test article


def _news_root(root: Path) -> Path:
    """A data root with two unlabelled SemEval-2023 test articles, one titled as a PTC one."""
    folder = root / "semeval2023-en" / "test-articles-subtask-3"
    folder.mkdir(parents=True)
    for name, text in NEWS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    duplicate = root / "semeval2025-en" / "train" / "raw-documents"
    duplicate.mkdir(parents=True)
    (duplicate / "EN_UA_1.txt").write_text(NEWS["article7002"] + "\n", encoding="utf-8")
    blind = root / "ptc2020" / "test-articles"
    blind.mkdir(parents=True)
    (blind / "article1.txt").write_text(f"{BLIND_TITLE}\n\nAnother body.\n", encoding="utf-8")
    return root


def test_unlabelled_news_leaves_out_ptc_titles_and_repeats(tmp_path: Path) -> None:
    texts = unlabelled_news(_news_root(tmp_path))
    assert list(texts) == ["semeval2023-test:article7002"]


def test_student_tokens_get_the_mean_of_the_teacher_tokens_they_overlap() -> None:
    teacher_offsets = np.array([[0, 3], [3, 6], [7, 10]])  # "abc" "def" " ghi"
    probs = np.array([[0.2], [0.6], [1.0]], dtype=np.float16)
    student = np.array([[0, 6], [7, 9], [9, 10], [11, 12]])  # "abcdef" "gh" "i" (beyond)
    targets = student_targets(teacher_offsets, probs, student)
    assert targets[:, 0].tolist() == pytest.approx([0.4, 1.0, 1.0, 0.0], abs=1e-3)


def _example(key: str, n_tokens: int) -> Example:
    return Example(
        key,
        np.zeros(n_tokens, dtype=np.int64),
        np.zeros((n_tokens, 1), dtype=np.float32),
        np.zeros((n_tokens, 1), dtype=np.float32),
    )


def test_each_epoch_reads_all_gold_and_the_next_slice_of_soft_windows() -> None:
    gold = make_windows(_example("gold", 20), 10, 10)  # 2 windows
    soft = [w for i in range(4) for w in make_windows(_example(f"soft{i}", 10), 10, 10)]
    epochs = [epoch_windows(gold, soft, epoch, 1.0, seed=5) for epoch in range(3)]
    assert all(chosen[:2] == gold and len(chosen) == 4 for chosen in epochs)
    first_two = {w.example.key for chosen in epochs[:2] for w in chosen[2:]}
    assert first_two == {"soft0", "soft1", "soft2", "soft3"}  # all before any repeats
    assert epoch_windows(gold, soft, 1, 1.0, seed=5) == epochs[1]  # a resumed run agrees
    assert epoch_windows(gold, [], 0, 1.0, seed=5) == gold


def _teacher_labels_command(trained: Path, tmp_path: Path) -> list[str]:
    """``propwatch train teacher-labels`` of the trained tiny model over two news articles
    into ``tmp_path / "labels"``."""
    news = _news_root(tmp_path / "news")
    command = ["train", "teacher-labels", "--teacher", str(trained / "model")]
    return [*command, "--data", str(news), "--out", str(tmp_path / "labels"), "--threads", "1"]


def test_a_teacher_labels_news_and_a_student_learns_from_it(
    trained: Path, tiny_corpus: Path, tiny_encoder: Path, tmp_path: Path
) -> None:
    command, labels = _teacher_labels_command(trained, tmp_path), tmp_path / "labels"
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    assert ": 1 (1 asked for)" in first.output
    saved = list(labels.glob("*.npz"))
    assert len(saved) == 1
    again = CliRunner().invoke(app, command)  # nothing left to label: the file is kept
    assert ": 1 (1 asked for)" in again.output
    assert [p.stat().st_mtime_ns for p in labels.glob("*.npz")] == [saved[0].stat().st_mtime_ns]

    out = tmp_path / "student"
    student = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(out)]
    student += ["--encoder", str(tiny_encoder), "--epochs", "1", "--soft-labels", str(labels)]
    result = CliRunner().invoke(app, student)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "val" / "report.json").read_text())
    assert report["settings"]["soft_labels"] == str(labels)
    assert report["distilled_from"]["articles"] == 1
    card = (out / "model" / "MODEL_CARD.md").read_text()
    assert "- Distillation: 1 unlabelled news articles" in card
    assert f"--soft-labels {labels} --soft-share 1.0" in card
    assert "## Official dev set" in card  # the tiny corpus has a dev set


def test_a_models_token_heads_learn_from_the_teachers_labels(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    labelled = CliRunner().invoke(app, _teacher_labels_command(trained, tmp_path))
    assert labelled.exit_code == 0, labelled.output
    out, source = tmp_path / "heads", trained / "model"
    command = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(out)]
    command += ["--from-model", str(source), "--soft-labels", str(tmp_path / "labels")]
    command += ["--soft-share", "2", "--head-members", "1", "--head-epochs", "1"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "val" / "report.json").read_text())
    assert report["head_distilled_from"]["articles"] == 1
    assert report["head_distilled_from"]["share"] == 2
    assert (out / "model" / "encoder.onnx").read_bytes() == (source / "encoder.onnx").read_bytes()
    card = (out / "model" / "MODEL_CARD.md").read_text()
    assert "- Token-head distillation: the GRU token heads also learnt from 1" in card

    kept = CliRunner().invoke(app, [*command, "--span-head-only", "--out", str(tmp_path / "o")])
    assert kept.exit_code != 0
    assert "--soft-labels with --from-model teaches the token heads" in kept.output


def test_soft_labels_must_be_a_teacher_labels_folder(tiny_corpus: Path, tmp_path: Path) -> None:
    command = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(app, [*command, "--soft-labels", str(tmp_path)])
    assert result.exit_code != 0
    assert "holds no teacher labels" in result.output


def _distilled_command(tiny_corpus: Path, tiny_encoder: Path, out: Path) -> list[str]:
    """``propwatch train distilled`` into ``out`` on the tiny corpus with unlabelled news
    beside it, the tiny encoder as both teacher and student."""
    data = out.parent / "data"
    shutil.copytree(tiny_corpus, data)
    _news_root(data)
    command = ["train", "distilled", "--data", str(data), "--out", str(out)]
    return [*command, "--teacher-encoder", str(tiny_encoder), "--encoder", str(tiny_encoder)]


def test_one_command_trains_teacher_labels_news_and_trains_student(
    tiny_corpus: Path, tiny_encoder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "distilled"
    command = _distilled_command(tiny_corpus, tiny_encoder, out)
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    student = json.loads((out / "student" / "val" / "report.json").read_text())
    assert student["settings"]["soft_labels"] == str(out / "teacher-labels")
    teacher = json.loads((out / "teacher" / "val" / "report.json").read_text())
    assert teacher["settings"]["quantize"] is False  # a teacher keeps float weights
    assert len(list((out / "teacher-labels").glob("*.npz"))) == 1

    finished = (out / "student" / "model" / "encoder.onnx").stat().st_mtime_ns
    again = CliRunner().invoke(app, command)  # every stage finished: nothing is redone
    assert again.exit_code == 0, again.output
    assert (out / "student" / "model" / "encoder.onnx").stat().st_mtime_ns == finished


def test_one_command_distils_the_teachers_states_when_asked(
    tiny_corpus: Path, tiny_encoder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "distilled"
    command = [*_distilled_command(tiny_corpus, tiny_encoder, out), "--state-weight", "2"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    with np.load(next((out / "teacher-labels").glob("*.npz"))) as saved:
        assert "states" in saved
    student = json.loads((out / "student" / "val" / "report.json").read_text())
    assert student["settings"]["state_weight"] == 2


def test_soft_targets_are_matched_without_the_gold_weighting(tiny_encoder: Path) -> None:
    import torch
    from transformers import AutoModel

    from propwatch.models.techniques.features import N_FEATURES
    from propwatch.models.techniques.layout import Layout
    from propwatch.training.techniques.fit import _loss
    from propwatch.training.techniques.model import TechniqueNet

    layout = Layout({"semeval2020": ["Loaded_Language"]})
    torch.manual_seed(0)
    net = TechniqueNet(AutoModel.from_pretrained(tiny_encoder), layout, N_FEATURES, 8, 0.0).eval()
    targets = np.full((6, layout.n_token_outputs), 0.5, dtype=np.float32)
    example = Example(
        "a", np.arange(100, 106), np.zeros((6, N_FEATURES), np.float32), targets, [], np.ones(2)
    )
    soft = Example(**{**vars(example), "soft": True})
    heavy = torch.full((layout.n_token_outputs,), 9.0)
    ce = torch.nn.CrossEntropyLoss()
    with torch.no_grad():
        gold_loss = _loss(net, make_windows(example, 10, 10), 101, 102, heavy, ce)
        soft_loss = _loss(net, make_windows(soft, 10, 10), 101, 102, heavy, ce)
        plain = _loss(net, make_windows(example, 10, 10), 101, 102, torch.ones(2), ce)
    assert float(soft_loss) == pytest.approx(float(plain), rel=1e-5)
    assert float(gold_loss) > 2 * float(soft_loss)


def test_a_student_learns_from_the_teachers_states_too(
    trained: Path, tiny_corpus: Path, tiny_encoder: Path, tmp_path: Path
) -> None:
    news, labels = _news_root(tmp_path / "news"), tmp_path / "labels"
    command = ["train", "teacher-labels", "--teacher", str(trained / "model")]
    command += ["--data", str(news), "--out", str(labels), "--threads", "1", "--states"]
    assert CliRunner().invoke(app, command).exit_code == 0
    with np.load(next(labels.glob("*.npz"))) as saved:
        assert saved["states"].shape == (len(saved["probs"]), 32)  # the tiny encoder's width
        assert saved["states"].dtype == np.float16

    out = tmp_path / "student"
    student = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(out)]
    student += ["--encoder", str(tiny_encoder), "--epochs", "1", "--soft-labels", str(labels)]
    result = CliRunner().invoke(app, [*student, "--state-weight", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "val" / "report.json").read_text())["settings"]["state_weight"] == 1
    card = (out / "model" / "MODEL_CARD.md").read_text()
    assert "map its states onto the teacher's" in card
    assert "--state-weight 1.0" in card


def test_states_are_asked_of_labels_that_keep_them(
    trained: Path, tiny_corpus: Path, tmp_path: Path
) -> None:
    news, labels = _news_root(tmp_path / "news"), tmp_path / "labels"
    command = ["train", "teacher-labels", "--teacher", str(trained / "model")]
    command += ["--data", str(news), "--out", str(labels), "--threads", "1"]
    assert CliRunner().invoke(app, command).exit_code == 0
    mixed = CliRunner().invoke(app, [*command, "--states"])  # one folder, one kind of labels
    assert mixed.exit_code != 0
    assert "holds labels without the teacher's states" in mixed.output

    student = ["train", "techniques", "--data", str(tiny_corpus), "--out", str(tmp_path / "s")]
    no_states = CliRunner().invoke(
        app, [*student, "--soft-labels", str(labels), "--state-weight", "1"]
    )
    assert no_states.exit_code != 0
    assert "holds no teacher states" in no_states.output
    alone = CliRunner().invoke(app, [*student, "--state-weight", "1"])
    assert alone.exit_code != 0
    assert "--state-weight needs --soft-labels" in alone.output


def test_the_state_loss_is_the_cosine_distance_to_the_teachers_states(tiny_encoder: Path) -> None:
    import torch
    from transformers import AutoModel

    from propwatch.models.techniques.features import N_FEATURES
    from propwatch.models.techniques.layout import Layout
    from propwatch.training.techniques.fit import _collate, _loss
    from propwatch.training.techniques.model import TechniqueNet

    layout = Layout({"semeval2020": ["Loaded_Language"]})
    torch.manual_seed(0)
    encoder = AutoModel.from_pretrained(tiny_encoder)
    net = TechniqueNet(encoder, layout, N_FEATURES, 8, 0.0, teacher_size=5).eval()
    assert net.state_map is not None
    example = Example(
        "a",
        np.arange(100, 106),
        np.zeros((6, N_FEATURES), np.float32),
        np.full((6, layout.n_token_outputs), 0.5, dtype=np.float32),
        [],
        np.ones(2, dtype=np.float32),
        True,
    )
    windows = make_windows(example, 10, 10)
    ce, weights = torch.nn.CrossEntropyLoss(), torch.ones(2)
    with torch.no_grad():
        inputs = _collate(windows, 101, 102)
        hidden = net.encode(inputs["ids"], inputs["mask"])
        mapped = net.state_map(hidden[0, 1:7]).numpy()
        plain = float(_loss(net, windows, 101, 102, weights, ce, 0.5))
        example.teacher_states = mapped.astype(np.float16)
        same = float(_loss(net, windows, 101, 102, weights, ce, 0.5))
        example.teacher_states = (-mapped).astype(np.float16)
        opposite = float(_loss(net, windows, 101, 102, weights, ce, 0.5))
        unweighted = float(_loss(net, windows, 101, 102, weights, ce, 0.0))
    assert same == pytest.approx(plain, abs=1e-3)  # states already where the teacher's are
    assert opposite == pytest.approx(plain + 0.5 * 2, abs=1e-3)  # cosine -1: distance 2
    assert unweighted == pytest.approx(plain, abs=1e-6)
