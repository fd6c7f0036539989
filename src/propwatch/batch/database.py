"""``--db URL``: copy a batch's successful analyses into the web app's database, once each.

The Parquet output stays the job's ledger; the export runs after compaction and goes through
the web app's repository functions, so the library, outlet charts and API see batch articles
exactly like uploaded ones. Each analysis is committed on its own after checking it is not
stored yet, so a rerun after a crash (or of a finished job) adds only what is missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from propwatch.batch.store import STATUS_OK
from propwatch.db import repo
from propwatch.db.engine import make_engine, make_sessionmaker, upgrade
from propwatch.errors import PropwatchError
from propwatch.text.analysis import Analysis


def _analyses(results: Path) -> Iterator[Analysis]:
    """The successful analyses of ``results``, one record batch in memory at a time."""
    for batch in pq.ParquetFile(results).iter_batches(
        batch_size=256, columns=["status", "analysis"]
    ):
        for row in batch.to_pylist():
            if row["status"] == STATUS_OK:
                yield Analysis.from_dict(json.loads(row["analysis"]))


def export_to_db(results: Path, url: str) -> int:
    """Store every successful analysis of ``results`` not yet in the database at ``url``.

    Parameters
    ----------
    results : Path
        A compacted ``propwatch batch`` output.
    url : str
        SQLAlchemy URL of the web app's database; it is migrated to the latest schema first.

    Returns
    -------
    int
        Analyses added by this call (0 when all were stored already).
    """
    try:
        engine = make_engine(url)
    except ArgumentError as error:
        raise PropwatchError(f"--db {url}: not a database URL ({error})") from None
    try:
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        added = 0
        with sessions() as session:
            for analysis in _analyses(results):
                if not repo.has_analysis(session, analysis):
                    repo.add_analysis(session, analysis)
                    added += 1
        return added
    except OperationalError as error:
        shown = make_url(url).render_as_string(hide_password=True)
        raise PropwatchError(f"--db {shown}: cannot write to the database ({error.orig})") from None
    finally:
        engine.dispose()
