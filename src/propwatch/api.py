"""Functions that the CLI, the web app and batch jobs all call, so they behave the same.

Typical use::

    from propwatch.api import analyze_articles, load_pipeline, resolve_writer
    pipeline = load_pipeline(scheme="semeval2023")
    writer = resolve_writer("json", pipeline)
    writer.write(analyze_articles(articles, pipeline), sys.stdout)
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib.resources import files
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propwatch import config, registry
from propwatch.errors import InputError, NotBuiltError, PropwatchError, UnknownNameError
from propwatch.eval.result import EvalOptions, Score
from propwatch.eval.runner import evaluate as run_scorer
from propwatch.io.labels.semeval2020 import SpanLabel
from propwatch.io.readers import ReadOptions, read_inputs
from propwatch.io.writers import Writer
from propwatch.pipeline import Pipeline
from propwatch.schemes import load_scheme
from propwatch.settings import AnalysisLimits, ModelSettings
from propwatch.text.analysis import TECHNIQUES, Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span

if TYPE_CHECKING:
    from propwatch.models.techniques import TechniqueTagger

EXAMPLE_ARTICLE = "article_director_interview.txt"
DEFAULT_FORMAT = "json"
# Articles analysed together when failures are caught one by one (analyze_articles' on_error):
# enough for components to batch, few to redo when one of them fails.
GUARDED_CHUNK = 8


def load_pipeline(
    scheme: str = config.DEFAULT_SCHEME,
    components: Sequence[str] | None = None,
    *,
    max_text_chars: int | None = None,
    threads: int | None = None,
) -> Pipeline:
    """Build the pipeline, giving ``scheme`` to every component whose factory takes one, and
    the model folders of :class:`~propwatch.settings.ModelSettings`, when set, to the
    components they are for (the technique model to ``techniques``, the article model folder
    to the article-level components).

    Parameters
    ----------
    scheme : str, default=config.DEFAULT_SCHEME
        Name of a registered technique scheme (``"semeval2023"``, ``"semeval2020"``).
    components : sequence of str, optional
        Component names in running order; defaults to :data:`propwatch.config.DEFAULT_PIPELINE`.
    max_text_chars : int, optional
        Longest article text the pipeline analyses (see :meth:`Pipeline.checked`); defaults to
        ``PROPWATCH_MAX_TEXT_CHARS`` (:class:`~propwatch.settings.AnalysisLimits`).
    threads : int, optional
        onnxruntime threads of every component whose factory takes ``threads`` (the technique
        encoder); None leaves each its default.

    Raises
    ------
    UnknownNameError
        If the scheme or a component name is not registered (the message lists valid names).
    """
    # Here, not at the top: commands that build no pipeline do not load the model libraries.
    from propwatch.components.article import ArticleModelComponent
    from propwatch.components.explain import ExplainComponent
    from propwatch.components.quotes import QuoteTaggerComponent
    from propwatch.components.techniques import TechniquesComponent

    load_scheme(scheme)  # fail early on an unknown scheme even if no component reads it
    names = list(config.DEFAULT_PIPELINE if components is None else components)
    models = ModelSettings()
    folders = {
        TechniquesComponent: models.technique_model_dir,
        ExplainComponent: models.technique_model_dir,
        ArticleModelComponent: models.article_model_dir,
        QuoteTaggerComponent: models.quote_model_dir,
    }
    settings: dict[str, dict[str, Any]] = {name: {} for name in names}
    for name in names:
        factory = registry.components.get(name)
        parameters = inspect.signature(factory).parameters
        if "scheme" in parameters:
            settings[name]["scheme"] = scheme
        if threads is not None and "threads" in parameters:
            settings[name]["threads"] = threads
        for kind, folder in folders.items():
            if folder is not None and issubclass(factory, kind):
                settings[name]["model_dir"] = str(folder)
    limit = AnalysisLimits().max_text_chars if max_text_chars is None else max_text_chars
    return Pipeline.from_names(names, settings, max_text_chars=limit)


def assigned(pipeline: Pipeline) -> set[str]:
    """Every layer and label name some component of ``pipeline`` assigns."""
    return {name for component in pipeline.components for name in component.assigns}


def resolve_writer(format_name: str, pipeline: Pipeline) -> Writer:
    """The writer called ``format_name``, checked against what ``pipeline`` builds.

    Raises
    ------
    UnknownNameError
        If no writer has that name (the message lists the formats).
    NotBuiltError
        If the format needs a layer or label that no component of ``pipeline`` assigns.
    """
    if format_name not in registry.writers:
        raise UnknownNameError("format", format_name, registry.writers.names())
    writer: Writer = registry.writers.get(format_name)
    missing = writer.missing(assigned(pipeline))
    if missing:
        raise NotBuiltError(
            f"format {format_name!r} needs the {', '.join(missing)} analysis, which this "
            f"propwatch pipeline ({', '.join(pipeline.names) or 'empty'}) does not build yet"
        )
    return writer


def format_for_path(path: str) -> str:
    """The one format whose suffix ends ``path`` (``report.html`` → ``html``).

    Raises
    ------
    PropwatchError
        If no format, or several, use that suffix; the message says to pass ``--format``.
    """
    suffix = Path(path).suffix.lower()
    matches = [n for n in registry.writers.names() if registry.writers.get(n).suffix == suffix]
    if len(matches) != 1:
        found = f"formats {', '.join(matches)} all use it" if matches else "no format uses it"
        raise PropwatchError(
            f"{path}: cannot tell the output format from the suffix {suffix or '(none)'!r} "
            f"({found}); pass --format"
        )
    return matches[0]


def keep_confident(analysis: Analysis, min_confidence: float) -> Analysis:
    """Drop technique spans whose score is below ``min_confidence`` (in [0, 1])."""
    if analysis.has_layer(TECHNIQUES):
        kept = [s for s in analysis.layer(TECHNIQUES) if s.score >= min_confidence]
        analysis.set_layer(TECHNIQUES, kept)
    return analysis


def analyze_articles(
    articles: Iterable[Article],
    pipeline: Pipeline,
    *,
    min_confidence: float = 0.0,
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[Analysis]:
    """Run ``pipeline`` lazily, keeping technique spans scored >= ``min_confidence``; the
    analyses carry no run-time layers (:attr:`Analysis.cache`), only what writers write.

    Without ``on_error`` the first article whose analysis raises stops the run. With it, such
    an article goes to ``on_error`` (see :func:`analyze_each`) and the others are analysed.
    """
    if on_error is None:
        analyses: Iterable[Analysis] = pipeline.pipe(articles)
    else:
        analyses = _analyze_guarded(articles, pipeline, on_error)
    for analysis in analyses:
        # What the components passed each other (the parse, the encoder states: about 0.6 KB
        # a token) is not written anywhere; dropping it before the analysis is written keeps
        # a long article's peak memory that of the pipeline, not the pipeline plus the writer.
        analysis.cache.clear()
        yield keep_confident(analysis, min_confidence)


def explain_analyses(analyses: Iterable[Analysis]) -> Iterator[Analysis]:
    """Each analysis with the words that weighed most on its technique spans (the
    ``explain`` component, recorded in ``models``).

    Run it on what :func:`analyze_articles` yields: after ``min_confidence``, so only the
    spans kept are explained (each costs one encoder call).
    """
    explain = registry.components.get("explain")()
    for analysis in analyses:
        explain(analysis)
        analysis.models[explain.name] = explain.model_version()
        yield analysis


def _analyze_guarded(
    articles: Iterable[Article], pipeline: Pipeline, on_error: Callable[[InputError], None]
) -> Iterator[Analysis]:
    stream = iter(articles)
    while chunk := list(islice(stream, GUARDED_CHUNK)):
        for result in analyze_each(chunk, pipeline):
            if isinstance(result, InputError):
                on_error(result)
            else:
                yield result


def analyze_each(articles: Sequence[Article], pipeline: Pipeline) -> list[Analysis | InputError]:
    """Analyse a few articles together; each that fails becomes an error, the others analyses.

    The articles first go through ``pipeline.pipe`` together, so components can batch across
    them; if that raises, they are redone one at a time to find the failing ones. A failure is
    an :class:`InputError` naming the article's source, with the reason on one line: the
    message of a :class:`PropwatchError` (an article above a limit), else ``"TypeName:
    message"`` (a bug, or a library failing on hostile text).
    """
    try:
        return list(pipeline.pipe(articles))
    except Exception:  # isolate the failing article(s) below; nothing is lost
        return [_analyze_one(article, pipeline) for article in articles]


def _analyze_one(article: Article, pipeline: Pipeline) -> Analysis | InputError:
    try:
        return pipeline(article)
    except Exception as error:  # recorded against this article, as the CLI and batch jobs must
        return article_error(article, error)


def article_error(article: Article, error: Exception) -> InputError:
    """``error``, raised while analysing or storing ``article``, as an error naming its source."""
    source = str(article.meta.get("source", article.id))
    if isinstance(error, InputError):
        # An error about another file (a model the analysis loads) keeps that file's name.
        reason = error.reason if error.source in (source, article.id) else str(error)
    elif isinstance(error, PropwatchError):
        reason = str(error)
    else:
        reason = f"{type(error).__name__}: {error}"
    return InputError(source, reason)


def articles_from_inputs(
    inputs: Sequence[str],
    on_error: Callable[[InputError], None],
    *,
    options: ReadOptions | None = None,
) -> Iterator[Article]:
    """Read ``inputs`` (files, folders, globs, ``-``), passing each bad input to ``on_error``.

    Reading never stops at a bad input; the caller decides how to report it and what exit
    status to use. Options are checked now, before anything is read or written.

    Raises
    ------
    UnknownNameError
        If ``options`` names an unknown reader or id rule.
    """
    options = options or ReadOptions()
    options.validate()
    if options.format:
        registry.readers.get(options.format)
    return _skip_errors(read_inputs(inputs, options=options), on_error)


def _skip_errors(
    items: Iterable[Article | InputError], on_error: Callable[[InputError], None]
) -> Iterator[Article]:
    for item in items:
        if isinstance(item, InputError):
            on_error(item)
        else:
            yield item


def analyze(article: Article | str, pipeline: Pipeline | None = None) -> Analysis:
    """Analyse one article (or a raw text, given the id ``"text"``) with ``pipeline``.

    ``pipeline`` defaults to :func:`load_pipeline`'s; build it once when analysing many.
    """
    if isinstance(article, str):
        article = Article(id="text", text=article)
    return (pipeline or load_pipeline())(article)


def example_path() -> Path:
    """Path of the example article bundled with propwatch (written by the propwatch authors)."""
    return Path(str(files("propwatch") / "data" / "examples" / EXAMPLE_ARTICLE))


def evaluate(kind: str, pred: Path, gold: Path, options: EvalOptions | None = None) -> Score:
    """Score predictions against gold labels with the registered scorer ``kind``.

    See :func:`propwatch.eval.runner.evaluate`; the definitions are in :mod:`propwatch.eval`.
    """
    return run_scorer(kind, pred, gold, options)


def classify_template(
    texts: Mapping[str, str], rows: Sequence[SpanLabel], scheme: str, tagger: TechniqueTagger
) -> list[SpanLabel]:
    """Fill in the technique of every row of a TC template (SemEval-2020 technique classification).

    Parameters
    ----------
    texts : mapping of str to str
        Article id to article text.
    rows : sequence of SpanLabel
        Template rows (technique unknown); each article id must be in ``texts``.
    scheme : str
        Scheme whose techniques are assigned.

    Returns
    -------
    list of SpanLabel
        The rows in the same order, each labelled with its most probable technique; the
        second copy of a repeated span with its second most probable one, and so on.

    Raises
    ------
    InputError
        If a row names an article missing from ``texts`` or ends past its text.
    """
    by_article: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row.article_id not in texts:
            raise InputError(f"article{row.article_id}.txt", "listed in the template but not found")
        if row.span.end > len(texts[row.article_id]):
            raise InputError(
                f"article{row.article_id}.txt",
                f"template span [{row.span.start}, {row.span.end}) ends past the text",
            )
        by_article.setdefault(row.article_id, []).append(index)
    import numpy as np  # here: the CLI imports this module before it needs numpy

    names = tagger.layout_.techniques[scheme]
    labels = [""] * len(rows)
    for key, indices in by_article.items():
        bounds = [(rows[i].span.start, rows[i].span.end) for i in indices]
        probs = tagger.classify(texts[key], bounds, scheme)
        # A fragment listed k times carries k different techniques (the annotators' way of
        # giving one fragment several): its copies take the k most probable ones in turn.
        copies: Counter[tuple[int, int]] = Counter()
        for i, bound, dist in zip(indices, bounds, probs, strict=True):
            ranked = np.argsort(-dist, kind="stable")
            labels[i] = names[int(ranked[copies[bound] % len(ranked)])]
            copies[bound] += 1
    return [
        SpanLabel(row.article_id, Span(row.span.start, row.span.end, label))
        for row, label in zip(rows, labels, strict=True)
    ]
