"""Turn what a user submits (pasted text, uploaded files, a URL) into articles.

Uploads go through the same readers as the CLI (``registry.readers``), limited to the formats
the web app accepts. Problems are :class:`~propwatch.errors.InputError` naming the input.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePath

from propwatch import registry
from propwatch.errors import InputError
from propwatch.io.readers import Reader, ReadOptions, Source
from propwatch.io.readers.txt import title_of
from propwatch.text.article import Article

log = logging.getLogger(__name__)

UPLOAD_READERS = ("txt", "html", "jsonl")
PASTED_ID = "pasted"


@dataclass(frozen=True, slots=True)
class ArticleFields:
    """Metadata a user may give with pasted text, files or a URL; blank means "not given"."""

    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    id: str | None = None

    def cleaned(self) -> dict[str, str | None]:
        return {k: (v.strip() or None) if v else None for k, v in asdict(self).items()}


def article_from_text(text: str, fields: ArticleFields) -> Article:
    """An article whose text is exactly ``text``; the title defaults to its first line.

    Raises
    ------
    InputError
        If ``text`` is empty or only whitespace.
    """
    if not text.strip():
        raise InputError("text", "empty text; paste an article")
    given = fields.cleaned()
    title = given["title"] or title_of(text, first_line_is_title=False)
    return Article(
        id=given["id"] or PASTED_ID,
        text=text,
        title=title,
        outlet=given["outlet"],
        published=given["published"],
        meta={"source": "pasted text"},
    )


def with_fields(article: Article, fields: ArticleFields) -> Article:
    """``article`` with every metadata field the user gave replacing the extracted one."""
    given = {k: v for k, v in fields.cleaned().items() if v is not None}
    data = article.to_dict() | given
    return Article.from_dict(data)


def _upload_reader(file_name: str) -> Reader:
    lowered = file_name.lower()
    readers = [registry.readers.get(name) for name in UPLOAD_READERS]
    matches = [(len(s), r) for r in readers for s in r.suffixes if lowered.endswith(s)]
    if not matches:
        suffixes = ", ".join(s for r in readers for s in r.suffixes)
        raise InputError(file_name, f"unsupported file type; upload one of: {suffixes}")
    return max(matches, key=lambda match: match[0])[1]


def articles_from_upload(file_name: str, data: bytes) -> Iterator[Article | InputError]:
    """Articles of one uploaded file (a JSONL file may hold many), problems as InputError.

    Parameters
    ----------
    file_name : str
        The name the browser sent; only its last component is used (ids, error messages).
    data : bytes
        The file's content.
    """
    name = PurePath(file_name.replace("\\", "/")).name or "upload"
    try:
        reader = _upload_reader(name)
        yield from reader.read(Source(name, data, Path(name)), ReadOptions())
    except InputError as error:
        yield error
    except Exception as error:
        # A reader that breaks on a hostile file is a bug to fix, but it is still this
        # file that cannot be read: the client gets a 400 naming it, the log the traceback.
        log.warning("reading upload %r failed", name, exc_info=True)
        yield InputError(name, f"cannot be read ({type(error).__name__}: {error})")


def read_uploads(uploads: list[tuple[str, bytes]]) -> list[Article]:
    """Articles of every uploaded file; the first unreadable one fails the request."""
    articles = []
    for file_name, data in uploads:
        for item in articles_from_upload(file_name, data):
            if isinstance(item, InputError):
                raise item
            articles.append(item)
    return articles
