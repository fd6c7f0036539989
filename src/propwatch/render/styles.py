"""The stylesheet every page shares: charts, swatches, highlights, and the category colours.

The web app serves it as ``/assets/propwatch.css`` (its Content-Security-Policy allows no inline
styles); the HTML report and the corpus report, which are single files, embed it in their
``<style>`` block. Its only generated part is :func:`category_css`, made of
:func:`~propwatch.render.environment.css_class` slugs and ``#rrggbb`` colours that scheme
loading checks.
"""

from __future__ import annotations

from importlib.resources import files

from markupsafe import Markup

from propwatch.render.environment import css_class
from propwatch.render.view import UNKNOWN_COLOUR, Glossary


def category_css(glossary: Glossary) -> str:
    """Rules giving each category class its colour as the ``--c`` custom property."""
    rules = [f".{css_class('')} {{ --c: {UNKNOWN_COLOUR}; }}"]
    rules += [f".{css_class(c.name)} {{ --c: {c.colour}; }}" for c in glossary.categories.values()]
    return "\n".join(rules) + "\n"


def stylesheet(glossary: Glossary) -> Markup:
    """``render/templates/propwatch.css`` followed by the category rules of ``glossary``.

    Returned as :class:`~markupsafe.Markup` so that a report can place it in ``<style>``
    unescaped: it holds no article-derived text (see the module docstring).
    """
    shared = files("propwatch.render").joinpath("templates", "propwatch.css").read_text("utf-8")
    return Markup(shared + category_css(glossary))
