"""Annotations in the database: beside the predictions, versioned, never lost to a race."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from propwatch.db import repo
from propwatch.db.engine import make_sessionmaker
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.annotation import Annotation
from propwatch.text.article import Article
from propwatch.text.span import Span

TEXT = "Harbour plan\n\nThe reckless harbour board wasted millions, critics say."
WHEN = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)


def stored_article(session: Session) -> int:
    analysis = Analysis(Article(id="harbour-1", text=TEXT))
    analysis.set_layer(TECHNIQUES, [Span(18, 25, "Loaded_Language", 0.8)])
    return repo.add_analysis(session, analysis).id


def relabel(who: str = "alice") -> Annotation:
    return Annotation("technique", "relabel", 18, 25, ("Name_Calling-Labeling",), who, WHEN)


def test_an_annotation_is_stored_beside_the_prediction(session: Session) -> None:
    article_id = stored_article(session)
    version, stored = repo.add_annotation(session, article_id, 0, relabel())
    assert version == 1
    assert stored.key == ("technique", "relabel", 18, 25, ("Name_Calling-Labeling",))
    assert (stored.who, stored.created_at) == ("alice", WHEN)
    assert repo.annotations_of(session, article_id) == (1, [stored])
    # The model's output is untouched.
    row = repo.get_article(session, article_id)
    assert row is not None
    assert [(s.start, s.end, s.label) for s in repo.to_analysis(row).layer(TECHNIQUES)] == [
        (18, 25, "Loaded_Language")
    ]


def test_a_write_from_an_old_version_is_refused(session: Session) -> None:
    article_id = stored_article(session)
    repo.add_annotation(session, article_id, 0, relabel("alice"))
    with pytest.raises(repo.AnnotationConflict) as conflict:
        repo.add_annotation(session, article_id, 0, relabel("bob"))
    assert str(conflict.value) == (
        f"the annotations of article {article_id} changed since version 0 (now version 1); "
        "read them again and redo your change"
    )
    version, annotations = repo.annotations_of(session, article_id)
    assert (version, [a.who for a in annotations]) == (1, ["alice"])


def test_change_and_delete_need_the_current_version(session: Session) -> None:
    article_id = stored_article(session)
    _, stored = repo.add_annotation(session, article_id, 0, relabel())
    assert stored.id is not None
    accepted = Annotation("technique", "accept", 18, 25, ("Loaded_Language",), "bob", WHEN)
    assert repo.replace_annotation(session, article_id, stored.id, 1, accepted) == (
        2,
        Annotation("technique", "accept", 18, 25, ("Loaded_Language",), "bob", WHEN, stored.id),
    )
    with pytest.raises(repo.AnnotationConflict):
        repo.delete_annotation(session, article_id, stored.id, 1)
    assert repo.delete_annotation(session, article_id, stored.id + 1, 2) is None
    assert repo.delete_annotation(session, article_id, stored.id, 2) == 3
    assert repo.annotations_of(session, article_id) == (3, [])


def test_two_sessions_that_read_the_same_version_never_both_write(engine: sa.Engine) -> None:
    sessions = make_sessionmaker(engine)
    with sessions() as first, sessions() as second:
        article_id = stored_article(first)
        read_by_first = repo.annotations_of(first, article_id)[0]
        read_by_second = repo.annotations_of(second, article_id)[0]
        first.commit()
        second.commit()
        repo.add_annotation(first, article_id, read_by_first, relabel("alice"))
        with pytest.raises(repo.AnnotationConflict):
            repo.add_annotation(second, article_id, read_by_second, relabel("bob"))
        assert [a.who for a in repo.annotations_of(second, article_id)[1]] == ["alice"]


def test_of_writers_racing_from_one_version_exactly_one_wins(engine: sa.Engine) -> None:
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        article_id = stored_article(session)
    writers = 6
    start = threading.Barrier(writers)

    def write(who: str) -> bool:
        with sessions() as session:
            start.wait()
            try:
                repo.add_annotation(session, article_id, 0, relabel(who))
            except repo.AnnotationConflict:
                return False
            return True

    with ThreadPoolExecutor(writers) as pool:
        won = list(pool.map(write, [f"reviewer {n}" for n in range(writers)]))
    assert won.count(True) == 1
    with sessions() as session:
        version, annotations = repo.annotations_of(session, article_id)
    assert (version, [a.who for a in annotations]) == (1, [f"reviewer {won.index(True)}"])


def test_import_skips_what_is_stored_and_deleting_the_article_deletes_its_annotations(
    session: Session,
) -> None:
    article_id = stored_article(session)
    added = Annotation("technique", "add", 28, 35, ("Loaded_Language",), "local", WHEN)
    assert repo.import_annotations(session, {article_id: [relabel(), added, added]}) == 2
    assert repo.import_annotations(session, {article_id: [relabel("carol")]}) == 0
    assert repo.annotations_of(session, article_id)[0] == 1
    assert [row.id for row, _ in repo.annotated_articles(session)] == [article_id]
    assert repo.delete_article(session, article_id)
    assert list(repo.annotated_articles(session)) == []
