"""Decoding token probabilities into spans and paragraph scores."""

from __future__ import annotations

import numpy as np

from propwatch.models.techniques.decode import (
    line_breaks,
    paragraph_max,
    snap,
    technique_runs,
    token_runs,
)
from propwatch.models.techniques.features import FEATURE_NAMES, quote_mask, token_features


def test_token_runs_bridge_small_gaps_but_not_line_breaks() -> None:
    active = np.array([1, 1, 0, 1, 0, 0, 0, 1, 1], dtype=bool)
    no_breaks = np.zeros(9, dtype=bool)
    assert token_runs(active, no_breaks, 1) == [(0, 4), (7, 9)]
    assert token_runs(active, no_breaks, 0) == [(0, 2), (3, 4), (7, 9)]
    breaks = no_breaks.copy()
    breaks[3] = True
    assert token_runs(active, breaks, 1) == [(0, 2), (3, 4), (7, 9)]


def test_technique_runs_name_the_other_techniques_of_a_run() -> None:
    # Five tokens of one run, three techniques; the run itself is named after column 0.
    probs = np.array(
        [
            [0.9, 0.1, 0.7],
            [0.9, 0.8, 0.7],
            [0.9, 0.1, 0.2],
            [0.9, 0.7, 0.1],
            [0.9, 0.2, 0.1],
        ],
        dtype=np.float32,
    )
    no_breaks = np.zeros(5, dtype=bool)
    # column 1: tokens 1 and 3, bridged over one token; column 2: tokens 0-1; column 0 skipped
    assert technique_runs(probs, no_breaks, 0.6, skip=0) == [(1, 4, 1), (0, 2, 2)]
    breaks = no_breaks.copy()
    breaks[2] = True  # a line break before token 2 is never bridged
    assert technique_runs(probs, breaks, 0.6, skip=0) == [(1, 2, 1), (3, 4, 1), (0, 2, 2)]
    assert technique_runs(probs, no_breaks, 0.95, skip=0) == []


def test_line_breaks_mark_first_token_after_newline() -> None:
    text = "ab cd\nef\n\ngh"
    offsets = np.array([[0, 2], [3, 5], [6, 8], [10, 12]])
    assert line_breaks(text, offsets).tolist() == [False, False, True, True]


def test_snap_widens_to_whole_words() -> None:
    text = "unbelievable lies, again"
    assert snap(text, 2, 8) == (0, 12)
    assert snap(text, 13, 17) == (13, 17)


def test_paragraph_max_takes_the_highest_token_score() -> None:
    probs = np.array([[0.1, 0.9], [0.7, 0.2], [0.3, 0.4]], dtype=np.float32)
    offsets = np.array([[0, 3], [4, 7], [10, 12]])
    out = paragraph_max(probs, offsets, [(0, 8), (10, 12), (13, 20)])
    assert out.tolist() == [
        [0.699999988079071, 0.8999999761581421],
        [0.30000001192092896, 0.4000000059604645],
        [0.0, 0.0],
    ]


def test_quote_mask_and_token_features() -> None:
    text = 'BIG news\n"Crooks," he said. Crooks again.'
    assert quote_mask(text)[9:18].tolist() == [True] * 8 + [False]
    offsets = np.array([[0, 3], [4, 8], [10, 16], [28, 34]])
    features = token_features(text, offsets)
    assert FEATURE_NAMES == (
        "all_caps",
        "title_case",
        "in_quotes",
        "in_title_line",
        "word_repeated",
        "bigram_repeated",
        "word_count_log",
    )
    assert features[:, :6].tolist() == [
        [1, 0, 0, 1, 0, 0],
        [0, 0, 0, 1, 0, 0],
        [0, 1, 1, 0, 1, 0],
        [0, 1, 0, 0, 1, 0],
    ]
    assert round(float(features[2, 6]), 4) == round(float(np.log1p(2) / 3), 4)


def test_a_text_of_one_line_or_a_long_first_line_has_no_title_line() -> None:
    pasted = "Only a fool would believe their pathetic lies."
    titled = f"Lies in Parliament\n\n{pasted}"
    offsets = np.array([[0, 4], [5, 6], [7, 11]])
    assert token_features(pasted, offsets)[:, 3].tolist() == [0, 0, 0]
    assert token_features(titled, offsets)[:, 3].tolist() == [1, 1, 1]
    two_paragraphs = f"{' '.join([pasted] * 6)}\n\n{pasted}"  # 48 words before the break
    assert token_features(two_paragraphs, offsets)[:, 3].tolist() == [0, 0, 0]


def test_all_caps_counts_letters_and_quotes_reset_at_line_breaks() -> None:
    text = 'A1 B2C ÉTÉ ÉtÉ "NO\nyes" again'
    offsets = np.array([[0, 2], [3, 6], [7, 10], [11, 14], [16, 18], [19, 22], [24, 29]])
    features = token_features(text, offsets)
    assert features[:, 0].tolist() == [0, 1, 1, 0, 1, 0, 0]  # all_caps: two letters at least
    # the quote opened before "NO" ends at the line break; the next mark opens another
    assert features[:, 2].tolist() == [0, 0, 0, 0, 1, 0, 1]
