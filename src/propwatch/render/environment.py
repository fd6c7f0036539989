"""The one Jinja2 environment of every page propwatch writes, and the filters they share.

The web pages, the HTML report (``propwatch analyze -f html``) and the corpus report
(``propwatch report``) all render through :func:`make_environment`: autoescape on for every
template, the same filters and globals, and the shared templates of ``render/templates``
(chart and highlight macros, the stylesheet) behind the caller's own.

Filters that place a value in an attribute make it safe there: :func:`css_class` keeps only
``[a-z0-9-]``, :func:`http_url` keeps only http(s) addresses.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, Environment, PackageLoader

from propwatch import __version__


def css_class(category: str) -> str:
    """``cat-<slug>`` class of a technique category; the slug keeps only ``[a-z0-9-]``.

    >>> css_class("attack on reputation")
    'cat-attack-on-reputation'
    >>> css_class("")
    'cat-unknown'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-")
    return f"cat-{slug or 'unknown'}"


def http_url(url: str | None) -> str:
    """``url`` if it is an http(s) address, else ``""`` (never link ``javascript:`` and co.)."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return ""


def make_environment(*packages: str) -> Environment:
    """A Jinja2 environment over the templates of ``packages`` and of ``propwatch.render``.

    Parameters
    ----------
    *packages : str
        Packages whose ``templates`` folder is searched first (``"propwatch.web"`` for the web
        pages); ``propwatch.render``'s shared templates are always searched last.

    Returns
    -------
    Environment
        Autoescape on for every template, with the filters ``category_class`` and
        ``http_url`` and the global ``version``.
    """
    loaders = [PackageLoader(package, "templates") for package in (*packages, "propwatch.render")]
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, keep_trailing_newline=True)
    env.globals["version"] = __version__
    env.filters["category_class"] = css_class
    env.filters["http_url"] = http_url
    return env
