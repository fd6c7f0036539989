"""Annotation files: every format exports and imports back the same annotations; bad rows
are reported one line each while the good ones are imported."""

from __future__ import annotations

import json
from dataclasses import astuple
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from propwatch import registry
from propwatch.annotations.formats.labelstudio import config_path
from propwatch.annotations.store import (
    annotated_article,
    export_annotations,
    import_annotations,
)
from propwatch.db import repo
from propwatch.db.models import AnnotationRow
from propwatch.io.labels.semeval2023 import read_paragraph_labels
from propwatch.schemes import load_scheme
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.annotation import Annotation
from propwatch.text.article import Article
from propwatch.text.span import Span

# Team-written article; offsets: "reckless" 18-26, "harbour board" 27-40, "wasted millions"
# 41-56, "Everyone knows" 73-87.
TEXT = (
    "Harbour plan\n\n"
    "The reckless harbour board wasted millions, critics say. "
    "Everyone knows it was a scandal."
)
WHEN = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
PREDICTED = [
    Span(18, 26, "Loaded_Language", 0.8),
    Span(18, 40, "Name_Calling-Labeling", 0.7),
    Span(41, 56, "Exaggeration-Minimisation", 0.6),
    Span(95, 102, "Loaded_Language", 0.5),
]
ANNOTATIONS = [
    Annotation("technique", "accept", 18, 26, ("Loaded_Language",), "alice", WHEN),
    Annotation(
        "technique",
        "relabel",
        41,
        56,
        ("Loaded_Language", "Exaggeration-Minimisation"),
        "alice",
        WHEN,
    ),
    Annotation("technique", "resize", 22, 40, ("Name_Calling-Labeling",), "bob", WHEN),
    Annotation("technique", "add", 73, 87, ("Appeal_to_Popularity",), "bob", WHEN),
    Annotation("technique", "reject", 95, 102, ("Loaded_Language",), "bob", WHEN),
    Annotation("speaker", "add", 73, 87, ("critics",), "alice", WHEN),
]


@pytest.fixture
def article_id(session: Session) -> int:
    analysis = Analysis(Article(id="harbour/1", text=TEXT))
    analysis.set_layer(TECHNIQUES, PREDICTED)
    analysis.labels["scheme"] = "semeval2023"
    row_id = repo.add_analysis(session, analysis).id
    repo.import_annotations(session, {row_id: ANNOTATIONS})
    return row_id


def forget_annotations(session: Session) -> None:
    session.execute(sa.delete(AnnotationRow))
    session.commit()


def kept(annotations: list[Annotation], fields: tuple[str, ...]) -> list[tuple[object, ...]]:
    return [tuple(getattr(a, name) for name in fields) for a in annotations]


# What the span formats hold: the technique spans a person kept (no reject, no speaker).
REVIEWED = [a for a in ANNOTATIONS if a.kind == "technique" and a.action != "reject"]


# Every format that holds technique spans (paragraph labels hold paragraphs: tested apart).
SPAN_FORMATS = [n for n in registry.annotation_formats.names() if n != "semeval2023-paragraphs"]


@pytest.mark.parametrize("name", SPAN_FORMATS)
def test_export_then_import_gives_the_same_annotations(
    name: str, session: Session, article_id: int, tmp_path: Path
) -> None:
    found = registry.annotation_formats.get(name)
    target = tmp_path / f"export{'' if found.folder else found.suffix}"
    assert export_annotations(session, name, target) == 1
    forget_annotations(session)
    report = import_annotations(session, [target], name, who="carol")
    _, imported = repo.annotations_of(session, article_id)
    expected = ANNOTATIONS if name == "jsonl" else REVIEWED
    assert (report.added, report.present, report.problems) == (len(expected), 0, [])
    assert kept(imported, found.keeps) == kept(expected, found.keeps)
    if "labels" in found.keeps:  # the actions of span files are recovered from the predictions
        assert [a.action for a in imported] == [a.action for a in expected]
    if name != "jsonl":
        assert {(a.who, a.created_at.tzinfo) for a in imported} == {("carol", UTC)}
    again = import_annotations(session, [target], name)
    assert (again.added, again.present) == (0, len(expected))


