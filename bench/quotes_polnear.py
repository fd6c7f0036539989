"""Quote extraction on PolNeAR: content F1, direct-quote F1, speaker accuracy and speed.

Usage::

    nice .venv/bin/python bench/quotes_polnear.py [--split dev] [--limit N] [-o quotes.tsv]
        [--cache DIR] [--rules-only]

Runs the default pipeline's quote components on ``../shared/data/polnear/<split>/text/*.txt``
(``text``, ``quotes``, ``techniques`` and ``quote_tagger``; with ``--rules-only`` the first
two), writes the ``quotes-tsv`` predictions and scores them with the ``quotes`` scorer, exactly
as::

    propwatch eval quotes quotes.tsv ../shared/data/polnear/dev/attributions
    propwatch eval quotes quotes.tsv ../shared/data/polnear/dev/attributions --direct-only

Speed is reported per article for each component (``text`` is the shared spaCy parse,
``techniques`` the encoder). With ``--limit`` only the first N articles (by file name) are
scored, against their own gold files. With ``--cache DIR`` the spaCy parses are kept in DIR
(one file per split, model and set of texts) and read back on the next run, so that trying a
rule on the 840 train articles costs the quote extraction alone (about a minute with
``--rules-only``) instead of a fresh parse; the parse time printed is then the time to read
them back.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

from propwatch import registry
from propwatch.api import load_pipeline
from propwatch.eval.result import EvalOptions
from propwatch.eval.runner import evaluate
from propwatch.io.labels.tsv import read_text
from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.nlp import PARSE_CACHE_KEY, Chunk, ParsedText, shared_model

POLNEAR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"


def cached_parses(texts: list[str], folder: Path) -> list[ParsedText]:
    """The parses of ``texts``, read from ``folder`` when a run parsed the same texts with the
    same spaCy model before, else parsed and stored there (a ``DocBin`` and the chunk starts)."""
    import spacy
    from spacy.tokens import DocBin

    model = shared_model()
    version = model.nlp.meta.get("version")
    digest = hashlib.sha256(f"{model.name} {version} {spacy.__version__}".encode())
    for text in texts:
        digest.update(hashlib.sha256(text.encode()).digest())
    stem = folder / f"parses-{digest.hexdigest()[:16]}"
    docs_file, starts_file = stem.with_suffix(".spacy"), stem.with_suffix(".json")
    if docs_file.is_file() and starts_file.is_file():
        docs = iter(DocBin().from_bytes(docs_file.read_bytes()).get_docs(model.nlp.vocab))
        starts = json.loads(starts_file.read_text(encoding="utf-8"))
        return [
            ParsedText(text, tuple(Chunk(start, next(docs)) for start in each))
            for text, each in zip(texts, starts, strict=True)
        ]
    parses = model.parse_many(texts)
    folder.mkdir(parents=True, exist_ok=True)
    docs_file.write_bytes(DocBin(docs=[c.doc for p in parses for c in p.chunks]).to_bytes())
    starts_file.write_text(json.dumps([[c.start for c in p.chunks] for p in parses]))
    return parses


def timed_analyses(
    paths: list[Path], cache: Path | None = None, *, rules_only: bool = False
) -> tuple[list[Analysis], dict[str, float]]:
    """Analyses of the articles by the default pipeline's quote components, with the seconds
    each component took over all of them.

    ``text`` and ``quotes`` (the rules), then ``techniques`` (the encoder, whose states the
    tagger reads) and ``quote_tagger``, unless ``rules_only``. With ``cache``, the parses come
    from :func:`cached_parses` (``text`` then reuses them).
    """
    names = ["text", "quotes"] if rules_only else ["text", "quotes", "techniques", "quote_tagger"]
    text, *components = load_pipeline(components=names).components
    analyses = [Analysis(Article(id=p.stem, text=read_text(p))) for p in paths]
    start = time.perf_counter()
    if cache is not None:
        parses = cached_parses([a.text for a in analyses], cache)
        for analysis, parsed in zip(analyses, parses, strict=True):
            analysis.cache[PARSE_CACHE_KEY] = parsed
    analyses = list(text.pipe(analyses))
    seconds = {"text": time.perf_counter() - start}
    for component in components:
        start = time.perf_counter()
        analyses = [component(a) for a in analyses]
        seconds[component.name] = time.perf_counter() - start
    return analyses, seconds


def gold_subset(gold: Path, stems: set[str], folder: Path) -> Path:
    """A copy of the gold files of ``stems`` (``<article>_<annotator>.ann``) in ``folder``."""
    for file in gold.glob("*.ann"):
        if file.stem.rsplit("_", 1)[0] in stems:
            shutil.copy(file, folder / file.name)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("-o", "--output", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=None, help="folder for the parses")
    parser.add_argument("--rules-only", action="store_true", help="without the quote tagger")
    args = parser.parse_args()
    root = POLNEAR.resolve() / args.split
    paths = sorted((root / "text").glob("*.txt"))[: args.limit]
    analyses, seconds = timed_analyses(paths, args.cache, rules_only=args.rules_only)
    with tempfile.TemporaryDirectory() as tmp:
        pred = args.output or Path(tmp) / "quotes.tsv"
        with pred.open("w", encoding="utf-8") as stream:
            registry.writers.get("quotes-tsv").write(analyses, stream)
        gold = root / "attributions"
        if args.limit is not None:
            subset = Path(tmp) / "attributions"
            subset.mkdir()
            gold = gold_subset(gold, {p.stem for p in paths}, subset)
        options = EvalOptions(text_dir=root / "text")
        every = evaluate("quotes", pred, gold, options)
        direct = evaluate(
            "quotes", pred, gold, EvalOptions(direct_only=True, text_dir=root / "text")
        )
    n = len(paths)
    print(f"PolNeAR {args.split}: {n} articles")
    for name, score in (("all attributions", every), ("direct quotes", direct)):
        m = score.metrics
        print(
            f"{name:17s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
            f"speaker accuracy {m['speaker_accuracy']:.3f}  {dict(score.counts)}"
        )
    print(", ".join(f"{name} {1000 * s / n:.1f} ms/article" for name, s in seconds.items()))


if __name__ == "__main__":
    main()
