"""Occlusion weights of a technique span, with the shipped model (texts written for these tests)."""

from __future__ import annotations

from propwatch.components.technique_model import default_tagger
from propwatch.models.techniques.explain import occlusion_weights

TEXT = (
    "Harbour plan divides town\n"
    "Residents met on Monday to discuss the harbour plan. Councillor Ben Dorne said the "
    "developers are greedy vultures and liars. The meeting ended at nine.\n"
)
SLUR = "greedy vultures and liars"
SPAN = (TEXT.index(SLUR), TEXT.index(SLUR) + len(SLUR))


def test_the_slur_weighs_more_than_the_function_words_of_a_name_calling_sentence() -> None:
    tagger = default_tagger()
    found = [d for d in tagger.detect(TEXT, "semeval2023") if d.start <= SPAN[0] < d.end]
    # the fragment is marked twice, once per technique (several techniques per fragment)
    assert sorted(d.technique for d in found) == ["Loaded_Language", "Name_Calling-Labeling"]
    marked = next(d for d in found if d.technique == "Name_Calling-Labeling")
    weights = occlusion_weights(
        tagger, TEXT, (marked.start, marked.end), marked.technique, "semeval2023"
    )
    by_word = {TEXT[w.start : w.end]: w.weight for w in weights}
    top = max(by_word, key=by_word.__getitem__)
    assert top in {"greedy", "vultures", "liars"}
    assert by_word[top] > max(by_word["the"], by_word["are"], by_word["and"]) + 0.1


def test_the_words_are_the_span_and_three_words_either_side_in_text_order() -> None:
    weights = occlusion_weights(
        default_tagger(), TEXT, SPAN, "Name_Calling-Labeling", "semeval2023"
    )
    words = [TEXT[w.start : w.end] for w in weights]
    assert words == ["the", "developers", "are", *SLUR.split(), "The", "meeting", "ended"]


def test_without_context_only_the_span_is_masked() -> None:
    weights = occlusion_weights(
        default_tagger(), TEXT, SPAN, "Name_Calling-Labeling", "semeval2023", context_words=0
    )
    assert [TEXT[w.start : w.end] for w in weights] == SLUR.split()


def test_a_span_of_spaces_has_no_words() -> None:
    assert occlusion_weights(default_tagger(), "a  b", (1, 3), "Repetition", "semeval2023") == []