def test_the_semeval_tc_file_has_a_line_per_technique(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    export_annotations(session, "semeval2020-tc", tmp_path / "tc.txt")
    assert (tmp_path / "tc.txt").read_text(encoding="utf-8") == (
        "harbour/1\tLoaded_Language\t18\t26\n"
        "harbour/1\tLoaded_Language\t41\t56\n"
        "harbour/1\tExaggeration-Minimisation\t41\t56\n"
        "harbour/1\tName_Calling-Labeling\t22\t40\n"
        "harbour/1\tAppeal_to_Popularity\t73\t87\n"
    )


def test_paragraph_labels_are_the_reviewed_techniques_of_each_line(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    target = tmp_path / "paragraphs.txt"
    export_annotations(session, "semeval2023-paragraphs", target)
    # Line 1 is the title, line 2 is blank; line 3 holds every span, the reject left out.
    assert target.read_text(encoding="utf-8") == (
        "harbour/1\t1\t\n"
        "harbour/1\t3\tAppeal_to_Popularity,Exaggeration-Minimisation,Loaded_Language,"
        "Name_Calling-Labeling\n"
    )
    assert read_paragraph_labels(target) == {
        ("harbour/1", 1): (),
        ("harbour/1", 3): (
            "Appeal_to_Popularity",
            "Exaggeration-Minimisation",
            "Loaded_Language",
            "Name_Calling-Labeling",
        ),
    }


def test_paragraph_labels_import_as_paragraph_annotations_and_export_the_same(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    first = tmp_path / "paragraphs.txt"
    export_annotations(session, "semeval2023-paragraphs", first)
    forget_annotations(session)
    report = import_annotations(session, [first], "semeval2023-paragraphs", who="carol")
    assert (report.added, report.present, report.problems) == (2, 0, [])
    # The title's empty row says what the model said (no paragraph output: nothing); the
    # body's row names other techniques.
    assert [astuple(a)[:6] for a in repo.annotations_of(session, article_id)[1]] == [
        ("paragraph", "accept", 0, 12, (), "carol"),
        (
            "paragraph",
            "relabel",
            14,
            103,
            (
                "Appeal_to_Popularity",
                "Exaggeration-Minimisation",
                "Loaded_Language",
                "Name_Calling-Labeling",
            ),
            "carol",
        ),
    ]
    again = tmp_path / "again.txt"
    export_annotations(session, "semeval2023-paragraphs", again)
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    jsonl = tmp_path / "all.jsonl"
    export_annotations(session, "jsonl", jsonl)
    forget_annotations(session)
    assert import_annotations(session, [jsonl]).added == 2
    export_annotations(session, "semeval2023-paragraphs", again)
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_a_paragraph_label_overrides_the_spans_of_its_paragraph(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    labels = tmp_path / "paragraphs.txt"
    labels.write_text("harbour/1\t3\tDoubt\n", encoding="utf-8")
    assert import_annotations(session, [labels], "semeval2023-paragraphs").added == 1
    export_annotations(session, "semeval2023-paragraphs", tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == (
        "harbour/1\t1\t\nharbour/1\t3\tDoubt\n"
    )
    # The span formats are unchanged: a paragraph label names no span.
    export_annotations(session, "semeval2020-si", tmp_path / "si.txt")
    assert len((tmp_path / "si.txt").read_text(encoding="utf-8").splitlines()) == 4


def test_bad_paragraph_rows_are_one_line_each(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    forget_annotations(session)
    labels = tmp_path / "paragraphs.txt"
    labels.write_text(
        "harbour/1\t2\tDoubt\n"
        "harbour/1\tthree\tDoubt\n"
        "harbour/1\t3\tSarcasm\n"
        "harbour/1\t3\tDoubt,Slogans\n",
        encoding="utf-8",
    )
    report = import_annotations(session, [labels], "semeval2023-paragraphs")
    assert report.problems == [
        f"{labels}:2: paragraph line 'three' is not a non-negative integer",
        f"{labels}:1: line 2 of the stored article is not a paragraph",
        f"{labels}:3: unknown technique 'Sarcasm' for scheme 'semeval2023'; it has: "
        + ", ".join(load_scheme("semeval2023").names),
    ]
    assert [astuple(a)[:5] for a in repo.annotations_of(session, article_id)[1]] == [
        ("paragraph", "relabel", 14, 103, ("Doubt", "Slogans")),
    ]


def test_a_complete_import_rejects_the_model_spans_the_files_leave_out(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    forget_annotations(session)
    gold = tmp_path / "gold.txt"
    gold.write_text(
        "harbour/1\tLoaded_Language\t18\t26\nharbour/1\tDoubt\t73\t87\n", encoding="utf-8"
    )
    report = import_annotations(session, [gold], "semeval2020-tc", who="gold", complete=True)
    assert (report.added, report.problems) == (5, [])
    assert [astuple(a)[:5] for a in repo.annotations_of(session, article_id)[1]] == [
        ("technique", "accept", 18, 26, ("Loaded_Language",)),
        ("technique", "add", 73, 87, ("Doubt",)),
        ("technique", "reject", 18, 40, ("Name_Calling-Labeling",)),
        ("technique", "reject", 41, 56, ("Exaggeration-Minimisation",)),
        ("technique", "reject", 95, 102, ("Loaded_Language",)),
    ]
    [article] = [
        annotated_article(repo.to_analysis(row), notes)
        for row, notes in repo.annotated_articles(session)
    ]
    assert article.gold_spans() == [(18, 26, "Loaded_Language"), (73, 87, "Doubt")]
    # Without --complete the spans the file leaves out stay as the model gave them.
    forget_annotations(session)
    import_annotations(session, [gold], "semeval2020-tc")
    [article] = [
        annotated_article(repo.to_analysis(row), notes)
        for row, notes in repo.annotated_articles(session)
    ]
    assert len(article.gold_spans()) == 5


def test_brat_and_semeval2023_folders_name_files_safely(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    export_annotations(session, "brat", tmp_path / "brat")
    export_annotations(session, "semeval2023-spans", tmp_path / "spans")
    assert sorted(p.name for p in (tmp_path / "brat").iterdir()) == [
        "annotation.conf",
        "harbour%2F1.ann",
        "harbour%2F1.txt",
    ]
    assert (tmp_path / "brat" / "harbour%2F1.txt").read_text(encoding="utf-8") == TEXT
    assert (tmp_path / "brat" / "harbour%2F1.ann").read_text(encoding="utf-8").splitlines()[:2] == [
        "T1\tLoaded_Language 18 26\treckless",
        "T2\tLoaded_Language 41 56\twasted millions",
    ]
    assert [p.name for p in (tmp_path / "spans").iterdir()] == [
        "articleharbour%2F1-labels-subtask-3-spans.txt"
    ]


def test_label_studio_tasks_and_config(session: Session, article_id: int, tmp_path: Path) -> None:
    export_annotations(session, "labelstudio", tmp_path / "tasks.json")
    [task] = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert task["data"] == {"text": TEXT, "propwatch_id": "harbour/1"}
    [annotation] = task["annotations"]
    assert annotation["result"][0] == {
        "id": "s1",
        "from_name": "technique",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 18, "end": 26, "text": "reckless", "labels": ["Loaded_Language"]},
    }
    assert [r["value"]["labels"] for r in task["predictions"][0]["result"]] == [
        ["Loaded_Language"],
        ["Name_Calling-Labeling"],
        ["Exaggeration-Minimisation"],
        ["Loaded_Language"],
    ]
    config = config_path(tmp_path / "tasks.json").read_text(encoding="utf-8")
    assert config.startswith(
        '<View>\n  <Labels name="technique" toName="text" choice="multiple">\n'
        '    <Label value="Name_Calling-Labeling" />\n'
    )
    assert config.endswith('  </Labels>\n  <Text name="text" value="$text" />\n</View>\n')
    assert config.count("<Label value=") == 23


def test_bad_rows_are_one_line_each_and_the_rest_is_imported(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    forget_annotations(session)
    labels = tmp_path / "labels.txt"
    labels.write_text(
        "harbour/1\tLoaded_Language\t18\t26\n"
        "harbour/1\tLoaded_Language\t18\n"
        "harbour/1\tSarcasm\t27\t40\n"
        "harbour/1\tLoaded_Language\t95\t999\n"
        "harbour/2\tLoaded_Language\t18\t26\n"
        "harbour/1\tDoubt\t73\t87\n",
        encoding="utf-8",
    )
    report = import_annotations(session, [labels], "semeval2020-tc")
    assert report.problems == [
        f"{labels}:2: expected 4 tab-separated fields, found 3",
        f"{labels}:3: unknown technique 'Sarcasm' for scheme 'semeval2023'; it has: "
        + ", ".join(load_scheme("semeval2023").names),
        f"{labels}:4: offsets [95, 999) are not inside the text (0 <= start < end <= 103)",
        f"{labels}:5: no stored article with id 'harbour/2'",
    ]
    assert [astuple(a)[:5] for a in repo.annotations_of(session, article_id)[1]] == [
        ("technique", "accept", 18, 26, ("Loaded_Language",)),
        ("technique", "add", 73, 87, ("Doubt",)),
    ]


def test_a_file_whose_text_differs_from_the_stored_article_is_refused(
    session: Session, article_id: int, tmp_path: Path
) -> None:
    export_annotations(session, "jsonl", tmp_path / "a.jsonl")
    line = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))
    line["text"] = TEXT.upper()
    (tmp_path / "b.jsonl").write_text(json.dumps(line) + "\n{not json\n", encoding="utf-8")
    forget_annotations(session)
    report = import_annotations(session, [tmp_path / "b.jsonl"])
    assert report.added == 0
    assert report.problems[0] == (
        f"{tmp_path / 'b.jsonl'}:2: not JSON (Expecting property name enclosed in double quotes)"
    )
    assert report.problems[1:] == [
        f"{tmp_path / 'b.jsonl'}:1: annotation {n}: the text of article 'harbour/1' differs "
        "from the stored one"
        for n in range(1, 7)
    ]
