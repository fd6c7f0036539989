"""propwatch: show, with evidence, how news articles try to persuade.

Public API::

    from propwatch import Article, analyze
    analysis = analyze(Article(id="1", text="Title\n\nBody ..."))
"""

from propwatch.text.analysis import Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span

__version__ = "0.1.0"

__all__ = ["Analysis", "Article", "Span", "__version__"]
