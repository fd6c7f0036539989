"""The article panels with their evidence: genre and frame probabilities (low ones marked, as
technique cards are) with their cue sentences, techniques by paragraph, entity roles with their
supporting sentence; the same in the HTML report as on the web page (one macro)."""

from __future__ import annotations

import io

from propwatch import Analysis, Article, Span, registry
from propwatch.render.panels import ParagraphTechniques, Scored, build_panels
from propwatch.render.view import Glossary

TEXT = (
    "Port deal signed\n"
    "\n"
    "The reckless council signed the port deal at midnight.\n"
    "\n"
    "Mayor Ana Ruiz called it a betrayal of every worker in the town.\n"
)


def analysis() -> Analysis:
    result = Analysis(Article(id="port", text=TEXT, title="Port deal signed"))
    lines = [(0, 16, 1), (18, 72, 3), (74, 138, 5)]
    result.set_layer(
        "paragraphs", [Span(s, e, "paragraph", attrs={"line": line}) for s, e, line in lines]
    )
    betrayal = TEXT.index("a betrayal")
    result.set_layer(
        "techniques",
        [
            Span(
                betrayal,
                betrayal + 10,
                "Loaded_Language",
                0.41,
                {"category": "manipulative wording"},
            )
        ],
    )
    ruiz = TEXT.index("Ana Ruiz")
    result.set_layer(
        "entities",
        [
            Span(
                ruiz,
                ruiz + 8,
                "Protagonist",
                0.81,
                {"entity": "Ana Ruiz", "fine_roles": ["Guardian"], "sentence": [74, 138]},
            )
        ],
    )
    result.labels.update(
        genre="opinion",
        genre_scores={"opinion": 0.46, "reporting": 0.44, "satire": 0.1},
        genre_evidence=[[74, 138]],
        frames=["Economic", "Legality_Constitutionality_and_jurisprudence"],
        frame_scores={
            "Economic": 0.35,
            "Legality_Constitutionality_and_jurisprudence": 0.72,
            "Political": 0.2,
        },
        frame_evidence={"Economic": [[18, 72]], "Legality_Constitutionality_and_jurisprudence": []},
        paragraph_techniques=[
            {"line": 3, "techniques": ["Loaded_Language"], "scores": [0.64]},
            {
                "line": 5,
                "techniques": ["Name_Calling-Labeling", "Appeal_to_Fear-Prejudice"],
                "scores": [0.7, 0.31],
            },
        ],
    )
    return result


def test_panels_carry_confidence_and_evidence() -> None:
    panels = build_panels(analysis(), Glossary.load("semeval2023"))
    assert panels.genre == Scored("opinion", 0.46)
    assert panels.genre.low
    # Most probable first, readable labels; Political is below its threshold (not assigned).
    assert panels.frames == [
        Scored("Legality constitutionality and jurisprudence", 0.72),
        Scored("Economic", 0.35),
    ]
    assert panels.whole_text_scores
    assert panels.genre_cues == (
        "Mayor Ana Ruiz called it a betrayal of every worker in the town.",
    )
    # A frame without a cue sentence is left out of the cues.
    assert panels.frame_cues == {
        "Economic": ("The reckless council signed the port deal at midnight.",)
    }
    assert panels.paragraphs == [
        ParagraphTechniques(
            3,
            "The reckless council signed the port deal at midnight.",
            (Scored("Loaded language", 0.64),),
        ),
        ParagraphTechniques(
            5,
            "Mayor Ana Ruiz called it a betrayal of every worker in the town.",
            (Scored("Name calling / labeling", 0.7), Scored("Appeal to fear / prejudice", 0.31)),
        ),
    ]
    assert panels.entities is not None
    (ruiz,) = panels.entities
    assert (ruiz.main_role, ruiz.sentence) == (
        Scored("Protagonist", 0.81),
        "Mayor Ana Ruiz called it a betrayal of every worker in the town.",
    )


def test_the_html_report_shows_the_evidence() -> None:
    stream = io.StringIO()
    registry.writers.get("html").write([analysis()], stream)
    html = stream.getvalue()
    assert (
        '<dt>Genre</dt><dd>opinion <span class="score">46%</span> '
        '<span class="low">(low confidence)</span></dd>'
    ) in html
    assert (
        '<dt>Frames</dt><dd>Legality constitutionality and jurisprudence <span class="score">'
        '72%</span>, Economic <span class="score">35%</span> <span class="low">'
        "(low confidence)</span></dd>"
    ) in html
    assert (
        "these models read all of it. The sentences below push most towards each answer: the "
        "models' cues, not proof."
    ) in html
    assert (
        "<summary>Sentences behind the genre and frames</summary>\n      <p>Genre: opinion</p>"
        "<blockquote>Mayor Ana Ruiz called it a betrayal of every worker in the town."
        "</blockquote>\n      <p>Frame: Economic</p><blockquote>The reckless council signed the "
        "port deal at midnight.</blockquote>"
    ) in html
    assert 'Confidence 41% <span class="low">(low confidence)</span>' in html
    assert (
        '<p class="excerpt"><span class="muted">Line 5:</span> Mayor Ana Ruiz called it a '
        "betrayal of every worker in the town.</p>\n        <p>Name calling / labeling "
        '<span class="score">70%</span>; Appeal to fear / prejudice <span class="score">31%'
        '</span> <span class="low">(low confidence)</span></p>'
    ) in html
    assert (
        '<tr class="evidence"><td colspan="2"><blockquote>Mayor Ana Ruiz called it a betrayal'
        " of every worker in the town.</blockquote></td></tr>"
    ) in html


def test_an_unsure_genre_names_the_most_probable_one_as_low_confidence() -> None:
    unsure = analysis()
    unsure.labels["genre"] = "unsure"
    panels = build_panels(unsure, Glossary.load("semeval2023"))
    assert panels.genre == Scored("unsure, most probably opinion", 0.46)
    stream = io.StringIO()
    registry.writers.get("html").write([unsure], stream)
    assert (
        '<dt>Genre</dt><dd>unsure, most probably opinion <span class="score">46%</span> '
        '<span class="low">(low confidence)</span></dd>'
    ) in stream.getvalue()


def html_of(result: Analysis) -> str:
    stream = io.StringIO()
    registry.writers.get("html").write([result], stream)
    return stream.getvalue()


def test_no_narrative_says_whether_the_text_is_off_both_topics() -> None:
    off_topic = analysis()
    off_topic.labels.update(narratives=[], narrative_topics=[])
    assert build_panels(off_topic, Glossary.load("semeval2023")).narrative_topics == []
    assert (
        '<p class="muted">No narrative: the text is about neither the Russia-Ukraine war nor '
        "climate change, the two topics the narrative taxonomy covers.</p>"
    ) in html_of(off_topic)
    on_topic = analysis()
    on_topic.labels.update(narratives=[], narrative_topics=["URW"])
    assert '<p class="muted">No narrative (Other).</p>' in html_of(on_topic)
