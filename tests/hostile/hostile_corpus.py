"""A corpus of hostile inputs, generated (never stored), with a few good articles mixed in.

``write_corpus(folder)`` writes it and returns what a run over it must show: which inputs to
name on the command line, which good articles must come out analysed, and how many cases it
holds. A case is one unit a reader reports on: a file, a JSONL line, a Parquet row, a WARC
record. Every byte is made here; the good articles are written by the propwatch team.

The cases themselves are in :mod:`hostile_cases`. Run
``python tests/hostile/hostile_corpus.py OUT_DIR`` to write it for probing by hand.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import random
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hostile_cases import (
    BAD_BYTES,
    BOM_TEXT,
    BOMS,
    BROKEN_JSON_LINES,
    FIELD_VALUES,
    FIELDS,
    GOOD_TEXTS,
    HTML_PAGES,
    INVISIBLE,
    ODD_NAMES,
    ODD_TEXTS,
)
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass
class Corpus:
    """What :func:`write_corpus` wrote.

    Attributes
    ----------
    folder : Path
        The corpus folder, given to ``propwatch analyze`` and ``propwatch batch``.
    explicit : list of str
        Further command-line inputs: missing paths, a FIFO, a dangling link, an empty glob.
    good_ids : set of str
        Ids of the team-written articles, all of which must come out analysed.
    cases : int
        Hostile and good inputs (files, JSONL lines, Parquet rows, WARC records).
    small : list of Path
        A few inputs of each kind for the full default pipeline.
    """

    folder: Path
    explicit: list[str] = field(default_factory=list)
    good_ids: set[str] = field(default_factory=set)
    cases: int = 0
    small: list[Path] = field(default_factory=list)


class _Writer:
    """Writes files under one folder and counts cases."""

    def __init__(self, folder: Path) -> None:
        self.corpus = Corpus(folder)
        self._good = 0

    def file(self, name: str | bytes, data: bytes, *, cases: int = 1) -> Path:
        path = Path(os.fsdecode(os.path.join(os.fsencode(self.corpus.folder), os.fsencode(name))))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.corpus.cases += cases
        return path

    def good_text(self, article_id: str) -> str:
        """The next team-written article, recorded as good under ``article_id``."""
        self.corpus.good_ids.add(article_id)
        self._good += 1
        return GOOD_TEXTS[(self._good - 1) % len(GOOD_TEXTS)]


def _text_files(w: _Writer) -> None:
    w.corpus.small.append(w.file("good/article9001.txt", w.good_text("9001").encode()))
    w.file("good/plain story.txt", w.good_text("plain story").encode())
    w.file("good/utf32.txt", w.good_text("utf32").encode("utf-32"))
    w.file("good/utf16.txt", w.good_text("utf16").encode("utf-16"))
    deep = "/".join(["d"] * 40)
    w.file(f"{deep}/deep.txt", w.good_text("deep").encode())
    for name, text in ODD_TEXTS.items():
        path = w.file(f"odd/{name}.txt", text.encode("utf-8", "surrogatepass"))
        if name in {"bidi_override", "zalgo", "ansi_escape", "brackets", "many_quotes"}:
            w.corpus.small.append(path)
    for name, data in BAD_BYTES.items():
        w.file(f"bytes/{name}.txt", data)
    for name, data in BOMS.items():
        w.file(f"bom/{name}.txt", data)
    for number, char in enumerate(INVISIBLE):
        w.file(f"invisible/only_{number:02d}.txt", (char * 40 + "\n" + char).encode())
    w.file("invisible/mixed.txt", "".join(INVISIBLE).encode() * 3)
    for name, data in _binary_files().items():
        w.file(f"binary/{name}", data)


def _binary_files() -> dict[str, bytes]:
    rng = random.Random(15)
    return {
        "empty.txt": b"",
        "spaces.txt": b"   \n\t\r\n  ",
        "nul_middle.txt": b"Good start\x00 then a NUL byte.",
        "nul_only.txt": b"\x00" * 1000,
        "random.txt": bytes(rng.randrange(256) for _ in range(4096)),
        "all_bytes.txt": bytes(range(256)) * 4,
        "png.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        "gzip.txt": gzip.compress(b"compressed text, not plain text"),
        "elf.txt": b"\x7fELF\x02\x01\x01\x00" + bytes(56),
        "pdf.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "zip.jsonl": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(30),
        "huge_nul.txt": b"\x00" * 5_000_000,
        "huge_invisible.txt": "\u200b \u00a0".encode() * 1_000_000,
        "huge_line.txt": b"word " * 1_000_000,  # 5 MB on one line: above the text limit
        "upper.TXT": BOM_TEXT.encode(),
        "double.txt.txt": BOM_TEXT.encode(),
    }


def _jsonl_line(**fields: str) -> str:
    return "{" + ", ".join(f'"{key}": {value}' for key, value in fields.items()) + "}"


def _field_lines(limit: int | None = None) -> Iterator[str]:
    """Every field in turn holds every hostile value (the first ``limit`` such lines); the
    other fields are valid."""
    pairs = [(key, value) for key in FIELDS for value in FIELD_VALUES.values()]
    for number, (key, value) in enumerate(pairs[:limit]):
        fields = {"id": f'"f{number}"', "text": '"Field test text."', key: value}
        yield _jsonl_line(**fields)


def _jsonl_files(w: _Writer) -> None:
    good = [
        json.dumps({"id": "jsonl-good-1", "text": w.good_text("jsonl-good-1"), "outlet": "A"}),
        json.dumps({"id": 1234567, "text": w.good_text("1234567"), "published": "2026-01-02"}),
    ]
    invisible = [json.dumps({"id": f"inv{n}", "text": c * 10}) for n, c in enumerate(INVISIBLE)]
    lines = [good[0], *BROKEN_JSON_LINES, *_field_lines(), *invisible, good[1]]
    body = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
    w.file("jsonl/hostile.jsonl", body, cases=len(lines))
    sample = [good[0], *BROKEN_JSON_LINES[-7:], *_field_lines(limit=2 * len(FIELD_VALUES))]
    sample_body = "\n".join(sample).encode("utf-8", "surrogatepass")
    w.corpus.small.append(w.file("jsonl/sample.jsonl", sample_body, cases=len(sample)))
    w.file("jsonl/crlf.jsonl", body.replace(b"\n", b"\r\n"), cases=len(lines))
    w.file("jsonl/bad_bytes.jsonl", b'{"id": "b1", "text": "caf\xe9 \xff"}\n', cases=1)
    w.file(
        "jsonl/nul_later.jsonl", b'{"id": "n1", "text": "ok"}\n' + b"x" * 9000 + b"\x00\n", cases=2
    )
    w.file("jsonl/utf16.jsonl", (good[0] + "\n").encode("utf-16"), cases=1)
    w.file("jsonl/empty.jsonl", b"")
    w.file("jsonl/blank_lines.jsonl", b"\n\n   \n\t\n")
    w.file("jsonl/huge_line.jsonl", b'{"id": "h", "text": "' + b"a" * 5_000_000 + b"\n")
    packed = gzip.compress(body)
    gz_good = json.dumps({"id": "jsonl-gz-good", "text": w.good_text("jsonl-gz-good")})
    w.file("jsonl/good.jsonl.gz", gzip.compress((gz_good + "\n").encode()), cases=1)
    w.file("jsonl/truncated.jsonl.gz", packed[: len(packed) // 2], cases=1)
    w.file("jsonl/bad_crc.jsonl.gz", packed[:-8] + b"\x00" * 8, cases=1)
    w.file("jsonl/not_gzip.jsonl.gz", b"\x1f\x8bnot really gzip", cases=1)


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _parquet_files(w: _Writer) -> None:
    text = ["Parquet row text, a short one.", w.good_text("pq-good"), None, "  ", "\u200b" * 5]
    ids = ["pq1", "pq-good", "pq3", "pq4", "pq5"]
    n = len(ids)
    tables = {
        "mixed.parquet": pa.table({"id": ids, "text": text}),
        "title_ints.parquet": pa.table({"id": ids, "text": [t or "x" for t in text],
                                        "title": list(range(n))}),
        "url_structs.parquet": pa.table({"id": ids, "text": ["Row text."] * n,
                                         "url": [{"host": "a", "port": k} for k in range(n)]}),
        "odd_types.parquet": pa.table({"id": list(range(n)), "text": ["Row text two."] * n,
                                       "published": pa.array([0] * n, pa.timestamp("s")),
                                       "language": [[1, 2]] * n, "outlet": [1.5] * n}),
        "binary_text.parquet": pa.table({"id": ids, "text": [b"\xff\xfe bytes"] * n}),
        "int_text.parquet": pa.table({"id": ids, "text": list(range(n))}),
        "struct_id.parquet": pa.table({"id": [{"a": k} for k in range(n)], "text": ["T."] * n}),
        "null_ids.parquet": pa.table({"id": pa.array([None] * n, pa.string()),
                                      "text": ["Text."] * n}),
        "no_text_column.parquet": pa.table({"id": ids, "body": ["Text."] * n}),
        "empty.parquet": pa.table({"id": pa.array([], pa.string()),
                                   "text": pa.array([], pa.string())}),
    }  # fmt: skip
    for name, table in tables.items():
        path = w.file(f"parquet/{name}", _parquet_bytes(table), cases=max(table.num_rows, 1))
        if name == "title_ints.parquet":
            w.corpus.small.append(path)
    whole = _parquet_bytes(tables["mixed.parquet"])
    w.file("parquet/truncated.parquet", whole[: len(whole) // 2])
    w.file("parquet/footer_only.parquet", whole[-12:])
    w.file("parquet/not_parquet.parquet", b"PAR1 this is not a parquet file PAR1")


def _page(title: str, body: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    ).encode()


def _good_page(w: _Writer, article_id: str) -> bytes:
    title, _, body = w.good_text(article_id).partition("\n\n")
    return _page(title, "".join(f"<p>{line}</p>" for line in body.split("\n")))


def _html_files(w: _Writer) -> None:
    w.corpus.small.append(w.file("html/good.html", _good_page(w, "good")))
    for name, data in HTML_PAGES.items():
        path = w.file(f"html/{name}", data)
        if name.startswith("svg"):
            w.corpus.small.append(path)


def _record_id(number: int) -> str:
    """A fixed WARC-Record-ID (the WARC reader's article id) instead of a random one."""
    return f"urn:uuid:00000000-0000-4000-8000-{number:012d}"


def _warc_bytes(records: list[tuple[str, bytes, str, str]], *, gzipped: bool) -> bytes:
    """``(url, body, content type, status)`` records as one WARC file's bytes."""
    sink = io.BytesIO()
    writer = WARCWriter(sink, gzip=gzipped)
    for number, (url, body, content_type, status) in enumerate(records):
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Record-ID": f"<{_record_id(number)}>"},
        )
        writer.write_record(record)
    return sink.getvalue()


