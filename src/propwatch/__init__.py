"""propwatch: show, with evidence, how news articles try to persuade.

Public API::

    from propwatch import Article, analyze, load_pipeline
    pipeline = load_pipeline()  # build once, reuse for many articles
    analysis = analyze(Article(id="1", text="Title\n\nBody ..."), pipeline)
"""

from __future__ import annotations

from typing import Any

from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span

__version__ = "0.1.0"

__all__ = ["Analysis", "Article", "Span", "__version__", "analyze", "load_pipeline"]

# Imported on first use: propwatch.api pulls in the readers (pyarrow, trafilatura), which a
# plain ``import propwatch`` should not pay for.
_LAZY_API = {"analyze", "load_pipeline"}


def __getattr__(name: str) -> Any:
    if name in _LAZY_API:
        from propwatch import api

        return getattr(api, name)
    raise AttributeError(f"module 'propwatch' has no attribute {name!r}")
