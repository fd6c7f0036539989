"""Article-level estimators on tiny corpora written for these tests (seconds to train)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from propwatch.components.technique_model import default_tagger
from propwatch.errors import InputError
from propwatch.models.article.cast import CastClassifier, entity_vector
from propwatch.models.article.entities import NER_LABELS
from propwatch.models.article.genre import NEWS_PRIOR, UNSURE, GenreClassifier
from propwatch.models.article.multilabel import MultiLabelTextClassifier, binarize
from propwatch.models.article.narratives import NarrativeClassifier, decide, label_lists
from propwatch.models.article.roles import (
    EntityRoleClassifier,
    MentionContext,
    mention_states,
    mention_tokens,
)
from propwatch.models.article.shipped import load_model, save_model
from propwatch.models.article.store import load_arrays, save_arrays
from propwatch.text.nlp import shared_model
from propwatch.training.article.datasets import cast_examples
from propwatch.training.article.train import antagonist_weights

OPINION = [
    "I think the mayor is wrong and we must stop this terrible plan now.",
    "In my view the council has betrayed us; we deserve far better leaders.",
    "We should be outraged: this policy is a disgrace and I will fight it.",
    "I believe our town is being ruined by greedy officials who ignore us.",
]
REPORTING = [
    "The council voted 7 to 2 on Tuesday, the clerk said in a statement.",
    "Officials said the bridge will reopen on March 3, according to a report.",
    "The company reported revenue of 4 million dollars, a spokesperson said.",
    "Police said two people were arrested on Monday, the agency reported.",
]


def states(texts: list[str]) -> np.ndarray:
    """Mean states of the shipped technique encoder, shape (n_texts, 384)."""
    return np.array([default_tagger().encode(text).mean_state() for text in texts])


def test_genre_learns_from_encoder_states_and_round_trips(tmp_path: Path) -> None:
    genres = ["opinion"] * 4 + ["reporting"] * 4
    model = GenreClassifier(C=1.0, encoder="test").fit(states(OPINION + REPORTING), genres)
    assert list(model.classes_) == ["opinion", "reporting"]
    probe = states(
        ["I think we must fight this disgrace!", "The clerk said the vote was on Tuesday."]
    )
    assert list(model.predict(probe)) == ["opinion", "reporting"]
    save_model("genre", model, tmp_path, {"data": "test"})
    loaded = load_model("genre", tmp_path)
    assert loaded.encoder == "test"
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe), atol=2e-3)


def test_the_news_prior_moves_balanced_probabilities_to_the_genres_share() -> None:
    rng = np.random.default_rng(0)
    states = np.repeat(np.eye(3), 20, axis=0) + rng.normal(scale=0.3, size=(60, 3))
    genres = ["opinion"] * 20 + ["reporting"] * 20 + ["satire"] * 20
    balanced = GenreClassifier(C=1.0, prior=None).fit(states, genres)
    news = GenreClassifier(C=1.0, prior=NEWS_PRIOR).fit(states, genres)
    probe = np.array([[0.3, 0.3, 0.4], [0.0, 0.0, 1.0]])  # a little satire-like, very satire-like
    expected = balanced.predict_proba(probe) * [0.40, 0.55, 0.05]
    np.testing.assert_allclose(news.predict_proba(probe), expected / expected.sum(1, keepdims=True))
    assert list(balanced.predict(probe)) == ["satire", "satire"]
    assert list(news.predict(probe)) == ["reporting", "satire"]


def test_genre_is_unsure_when_no_genre_is_probable_enough() -> None:
    rng = np.random.default_rng(0)
    centres = np.repeat(np.eye(3), 20, axis=0) + rng.normal(scale=0.3, size=(60, 3))
    genres = ["opinion"] * 20 + ["reporting"] * 20 + ["satire"] * 20
    model = GenreClassifier(C=1.0, prior=None, unsure_below=0.6).fit(centres, genres)
    probe = np.array([[1.0, 0.0, 0.0], [0.34, 0.33, 0.33]])
    assert model.predict_proba(probe)[1].max() < 0.6
    # Scorers need a genre: predict keeps the most probable one; decide says unsure.
    assert list(model.predict(probe)) == ["opinion", "opinion"]
    assert list(model.decide(probe)) == ["opinion", UNSURE]
    never = GenreClassifier(C=1.0, prior=None, unsure_below=0.0).fit(centres, genres)
    assert list(never.decide(probe)) == ["opinion", "opinion"]


def test_satire_is_never_decided_however_probable() -> None:
    # Out of fold the shipped recipe's satire decisions were right 4 times in 21: the model
    # names satire as the most probable genre, never as its answer.
    rng = np.random.default_rng(0)
    centres = np.repeat(np.eye(3), 20, axis=0) + rng.normal(scale=0.3, size=(60, 3))
    genres = ["opinion"] * 20 + ["reporting"] * 20 + ["satire"] * 20
    model = GenreClassifier(C=1.0, prior=None).fit(centres, genres)
    probe = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    assert model.predict_proba(probe)[0].max() > 0.9
    assert list(model.predict(probe)) == ["satire", "reporting"]
    assert list(model.decide(probe)) == [UNSURE, "reporting"]
    trusting = GenreClassifier(C=1.0, prior=None, never_decided=()).fit(centres, genres)
    assert list(trusting.decide(probe)) == ["satire", "reporting"]


def test_load_model_refuses_another_kind(tmp_path: Path) -> None:
    model = GenreClassifier().fit(np.eye(4), ["opinion", "reporting"] * 2)
    save_model("genre", model, tmp_path, {})
    (tmp_path / "genre.npz").rename(tmp_path / "frames.npz")
    with pytest.raises(InputError, match=r"frames\.npz: holds a 'genre' model, not 'frames'"):
        load_model("frames", tmp_path)


def test_a_model_lacking_arrays_of_newer_parts_asks_for_a_retrain(tmp_path: Path) -> None:
    # As a roles model saved before its polarity view was added.
    model = GenreClassifier().fit(np.eye(4), ["opinion", "reporting"] * 2)
    path = save_model("genre", model, tmp_path, {})
    arrays, meta = load_arrays(path)
    save_arrays(path, {k: v for k, v in arrays.items() if not k.endswith(".coef")}, meta)
    with pytest.raises(
        InputError,
        match=r"genre\.npz: has no '.*coef': made by another propwatch version; "
        r"retrain it with `propwatch train article genre`",
    ):
        load_model("genre", tmp_path)


def test_missing_model_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"roles\.npz: model file not found"):
        load_model("roles", tmp_path)


def test_binarize_ignores_unknown_labels() -> None:
    matrix = binarize([["b"], ["a", "zzz"], []], ["a", "b"])
    assert matrix.tolist() == [[0, 1], [1, 0], [0, 0]]


def test_multilabel_thresholds_and_contributions() -> None:
    texts = [
        "taxes budget deficit spending",
        "budget taxes economy jobs",
        "court judge ruling law",
        "law court appeal judge",
        "taxes court budget law",
        "weather sunny mild",
    ] * 3
    labels = [["econ"], ["econ"], ["legal"], ["legal"], ["econ", "legal"], []] * 3
    model = MultiLabelTextClassifier(C=10.0, min_df=1, folds=3).fit(texts, labels)
    assert model.labels_ == ["econ", "legal"]
    assert model.thresholds_.shape == (2,)
    assert model.predict(["budget taxes deficit", "court judge law", "sunny weather"]) == [
        ["econ"],
        ["legal"],
        [],
    ]
    support = model.contributions(["budget taxes deficit", "court judge law"])
    assert support[0, 0] > 0 > support[0, 1]
    assert support[1, 1] > 0 > support[1, 0]


def test_multilabel_reads_states_beside_words(tmp_path: Path) -> None:
    texts = ["the very same words"] * 12
    states = np.array([[1.0, 0.0], [0.0, 1.0]] * 6)
    labels = [["a"], []] * 6
    model = MultiLabelTextClassifier(C=10.0, min_df=1, folds=3, state_weight=3.0)
    model.fit(texts, labels, states=states)
    probe = ["the very same words"] * 2
    assert model.predict(probe, states=[[1.0, 0.0], [0.0, 1.0]]) == [["a"], []]
    assert model.contributions(probe).shape == (2, 1)
    with pytest.raises(ValueError, match="pass states"):
        model.predict(probe)
    save_model("frames", model, tmp_path, {})
    loaded = load_model("frames", tmp_path)
    assert loaded.predict(probe, states=[[1.0, 0.0], [0.0, 1.0]]) == [["a"], []]


def test_genre_sentence_push_adds_up_to_the_article_score() -> None:
    genres = ["opinion"] * 4 + ["reporting"] * 4
    model = GenreClassifier(C=1.0, prior=None).fit(states(OPINION + REPORTING), genres)
    sentences = states([OPINION[0], REPORTING[0]])
    push = model.sentence_push(sentences, [0.5, 0.5], "opinion")
    assert push[0] > 0 > push[1]
    # The article is the mean of its two sentences here: the pushes add up to its score for
    # opinion above the mean score of both genres (intercepts aside).
    head = model.head_
    centred = head.coef[0] - head.coef.mean(axis=0)
    article = ((sentences.mean(axis=0) - head.mean) / head.scale) @ centred
    assert push.sum() == pytest.approx(article, rel=1e-4)


def test_decide_keeps_one_domain_on_topic_and_children_only() -> None:
    coarse_labels = ["CC: Heat", "URW: Blame", "URW: Fear"]
    fine_labels = ["CC: Heat: Doom", "URW: Blame: West", "URW: Fear: Nukes", "URW: Fear: Other"]
    coarse = np.array(
        [[0.5, 0.9, 0.6], [0.9, 0.2, 0.3], [0.9, 0.9, 0.9], [0.9, 0.2, 0.3], [0.9, 0.2, 0.3]]
    )
    fine = np.array(
        [
            [0.9, 0.1, 0.2, 0.7],
            [0.1, 0.9, 0.9, 0.9],
            [0.5, 0.5, 0.5, 0.5],
            [0.1, 0.9, 0.9, 0.9],
            [0.1, 0.9, 0.9, 0.9],
        ]
    )
    presence = np.array([0.8, 0.8, 0.1, 0.8, 0.8])
    both = {"CC", "URW"}
    on_topic = [both, both, both, {"URW"}, set()]
    found = decide(presence, coarse, fine, (coarse_labels, fine_labels), (0.5, 2), on_topic)
    assert [label_lists(n) for n in found] == [
        (["URW: Blame", "URW: Fear"], ["URW: Blame: West", "URW: Fear: Other"]),
        (["CC: Heat"], ["CC: Heat: Doom"]),
        (["Other"], ["Other"]),
        # The best narrative is a climate one, but the text is about the war only.
        (["URW: Fear", "URW: Blame"], ["URW: Fear: Nukes", "URW: Blame: West"]),
        # On neither topic: no narrative, however probable.
        (["Other"], ["Other"]),
    ]
    assert found[0][0].score == pytest.approx(0.9)


def test_narrative_classifier_is_hierarchical_and_gated_by_topic() -> None:
    war = "ukraine missiles shelling front troops artillery offensive"
    west = "ukraine sanctions brussels washington diplomats hypocrisy"
    calm = "ukraine kyiv grain harvest exports ports weather"
    plain = "recipe garden football weekend concert"
    texts = [f"{war} {i}" for i in range(6)] + [f"{west} {i}" for i in range(6)]
    texts += [f"{calm} {i}" for i in range(8)]
    coarse = [["URW: Fear"]] * 6 + [["URW: West"]] * 6 + [["Other"]] * 8
    fine = [["URW: Fear: Escalation"]] * 6 + [["URW: West: Hypocrisy"]] * 6 + [["Other"]] * 8
    definitions = {"URW: Fear: Escalation": "the war will escalate with more missiles"}
    model = NarrativeClassifier(C=10.0, min_df=1, folds=4, state_weight=0.0).fit(
        texts,
        coarse,
        fine,
        topics=["URW"] * len(texts),
        off_topic_texts=[f"{plain} {i}" for i in range(12)],
        definitions=definitions,
    )
    assert model.on_topic([war, plain]) == [frozenset({"URW"}), frozenset()]
    assert model.predict([war, west, calm, plain]) == [
        (["URW: Fear"], ["URW: Fear: Escalation"]),
        (["URW: West"], ["URW: West: Hypocrisy"]),
        (["Other"], ["Other"]),
        (["Other"], ["Other"]),
    ]
    found = model.predict_narratives([war])[0][0]
    # A sentence off the topic is no evidence, whatever its other words.
    support = model.support(["ukraine troops and artillery", "a concert"], found)
    assert support[0] > 0
    assert support[1] == 0


def test_mention_tokens_tag_each_part() -> None:
    context = MentionContext("Yesterday Russia shelled the port city.", 10, 16)
    assert mention_tokens(context, 2) == (
        "E:russia L:yesterday R:shelled R:the S:yesterday S:shelled S:the S:port S:city"
    )
    cued = MentionContext("Russia shelled it.", 0, 6, ("V:shell", "Q:0"))
    assert mention_tokens(cued, 1).endswith("S:it V:shell Q:0")


def mention(sentence: str, name: str) -> MentionContext:
    """``name`` in ``sentence``, with the shipped encoder's states of both."""
    start = sentence.index(name)
    where = (start, start + len(name))
    encoded = default_tagger().encode(sentence)
    return MentionContext(
        sentence, *where, states=mention_states(encoded, where, (0, len(sentence)))
    )