def _warc_files(w: _Writer) -> None:
    records = [
        ("https://news.example/good", _good_page(w, _record_id(0)), "text/html", "200 OK"),
        ("https://news.example/svg", b"<svg><script>", "text/html", "200 OK"),
        ("https://news.example/gone", b"<p>Gone.</p>", "text/html", "404 Not Found"),
        ("https://news.example/img", b"\x89PNG\r\n", "image/png", "200 OK"),
        ("https://news.example/empty", b"", "text/html", "200 OK"),
    ]
    plain = _warc_bytes(records, gzipped=False)
    path = w.file("warc/crawl.warc.gz", _warc_bytes(records, gzipped=True), cases=len(records))
    w.corpus.small.append(path)
    w.file("warc/truncated.warc", plain[: len(plain) * 2 // 3], cases=len(records))
    w.file("warc/garbage.warc", b"WARC/1.0\r\nthis is not a header\r\n\r\n" * 10)
    w.file("warc/huge_length.warc", b"WARC/1.0\r\nWARC-Type: response\r\n"
           b"Content-Length: 99999999999999999999\r\n\r\nshort")  # fmt: skip
    w.file("warc/negative_length.warc", b"WARC/1.0\r\nWARC-Type: response\r\n"
           b"Content-Length: -5\r\n\r\nshort")  # fmt: skip
    w.file("warc/plain_text.warc.gz", b"plain text pretending to be gzip")
    w.file("warc/empty.warc", b"")


def _odd_names(w: _Writer) -> None:
    for number, name in enumerate(ODD_NAMES):
        text = f"Odd Name {number}\n\nThe file name of this article is unusual. It has text."
        # no_suffix and hidden files are skipped by folder walks, without an error
        w.file(b"names/" + name, text.encode())


def _file_system(w: _Writer, folder: Path) -> None:
    """Links, loops, pipes, sockets, devices and permissions; some named on the command line."""
    fs = folder / "fs"
    fs.mkdir()
    good = w.file("fs/good_target.txt", w.good_text("good_target").encode())
    os.symlink("loop_b.txt", fs / "loop_a.txt")
    os.symlink("loop_a.txt", fs / "loop_b.txt")
    os.symlink("self.txt", fs / "self.txt")
    os.symlink("missing.warc", fs / "dangling.warc")
    os.symlink("missing.jsonl", fs / "dangling.jsonl")
    os.symlink(good.name, fs / "link_to_good.txt")  # read once: same file
    os.link(good, fs / "hardlink.txt")
    os.symlink("..", fs / "parent_loop")
    os.symlink("/dev/zero", fs / "zero.txt")
    os.symlink("/dev/null", fs / "null.jsonl")
    os.mkfifo(fs / "fifo.txt")
    os.mkfifo(fs / "fifo.jsonl")
    # A socket path is limited to about 100 bytes; a deep temporary folder goes without one.
    with socket.socket(socket.AF_UNIX) as server, contextlib.suppress(OSError):
        server.bind(str(fs / "socket.txt"))
    locked = w.file("fs/locked.txt", b"Locked\n\nNo permission to read this file.")
    locked.chmod(0)
    (fs / "locked_dir").mkdir()
    w.file("fs/locked_dir/inside.txt", b"Inside\n\nA file in a folder without permissions.")
    (fs / "locked_dir").chmod(0)
    w.file("fs/folder.txt/inside.txt", b"Folder\n\nA folder whose name ends in .txt.")
    w.corpus.cases += 14  # the links, pipes, socket and folder above
    w.corpus.explicit += [
        str(fs / "fifo.txt"),
        str(fs / "dangling.warc"),
        str(fs / "loop_a.txt"),
        str(folder / "no_such_file.txt"),
        str(folder / "no_match_*.jsonl"),
        str(folder / ("x" * 300 + ".txt")),
        os.fsdecode(folder / os.fsdecode(b"names/bad\xff\xfe.txt")),
        str(folder / "binary" / "upper.TXT"),
    ]
    w.corpus.cases += 4  # missing file, empty glob, long name; the others are counted above


def write_corpus(folder: Path) -> Corpus:
    """Write the hostile corpus into the empty or missing ``folder``; see :class:`Corpus`."""
    folder.mkdir(parents=True, exist_ok=True)
    w = _Writer(folder)
    for part in (_text_files, _jsonl_files, _parquet_files, _html_files, _warc_files, _odd_names):
        part(w)
    _file_system(w, folder)
    return w.corpus


def restore_permissions(folder: Path) -> None:
    """Make everything under ``folder`` removable again (tests call this when done)."""
    for path in (folder / "fs" / "locked_dir", folder / "fs" / "locked.txt"):
        if path.exists():
            path.chmod(0o755)


if __name__ == "__main__":
    written = write_corpus(Path(sys.argv[1]))
    print(f"{written.cases} cases, {len(written.good_ids)} good articles in {written.folder}")
