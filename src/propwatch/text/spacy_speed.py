"""spaCy's ``en_core_web_sm`` at a lower CPU cost, every annotation unchanged.

Measured on 90 news articles (81,000 tokens; spaCy 13.8 CPU-s of the pipeline's 33):

:func:`numpy_matmul` makes the networks multiply matrices with numpy's BLAS instead of the
``blis`` kernels thinc uses by default (``NumpyOps(use_blis=False)``, a thinc option): on this
machine's CPU one core does about 62 GFLOP/s with OpenBLAS and 39 with blis, and the networks'
matrix products are about 5 of spaCy's 14 CPU-s.

The attribute ruler and the lemmatizer cost about as much as the dependency parser (1.7 and
1.1 CPU-s, against 1.7 s for the parser). :class:`FastAttributes` gives each doc what these two
pipes give it, using their own patterns, tables and code:

- the ruler's one-token patterns that test attributes for equality (all but a handful) are
  looked up in dicts keyed by the token's attribute hashes; the rest (regular expressions, two
  tokens) stay in a small Matcher; the matches then go, sorted as the ruler sorts them, through
  the ruler's own ``set_annotations``;
- the rule lemmatizer checks each candidate form against a word list of its part of speech
  (``form in index``, a scan of up to 57,528 words); the lists become sets, and the
  lemmatizer itself does the rest (0.24 s instead of 1.1 s).

The parser's pipeline runs with both pipes disabled and this runs after it; the named entity
recogniser, which spaCy runs between them, reads neither (its features are NORM, PREFIX,
SUFFIX and SHAPE), so every attribute of every token is what the full pipeline writes.
Tests compare both changes with the plain pipeline token by token.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
# Token attributes a one-token pattern may test for equality and still be looked up: those
# whose to_array value is the hash of their string (or a 0/1 flag).
INDEXED = ("LOWER", "TAG", "DEP", "ORTH", "IS_SPACE")

Match = tuple[int, int, int, int]  # (attr id, match id, start, end), as the ruler sorts them


def numpy_matmul(nlp: Language) -> None:
    """Let every network of ``nlp`` multiply matrices with numpy instead of blis."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


class FastAttributes:
    """What ``nlp``'s ``attribute_ruler`` and ``lemmatizer`` write, computed faster.

    Parameters
    ----------
    nlp : spacy.language.Language
        A pipeline holding both pipes (they stay in it; :attr:`skipped` names them for
        ``nlp.pipe(..., disable=...)``).
    """

    skipped = (RULER, LEMMATIZER)  # the pipes this replaces, to disable in ``nlp.pipe``

    def __init__(self, nlp: Language) -> None:
        from spacy.attrs import IDS
        from spacy.matcher import Matcher

        # spaCy types pipes as plain callables; these two are AttributeRuler and Lemmatizer
        self.ruler = cast(Any, nlp.get_pipe(RULER))
        self.lemmatizer = cast(Any, nlp.get_pipe(LEMMATIZER))
        strings = nlp.vocab.strings
        self.residual = Matcher(nlp.vocab, validate=False)
        # attribute names tested -> their values' hashes -> (attr id, match id) of each pattern
        self.tables: dict[tuple[str, ...], dict[tuple[int, ...], list[tuple[int, int]]]] = {}
        for attr_id in range(len(self.ruler.attrs)):
            key = str(attr_id)
            _callback, patterns = self.ruler.matcher.get(key)
            for pattern in patterns:
                rows = _equality_rows(pattern)
                if rows is None:
                    self.residual.add(key, [pattern])
                    continue
                names = tuple(sorted(pattern[0]))
                table = self.tables.setdefault(names, {})
                for values in rows:
                    hashes = tuple(_hash(strings, value) for value in values)
                    table.setdefault(hashes, []).append((attr_id, strings[key]))
        self.columns = sorted({name for names in self.tables for name in names})
        self.attr_ids = [IDS[name] for name in self.columns]
        self.positions = {
            names: [self.columns.index(name) for name in names] for names in self.tables
        }
        _index_as_sets(self.lemmatizer)

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.matches(doc))
        return cast("Doc", self.lemmatizer(doc))

    def pipe(self, docs: Iterable[Doc]) -> Iterable[Doc]:
        return map(self, docs)

    def matches(self, doc: Doc) -> list[Match]:
        """The ruler's matches on ``doc``, in the order the ruler applies them."""
        found: list[Match] = []
        rows = doc.to_array(self.attr_ids).tolist() if len(doc) else []
        for names, table in self.tables.items():
            positions = self.positions[names]
            for i, row in enumerate(rows):
                hits = table.get(tuple(row[p] for p in positions))
                if hits:
                    found.extend((attr_id, match_id, i, i + 1) for attr_id, match_id in hits)
        strings = doc.vocab.strings
        for match_id, start, end in self.residual(doc, allow_missing=True, as_spans=False):
            found.append((int(strings[match_id]), match_id, start, end))
        found.sort()
        return found


def _equality_rows(pattern: list[dict[str, Any]]) -> list[tuple[Any, ...]] | None:
    """The value tuples (in sorted attribute order) a one-token pattern matches, or ``None``
    when it cannot be looked up (several tokens, operators, regular expressions...)."""
    if len(pattern) != 1 or not set(pattern[0]) <= set(INDEXED):
        return None
    choices = []
    for name in sorted(pattern[0]):
        value = pattern[0][name]
        if isinstance(value, dict):
            if set(value) != {"IN"}:
                return None
            choices.append(list(value["IN"]))
        else:
            choices.append([value])
    return list(itertools.product(*choices))


def _hash(strings: Any, value: Any) -> int:
    # to_array gives boolean flags as 0/1 and strings as their hashes
    if isinstance(value, bool):
        return int(value)
    return int(strings.add(value))


def _index_as_sets(lemmatizer: Any) -> None:
    # Only ever read with ``in``, so a set answers exactly as the list did.
    index = lemmatizer.lookups.get_table("lemma_index", {})
    for pos in list(index):
        index[pos] = frozenset(index[pos])
