"""``st1``, ``st2``, ``st3``, ``roles`` and ``narratives``: hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from propwatch.errors import ScoringError
from propwatch.eval.genre import score_genres
from propwatch.eval.measures import samples_f1
from propwatch.eval.multilabel import score_label_sets
from propwatch.eval.narratives import score_narratives
from propwatch.eval.roles import score_roles
from propwatch.io.labels.semeval2025 import DocumentNarratives, EntityMention


def test_genre_macro_f1() -> None:
    gold = {"a": "opinion", "b": "reporting", "c": "satire", "d": "opinion"}
    pred = {"a": "opinion", "b": "opinion", "c": "satire", "d": "reporting"}
    score = score_genres(pred, gold)
    # opinion: TP a, FP b, FN d -> P 1/2, R 1/2, F1 1/2; reporting: TP 0 -> F1 0;
    # satire: TP c -> F1 1. Macro = (0.5 + 0 + 1) / 3 = 0.5; micro = accuracy = 2/4.
    assert score.metrics == {"macro_f1": pytest.approx(0.5), "micro_f1": pytest.approx(0.5)}
    assert [(r.label, r.f1) for r in score.per_label] == [
        ("opinion", 0.5),
        ("reporting", 0.0),
        ("satire", 1.0),
    ]


def test_genre_refuses_missing_articles_and_unknown_genres() -> None:
    gold = {"a": "opinion", "d": "satire"}
    with pytest.raises(ScoringError) as caught:
        score_genres({"a": "opinion"}, gold)
    assert str(caught.value) == (
        "predictions do not match gold: 1 gold articles have no prediction (e.g. 'd')"
    )
    with pytest.raises(ScoringError) as caught:
        score_genres({"a": "opinion", "d": "news"}, gold)
    assert str(caught.value) == "predicted genres not in reporting, opinion, satire: news"


def test_frames_micro_and_class_list_dependent_macro() -> None:
    gold = {"a": ("F1", "F2"), "b": ()}
    pred = {"a": ("F1",), "b": ("F3",)}
    score = score_label_sets("st2", pred, gold, None, "articles")
    # Micro: TP 1 (F1@a), FP 1 (F3@b), FN 1 (F2@a) -> P 1/2, R 1/2, F1 1/2.
    # Per class (zero_division=1): F1 -> 1; F2 -> 2*0/(0+0+1) = 0; F3 -> 0/(0+1+0) = 0.
    assert score.metrics["micro_f1"] == pytest.approx(0.5)
    assert score.metrics["macro_f1"] == pytest.approx(1 / 3)
    # With the full class list, F4 (in neither file) scores 1: macro = (1+0+0+1)/4 = 0.5.
    full = score_label_sets("st2", pred, gold, ("F1", "F2", "F3", "F4"), "articles")
    assert full.metrics["macro_f1"] == pytest.approx(0.5)
    assert full.metrics["micro_f1"] == pytest.approx(0.5)


def test_frames_macro_equals_sklearn_macro_with_zero_division_one() -> None:
    gold = {"a": ("F1", "F2"), "b": (), "c": ("F3",)}
    pred = {"a": ("F1",), "b": ("F3",), "c": ()}
    classes = ["F1", "F2", "F3", "F4"]
    binarizer = MultiLabelBinarizer(classes=classes).fit([])
    y_true = binarizer.transform([gold[k] for k in gold])
    y_pred = binarizer.transform([pred[k] for k in gold])
    score = score_label_sets("st2", pred, gold, tuple(classes), "articles")
    assert score.metrics["macro_f1"] == pytest.approx(
        f1_score(y_true, y_pred, average="macro", zero_division=1)
    )


def test_class_list_refuses_unknown_predicted_labels() -> None:
    with pytest.raises(ScoringError) as caught:
        score_label_sets("st2", {"a": ("F9",)}, {"a": ("F1",)}, ("F1",), "articles")
    assert str(caught.value) == "predicted labels not in the class list: F9"


def test_paragraphs_micro_f1_and_missing_paragraph() -> None:
    gold = {("1", 1): ("A",), ("1", 3): (), ("2", 1): ("A", "B")}
    pred = {("1", 1): ("A",), ("1", 3): ("B",), ("2", 1): ("B",)}
    score = score_label_sets("st3", pred, gold, None, "paragraphs")
    # TP: A@(1,1), B@(2,1) = 2; FP: B@(1,3) = 1; FN: A@(2,1) = 1 -> P = R = F1 = 2/3.
    assert score.metrics["micro_f1"] == pytest.approx(2 / 3)
    assert score.counts == {"paragraphs": 3, "gold_labels": 3, "predicted_labels": 3}
    del pred["1", 3]  # a paragraph with no gold technique still needs a prediction line
    with pytest.raises(ScoringError) as caught:
        score_label_sets("st3", pred, gold, None, "paragraphs")
    assert str(caught.value) == (
        "predictions do not match gold: 1 gold paragraphs have no prediction (e.g. ('1', 3))"
    )


def mention(start: int, main: str, *fine: str) -> EntityMention:
    return EntityMention("d.txt", "x", start, start + 5, main, fine)


def test_roles_exact_match_ratio_and_main_role_accuracy() -> None:
    gold = [
        mention(0, "Protagonist", "Guardian"),
        mention(10, "Antagonist", "Tyrant", "Corrupt"),
        mention(20, "Innocent", "Victim"),
    ]
    pred = [
        mention(20, "Antagonist", "Victim", "Martyr"),
        mention(10, "Antagonist", "Corrupt", "Tyrant"),  # order of fine roles does not matter
        mention(0, "Protagonist", "Guardian"),
    ]
    score = score_roles(pred, gold)
    # EMR: mentions 0 and 10 exact, 20 not -> 2/3. Main roles right at 0, 10 -> 2/3.
    # Fine micro: TP Guardian, Tyrant, Corrupt, Victim = 4; FP Martyr = 1; FN 0
    # -> P 4/5, R 1, F1 = 2 * 0.8 / 1.8 = 8/9.
    assert score.metrics["emr"] == pytest.approx(2 / 3)
    assert score.metrics["main_role_accuracy"] == pytest.approx(2 / 3)
    assert score.metrics["micro_precision"] == pytest.approx(0.8)
    assert score.metrics["micro_recall"] == pytest.approx(1.0)
    assert score.metrics["micro_f1"] == pytest.approx(8 / 9)


def test_roles_refuse_other_mentions() -> None:
    gold = [mention(0, "Protagonist", "Guardian")]
    with pytest.raises(ScoringError) as caught:
        score_roles([mention(1, "Protagonist", "Guardian")], gold)
    assert str(caught.value) == (
        "predictions do not match gold: 1 gold mentions have no prediction "
        "(e.g. ('d.txt', 0, 5)); 1 predicted mentions are not in gold (e.g. ('d.txt', 1, 6))"
    )


def doc(
    doc_id: str, narratives: tuple[str, ...], subnarratives: tuple[str, ...]
) -> DocumentNarratives:
    return DocumentNarratives(doc_id, narratives, subnarratives)


def test_narratives_samples_f1_mean_and_std() -> None:
    gold = {
        "d1": doc("d1", ("A",), ("A: x",)),
        "d2": doc("d2", ("B", "C"), ("B: y", "C: z")),
        "d3": doc("d3", ("Other",), ("Other",)),
    }
    pred = {
        "d3": doc("d3", ("A",), ("A: x",)),
        "d1": doc("d1", ("A",), ("A: w",)),
        "d2": doc("d2", ("B",), ("B: y",)),
    }
    score = score_narratives(pred, gold)
    # Coarse per document: d1 {A} vs {A} = 1; d2 {B,C} vs {B}: 2*1/(2+1) = 2/3; d3 = 0.
    # Mean 5/9; population std = sqrt(((4/9)^2 + (1/9)^2 + (5/9)^2) / 3) = sqrt(42/243).
    assert score.metrics["f1_samples_coarse"] == pytest.approx(5 / 9)
    assert score.metrics["f1_samples_coarse_std"] == pytest.approx(np.sqrt(42 / 243))
    # Fine: d1 {A: x} vs {A: w} = 0; d2 = 2/3; d3 = 0 -> mean 2/9.
    assert score.metrics["f1_samples_fine"] == pytest.approx(2 / 9)


def test_samples_f1_mean_is_sklearn_samples_average() -> None:
    gold = [("A",), ("B", "C"), (), ("A", "C")]
    pred = [("A", "B"), ("C",), (), ("D",)]
    binarizer = MultiLabelBinarizer(classes=["A", "B", "C", "D"]).fit([])
    expected = f1_score(
        binarizer.transform(gold), binarizer.transform(pred), average="samples", zero_division=0
    )
    # Per document: 2/3, 2/3, 0 (nothing on either side), 0 -> mean 1/3.
    assert samples_f1(gold, pred).tolist() == pytest.approx([2 / 3, 2 / 3, 0.0, 0.0])
    assert samples_f1(gold, pred).mean() == pytest.approx(expected)