def test_roles_fine_roles_are_children_of_main_role(tmp_path: Path) -> None:
    hero = "The brave {} rescued the villagers and protected the children."
    villain = "The cruel {} bombed the hospital and lied to everyone."
    names = ["Alpha", "Beta", "Gamma", "Delta", "Omega", "Sigma"]
    contexts, mains, fines = [], [], []
    for name in names:
        for template, main, fine in (
            (hero, "Protagonist", ["Guardian"]),
            (villain, "Antagonist", ["Tyrant"]),
        ):
            contexts.append(mention(template.format(name), name))
            mains.append(main)
            fines.append(fine)
    model = EntityRoleClassifier(C=10.0, state_C=1.0).fit(contexts, mains, fines)
    assert model.children_ == {"Antagonist": ["Tyrant"], "Protagonist": ["Guardian"]}
    probe = [
        mention("The brave Kappa rescued the children.", "Kappa"),
        mention("The cruel Kappa bombed the hospital.", "Kappa"),
    ]
    found = model.predict_roles(probe)
    assert [(main, roles) for main, roles, _ in found] == [
        ("Protagonist", ["Guardian"]),
        ("Antagonist", ["Tyrant"]),
    ]
    save_model("roles", model, tmp_path, {})
    loaded = load_model("roles", tmp_path)
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe), atol=2e-3)
    np.testing.assert_allclose(
        loaded.predict_fine_proba(probe), model.predict_fine_proba(probe), atol=2e-3
    )


