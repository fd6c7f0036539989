"""Technique schemes are data files: names, categories, our own definitions, a 2020→2023 map."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from propwatch import registry
from propwatch.errors import PropwatchError, UnknownNameError
from propwatch.schemes import load_scheme, read_scheme

SEMEVAL2020 = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
]

SEMEVAL2023_BY_CATEGORY = {
    "attack on reputation": [
        "Name_Calling-Labeling",
        "Guilt_by_Association",
        "Doubt",
        "Appeal_to_Hypocrisy",
        "Questioning_the_Reputation",
    ],
    "justification": [
        "Flag_Waving",
        "Appeal_to_Authority",
        "Appeal_to_Popularity",
        "Appeal_to_Values",
        "Appeal_to_Fear-Prejudice",
    ],
    "simplification": [
        "Causal_Oversimplification",
        "False_Dilemma-No_Choice",
        "Consequential_Oversimplification",
    ],
    "distraction": ["Straw_Man", "Red_Herring", "Whataboutism"],
    "call": ["Slogans", "Conversation_Killer", "Appeal_to_Time"],
    "manipulative wording": [
        "Loaded_Language",
        "Obfuscation-Vagueness-Confusion",
        "Exaggeration-Minimisation",
        "Repetition",
    ],
}


def test_both_schemes_are_registered() -> None:
    assert {"semeval2020", "semeval2023"} <= set(registry.schemes.names())


def test_semeval2023_has_23_techniques_in_the_task_categories() -> None:
    scheme = load_scheme("semeval2023")
    by_category: dict[str, list[str]] = {}
    for technique in scheme.techniques:
        by_category.setdefault(technique.category, []).append(technique.name)
    assert by_category == SEMEVAL2023_BY_CATEGORY
    assert len(scheme.techniques) == 23


def test_semeval2020_has_the_14_ptc_techniques_each_in_a_category() -> None:
    scheme = load_scheme("semeval2020")
    assert sorted(scheme.names) == SEMEVAL2020
    assert Counter(t.category for t in scheme.techniques) == {
        "justification": 4,
        "manipulative wording": 3,
        "attack on reputation": 2,
        "simplification": 2,
        "call": 2,
        "distraction": 1,
    }


@pytest.mark.parametrize("name", ["semeval2020", "semeval2023"])
def test_every_technique_has_a_label_definition_and_example(name: str) -> None:
    for technique in load_scheme(name).techniques:
        assert technique.label and technique.definition.endswith(".")
        assert technique.example and technique.example != technique.definition


@pytest.mark.parametrize("name", ["semeval2020", "semeval2023"])
def test_categories_carry_hex_colours(name: str) -> None:
    colours = {c.name: c.colour for c in load_scheme(name).categories}
    assert colours == {
        "attack on reputation": "#e15759",
        "justification": "#4e79a7",
        "simplification": "#f28e2b",
        "distraction": "#b07aa1",
        "call": "#59a14f",
        "manipulative wording": "#d4a017",
    }


def test_semeval2020_maps_onto_existing_semeval2023_techniques() -> None:
    mapping = load_scheme("semeval2020").mapping_to("semeval2023")
    known = set(load_scheme("semeval2023").names)
    assert all(set(targets) <= known for targets in mapping.values())
    assert mapping["Whataboutism,Straw_Men,Red_Herring"] == (
        "Whataboutism",
        "Straw_Man",
        "Red_Herring",
    )
    assert mapping["Thought-terminating_Cliches"] == ("Conversation_Killer",)
    uncovered = known - {t for targets in mapping.values() for t in targets}
    assert uncovered == {
        "Appeal_to_Hypocrisy",
        "Questioning_the_Reputation",
        "Appeal_to_Values",
        "Consequential_Oversimplification",
        "Appeal_to_Time",
        "Obfuscation-Vagueness-Confusion",
    }


def test_the_two_mappings_are_inverses_of_each_other() -> None:
    forward = load_scheme("semeval2020").mapping_to("semeval2023")
    backward = load_scheme("semeval2023").mapping_to("semeval2020")
    pairs = {(old, new) for old, news in forward.items() for new in news}
    assert pairs == {(old, new) for new, olds in backward.items() for old in olds}
    assert backward["Appeal_to_Popularity"] == ("Bandwagon,Reductio_ad_hitlerum",)
    assert backward["Appeal_to_Time"] == ()


def test_unknown_scheme_lists_the_known_ones() -> None:
    with pytest.raises(UnknownNameError) as error:
        load_scheme("semeval2099")
    known = ", ".join(registry.schemes.names())
    assert str(error.value) == f"unknown scheme 'semeval2099'; choose one of: {known}"


def test_technique_lookup_names_the_scheme() -> None:
    scheme = load_scheme("semeval2020")
    assert scheme.technique("Doubt").category == "attack on reputation"
    with pytest.raises(PropwatchError, match=r"^scheme 'semeval2020' has no technique 'Straw_Man'"):
        scheme.technique("Straw_Man")


def _scheme_file(tmp_path: Path, colour: str, category: str) -> Path:
    data = {
        "name": "tiny",
        "title": "Tiny",
        "description": "One technique.",
        "categories": [{"name": "call", "label": "Call", "colour": colour}],
        "techniques": [
            {
                "name": "Slogans",
                "label": "Slogans",
                "category": category,
                "definition": "D.",
                "example": "E.",
            }
        ],
    }
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_scheme_file_is_enough_to_define_a_scheme(tmp_path: Path) -> None:
    scheme = read_scheme(_scheme_file(tmp_path, "#123abc", "call"))
    assert (scheme.name, scheme.names, scheme.category("call").colour) == (
        "tiny",
        ["Slogans"],
        "#123abc",
    )


def test_colours_must_be_plain_hex_because_they_reach_css(tmp_path: Path) -> None:
    path = _scheme_file(tmp_path, "red; background: url(x)", "call")
    with pytest.raises(PropwatchError, match="is not #rrggbb"):
        read_scheme(path)


def test_a_technique_must_use_a_declared_category(tmp_path: Path) -> None:
    with pytest.raises(PropwatchError, match="has no category 'calls'"):
        read_scheme(_scheme_file(tmp_path, "#123abc", "calls"))


def test_names_match_the_research_label_lists(shared_data: Path) -> None:
    for scheme, path in [
        ("semeval2020", shared_data / "ptc2020" / "techniques.txt"),
        ("semeval2023", shared_data / "semeval2023-en" / "techniques.txt"),
    ]:
        assert sorted(load_scheme(scheme).names) == sorted(path.read_text().split())
