"""The word polarity view of entity roles: what the numbers say and what they add."""

from __future__ import annotations

import numpy as np

from propwatch.models.article.polarity import FEATURES, polarity_features
from propwatch.models.article.roles import EntityRoleClassifier, MentionContext


def context(sentence: str, name: str, *cues: str) -> MentionContext:
    start = sentence.index(name)
    return MentionContext(
        sentence, start, start + len(name), cues, states=np.zeros(4, dtype=np.float32)
    )


def column(name: str) -> int:
    return FEATURES.index(name)


def test_the_doer_of_harm_and_its_victim_differ_in_the_verbs_polarity() -> None:
    doer = context("Russia destroyed the hospital.", "Russia", "D:nsubj", "VR:nsubj:destroy")
    victim = context("Soldiers killed the civilians.", "civilians", "D:dobj", "VR:dobj:kill")
    rows = polarity_features([doer, victim])
    assert rows[0, column("verb_if_agent")] < 0 == rows[0, column("verb_if_patient")]
    assert rows[1, column("verb_if_patient")] < 0 == rows[1, column("verb_if_agent")]
    assert rows[0, column("is_agent")] == 1 == rows[1, column("is_patient")]


def test_warm_and_hostile_words_beside_a_mention_and_quotation() -> None:
    hero = context("The brave and honest mayor saved the town.", "mayor")
    villain = context('"The corrupt, cruel mayor ruined the town," she said.', "mayor", "Q:1")
    rows = polarity_features([hero, villain])
    for name in ("near_mean", "sentence_compound"):
        assert rows[0, column(name)] > 0 > rows[1, column(name)]
    assert rows[1, column("sentence_negative")] > rows[0, column("sentence_negative")]
    assert (rows[0, column("quoted")], rows[1, column("quoted")]) == (0, 1)


def test_the_polarity_view_names_roles_from_words_never_seen_in_training() -> None:
    contexts, mains, fines = [], [], []
    for verb, lemma, main, fine in (
        ("helped", "help", "Protagonist", "Guardian"),
        ("supported", "support", "Protagonist", "Guardian"),
        ("saved", "save", "Protagonist", "Guardian"),
        ("attacked", "attack", "Antagonist", "Tyrant"),
        ("hurt", "hurt", "Antagonist", "Tyrant"),
        ("destroyed", "destroy", "Antagonist", "Tyrant"),
    ):
        sentence = f"The agency {verb} the families in the valley."
        for _ in range(3):
            contexts.append(context(sentence, "agency", "D:nsubj", f"VR:nsubj:{lemma}"))
            mains.append(main)
            fines.append([fine])
    model = EntityRoleClassifier(polarity_weight=1.0).fit(contexts, mains, fines)
    # "protect" and "murder" are in no training sentence; the lexicon knows their polarity.
    probe = [
        context("The agency protected the families.", "agency", "D:nsubj", "VR:nsubj:protect"),
        context("The agency murdered the families.", "agency", "D:nsubj", "VR:nsubj:murder"),
    ]
    assert model.predict(probe) == ["Protagonist", "Antagonist"]
    without = EntityRoleClassifier(polarity_weight=0.0).fit(contexts, mains, fines)
    # Words and (here empty) states alone cannot tell them apart.
    first, second = without.predict_proba(probe)
    np.testing.assert_allclose(first, second, atol=0.05)
