"""Brat attribution reader (PolNeAR layout) and the quotes-tsv prediction reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.errors import InputError
from propwatch.io.labels.brat import read_attribution_folder, read_attributions
from propwatch.io.labels.quotes import PredictedQuote, read_quotes_tsv
from propwatch.text.span import Span

ANN = (
    "T1\tSource 0 9\tMayor Lee\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 16 30;35 40\tfirst part\n"
    "continues after a line break inside the text field\n"
    "T4\tAttribution 10 14\tsaid\n"
    "T5\tContent 50 55\tsecond content\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1 Content2:T5\n"
    "#1\tAnnotatorNotes T1\ta note\n"
    "T6\tCue 60 66\tis said\n"
    "T7\tContent 67 80\tno source here\n"
    "T8\tAttribution-no-source 60 66\tis said\n"
    "E2\tAttribution-no-source:T8 Cue:T6 Content:T7\n"
)


def test_attributions_with_discontinuous_and_second_content(tmp_path: Path) -> None:
    path = tmp_path / "nyt_2016-01-01_story_4e07.ann"
    path.write_text(ANN, encoding="utf-8")
    first, second = read_attributions(path)
    assert (first.article_id, first.annotator, first.id, first.kind) == (
        "nyt_2016-01-01_story",
        "4e07",
        "E1",
        "Attribution",
    )
    assert first.source == (Span(0, 9, "Source"),)
    assert first.cue == (Span(10, 14, "Cue"),)
    assert first.content == (
        Span(16, 30, "Content"),
        Span(35, 40, "Content"),
        Span(50, 55, "Content2"),
    )
    assert second.kind == "Attribution-no-source"
    assert second.source == ()
    assert second.content == (Span(67, 80, "Content"),)


def test_unknown_argument_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "a_4e07.ann"
    path.write_text("T1\tCue 0 4\tsaid\nE1\tAttribution:T1 Content:T9\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_attributions(path)
    assert str(caught.value) == f"{path}:2: Content argument names unknown annotation 'T9'"


def test_bad_offsets_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "a.ann"
    path.write_text("T1\tCue 0 4\tsaid\nT2\tContent 9 x\tnope\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_attributions(path)
    assert str(caught.value) == f"{path}:2: offsets '9 x' are not 'start end[;start end…]'"


def test_stray_line_not_after_a_text_bound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.ann"
    path.write_text("E1\tAttribution:T1\nstray\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_attributions(path)
    assert str(caught.value) == f"{path}:2: not a brat annotation line"


def test_folder_keeps_first_annotator_per_article(tmp_path: Path) -> None:
    (tmp_path / "story_4e07.ann").write_text("T1\tCue 0 4\tsaid\n", encoding="utf-8")
    (tmp_path / "story_d473.ann").write_text(ANN, encoding="utf-8")
    assert read_attribution_folder(tmp_path) == {"story": []}


def test_quotes_tsv(tmp_path: Path) -> None:
    path = tmp_path / "quotes.tsv"
    path.write_text(
        "7\t10\t40\t0\t9\t-1\t-1\tAnna Lee\tdirect\n7\t50\t60\t-1\t-1\t41\t45\t\tindirect\n",
        encoding="utf-8",
    )
    assert read_quotes_tsv(path) == [
        PredictedQuote(
            "7", Span(10, 40, "quote"), Span(0, 9, "source"), None, "Anna Lee", "direct"
        ),
        PredictedQuote("7", Span(50, 60, "quote"), None, Span(41, 45, "cue"), "", "indirect"),
    ]


def test_quotes_tsv_without_quote_span_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "quotes.tsv"
    path.write_text("7\t-1\t-1\t0\t9\t-1\t-1\t\tdirect\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_quotes_tsv(path)
    assert str(caught.value) == f"{path}:1: quote span is missing (-1)"
