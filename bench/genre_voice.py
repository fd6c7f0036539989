"""Genre from who carries the techniques: measured against the shipped recipe.

Opinion pieces persuade in the author's own voice, reports mostly quote people who do. This
bench runs the real pipeline up to ``voice`` (techniques, quotes, who says each technique) on
every genre text and gives a second head sixteen numbers per article
(:data:`VOICE_NAMES`): technique spans per 100 words in the author's voice and in quotes, the
share of the text inside author-voice spans and inside quotes, the author's share of the spans,
log word count, and author-voice spans per 100 words of ten common techniques. Its
log-probabilities are averaged with the state head's and moved to the news prior, as
``bench/genre_style.py`` does with its style numbers; both recipes are scored the same way
(cross-validation over SemEval-2023 train with PolNeAR's reports, PTC dev with a paired article
bootstrap, PolNeAR's dev reports, the sanity texts).

The pipeline costs about a second per article on two busy cores (some 1,400 texts); with
``--voice-cache DIR`` each text's numbers are kept there (``<sha256 of text>.json``) and read
back by the next run.

Usage::

    python bench/genre_voice.py ../shared/data --states-cache DIR --voice-cache DIR2
        [--repeats 2] [--samples 1000]

Prints JSON per recipe (``state``, ``state+voice``) and the bootstrap of B - A.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from genre_style import compare_side_numbers, genre_parser
from propwatch.api import load_pipeline
from propwatch.components.voice import QUOTED, content_pieces
from propwatch.pipeline.pipeline import Pipeline
from propwatch.text.analysis import QUOTES, TECHNIQUES
from propwatch.text.article import Article

# Techniques of the default scheme whose author-voice density is a number of its own.
COUNTED = (
    "Loaded_Language",
    "Name_Calling-Labeling",
    "Doubt",
    "Flag_Waving",
    "Exaggeration-Minimisation",
    "Appeal_to_Fear-Prejudice",
    "Repetition",
    "Slogans",
    "Questioning_the_Reputation",
    "Causal_Oversimplification",
)
VOICE_NAMES = (
    "log_words",
    "author_spans_per_100_words",
    "quoted_spans_per_100_words",
    "author_span_text_share",
    "quoted_text_share",
    "author_share_of_spans",
    *(f"author_{name}_per_100_words" for name in COUNTED),
)


@cache
def voice_pipeline() -> Pipeline:
    return load_pipeline(components=["text", "quotes", "techniques", "quote_tagger", "voice"])


def voice_numbers_of(text: str) -> NDArray[np.float32]:
    """The :data:`VOICE_NAMES` numbers of one text (the pipeline runs on it)."""
    analysis = voice_pipeline()(Article(id="genre", text=text))
    words, chars = max(1, len(text.split())), max(1, len(text))
    spans = analysis.layer(TECHNIQUES)
    quoted = [s for s in spans if s.attrs.get("voice") == QUOTED]
    author = [s for s in spans if s.attrs.get("voice") != QUOTED]
    quote_chars = sum(e - s for q in analysis.layer(QUOTES) for s, e in content_pieces(q))
    per_technique = Counter(s.label for s in author)
    numbers = [
        math.log(words),
        100 * len(author) / words,
        100 * len(quoted) / words,
        sum(len(s) for s in author) / chars,
        min(1.0, quote_chars / chars),
        len(author) / max(1, len(spans)),
        *(100 * per_technique[name] / words for name in COUNTED),
    ]
    return np.array(numbers, dtype=np.float32)


def cached_numbers(folder: Path | None) -> Callable[[str], NDArray[np.float32]]:
    """:func:`voice_numbers_of`, kept in ``folder`` (when given) by the text's sha256."""

    def numbers(text: str) -> NDArray[np.float32]:
        if folder is None:
            return voice_numbers_of(text)
        path = folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}.json"
        if path.is_file():
            return np.array(json.loads(path.read_text(encoding="utf-8")), dtype=np.float32)
        found = voice_numbers_of(text)
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(found.tolist()), encoding="utf-8")
        return found

    return numbers


def main() -> None:
    parser = genre_parser(__doc__.split("\n")[0], repeats=2)
    parser.add_argument("--voice-cache", type=Path, help="Folder of voice numbers kept.")
    args = parser.parse_args()
    found = compare_side_numbers(args, cached_numbers(args.voice_cache), "state+voice")
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
