"""``json``: an array of Analysis.to_dict objects; ``jsonl``: one per line; both round-trip."""

from __future__ import annotations

import io
import json

from propwatch import Analysis, registry


def write(name: str, analyses: list[Analysis]) -> str:
    stream = io.StringIO()
    registry.writers.get(name).write(analyses, stream)
    return stream.getvalue()


def test_json_is_an_array_with_one_versioned_object_per_article(analyses: list[Analysis]) -> None:
    data = json.loads(write("json", analyses))
    assert [d["article"]["id"] for d in data] == ["7", "8"]
    assert {d["schema_version"] for d in data} == {"1.0"}
    assert data[0]["spans"]["techniques"][2] == {
        "start": 75,
        "end": 89,
        "label": "Name_Calling-Labeling",
        "score": 0.8,
        "attrs": {"category": "attack on reputation", "voice": "quoted", "speaker": "Ann Roe"},
    }
    assert [Analysis.from_dict(d) for d in data] == analyses


def test_json_of_no_article_is_an_empty_array() -> None:
    assert json.loads(write("json", [])) == []


def test_jsonl_has_one_compact_object_per_line(analyses: list[Analysis]) -> None:
    lines = write("jsonl", analyses).splitlines()
    assert len(lines) == 2
    assert [Analysis.from_dict(json.loads(line)) for line in lines] == analyses


def test_json_keeps_non_ascii_text_readable() -> None:
    from propwatch import Article

    text = "Zürich 🙂 مرحبا\n"
    out = write("jsonl", [Analysis(Article(id="u", text=text))])
    assert text.strip() in out
    assert json.loads(out)["article"]["text"] == text
