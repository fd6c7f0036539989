"""The tokens each quote rule looks at, read from one column of the parse."""

from __future__ import annotations

from propwatch.models.quotes.clauses import tokens_with
from propwatch.text.nlp import shared_model


def test_tokens_with_finds_the_tokens_a_walk_over_the_doc_finds_in_order() -> None:
    text = "Officials said: the plan, according to Smith, works. Smith agreed and left."
    doc = shared_model().parse(text).chunks[0].doc
    assert [t.text for t in tokens_with(doc, "ORTH", [":"])] == [":"]
    assert [t.i for t in tokens_with(doc, "LOWER", ["according", "smith"])] == [6, 8, 12]
    verbs = tokens_with(doc, "POS", ["VERB", "AUX"])
    assert verbs == [t for t in doc if t.pos_ in {"VERB", "AUX"}]
    assert [t.text for t in verbs] == ["said", "according", "works", "agreed", "left"]
    assert [t.text for t in tokens_with(doc, "DEP", ["pobj"])] == ["Smith"]
    assert tokens_with(doc, "LOWER", []) == []
