"""``quotes``: content-span matching, speaker accuracy and direct quotes, on a brat fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.eval.quotes import (
    gold_quotes,
    is_direct,
    match_quotes,
    read_gold_quotes,
    score_quotes,
)
from propwatch.io.labels.brat import read_attributions
from propwatch.io.labels.quotes import PredictedQuote
from propwatch.text.span import Span

TEXT = 'Mayor Lee said: "We will rebuild the bridge." Critics argue the plan is too costly.\n'


def at(fragment: str) -> Span:
    start = TEXT.index(fragment)
    return Span(start, start + len(fragment))


def brat_line(number: int, kind: str, fragment: str) -> str:
    span = at(fragment)
    return f"T{number}\t{kind} {span.start} {span.end}\t{fragment}\n"


@pytest.fixture
def polnear(tmp_path: Path) -> Path:
    """``attributions/story_4e07.ann`` and ``text/story.txt``, PolNeAR layout."""
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "story.txt").write_text(TEXT, encoding="utf-8")
    ann = (
        brat_line(1, "Source", "Mayor Lee")
        + brat_line(2, "Cue", "said")
        + brat_line(3, "Content", "We will rebuild the bridge.")
        + brat_line(4, "Attribution", "said")
        + "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        + brat_line(5, "Source", "Critics")
        + brat_line(6, "Cue", "argue")
        + brat_line(7, "Content", "the plan is too costly")
        + brat_line(8, "Attribution", "argue")
        + "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n"
    )
    (tmp_path / "attributions" / "story_4e07.ann").write_text(ann, encoding="utf-8")
    return tmp_path


def quote(
    fragment: str, kind: str, source: Span | None = None, speaker: str = ""
) -> PredictedQuote:
    return PredictedQuote("story", at(fragment), source, None, speaker, kind)


PREDICTIONS = [
    # Gold content is 27 characters, this one 29: overlap 27 >= 29/2 -> match; source "Lee"
    # overlaps the gold source "Mayor Lee" -> speaker right.
    quote('"We will rebuild the bridge."', "direct", source=at("Lee")),
    # 11 characters inside the 22-character gold content: 11 >= 22/2 -> match (exactly half);
    # no source span, but the name "the critics" contains the gold source "Critics".
    quote("plan is too", "indirect", speaker="the critics"),
    # Overlaps no gold content.
    quote("Mayor Lee", "direct"),
]


def test_gold_quotes_and_direct_detection(polnear: Path) -> None:
    quotes = read_gold_quotes(polnear / "attributions", polnear / "text")["story"]
    assert [(q.content, q.source_text, q.direct) for q in quotes] == [
        (at("We will rebuild the bridge."), "Mayor Lee", True),
        (at("the plan is too costly"), "Critics", False),
    ]


def test_quote_f1_and_speaker_accuracy(polnear: Path) -> None:
    gold = read_gold_quotes(polnear / "attributions", polnear / "text")
    score = score_quotes(PREDICTIONS, gold, direct_only=False)
    # 2 matched of 3 predicted and 2 gold: P 2/3, R 1, F1 = 2 * (2/3) / (5/3) = 0.8.
    assert score.metrics["precision"] == pytest.approx(2 / 3)
    assert score.metrics["recall"] == pytest.approx(1.0)
    assert score.metrics["f1"] == pytest.approx(0.8)
    # Both matched gold quotes have a source; both speakers are right: 2/2.
    assert score.metrics["speaker_accuracy"] == 1.0
    assert score.counts["matched_with_gold_source"] == 2


def test_direct_only_keeps_direct_gold_and_direct_predictions(polnear: Path) -> None:
    gold = read_gold_quotes(polnear / "attributions", polnear / "text")
    score = score_quotes(PREDICTIONS, gold, direct_only=True)
    # Gold: the bridge quote only. Predictions of kind direct: the bridge and "Mayor Lee".
    # 1 matched: P 1/2, R 1/1, F1 = 2 * 0.5 / 1.5 = 2/3.
    assert score.counts["gold_quotes"] == 1
    assert score.counts["predicted_quotes"] == 2
    assert score.metrics["f1"] == pytest.approx(2 / 3)


def test_wrong_speaker_is_counted(polnear: Path) -> None:
    gold = read_gold_quotes(polnear / "attributions", polnear / "text")
    pred = [quote("plan is too costly", "indirect", source=at("Mayor"), speaker="Mayor Lee")]
    score = score_quotes(pred, gold, direct_only=False)
    assert score.counts["matched"] == 1
    assert score.metrics["speaker_accuracy"] == 0.0


def test_speaker_name_must_contain_the_source_as_whole_words(polnear: Path) -> None:
    gold = read_gold_quotes(polnear / "attributions", polnear / "text")
    # Gold source of the second quote is "Critics": "Criticsville Times" contains it only
    # as part of a word, "CRITICS of the plan" as a word (case-insensitive).
    wrong = score_quotes(
        [quote("plan is too", "indirect", speaker="Criticsville Times")], gold, False
    )
    right = score_quotes(
        [quote("plan is too", "indirect", speaker="CRITICS of the plan")], gold, False
    )
    assert (wrong.metrics["speaker_accuracy"], right.metrics["speaker_accuracy"]) == (0.0, 1.0)


def test_half_of_the_longer_span_is_needed() -> None:
    # [0,4) inside [0,10): overlap 4 < 10/2 -> no match.
    assert match_quotes([Span(0, 4)], [Span(0, 10)]) == []


def test_matching_is_one_to_one_with_most_pairs() -> None:
    # Prediction 0 may match either gold quote, prediction 1 only gold 0: best is 2 pairs.
    assert match_quotes([Span(0, 10), Span(0, 5)], [Span(0, 5), Span(5, 10)]) == [(0, 1), (1, 0)]


@pytest.mark.parametrize(
    ("text", "fragment", "direct"),
    [
        ('He said: "Go home." Then', '"Go home."', True),
        ('He said: "Go home." Then', "Go home.", True),
        ("He said: “Go home,” and", "Go home,", True),
        ("He said: “Go home”.", "Go home", True),
        ('He said "go" and more', '"go" and more', False),
        ("He said to go home.", "to go home", False),
        ("It\u2019s a \u2018plan\u2019 now", "\u2018plan\u2019", False),  # single quotes
        ("He said ''Go home,'' and", "''Go home,''", True),  # NYT doubled apostrophes
        ("The ''plan'' now", "plan'' now", False),
    ],
)
def test_is_direct(text: str, fragment: str, direct: bool) -> None:
    start = text.index(fragment)
    assert is_direct(text, Span(start, start + len(fragment))) is direct


def test_attribution_without_content_is_not_a_quote(tmp_path: Path) -> None:
    path = tmp_path / "a.ann"
    path.write_text("T1\tCue 0 4\tsaid\nE1\tAttribution:T1 Cue:T1\n", encoding="utf-8")
    assert gold_quotes(read_attributions(path), "said it") == []
