"""What every article and error leaving the readers is guaranteed to be, and the checks for it.

Hostile inputs reach the readers as file names with undecodable bytes or newlines, JSON strings
with lone surrogates (``"\\ud800"``), metadata of any type and texts made only of invisible
characters. :func:`clean_article` and :func:`clean_error` are applied to every item
:func:`~propwatch.io.readers.read_inputs` yields, so the pipeline, the writers, the Parquet
results and the terminal only ever see:

- strings without lone surrogates (each becomes U+FFFD: one character for one, so offsets hold);
- ids, sources and error messages without control or bidi characters (escaped as ``\\x0a``,
  ``\\x1b``, ``\\u202e``), so each error stays one line and cannot forge other lines;
- JSON-serialisable metadata, nested at most :data:`MAX_META_DEPTH` levels;
- a text with at least one visible character.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import replace
from typing import Any

from propwatch.errors import InputError
from propwatch.text.article import Article

REPLACEMENT = "\ufffd"
_SURROGATES = re.compile("[\ud800-\udfff]")
# C0/C1 controls, line and paragraph separators, bidi marks, embeddings, overrides, isolates:
# characters that break a line or reorder what a terminal shows.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
# Characters that show nothing: whitespace (str.isspace's set: NBSP, U+3000...), format
# characters (zero-width spaces and joiners, bidi controls, BOM, soft hyphen, invisible
# operators, tags, variation selectors) and the Hangul and Braille fillers.
_INVISIBLE = (
    "\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef"
)
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")
_MAX_LINE_CHARS = 300
# Lists and objects in an article's metadata may nest this deep (news metadata needs 3 or 4).
MAX_META_DEPTH = 32


def scrub_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (same length, so offsets hold)."""
    return _SURROGATES.sub(REPLACEMENT, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with control, bidi and lone surrogate characters written as escapes."""
    return _CONTROLS.sub(_escape, _SURROGATES.sub(_escape, text))


def display_name(path: str | os.PathLike[str]) -> str:
    """A file name as errors and results show it: printable, one line, one name per file.

    Bytes that are not UTF-8 (which Python keeps as surrogates) become ``\\xff``; control and
    bidi characters are escaped. Unlike U+FFFD, escapes keep two differently broken names apart.
    """
    name = os.fspath(path)
    # A surrogate that no file-system byte stands for fails to encode; it is escaped below.
    with contextlib.suppress(UnicodeEncodeError):
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return escape_controls(name)


def one_line(message: str, limit: int = _MAX_LINE_CHARS) -> str:
    """``message`` as one printable line of at most ``limit`` characters.

    Whitespace runs (newlines included) become one space and other control characters are
    escaped, so a message quoting hostile input can neither forge log lines nor flood them.
    A longer message loses its middle: it starts with the input's name and ends with the
    reason.
    """
    flat = escape_controls(" ".join(message.split()))
    if len(flat) <= limit:
        return flat
    tail = limit // 3
    return flat[: limit - tail - 1] + "…" + flat[-tail:]


def has_visible_text(text: str) -> bool:
    """True when ``text`` holds a character that shows (not only spaces or zero-width ones)."""
    return _VISIBLE.search(text) is not None


def _depth(value: Any) -> int:
    """How deeply lists and dicts nest in ``value`` (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _clean_meta(meta: Any, source: str) -> dict[str, Any]:
    """``meta`` as plain, shallow JSON data without lone surrogates.

    A JSON round trip checks the types and replaces surrogates; the depth limit keeps pickle
    (which sends articles to batch workers) and other recursive code far from Python's
    recursion limit.
    """
    try:
        dumped = json.dumps(dict(meta), ensure_ascii=False)
        cleaned: dict[str, Any] = json.loads(scrub_surrogates(dumped))
    except (TypeError, ValueError, RecursionError) as error:
        raise InputError(source, f"metadata is not plain JSON data ({error})") from None
    if _depth(cleaned) > MAX_META_DEPTH:
        raise InputError(source, f"metadata nested deeper than {MAX_META_DEPTH} levels")
    return cleaned


def _optional(value: str | None) -> str | None:
    return None if value is None else scrub_surrogates(value)


def clean_article(article: Article) -> Article:
    """``article`` as the rest of propwatch may assume it (see the module docstring).

    Raises
    ------
    InputError
        Naming the article's source, when its text shows nothing or its metadata is not JSON.
    """
    source = display_name(str(article.meta.get("source", article.id)))
    meta = _clean_meta(article.meta, source)
    text = scrub_surrogates(article.text)
    if text != article.text:
        note = f"{source}: lone surrogates (invalid UTF-16 halves) replaced with U+FFFD"
        meta["warnings"] = [*meta.get("warnings", []), note]
    if not has_visible_text(text):
        raise InputError(source, "empty text (only whitespace or invisible characters)")
    return replace(
        article,
        id=escape_controls(article.id),
        text=text,
        title=_optional(article.title),
        url=_optional(article.url),
        outlet=_optional(article.outlet),
        published=_optional(article.published),
        language=_optional(article.language),
        meta=meta,
    )


def clean_error(error: InputError) -> InputError:
    """``error`` with a printable source and reason."""
    return InputError(display_name(error.source), escape_controls(error.reason))
