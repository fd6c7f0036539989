"""Word polarity around an entity mention: how the text speaks of it and of what it does.

An entity's role is the stance the article takes towards it, which a few hundred training
mentions teach the words and state views only weakly (the words model never saw most verbs).
A sentiment lexicon knows thousands of words' polarity beforehand: VADER's (Hutto & Gilbert,
ICWSM 2014; 7,500 words and emoticons rated from -4 to +4, from the ``vaderSentiment``
package). The numbers tell, for example, that the mention is the subject of a negative verb
("Russia destroyed...": an antagonist) or its object ("civilians were killed": an innocent),
or that the words beside it are warm ("the brave defenders").

:func:`polarity_features` gives :data:`FEATURES` numbers per mention, from its sentence and
the parse cues of :class:`~propwatch.models.article.roles.MentionCues` (``D:`` dependency
label, ``VR:`` governing verb, ``M:`` modifiers, ``Q:`` quoted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from propwatch.models.article.roles import MentionContext

AGENT_DEPS = frozenset({"nsubj", "agent", "csubj"})
PATIENT_DEPS = frozenset({"nsubjpass", "dobj", "pobj", "iobj", "attr", "oprd"})
WINDOW = 6  # words either side of the mention whose polarity counts as "near"
MAX_VALENCE = 4.0  # VADER rates words from -4 to +4
WORD = re.compile(r"\w+")
FEATURES = (
    "verb_if_agent",
    "verb_if_patient",
    "verb_otherwise",
    "modifiers",
    "near_mean",
    "near_lowest",
    "near_highest",
    "sentence_compound",
    "sentence_negative",
    "sentence_positive",
    "quoted",
    "is_agent",
    "is_patient",
)


class Analyzer(Protocol):
    lexicon: dict[str, float]

    def polarity_scores(self, text: str) -> dict[str, float]: ...


@cache
def analyzer() -> Analyzer:
    """VADER's analyzer, its lexicon read once per process (about 20 ms)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def polarity_features(contexts: Sequence[MentionContext]) -> NDArray[np.float32]:
    """:data:`FEATURES` per mention, shape (n_mentions, len(FEATURES)).

    Word valences are VADER's divided by 4 (0 for a word it does not rate); the sentence's are
    VADER's scores of the whole sentence, computed once per distinct sentence.
    """
    vader = analyzer()
    sentence_scores: dict[str, dict[str, float]] = {}
    rows = np.zeros((len(contexts), len(FEATURES)), dtype=np.float32)

    def valence(word: str) -> float:
        return float(vader.lexicon.get(word.lower(), 0.0)) / MAX_VALENCE

    for row, context in enumerate(contexts):
        cues = [cue.split(":") for cue in context.cues]
        dep = next((parts[1] for parts in cues if parts[0] == "D"), "")
        verb = next((valence(parts[2]) for parts in cues if parts[0] == "VR"), 0.0)
        modifiers = [valence(parts[1]) for parts in cues if parts[0] == "M"]
        left = WORD.findall(context.sentence[: context.start])[-WINDOW:]
        right = WORD.findall(context.sentence[context.end :])[:WINDOW]
        near = [valence(word) for word in left + right] or [0.0]
        if context.sentence not in sentence_scores:
            sentence_scores[context.sentence] = vader.polarity_scores(context.sentence)
        scores = sentence_scores[context.sentence]
        agent, patient = dep in AGENT_DEPS, dep in PATIENT_DEPS
        rows[row] = (
            verb * agent,
            verb * patient,
            verb * (not agent and not patient),
            float(np.mean(modifiers)) if modifiers else 0.0,
            float(np.mean(near)),
            min(near),
            max(near),
            scores["compound"],
            scores["neg"],
            scores["pos"],
            float(["Q", "1"] in cues),
            float(agent),
            float(patient),
        )
    return rows
