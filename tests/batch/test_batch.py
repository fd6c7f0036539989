"""``propwatch batch`` end to end: local workers, a real Dask cluster, bad inputs, kill -9."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from batch_corpus import article_text, news_pages, write_jsonl, write_warc
from crashing import MARK, CrashingSpec
from distributed import Client
from sqlalchemy import select
from typer.testing import CliRunner

from propwatch import api
from propwatch.batch import BatchOptions, PipelineSpec, run_batch
from propwatch.batch.runner import connect, load_everywhere
from propwatch.batch.worker import PipelinePlugin, pipeline_version
from propwatch.cli.main import app
from propwatch.db.engine import make_engine, make_sessionmaker
from propwatch.db.models import ArticleRow

BIN = Path(sys.executable).parent
FAST = PipelineSpec(components=("text",))  # paragraphs and sentences: real work, no big models
EMPTY = PipelineSpec(components=())  # no components: tests of the plumbing only


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def dask_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``dask scheduler`` and two single-threaded ``dask worker`` processes."""
    logs = tmp_path_factory.mktemp("dask-logs")
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    commands = [
        ["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
        ["worker", address, "--nthreads", "1", "--no-dashboard", "--name", "w1"],
        ["worker", address, "--nthreads", "1", "--no-dashboard", "--name", "w2"],
    ]
    processes = []
    for number, command in enumerate(commands):
        log = (logs / f"{number}.log").open("wb")
        processes.append(subprocess.Popen([str(BIN / "dask"), *command], stdout=log, stderr=log))
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _table(path: Path) -> list[dict[str, Any]]:
    return sorted(pq.read_table(path).to_pylist(), key=lambda row: row["article_id"])


def test_results_are_identical_for_one_and_two_workers_and_a_dask_cluster(
    corpus: Path, dask_scheduler: str, tmp_path: Path
) -> None:
    inputs = (str(corpus),)
    one = tmp_path / "one.parquet"
    first = run_batch(BatchOptions(inputs, one, spec=FAST, workers=1, limit=5))
    rest = run_batch(BatchOptions(inputs, one, spec=FAST, workers=1))
    assert (first.analysed, first.skipped, rest.analysed, rest.skipped) == (5, 0, 11, 5)
    two = tmp_path / "two.parquet"
    run_batch(BatchOptions(inputs, two, spec=FAST, workers=2, chunk_size=3))
    cluster = tmp_path / "cluster.parquet"
    summary = run_batch(BatchOptions(inputs, cluster, spec=FAST, scheduler=dask_scheduler))
    assert (summary.analysed, summary.failed, summary.rows_stored) == (16, 0, 16)
    assert summary.model_version == "semeval2023;text=1"
    rows = _table(one)
    assert rows == _table(two) == _table(cluster)
    ids = ["100", "101", "102", "103", "104", "105", "106", "107", "108", "109"]
    assert [row["article_id"] for row in rows] == ids + [f"j{n}" for n in range(6)]
    analysis = json.loads(rows[0]["analysis"])
    assert analysis["article"]["text"] == article_text(0)
    assert [s["attrs"]["line"] for s in analysis["spans"]["paragraphs"]] == [1, 3, 4]
    assert {row["status"] for row in rows} == {"ok"}


def test_bad_inputs_are_recorded_as_failures_and_the_run_goes_on(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x00\x00\x00 not text")
    (corpus / "empty.txt").write_text("  \n\n", encoding="utf-8")
    write_jsonl(corpus / "broken.jsonl", [{"id": "ok1", "text": article_text(40)}, "{not json"])
    whole = write_warc(tmp_path / "whole.warc", news_pages(2), gzip=False)
    (corpus / "cut.warc").write_bytes(whole[: len(whole) - 300])
    out = tmp_path / "results.parquet"
    command = ["batch", str(corpus), "--out", str(out), "--workers", "1", "--components", ""]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 1, result.output
    assert "analysed 18, skipped 0 (stored before or repeated), failed 4" in result.output
    failed = {row["source"]: row["error"] for row in _table(out) if row["status"] == "failed"}
    cut_source = next(source for source in failed if source.startswith(f"{corpus}/cut.warc@"))
    assert failed == {
        f"{corpus}/binary.txt": f"{corpus}/binary.txt: binary file (contains NUL bytes), not text",
        f"{corpus}/empty.txt": f"{corpus}/empty.txt: empty file",
        f"{corpus}/broken.jsonl:2": f"{corpus}/broken.jsonl:2: not valid JSON at column 2: "
        "Expecting property name enclosed in double quotes",
        cut_source: f"{cut_source}: truncated WARC record (the file ends inside it)",
    }
    again = CliRunner().invoke(app, command)
    assert again.exit_code == 0, again.output
    assert "analysed 0, skipped 22 (stored before or repeated), failed 0" in again.output
    retried = CliRunner().invoke(app, [*command, "--retry-failed"])
    assert "analysed 0, skipped 18 (stored before or repeated), failed 4" in retried.output
    assert len(_table(out)) == 22


def test_an_article_that_kills_its_worker_fails_alone(corpus: Path, tmp_path: Path) -> None:
    write_jsonl(corpus / "poison.jsonl", [{"id": "poison", "text": f"Title\n\nBody {MARK}."}])
    out = tmp_path / "results.parquet"
    options = BatchOptions((str(corpus),), out, spec=CrashingSpec(), workers=2, chunk_size=4)
    summary = run_batch(options)
    assert (summary.analysed, summary.failed, summary.rows_stored) == (16, 1, 17)
    [failed] = [row for row in _table(out) if row["status"] == "failed"]
    assert (failed["article_id"], failed["source"]) == ("poison", f"{corpus}/poison.jsonl:1")
    reason = "every worker that analysed it died (the process crashed or ran out of memory)"
    assert failed["error"] == reason
    assert summary.reasons == {reason: 1}


def test_kill_9_mid_run_then_rerun_stores_every_article_exactly_once(tmp_path: Path) -> None:
    records = [{"id": f"a{n:03d}", "text": article_text(n)} for n in range(80)]
    write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "results.parquet"
    command = [str(BIN / "propwatch"), "batch", str(tmp_path / "in.jsonl"), "--out", str(out)]
    command += ["--workers", "1", "--components", "text", "--chunk-size", "2", "--flush-rows", "2"]
    # Its own session, so the kill reaches the local cluster's processes too, as kill -9 of a
    # job's process group would.
    job = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
    parts = tmp_path / "results.parquet.parts"
    deadline = time.monotonic() + 240
    while len(list(parts.glob("part-*.parquet"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(job.pid, signal.SIGKILL)
    job.wait()
    assert not out.exists(), "the job finished before it could be killed"
    before = sum(pq.ParquetFile(p).metadata.num_rows for p in parts.glob("part-*.parquet"))
    assert 6 <= before < 80
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"analysed {80 - before}, skipped {before} " in rerun.stderr
    rows = _table(out)
    assert [row["article_id"] for row in rows] == [f"a{n:03d}" for n in range(80)]
    assert all(row["status"] == "ok" and json.loads(row["analysis"])["spans"] for row in rows)
    assert list(parts.glob("*.parquet")) == []


def test_the_command_and_its_workers_import_no_model_libraries() -> None:
    # Workers that --workers N starts import the ``propwatch`` script again (multiprocessing's
    # spawn), so whatever the command imports up front is paid once per worker.
    code = (
        "import sys, propwatch.cli.main, propwatch.cli.batch, propwatch.batch.worker; "
        "print(sorted({'spacy', 'torch', 'sklearn', 'sqlalchemy'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_local_workers_keep_malloc_thresholds_and_load_before_the_first_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Dask's default MALLOC_TRIM_THRESHOLD_ made every large array a fresh mapping (about 13%
    # more CPU per article); the nanny's other settings (one BLAS thread) stay.
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with connect(2, None) as client:
        environ = client.run(
            lambda: {
                k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "OPENBLAS_NUM_THREADS")
            }
        )
        client.register_plugin(PipelinePlugin(FAST))
        version = load_everywhere(client, FAST)
        loaded = client.run(
            lambda dask_worker: dask_worker.plugins[FAST.plugin_name]._pipeline is not None
        )
    expected = {"MALLOC_TRIM_THRESHOLD_": None, "OPENBLAS_NUM_THREADS": "1"}
    assert list(environ.values()) == [expected, expected]
    assert version == "semeval2023;text=1"
    assert list(loaded.values()) == [True, True]


def _log_a_dask_error_with_its_traceback() -> None:
    try:
        raise OSError("Stream is closed")
    except OSError:
        logging.getLogger("distributed.worker").exception("Failed during heartbeat.")


def test_dask_errors_of_local_workers_print_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    # a heartbeat racing the scheduler's shutdown once printed its traceback after a clean run
    with connect(1, None) as client:
        client.run(_log_a_dask_error_with_its_traceback)
    assert "Traceback" not in capfd.readouterr().err


def test_batch_workers_run_the_encoder_on_one_thread_each() -> None:
    # the workers fill the cores; the API keeps onnxruntime's own choice
    spec = PipelineSpec(components=("text", "techniques"))
    assert [getattr(c, "threads", None) for c in spec.load().components] == [None, 1]
    default = api.load_pipeline(components=spec.components)
    assert [getattr(c, "threads", None) for c in default.components] == [None, 0]
    assert spec.plugin_name != PipelineSpec(components=spec.components, threads=2).plugin_name


def test_default_pipeline_small_run(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "in.jsonl", [{"id": "d1", "text": article_text(1)}])
    out = tmp_path / "results.parquet"
    summary = run_batch(BatchOptions((str(tmp_path / "in.jsonl"),), out, workers=1))
    expected = pipeline_version(api.load_pipeline(), "semeval2023")
    assert (summary.analysed, summary.model_version) == (1, expected)
    analysis = json.loads(_table(out)[0]["analysis"])
    assert set(analysis["models"]) == set(api.load_pipeline().names)


def test_db_export_stores_each_analysis_once(corpus: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    out = tmp_path / "results.parquet"
    command = ["batch", str(corpus), "--out", str(out), "--workers", "1", "--components", ""]
    first = CliRunner().invoke(app, [*command, "--db", url])
    assert first.exit_code == 0, first.output
    assert "database: 16 analyses added" in first.output
    again = CliRunner().invoke(app, [*command, "--db", url])
    assert "database: 0 analyses added" in again.output
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        ids = sorted(session.scalars(select(ArticleRow.source_id)))
    engine.dispose()
    assert ids == [str(n) for n in range(100, 110)] + [f"j{n}" for n in range(6)]