def test_mention_states_are_the_mention_beside_its_sentence() -> None:
    encoded = default_tagger().encode("Kyiv was shelled. Paris is calm.")
    states = mention_states(encoded, (0, 4), (0, 17))
    assert states.shape == (768,)
    np.testing.assert_allclose(states[:384], encoded.mean_state(0, 4))
    np.testing.assert_allclose(states[384:], encoded.mean_state(0, 17))
    assert not np.allclose(encoded.mean_state(0, 17), encoded.mean_state(18, 32))


def test_cast_keeps_the_actors_and_drops_the_scenery(tmp_path: Path) -> None:
    actor = "The cruel {} bombed the hospital and lied to the whole world about it."
    scenery = "The talks were held in {} on a quiet Tuesday afternoon."
    names = ["Alpha", "Beta", "Gamma", "Delta", "Omega", "Sigma", "Kappa", "Zeta"]
    vectors, cast, docs = [], [], []
    for index, name in enumerate(names):
        for template, is_cast in ((actor, True), (scenery, False)):
            context = mention(template.format(name), name)
            vectors.append(entity_vector([context, context] if is_cast else [context], ["ORG"]))
            cast.append(is_cast)
            docs.append(f"doc{index % 4}")
    assert vectors[0].shape == (768 + 3 + len(NER_LABELS),)
    model = CastClassifier(C=1.0, folds=4).fit(np.array(vectors), cast, docs)
    probe = [
        entity_vector([mention(actor.format("Theta"), "Theta")] * 2, ["ORG"]),
        entity_vector([mention(scenery.format("Theta"), "Theta")], ["GPE"]),
    ]
    assert list(model.predict(probe)) == [True, False]
    assert 0.0 < model.threshold_ < 1.0
    save_model("cast", model, tmp_path, {})
    loaded = load_model("cast", tmp_path)
    assert loaded.threshold_ == model.threshold_
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe), atol=2e-3)


