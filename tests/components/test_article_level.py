"""Article-level components (genre, frames, narratives, roles) with the shipped models.

The article below was written for these tests. The expected labels are what the shipped
models answer today: a change means the models (or features) changed, which must be deliberate.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from propwatch import registry
from propwatch.cli.main import app
from propwatch.components.genre import GenreComponent
from propwatch.components.narratives import evidence_spans
from propwatch.components.roles import attach_mentions
from propwatch.components.technique_model import default_encoder_version, default_tagger
from propwatch.errors import InputError, PropwatchError
from propwatch.io.labels.semeval2025 import EntityMention
from propwatch.models.article.entities import Mention, clean_name, is_actor, merge_entities
from propwatch.models.article.genre import GenreClassifier
from propwatch.models.article.narratives import Narrative
from propwatch.models.article.roles import mention_context, mention_contexts
from propwatch.models.article.shipped import load_model, save_model
from propwatch.pipeline import Pipeline
from propwatch.text.analysis import ENCODER_STATES, Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import shared_model
from propwatch.text.span import Span
from propwatch.training.article import datasets
from propwatch.training.article.train import MeanStates

ARTICLE = (
    "Western leaders are dragging Europe into a war it cannot win\n"
    "\n"
    "Washington keeps sending weapons to Kyiv while ordinary families in Europe pay for it.\n"
    "Officials in Brussels ignore the sanctions that hurt their own farmers and factories.\n"
    "Moscow has said again and again that it is ready for peace talks, but NATO refuses.\n"
    "The Kremlin warned that new missiles near its border could start a nuclear catastrophe.\n"
    "Meanwhile Zelensky begs for more money, and the corrupt elite in Kyiv grows richer.\n"
)
PIPELINE = ["text", "techniques", "genre", "frames", "narratives", "roles"]
# The shipped genre model leans to opinion (0.52) but below its unsure_below (0.7).
EXPECTED_GENRE = "unsure"
EXPECTED_GENRE_SCORES = {"opinion": 0.5242, "reporting": 0.37636, "satire": 0.09944}
EXPECTED_FRAMES = [
    "Economic",
    "External_regulation_and_reputation",
    "Political",
    "Security_and_defense",
]
# Sentences (start, end) the genre and frame models lean on most.
EXPECTED_GENRE_EVIDENCE = [[62, 148], [319, 406]]
EXPECTED_FRAME_EVIDENCE = {
    "Economic": [[407, 490]],
    "External_regulation_and_reputation": [[319, 406]],
    "Political": [[407, 490]],
    "Security_and_defense": [[0, 60]],
}
WEST = "URW: Discrediting the West, Diplomacy"
FEARS = "URW: Amplifying war-related fears"
BACKFIRE = "URW: Negative Consequences for the West"
EXPECTED_NARRATIVES = [
    (WEST, [f"{WEST}: The West does not care about Ukraine, only about its interests"]),
    (FEARS, [f"{FEARS}: NATO should/will directly intervene"]),
    (BACKFIRE, [f"{BACKFIRE}: Sanctions imposed by Western countries will backfire"]),
]
EXPECTED_EVIDENCE = [
    (0, 60, BACKFIRE),
    (62, 148, FEARS),
    (149, 234, BACKFIRE),
    (235, 318, WEST),
    (319, 406, FEARS),
    (407, 490, WEST),
]
EXPECTED_ENTITIES = [  # text, entity, main role, fine roles, cast in a role
    ("Washington", "Washington", "Antagonist", ["Conspirator"], True),
    # Kyiv, which receives the weapons, reads as a victim to the polarity view (since 7 Dec).
    ("Kyiv", "Kyiv", "Innocent", ["Victim"], True),
    ("Brussels", "Brussels", "Antagonist", ["Conspirator"], True),
    ("Moscow", "Moscow", "Protagonist", ["Guardian"], False),
    ("NATO", "NATO", "Antagonist", ["Instigator"], False),
    ("Kremlin", "Kremlin", "Antagonist", ["Instigator"], True),
    ("Zelensky", "Zelensky", "Antagonist", ["Incompetent"], True),
]


@pytest.fixture(scope="module")
def analysis():
    return Pipeline.from_names(PIPELINE)(Article(id="EN_UA_TEST_1.txt", text=ARTICLE))


def test_components_are_registered_with_their_layers() -> None:
    declared = {
        name: (registry.components.get(name).requires, registry.components.get(name).assigns)
        for name in ("genre", "frames", "narratives", "roles")
    }
    assert declared == {
        "genre": (("sentences", "encoder_states"), ("genre", "genre_scores", "genre_evidence")),
        "frames": (("sentences",), ("frames", "frame_scores", "frame_evidence")),
        "narratives": (
            ("sentences", "encoder_states"),
            ("narratives", "narrative_presence", "narrative_topics", "narrative_evidence"),
        ),
        "roles": (("sentences", "encoder_states"), ("entities",)),
    }
    assert "encoder_states" in registry.components.get("techniques").assigns


def test_pipeline_without_the_encoder_states_is_refused() -> None:
    with pytest.raises(PropwatchError) as caught:
        Pipeline.from_names(["text", "genre"])
    assert str(caught.value) == (
        "component 'genre' needs encoder_states, which no earlier component assigns"
    )


def test_shipped_models_on_our_article(analysis) -> None:
    assert analysis.labels["genre"] == EXPECTED_GENRE
    assert analysis.labels["genre_scores"] == pytest.approx(EXPECTED_GENRE_SCORES, abs=1e-3)
    assert sum(analysis.labels["genre_scores"].values()) == pytest.approx(1.0, abs=1e-5)
    assert analysis.labels["frames"] == EXPECTED_FRAMES
    # The cues are whole sentences: the genre's two strongest, each frame's strongest.
    assert analysis.labels["genre_evidence"] == EXPECTED_GENRE_EVIDENCE
    assert analysis.labels["frame_evidence"] == EXPECTED_FRAME_EVIDENCE
    assert analysis.labels["narrative_topics"] == ["URW"]
    found = [(n["narrative"], n["subnarratives"]) for n in analysis.labels["narratives"]]
    assert found == EXPECTED_NARRATIVES
    for narrative in analysis.labels["narratives"]:
        assert 0 < narrative["score"] <= 1
        assert narrative["evidence"], "every narrative cites at least one sentence"
    evidence = analysis.layer("narrative_evidence")
    assert [(s.start, s.end, s.label) for s in evidence] == EXPECTED_EVIDENCE


def test_no_narrative_is_named_for_a_text_on_neither_topic() -> None:
    rant = (
        "They lied again\n\nThese clowns think we are fools. Every word out of their mouths "
        "is garbage, and the whole gang of frauds should be ashamed of themselves.\n"
    )
    found = Pipeline.from_names(PIPELINE)(Article(id="rant", text=rant))
    assert found.labels["narrative_topics"] == []
    assert found.labels["narratives"] == []
    assert found.layer("narrative_evidence") == []


def test_entities_from_ner_are_merged_and_roled(analysis) -> None:
    rows = [
        (
            s.text_of(analysis.text),
            s.attrs["entity"],
            s.label,
            s.attrs["fine_roles"],
            s.attrs["cast"],
        )
        for s in analysis.layer("entities")
    ]
    assert rows == EXPECTED_ENTITIES
    threshold = load_model("cast").threshold_
    for span in analysis.layer("entities"):
        start, end = span.attrs["sentence"]
        assert start <= span.start < end
        assert span.attrs["cast"] == (span.attrs["cast_score"] >= threshold)


def test_evidence_spans_share_of_positive_support() -> None:
    sentences = [Span(0, 5, "sentence"), Span(6, 10, "sentence"), Span(11, 20, "sentence")]
    narrative = Narrative("URW: Fear", ("URW: Fear: Other",), 0.7)
    spans = evidence_spans(narrative, sentences, np.array([1.0, -2.0, 3.0]), limit=1)
    assert [(s.start, s.end, s.label, s.score) for s in spans] == [(11, 20, "URW: Fear", 0.75)]
    assert spans[0].attrs == {"narrative": "URW: Fear", "subnarratives": ["URW: Fear: Other"]}
    assert evidence_spans(narrative, sentences, np.array([-1.0, 0.0, -3.0]), limit=2) == []


def test_merge_entities_joins_surname_to_full_name() -> None:
    mentions = [
        Mention(0, 9, "Joe Biden", kind="PERSON"),
        Mention(20, 25, "Biden", kind="PERSON"),
        Mention(30, 35, "Biden", kind="GPE"),
    ]
    assert [m.entity for m in merge_entities(mentions)] == ["Joe Biden", "Joe Biden", "Biden"]
    assert clean_name("the Kremlin's") == "Kremlin"


def test_a_surname_takes_the_longest_full_name_the_first_of_equally_long_ones() -> None:
    people = [
        Mention(0, 7, "Ann Lee", kind="PERSON"),
        Mention(10, 17, "Bob Lee", kind="PERSON"),
        Mention(20, 23, "Lee", kind="ORG"),
    ]
    assert merge_entities(people)[2].entity == "Ann Lee"
    longer = [*people, Mention(30, 41, "Annabel Lee", kind="PERSON")]
    assert merge_entities(longer)[2].entity == "Annabel Lee"


def test_headline_runs_and_quoted_titles_are_not_actors() -> None:
    text = 'Senator Slams Budget As Oslo Talks Stall\n\nIn Oslo, the film "Red Harbor" opened.'
    assert not is_actor(text, 8, 20, "Slams Budget")  # headline only
    assert is_actor(text, 24, 28, "Oslo")  # the body names it too
    assert is_actor(text, 45, 49, "Oslo")
    assert not is_actor(text, 61, 71, "Red Harbor")  # the whole quotation
    assert is_actor("Oslo", 0, 4, "Oslo")  # a headline without a body is all there is


def test_mention_context_carries_parse_cues() -> None:
    text = 'Talks fail\n\nThe minister said: "Moscow lied to everyone." Moscow denied it.\n'
    parsed, encoded = shared_model().parse(text), default_tagger().encode(text)
    start = text.index("Moscow")
    context = mention_context(parsed, parsed.sentences(), start, start + 6, encoded)
    assert context.sentence == 'The minister said: "Moscow lied to everyone."'
    assert context.sentence[context.start : context.end] == "Moscow"
    assert {"Q:1", "N:2", "I:0", "T:GPE", "D:nsubj", "V:lie"} <= set(context.cues)
    assert context.states.shape == (768,)
    title = mention_context(parsed, parsed.sentences(), 0, 5, encoded).cues
    assert {"Q:0", "I:1", "P:0"} <= set(title)


def test_the_contexts_of_a_texts_mentions_are_those_of_each_mention() -> None:
    text = 'Talks fail\n\nThe minister said: "Moscow lied to everyone." Moscow denied it.\n'
    parsed, encoded = shared_model().parse(text), default_tagger().encode(text)
    sentences = parsed.sentences()
    first = text.index("Moscow")
    second = text.index("Moscow", first + 1)
    mentions = [(first, first + 6), (second, second + 6)]
    both = mention_contexts(parsed, sentences, mentions, encoded)
    alone = [mention_context(parsed, sentences, *m, encoded) for m in mentions]
    assert [c.cues for c in both] == [c.cues for c in alone]
    assert [c.sentence for c in both] == [c.sentence for c in alone]
    # The quotation closed before the second mention on its line; the name occurs twice.
    assert {"Q:0", "N:2", "I:0", "P:7"} <= set(both[1].cues)


def test_attach_mentions_keeps_file_offsets() -> None:
    articles = [Article(id="a.txt", text="Hello Kyiv"), Article(id="b.txt", text="Nothing")]
    given = [EntityMention("a.txt", "Kyiv", 6, 10)]
    out = list(attach_mentions(articles, given))
    assert out[0].meta["entity_mentions"] == [{"start": 6, "end": 10, "entity": "Kyiv"}]
    assert out[1].meta["entity_mentions"] == []


def test_analyze_entities_writes_given_mentions(tmp_path: Path) -> None:
    # An emoji before "NATO" makes the file's UTF-16 offsets one more than the str offsets;
    # the output must repeat the given offsets so the scorer can match them.
    text = "Peace now \U0001f54a\nNATO refuses every offer from Moscow.\n"
    doc = tmp_path / "EN_UA_TEST_2.txt"
    doc.write_text(text, encoding="utf-8")
    nato = text.index("NATO") + 1  # UTF-16 units
    moscow = text.index("Moscow")
    mentions = tmp_path / "mentions.txt"
    mentions.write_text(
        f"EN_UA_TEST_2.txt\tNATO\t{nato}\t{nato + 3}\n"
        f"EN_UA_TEST_2.txt\tMoscow\t{moscow + 1}\t{moscow + 6}\n"
        "EN_UA_OTHER.txt\tKyiv\t0\t3\n",
        encoding="utf-8",
    )
    out = tmp_path / "pred.txt"
    result = CliRunner().invoke(
        app,
        [
            "analyze",
            str(doc),
            "--format",
            "semeval2025-st1",
            "--entities",
            str(mentions),
            "-o",
            str(out),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row[:4] for row in rows] == [
        ["EN_UA_TEST_2.txt", "NATO", str(nato), str(nato + 3)],
        ["EN_UA_TEST_2.txt", "Moscow", str(moscow + 1), str(moscow + 6)],
    ]
    main_roles = ("Protagonist", "Antagonist", "Innocent")
    assert all(row[4] in main_roles and len(row) >= 6 for row in rows)


def test_article_formats_are_written(tmp_path: Path) -> None:
    doc = tmp_path / "article123.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    st1 = CliRunner().invoke(app, ["analyze", str(doc), "--format", "semeval2023-st1", "-q"])
    assert st1.exit_code == 0, st1.output
    # Unsure on the page, but the submission file needs a genre: the most probable one.
    assert st1.stdout == "123\topinion\n"
    st2 = CliRunner().invoke(app, ["analyze", str(doc), "--format", "semeval2023-st2", "-q"])
    assert st2.stdout == f"123\t{','.join(EXPECTED_FRAMES)}\n"
    doc25 = tmp_path / "EN_UA_TEST_1.txt"
    doc25.write_text(ARTICLE, encoding="utf-8")
    nar = CliRunner().invoke(app, ["analyze", str(doc25), "--format", "semeval2025-st2", "-q"])
    coarse = ";".join(n for n, _ in EXPECTED_NARRATIVES) or "Other"
    fine = ";".join(s for _, subs in EXPECTED_NARRATIVES for s in subs) or "Other"
    assert nar.stdout == f"EN_UA_TEST_1.txt\t{coarse}\t{fine}\n"
    as_json = CliRunner().invoke(app, ["analyze", str(doc25), "--format", "json", "-q"])
    labels = json.loads(as_json.stdout)[0]["labels"]
    assert labels["genre"] == EXPECTED_GENRE
    assert [n["narrative"] for n in labels["narratives"]] == [n for n, _ in EXPECTED_NARRATIVES]


def test_training_data_loads(shared_data: Path) -> None:
    assert len(datasets.genre_documents(shared_data).ids) == 358
    narratives = datasets.narrative_documents(shared_data)
    assert len(narratives.ids) == 200
    assert narratives.ids[0].endswith(".txt")
    definitions = datasets.narrative_definitions(shared_data)
    assert "URW: Discrediting Ukraine" in definitions
    train, validation = datasets.split_ids(narratives.ids, seed=0)
    assert (len(train), len(validation)) == (160, 40)
    assert not train & validation
    dev_frames = datasets.frame_dev_documents(shared_data)
    assert (len(dev_frames.ids), sum(map(len, dev_frames.labels))) == (75, 290)
    flags = datasets.hyperpartisan_flags(shared_data)
    assert (len(flags), sum(flags)) == (len(datasets.hyperpartisan_texts(shared_data)), 238)


def test_mean_states_are_kept_on_disk_and_read_back(tmp_path: Path) -> None:
    text = "The council voted on Tuesday to repair the bridge, the clerk said."
    first = MeanStates(tmp_path)(text)
    (kept,) = (tmp_path / default_encoder_version()).glob("*.npy")
    # A new cache over the same folder reads the file: a changed file is what it returns.
    np.save(kept, np.full_like(first, 0.5), allow_pickle=False)
    assert np.array_equal(MeanStates(tmp_path)(text), np.full_like(first, 0.5))
    np.testing.assert_allclose(first, default_tagger().encode(text).mean_state())


def test_genre_reads_the_states_the_techniques_component_assigned(analysis) -> None:
    states = analysis.runtime(ENCODER_STATES)
    assert states.encoder == default_encoder_version()
    assert states.hidden.shape == (len(states.tokens), 384)
    assert GenreComponent().encoder_states(analysis) is states


RANT = (
    "Parliament votes again\n"
    "\n"
    "These spineless traitors and corrupt globalist puppets in Parliament have once again "
    "betrayed every hard-working family. Only a fool would believe their pathetic lies. "
    'The so-called experts are nothing but paid liars and clowns. "They are vermin who hate '
    'this country," said party leader John Miller.\n'
)


def test_a_short_rant_is_not_called_satire() -> None:
    # The shipped model finds this rant most probably satire (above 0.8), as it did when
    # issue 18 was filed; its satire decisions are rarely right, so it says it is unsure.
    labels = Pipeline.from_names(["text", "techniques", "genre"])(
        Article(id="rant", text=RANT)
    ).labels
    assert labels["genre"] == "unsure"
    assert set(labels["genre_scores"]) == {"opinion", "reporting", "satire"}


def test_genre_refuses_states_of_another_encoder(analysis) -> None:
    other = Analysis(analysis.article)
    states = dataclasses.replace(analysis.runtime(ENCODER_STATES), encoder="1999-01-01")
    other.set_runtime(ENCODER_STATES, states)
    expected = (
        f"fitted on technique encoder {default_encoder_version()!r}, "
        "but the techniques component's model has encoder '1999-01-01'"
    )
    with pytest.raises(InputError, match=re.escape(expected)):
        GenreComponent()(other)


def test_article_models_follow_the_technique_model_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A technique model not yet shipped (PROPWATCH_TECHNIQUE_MODEL_DIR) gets article models
    # fitted on its encoder: the training commands and the load check both read that one.
    adapted = tmp_path / "adapted"
    adapted.mkdir()
    (adapted / "config.json").write_text(json.dumps({"encoder_version": "2030-01-01"}))
    monkeypatch.setenv("PROPWATCH_TECHNIQUE_MODEL_DIR", str(adapted))
    assert default_encoder_version() == "2030-01-01"
    model = GenreClassifier(encoder="2030-01-01").fit(np.eye(4), ["opinion", "reporting"] * 2)
    save_model("genre", model, tmp_path, {})
    assert GenreComponent(model_dir=str(tmp_path)).model.encoder == "2030-01-01"
    monkeypatch.delenv("PROPWATCH_TECHNIQUE_MODEL_DIR")
    with pytest.raises(InputError, match="but the technique model in use has encoder"):
        _ = GenreComponent(model_dir=str(tmp_path)).model


def test_genre_model_of_another_encoder_is_refused(tmp_path: Path) -> None:
    model = GenreClassifier(encoder="1999-01-01").fit(np.eye(4), ["opinion", "reporting"] * 2)
    save_model("genre", model, tmp_path, {})
    with pytest.raises(InputError, match=r"genre\.npz: fitted on technique encoder '1999-01-01'"):
        _ = GenreComponent(model_dir=str(tmp_path)).model
