"""The HTML report: highlighted spans in slots, legend, evidence cards, and escaping."""

from __future__ import annotations

import io
import re

from propwatch import Analysis, Article, Span, registry
from propwatch.render.view import Glossary, assign_slots, build_view, cut_segments


def render(analyses: list[Analysis]) -> str:
    stream = io.StringIO()
    registry.writers.get("html").write(analyses, stream)
    return stream.getvalue()


def test_overlapping_spans_get_different_slots_and_disjoint_ones_share() -> None:
    spans = [Span(0, 10), Span(2, 5), Span(4, 8), Span(12, 20)]
    assert assign_slots(spans) == [0, 1, 2, 0]


def test_a_nested_span_sits_above_the_longer_span_that_starts_with_it() -> None:
    # Sorted by start, longest first: the long span takes slot 0 even though it comes second.
    assert assign_slots([Span(3, 5), Span(3, 9)]) == [1, 0]


def test_segments_cut_at_every_boundary_and_rebuild_the_text() -> None:
    text = "abcdefghij"
    segments = cut_segments(text, [Span(1, 6), Span(4, 8)])
    assert [(s.text, s.covering, s.starting) for s in segments] == [
        ("a", (), ()),
        ("bcd", (0,), (0,)),
        ("ef", (0, 1), (1,)),
        ("gh", (1,), ()),
        ("ij", (), ()),
    ]
    assert "".join(s.text for s in segments) == text


def test_view_numbers_spans_in_text_order_with_definitions(analyses: list[Analysis]) -> None:
    view = build_view(analyses[0], 0, Glossary.load("semeval2023"))
    assert [(v.number, v.technique, v.slot, v.colour) for v in view.spans] == [
        (1, "Loaded_Language", 1, "#d4a017"),
        (2, "Exaggeration-Minimisation", 0, "#d4a017"),
        (3, "Name_Calling-Labeling", 0, "#e15759"),
    ]
    assert view.spans[0].definition.startswith("Uses words or phrases with strong emotional")
    assert [(e.label, e.count) for e in view.categories] == [
        ("Attack on reputation", 1),
        ("Manipulative wording", 2),
    ]
    assert view.slots == 2


def test_report_shows_legend_cards_and_voice(analyses: list[Analysis]) -> None:
    html = render(analyses)
    assert html.startswith("<!DOCTYPE html>")
    assert "<h3>Techniques found: 3</h3>" in html
    assert "Manipulative wording: 2</li>" in html
    assert '<div class="card cat-attack-on-reputation" id="article-1-span-3">' in html
    assert "<blockquote>budget vandals</blockquote>" in html
    assert "Confidence 80% · quoted: Ann Roe" in html
    assert "Genre</dt><dd>opinion</dd>" in html
    assert '<p class="meta">No technique found.</p>' in html  # article 8
    assert "<script" not in html  # no JavaScript at all


def test_report_shows_the_panels_of_the_web_page(analyses: list[Analysis]) -> None:
    html = render(analyses)
    assert '<summary>Ann Roe <span class="count">1</span></summary>' in html
    assert '<q>They are budget vandals,</q> <span class="muted">(direct)</span>' in html
    assert (
        '<q>The reckless council wasted our money.</q> <span class="muted">(indirect; found by '
        "the learned quote tagger, 86% sure)</span>"
    ) in html
    assert '<summary>URW: Discrediting Ukraine <span class="muted">70%</span></summary>' in html
    assert (
        '<td>Ann Roe <span class="muted">(1 mention)</span></td><td>Protagonist <span '
        'class="score">100%</span><br><span class="muted">Guardian, Peacemaker</span></td>'
    ) in html
    # Article 8: every analysis ran, nothing was found.
    assert html.count('<p class="muted">No quotes found.</p>') == 1
    assert '<table id="article-2-entity-roles">' in html


def test_report_shows_readable_frame_labels() -> None:
    analysis = Analysis(Article(id="x", text="The court ruled on the new border law.\n"))
    analysis.labels = {"frames": ["Legality_Constitutionality_and_jurisprudence", "Political"]}
    html = render([analysis])
    assert "<dt>Frames</dt><dd>Legality constitutionality and jurisprudence, Political</dd>" in html


def test_a_card_names_the_runner_up_technique_and_its_score() -> None:
    text = "These traitors want to ruin us.\n"
    analysis = Analysis(Article(id="x", text=text))
    attrs = {"runner_up": "Loaded_Language", "runner_up_score": 0.31}
    analysis.set_layer("techniques", [Span(6, 14, "Name_Calling-Labeling", 0.52, attrs)])
    html = render([analysis])
    assert '<p class="meta">Next most likely: Loaded language 31%</p>' in html


def test_a_card_names_the_words_that_weighed_most_when_they_were_explained() -> None:
    text = "These traitors want to ruin us.\n"
    analysis = Analysis(Article(id="x", text=text))
    words = [{"start": 6, "end": 14, "weight": 0.4123}, {"start": 20, "end": 22, "weight": 0.05}]
    attrs = {"weighed_words": words}
    analysis.set_layer("techniques", [Span(6, 14, "Name_Calling-Labeling", 0.52, attrs)])
    html = render([analysis])
    assert (
        '<p class="meta weighed">Words that weighed most: <strong>traitors</strong> 0.41, '
        "<strong>to</strong> 0.05</p>"
    ) in html


def test_report_says_when_techniques_were_not_analysed() -> None:
    html = render([Analysis(Article(id="x", text="Plain text\n"))])
    assert "Technique detection did not run in this pipeline" in html


def test_untrusted_article_text_is_rendered_as_text() -> None:
    text = (
        "<script>alert('title')</script>\n\n"
        'Click <a href="javascript:alert(1)">here</a> or see <img src=x onerror=alert(2)>.\n'
    )
    analysis = Analysis(Article(id="<b>id</b>", text=text, title="<script>alert('title')</script>"))
    link = text.index("<a href")
    analysis.set_layer(
        "techniques",
        [
            Span(link, link + 30, "Loaded_Language", 0.9, {"voice": "quoted", "speaker": "<i>X"}),
            Span(0, 8, "<svg onload=alert(3)>", 0.5, {"category": '" onmouseover="alert(4)'}),
        ],
    )
    html = render([analysis])
    assert "<script>" not in html and "<script" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert '<a href="javascript' not in html and "href=&#34;javascript:alert(1)&#34;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<svg" not in html and "&lt;svg onload=alert(3)&gt;" in html
    assert "<i>X" not in html and "quoted: &lt;i&gt;X" in html
    assert "<b>id</b>" not in html
    assert '" onmouseover="' not in html
    # No style attributes at all: colours are category classes (made of [a-z0-9-] only).
    assert "style=" not in html
    assert re.findall(r'class="hl ([^"]*)"', html) == [
        "cat-onmouseover-alert-4",
        "cat-manipulative-wording",
    ]