def test_cast_examples_mark_the_annotated_entities(tmp_path: Path) -> None:
    root = tmp_path / "semeval2025-en" / "train"
    (root / "raw-documents").mkdir(parents=True)
    text = (
        "Talks Stall Again\n\n"
        "President Ivan Dorov accused Brussels of sabotage at the summit in Vienna.\n"
        "Dorov said Brussels wants the war to go on.\n"
    )
    (root / "raw-documents" / "EN_UA_T1.txt").write_text(text, encoding="utf-8")
    dorov = text.index("Ivan Dorov")
    (root / "subtask-1-annotations.txt").write_text(
        f"EN_UA_T1.txt\tIvan Dorov\t{dorov}\t{dorov + 9}\tAntagonist\tInstigator\n",
        encoding="utf-8",
    )
    found = cast_examples(tmp_path, shared_model().parse_many, default_tagger().encode)
    assert found.doc_ids == ["EN_UA_T1.txt"] * len(found.cast)
    assert found.cast.count(True) == 1  # Ivan Dorov and "Dorov" are one entity
    assert len(found.cast) >= 2  # Brussels and Vienna are named, not annotated
    assert {vector.shape for vector in found.vectors} == {(768 + 3 + len(NER_LABELS),)}


def test_antagonist_weights_give_antagonists_the_blind_share() -> None:
    roles = ["Antagonist", "Protagonist", "Innocent", "Antagonist"]
    weights = antagonist_weights(roles, share=0.8)
    assert weights is not None
    antagonist = np.array([r == "Antagonist" for r in roles])
    assert weights[antagonist].sum() / weights.sum() == pytest.approx(0.8)
    assert weights.sum() == pytest.approx(len(roles))
    # Always answering Antagonist then scores the share itself.
    assert np.average(antagonist, weights=weights) == pytest.approx(0.8)
    assert antagonist_weights(["Antagonist", "Antagonist"]) is None
