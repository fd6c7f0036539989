"""Inputs as the command line gives them: folders, globs, stdin, mixed and missing files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from reader_helpers import Writer, messages, read_all

from propwatch.errors import UnknownNameError
from propwatch.io.readers import ReadOptions
from propwatch.io.readers.inputs import suffix_table

READABLE = ", ".join(suffix_table(ReadOptions()))


def make_mixed_folder(write: Writer) -> Path:
    """A folder of mixed files; returns the folder."""
    write("news/b/article2.txt", "Second\n\nBody two.")
    write("news/a/article1.txt", "First\n\nBody one.")
    write("news/a/notes.md", "# not an article")
    write("news/a/photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    write("news/c.jsonl", '{"id": "c1", "text": "From JSONL."}\n')
    write("news/empty.txt", "")
    write("news/.hidden.txt", "Hidden\n\nNot read.")
    write("news/.cache/article3.txt", "Hidden folder\n\nNot read.")
    return write("news/z/article4.txt", "Fourth\n\nBody four.").parent.parent


def test_folder_is_read_recursively_in_sorted_order_skipping_other_files(write: Writer) -> None:
    folder = make_mixed_folder(write)
    assert messages(read_all([folder])) == [
        "article 1",
        "article 2",
        "article c1",
        f"{folder}/empty.txt: empty file",
        "article 4",
    ]


def test_unsupported_file_named_explicitly_is_an_error(write: Writer) -> None:
    folder = make_mixed_folder(write)
    photo = folder / "a" / "photo.jpg"
    readme = write("README", "no suffix")
    assert messages(read_all([photo, readme])) == [
        f"{photo}: unsupported file type (.jpg); readable: {READABLE}",
        f"{readme}: unsupported file type (no suffix); readable: {READABLE}",
    ]


def test_bad_inputs_do_not_stop_the_others(write: Writer, tmp_path: Path) -> None:
    good = write("article10.txt", "Title\n\nBody.")
    missing = tmp_path / "missing.txt"
    binary = write("blob.txt", b"\x00\x01\x02")
    assert messages(read_all([missing, good, binary, good])) == [
        f"{missing}: no such file or folder",
        "article 10",  # the second mention of the same file is not read again
        f"{binary}: binary file (contains NUL bytes), not text",
    ]


def test_glob_patterns_match_like_a_folder_listing(write: Writer) -> None:
    folder = make_mixed_folder(write)
    assert messages(read_all([f"{folder}/*/article*.txt", f"{folder}/*.md"])) == [
        "article 1",
        "article 2",
        "article 4",
        f"{folder}/*.md: no file matches this pattern",
    ]
    assert messages(read_all([f"{folder}/**/*.jsonl"])) == ["article c1"]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert messages(read_all([tmp_path / "empty"])) == [
        f"{tmp_path / 'empty'}: no readable files in this folder ({READABLE})"
    ]


def test_stdin_is_read_as_plain_text_by_default() -> None:
    (article,) = read_all(["-"], stdin=b"Title\r\n\r\nBody from a pipe.")
    assert (article.id, article.title, article.text) == (
        "stdin",
        "Title",
        "Title\r\n\r\nBody from a pipe.",
    )
    assert article.meta == {"source": "<stdin>", "reader": "txt"}


def test_empty_stdin_is_an_error() -> None:
    assert messages(read_all(["-"], stdin=b"")) == ["<stdin>: empty file"]


def test_format_option_reads_a_file_whatever_its_suffix(write: Writer) -> None:
    path = write("export.data", '{"id": "e", "text": "Exported."}\n')
    assert messages(read_all([path], ReadOptions(format="jsonl"))) == ["article e"]


def test_format_option_limits_folders_to_that_reader(write: Writer) -> None:
    folder = make_mixed_folder(write)
    assert messages(read_all([folder], ReadOptions(format="jsonl"))) == ["article c1"]


def test_unknown_format_option_stops_before_reading(tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError) as caught:
        read_all([tmp_path], ReadOptions(format="docx"))
    assert str(caught.value).startswith("unknown reader 'docx'; choose one of: html, jsonl,")


def test_unreadable_file_is_an_error(write: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("locked.txt", "Title\n\nBody")
    other = write("article2.txt", "Title\n\nBody")

    def refuse(self: Path) -> bytes:  # what reading a file without permission raises
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert messages(read_all([path, other])) == [
        f"{path}: cannot read (Permission denied)",
        "article 2",
    ]


def test_unlistable_sub_folder_is_an_error_after_the_readable_files(
    write: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write("news/a/article1.txt", "Title\n\nBody").parent.parent
    write("news/locked/article2.txt", "Title\n\nBody")
    original = os.scandir

    def refuse(path: str) -> Any:  # what listing a folder without permission raises
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(os, "scandir", refuse)
    assert messages(read_all([folder])) == [
        "article 1",
        f"{folder}/locked: cannot read folder (Permission denied)",
    ]
