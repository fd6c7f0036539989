"""The hostile corpus through ``propwatch analyze`` and ``propwatch batch``, run as a user runs
them: no traceback, one line per problem naming its input, every good article analysed, every
input accounted for, and a batch that resumes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hostile_corpus import Corpus, restore_permissions, write_corpus

from propwatch.io.readers import ReadOptions
from propwatch.io.readers.clean import display_name
from propwatch.io.readers.inputs import suffix_table

BIN = Path(sys.executable).parent / "propwatch"
# The 5 MB texts are refused by the text limit instead of analysed for minutes.
ENV = {**os.environ, "PROPWATCH_MAX_TEXT_CHARS": "50000"}
MAX_LINE = 320  # "propwatch: error: " and a message of at most 300 characters
ELIDED = 150  # a message's first characters, always kept
_SUMMARY = re.compile(r"analysed (\d+), skipped (\d+) \(stored before or repeated\), failed (\d+)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    written = write_corpus(tmp_path_factory.mktemp("hostile") / "corpus")
    yield written
    restore_permissions(written.folder)


def _propwatch(*args: str) -> tuple[int, str]:
    """Exit status and standard error of the ``propwatch`` command; stderr must be UTF-8."""
    done = subprocess.run([str(BIN), *args], capture_output=True, env=ENV, timeout=300)
    return done.returncode, done.stderr.decode("utf-8")


def _problem_lines(stderr: str, corpus: Corpus) -> list[str]:
    """The messages of stderr's error and warning lines, after checking that stderr has no
    traceback and that each such line names an input of the corpus."""
    assert "Traceback" not in stderr
    prefix = display_name(corpus.folder) + "/"
    messages = []
    for line in stderr.splitlines():
        kind, _, message = line.partition(": ")[2].partition(": ")
        assert line.startswith("propwatch: ") and kind in {"error", "warning"}, line
        assert message.startswith(prefix), line
        assert len(line) <= MAX_LINE, line
        messages.append(message)
    return messages


def _expected_inputs(corpus: Corpus) -> list[str]:
    """Display names of every input a run must account for: the files a folder walk reads
    (readable suffix, not hidden, once per real file) and the inputs named explicitly."""
    suffixes = tuple(suffix_table(ReadOptions()))
    found: list[Path] = []
    for root, dirs, files in os.walk(corpus.folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [
            Path(root, f) for f in files if not f.startswith(".") and f.lower().endswith(suffixes)
        ]
    names, seen = [display_name(entry) for entry in corpus.explicit], set()
    for path in sorted(found, key=lambda p: p.parts):
        if os.path.realpath(path) not in seen:
            seen.add(os.path.realpath(path))
            names.append(display_name(path))
    return names


def _mentioned(name: str, texts: list[str]) -> bool:
    """True when a text is ``name``, ``name:line``, ``name@offset`` or ``name: reason``; a
    message about a very long name keeps only its start (the middle is elided)."""
    if len(name) > ELIDED:
        return any(t.startswith(name[:ELIDED]) for t in texts)
    return any(t == name or t.startswith((f"{name}:", f"{name}@")) for t in texts)


def _unaccounted(names: Iterable[str], mentions: Iterable[str]) -> list[str]:
    """The names that no output source or error message mentions."""
    texts = list(mentions)
    return [name for name in names if not _mentioned(name, texts)]


def test_analyze_names_every_problem_and_analyses_every_good_article(
    corpus: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "analyses.jsonl"
    inputs = [str(corpus.folder), *corpus.explicit]
    status, stderr = _propwatch(
        "analyze", "--components", "text", "-f", "jsonl", "-o", str(out), "--", *inputs
    )
    assert status == 1
    problems = _problem_lines(stderr, corpus)
    analyses = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert corpus.cases >= 500
    assert corpus.good_ids <= {a["article"]["id"] for a in analyses}
    sources = [a["article"]["meta"]["source"] for a in analyses]
    assert _unaccounted(_expected_inputs(corpus), [*sources, *problems]) == []


def _rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _batch(options: list[str], corpus: Corpus) -> tuple[int, int, int]:
    """Run ``propwatch batch`` on the corpus; returns (analysed, skipped, failed)."""
    inputs = [str(corpus.folder), *corpus.explicit]
    status, stderr = _propwatch("batch", *options, "--", *inputs)
    assert "Traceback" not in stderr
    summary = _SUMMARY.search(stderr)
    assert summary is not None, stderr
    analysed, skipped, failed = map(int, summary.groups())
    assert status == (1 if failed else 0)
    return analysed, skipped, failed


def test_batch_stores_one_row_per_input_and_resumes(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "results.parquet"
    options = ["--out", str(out), "--components", "text", "--workers", "1", "--chunk-size", "16"]
    first = _batch([*options, "--limit", "250"], corpus)
    second = _batch(options, corpus)  # resumes: the first run's inputs are skipped
    assert second[1] >= 200
    rows = _rows(out)
    assert len(rows) == first[0] + first[2] + second[0] + second[2]
    assert corpus.good_ids <= {row["article_id"] for row in rows if row["status"] == "ok"}
    for row in rows:
        if row["status"] == "failed":
            assert len(row["error"]) <= 300 and row["error"].isprintable(), row
        else:
            assert row["status"] == "ok" and json.loads(row["analysis"])["spans"], row
    assert _unaccounted(_expected_inputs(corpus), [row["source"] for row in rows]) == []


def test_default_pipeline_gets_through_a_sample(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "analyses.jsonl"
    status, stderr = _propwatch("analyze", "-f", "jsonl", "-o", str(out), *map(str, corpus.small))
    assert status == 1
    _problem_lines(stderr, corpus)
    analyses = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    ids = {a["article"]["id"] for a in analyses}
    assert {"9001", "good", "jsonl-good-1", "urn:uuid:00000000-0000-4000-8000-000000000000"} <= ids
    assert all("techniques" in a["spans"] for a in analyses)
