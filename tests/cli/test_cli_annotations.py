"""``propwatch annotations export`` and ``import``: a reviewer's corrections leave the
database as Label Studio tasks and come back, and a colleague's TC file is imported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from click.testing import Result

from propwatch.db import repo
from propwatch.db.engine import make_engine, make_sessionmaker, upgrade
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.annotation import Annotation
from propwatch.text.article import Article
from propwatch.text.span import Span

Invoke = Callable[..., Result]  # the ``propwatch`` fixture of tests/cli/conftest.py
# "shameful" 19-27, "disaster" 38-46.
TEXT = "Bridge closes\n\nA shameful decision, a disaster for commuters."
WHEN = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def database(path: Path) -> tuple[str, int]:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        analysis = Analysis(Article(id="bridge-7", text=TEXT))
        analysis.set_layer(TECHNIQUES, [Span(19, 27, "Loaded_Language", 0.9)])
        article_id = repo.add_analysis(session, analysis).id
    engine.dispose()
    return url, article_id


def annotations(url: str, article_id: int) -> list[tuple[str, int, int, tuple[str, ...]]]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        stored = repo.annotations_of(session, article_id)[1]
    engine.dispose()
    return [(a.action, a.start, a.end, a.labels) for a in stored]


def test_export_to_label_studio_and_import_into_another_database(
    propwatch: Invoke, tmp_path: Path
) -> None:
    url, article_id = database(tmp_path / "reviewer.db")
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        repo.import_annotations(
            session,
            {
                article_id: [
                    Annotation("technique", "accept", 19, 27, ("Loaded_Language",), "ann", WHEN),
                    Annotation("technique", "add", 38, 46, ("Exaggeration-Minimisation",)),
                ]
            },
        )
    engine.dispose()
    tasks = tmp_path / "tasks.json"
    exported = propwatch(
        "annotations", "export", "--db", url, "--format", "labelstudio", "-o", tasks
    )
    assert (exported.exit_code, exported.stdout) == (
        0,
        f"wrote the annotations of 1 articles to {tasks} (labelstudio)\n",
    )
    assert (tmp_path / "tasks-config.xml").is_file()
    blocked = tasks / "inside-a-file.json"
    refused = propwatch("annotations", "export", "--db", url, "-o", blocked)
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"propwatch: error: {blocked}: cannot write (File exists)\n",
    )

    other_url, other_id = database(tmp_path / "colleague.db")
    imported = propwatch("annotations", "import", tasks, "--db", other_url, "--who", "bo")
    assert (imported.exit_code, imported.stdout, imported.stderr) == (
        0,
        "imported 2 annotations (0 already stored, 0 rows left out)\n",
        "",
    )
    assert annotations(other_url, other_id) == [
        ("accept", 19, 27, ("Loaded_Language",)),
        ("add", 38, 46, ("Exaggeration-Minimisation",)),
    ]


def test_import_reports_each_bad_row_and_keeps_the_rest(propwatch: Invoke, tmp_path: Path) -> None:
    url, article_id = database(tmp_path / "a.db")
    labels = tmp_path / "colleague.txt"
    labels.write_text(
        "bridge-7\tLoaded_Language\t38\t46\nbridge-7\tLoaded_Language\t38\nbridge-8\tDoubt\t1\t5\n",
        encoding="utf-8",
    )
    guessed = propwatch("annotations", "import", labels, "--db", url)
    assert (guessed.exit_code, guessed.stderr) == (
        1,
        "propwatch: error: cannot tell the format of these files; give --format: brat, jsonl, "
        "labelstudio, semeval2020-si, semeval2020-tc, semeval2023-paragraphs, "
        "semeval2023-spans\n",
    )
    result = propwatch("annotations", "import", labels, "--db", url, "--format", "semeval2020-tc")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"propwatch: error: {labels}:2: expected 4 tab-separated fields, found 3",
        f"propwatch: error: {labels}:3: no stored article with id 'bridge-8'",
    ]
    assert result.stdout == "imported 1 annotations (0 already stored, 2 rows left out)\n"
    assert annotations(url, article_id) == [("add", 38, 46, ("Loaded_Language",))]
