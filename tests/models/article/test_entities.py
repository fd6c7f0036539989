"""Which named entities an article lists, on an article we wrote (issue 21).

The roles table shows one row per entity: a surname and the full name of one person are one
row, and neither a photo credit line nor a nationality adjective is an entity.
"""

from __future__ import annotations

from propwatch.models.article.entities import Mention, entity_groups, merge_entities, ner_mentions
from propwatch.text.nlp import shared_model

ARTICLE = (
    "Russian envoy rejects talks\n"
    "\n"
    "Mikhail Petrov/Pool/Reuters\n"
    "\n"
    "Russian diplomat Sergei Lavrov met Prime Minister Anna Berg in Geneva. "
    "Mr. Lavrov said the Russian position had not changed. Lavrov's deputy agreed. "
    "Berg said the Russians would lose.\n"
    "\n"
    "Photo: Ivan Sekretarev/AP Photo\n"
)


def test_each_entity_of_the_article_is_listed_once() -> None:
    mentions = ner_mentions(shared_model().parse(ARTICLE))
    listed = [[mentions[i] for i in group] for group in entity_groups(mentions)]
    assert [(group[0].entity, [ARTICLE[m.start : m.end] for m in group]) for group in listed] == [
        ("Sergei Lavrov", ["Sergei Lavrov", "Lavrov", "Lavrov"]),
        ("Anna Berg", ["Anna Berg", "Berg"]),
        ("Geneva", ["Geneva"]),
        ("Russians", ["Russians"]),
    ]


def test_a_surname_tagged_as_an_organisation_joins_the_full_name() -> None:
    mentions = [
        Mention(0, 9, "Joe Biden", kind="PERSON"),
        Mention(20, 25, "Biden", kind="ORG"),
        Mention(30, 40, "Washington", kind="GPE"),
        Mention(50, 67, "George Washington", kind="PERSON"),
    ]
    # A one-word place stays a place: "Washington" is not George Washington.
    assert [m.entity for m in merge_entities(mentions)] == [
        "Joe Biden",
        "Joe Biden",
        "Washington",
        "George Washington",
    ]
