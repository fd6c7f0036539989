"""``propwatch report``: statistics by outlet and month, escaped HTML with SVG charts."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from propwatch.batch.keys import ResultKey, content_hash
from propwatch.batch.rows import failed_row, ok_row
from propwatch.batch.store import ResultStore
from propwatch.cli.main import app
from propwatch.render.corpus_report import build_report_view, collect
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span

VERSION = "semeval2023;text=1;techniques=1"
EVIL = "<script>alert(1)</script>"


def _analysis(number: int, outlet: str, published: str | None, voices: list[str]) -> Analysis:
    text = f"Article {number} text that is long enough for a few spans of persuasion."
    article = Article(id=str(number), text=text, outlet=outlet, published=published)
    analysis = Analysis(article)
    techniques = [
        Span(0, 7, "Loaded_Language", 0.9, {"category": "manipulative wording", "voice": "author"})
        if voice == "author"
        else Span(
            8,
            12,
            "Doubt",
            0.8,
            {"category": "attack on reputation", "voice": "quoted", "speaker": EVIL},
        )
        for voice in voices
    ]
    analysis.set_layer("techniques", techniques)
    analysis.labels = {
        "scheme": "semeval2023",
        "genre": "opinion",
        "frames": ["Security_and_defense"],
        "narratives": [
            {
                "narrative": "URW: Blaming the war on others",
                "subnarratives": [],
                "score": 0.7,
                "evidence": [],
            }
        ],
    }
    return analysis


def _results(tmp_path: Path) -> Path:
    analyses = [
        _analysis(1, "Daily Example", "2024-01-05", ["author", "author", "quoted"]),
        _analysis(2, "Daily Example", "2024-02-11T08:00:00", ["quoted"]),
        _analysis(3, EVIL, "2024-01-20", []),
        _analysis(4, "Daily Example", None, ["author"]),
    ]
    rows = [ok_row(ResultKey(a.article.id, content_hash(a.text), VERSION), a) for a in analyses]
    rows.append(failed_row(ResultKey("bad.txt", "", VERSION), "bad.txt", "bad.txt: empty file"))
    out = tmp_path / "results.parquet"
    with ResultStore(out) as store:
        store.write_part(rows)
        store.compact()
    return out


def test_statistics_by_outlet(tmp_path: Path) -> None:
    stats = collect(_results(tmp_path), "outlet")
    assert sorted(stats.groups) == [EVIL, "Daily Example"]
    daily = stats.groups["Daily Example"]
    assert (daily.articles, daily.spans, stats.failed) == (3, 5, 1)
    assert daily.techniques == {"Loaded_Language": 3, "Doubt": 2}
    assert daily.voices == {"author": 3, "quoted": 2}
    assert daily.speakers == {EVIL: 2}
    assert daily.narratives == {"URW: Blaming the war on others": 3}
    assert stats.model_versions == {VERSION: 4}


def test_statistics_by_month_in_time_order(tmp_path: Path) -> None:
    view = build_report_view(collect(_results(tmp_path), "month"))
    assert view.group_names == ["2024-01", "2024-02", "(no date)"]
    assert [bar.text for bar in view.articles_chart.bars] == ["2", "1", "1"]
    assert [bar.text for bar in view.density_chart.bars] == ["1.50", "1.00", "1.00"]
    january = view.voices.rows[0]
    assert [(p.label, p.count) for p in january.pieces] == [("author", 2), ("quoted", 1)]
    assert january.text == "67% author"
    techniques = [(bar.label, bar.css) for bar in view.techniques_chart.bars]
    assert techniques == [
        ("Loaded language", "cat-manipulative-wording"),
        ("Doubt", "cat-attack-on-reputation"),
    ]


def test_report_command_writes_escaped_self_contained_html(tmp_path: Path) -> None:
    results = _results(tmp_path)
    page_path = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["report", str(results), "--by", "outlet", "-o", str(page_path)]
    )
    assert result.exit_code == 0, result.output
    assert f"{page_path}: 4 articles in 2 outlet groups, 5 technique spans" in result.output
    page = page_path.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert page.count("<svg") == 6  # articles, density, techniques, voices, speakers, narratives
    assert "URW: Blaming the war on others (3)" in page
    # Readable technique and frame labels; the raw names stay in the data formats.
    assert "Security and defense (3)" in page and "Loaded language" in page
    assert "Loaded_Language" not in page and "Security_and_defense" not in page


def test_report_rejects_unknown_grouping_and_non_results(tmp_path: Path) -> None:
    results = _results(tmp_path)
    bad = CliRunner().invoke(app, ["report", str(results), "--by", "week"])
    assert bad.exit_code == 1
    assert "unknown grouping 'week'; choose one of: month, outlet" in bad.output
    other = tmp_path / "other.parquet"
    other.write_bytes(b"not parquet")
    broken = CliRunner().invoke(app, ["report", str(other)])
    assert broken.exit_code == 1
    assert f"{other}: not a readable results file" in broken.output
