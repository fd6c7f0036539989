"""SemEval label readers: exact records, end-exclusive offsets, ``file:line`` errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.errors import InputError
from propwatch.io.labels import semeval2020, semeval2023, semeval2025
from propwatch.io.labels.semeval2025 import EntityMention, fix_utf16_offsets
from propwatch.io.labels.tsv import read_label_list
from propwatch.text.span import Span


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_si_rows_keep_file_order(tmp_path: Path) -> None:
    path = write(tmp_path / "si.tsv", "101\t5\t9\n\n102\t0\t3\r\n")
    labels = semeval2020.read_si(path)
    assert [(x.article_id, x.span) for x in labels] == [
        ("101", Span(5, 9, "")),
        ("102", Span(0, 3, "")),
    ]


def test_tc_template_question_mark_becomes_empty_label(tmp_path: Path) -> None:
    path = write(tmp_path / "tc.tsv", "101\tDoubt\t5\t9\n101\t?\t10\t12\n")
    labels = semeval2020.read_tc(path)
    assert [x.span for x in labels] == [Span(5, 9, "Doubt"), Span(10, 12, "")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("101\t5\t9\n101\t5\n", "expected 3 tab-separated fields, found 2"),
        ("101\t5\t9\n101\tfive\t9\n", "start 'five' is not a non-negative integer"),
        ("101\t5\t9\n101\t9\t9\n", "start 9 must be smaller than end 9"),
        ("101\t5\t9\n101\t-1\t9\n", "start '-1' is not a non-negative integer"),
    ],
)
def test_malformed_si_line_names_file_and_line(tmp_path: Path, text: str, reason: str) -> None:
    path = write(tmp_path / "si.tsv", text)
    with pytest.raises(InputError) as caught:
        semeval2020.read_si(path)
    assert str(caught.value) == f"{path}:2: {reason}"


def test_invalid_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "si.tsv"
    path.write_bytes(b"101\t5\t9\n\xff\n")
    with pytest.raises(InputError) as caught:
        semeval2020.read_si(path)
    assert str(caught.value) == f"{path}: not UTF-8 text (byte 8)"


def test_genres_and_frames(tmp_path: Path) -> None:
    genres = write(tmp_path / "st1.txt", "1\topinion\n2\tsatire\n")
    frames = write(tmp_path / "st2.txt", "1\tEconomic,Morality\n2\t\n3\n")
    assert semeval2023.read_genres(genres) == {"1": "opinion", "2": "satire"}
    assert semeval2023.read_frames(frames) == {"1": ("Economic", "Morality"), "2": (), "3": ()}


def test_duplicate_article_is_refused_with_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "st1.txt", "1\topinion\n1\tsatire\n")
    with pytest.raises(InputError) as caught:
        semeval2023.read_genres(path)
    assert str(caught.value) == f"{path}:2: duplicate entry '1' (first at {path}:1)"


def test_paragraph_labels_from_file_and_folder_agree(tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    folder.mkdir()
    write(folder / "article1-labels-subtask-3.txt", "1\t1\tSlogans,Doubt\n1\t3\t\n")
    write(folder / "article2-labels-subtask-3.txt", "2\t1\n")
    write(folder / "article1.template", "1\t1\tnot a label line\n")  # ignored: not *.txt
    single = write(tmp_path / "all.txt", "1\t1\tSlogans,Doubt\n1\t3\t\n2\t1\n")
    expected = {("1", 1): ("Slogans", "Doubt"), ("1", 3): (), ("2", 1): ()}
    assert semeval2023.read_paragraph_labels(folder) == expected
    assert semeval2023.read_paragraph_labels(single) == expected


def test_technique_span_folder(tmp_path: Path) -> None:
    folder = tmp_path / "spans"
    folder.mkdir()
    write(folder / "article2-labels-subtask-3.txt", "2\tDoubt\t0\t4\n")
    write(folder / "article1-labels-subtask-3.txt", "1\tSlogans\t3\t8\n")
    labels = semeval2023.read_technique_spans(folder)
    assert [(x.article_id, x.span) for x in labels] == [
        ("1", Span(3, 8, "Slogans")),
        ("2", Span(0, 4, "Doubt")),
    ]


def test_empty_label_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        semeval2023.read_paragraph_labels(tmp_path)
    assert str(caught.value) == f"{tmp_path}: folder holds no *.txt file"


def test_entity_mentions_convert_inclusive_end(tmp_path: Path) -> None:
    path = write(
        tmp_path / "st1.txt",
        "EN_1.txt\tCity Hall\t4\t12\tProtagonist\tGuardian\tVirtuous\r\n"
        "EN_1.txt\tMayor\t20\t24\r\n",
    )
    assert semeval2025.read_entity_mentions(path) == [
        EntityMention("EN_1.txt", "City Hall", 4, 13, "Protagonist", ("Guardian", "Virtuous")),
        EntityMention("EN_1.txt", "Mayor", 20, 25),
    ]


def test_utf16_offsets_are_repaired_only_when_they_fit() -> None:
    text = "🙂🙂 The mayor spoke."
    # In UTF-16 each emoji takes two units, so "mayor" starts at unit 9, str index 7.
    shifted = EntityMention("d", "mayor", 9, 14, "Innocent", ("Victim",))
    assert text[7:12] == "mayor"
    assert fix_utf16_offsets(shifted, text) == EntityMention(
        "d", "mayor", 7, 12, "Innocent", ("Victim",)
    )
    right = EntityMention("d", "mayor", 7, 12)
    assert fix_utf16_offsets(right, text) is right
    unrelated = EntityMention("d", "council", 9, 16)
    assert fix_utf16_offsets(unrelated, text) is unrelated


def test_narratives_split_on_semicolons(tmp_path: Path) -> None:
    path = write(
        tmp_path / "st2.txt",
        "d1\tURW: Blaming the war on others;Other\tURW: Blaming the war on others: Other;Other\r\n",
    )
    doc = semeval2025.read_narratives(path)["d1"]
    assert doc.narratives == ("URW: Blaming the war on others", "Other")
    assert doc.subnarratives == ("URW: Blaming the war on others: Other", "Other")


def test_label_list_skips_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "frames.txt", "Economic\r\n\nMorality\n")
    assert read_label_list(path) == ("Economic", "Morality")
