"""Brat standoff ``.ann`` files with attribution relations (PolNeAR).

Lines used (tab-separated; brat's other line types are skipped)::

    T12<TAB>Cue 419 457<TAB>reserved his most eloquent passion for
    T35<TAB>Content 2103 2168;2170 2425<TAB>...       (discontinuous: ``;``-separated pieces)
    E3<TAB>Attribution:T12 Content:T11 Cue:T10 Source:T9

An ``E`` line ties one attribution together: its trigger type (``Attribution`` or
``Attribution-no-source``) and role arguments ``Source``, ``Cue``, ``Content`` (a second
content part is ``Content2``). Offsets come from the ``T`` line only: in a few files the
text field of a ``T`` line holds a line break, so the next physical line continues it and is
skipped. File names are ``<article>_<annotator>.ann`` (4 hex digits), with the article text
in ``<article>.txt`` of the sibling ``text/`` folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from propwatch.errors import InputError
from propwatch.io.labels.tsv import label_files, read_text
from propwatch.text.span import Span

ROLES = ("source", "cue", "content")
_ANNOTATION = re.compile(r"^([TREAMN#*])(\d*)\t")
_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")
_ANNOTATOR_SUFFIX = re.compile(r"^(?P<article>.+)_(?P<annotator>[0-9a-f]{4})$")


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution relation: who (source) says (cue) what (content).

    Parameters
    ----------
    article_id : str
        File stem without the annotator suffix; the text is ``text/<article_id>.txt``.
    annotator : str
        The 4-hex-digit annotator code of the file name, ``""`` when absent.
    id : str
        The ``E`` line's id (``"E3"``).
    kind : str
        The trigger type: ``"Attribution"`` or ``"Attribution-no-source"``.
    source, cue, content : tuple of Span
        The pieces of each role, sorted by offset, end-exclusive character offsets into the
        article text; a discontinuous brat span gives several pieces; ``Span.label`` is the
        brat role name (``"Content2"`` for a second content part).
    """

    article_id: str
    annotator: str
    id: str
    kind: str
    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]


def split_file_name(path: Path) -> tuple[str, str]:
    """``(article_id, annotator)`` from ``<article>_<annotator>.ann``."""
    match = _ANNOTATOR_SUFFIX.match(path.stem)
    if match is None:
        return path.stem, ""
    return match["article"], match["annotator"]


def parse_text_bound(where: str, body: str) -> tuple[str, list[tuple[int, int]]]:
    """The type and the ``(start, end)`` pieces of a ``T`` line's body (after its id).

    Raises
    ------
    InputError
        ``where`` for offsets that are not ``start end[;start end…]`` with ``start < end``.
    """
    kind_offsets = body.split("\t", 1)[0]
    kind, _, offsets = kind_offsets.partition(" ")
    if not _OFFSETS.match(offsets):
        raise InputError(where, f"offsets {offsets!r} are not 'start end[;start end…]'")
    pieces = []
    for piece in offsets.split(";"):
        start, end = (int(value) for value in piece.split(" "))
        if start >= end:
            raise InputError(where, f"start {start} must be smaller than end {end}")
        pieces.append((start, end))
    return kind, pieces


def _parse_event(where: str, body: str) -> tuple[str, str, list[tuple[str, str]]]:
    arguments = body.split()
    if not arguments or ":" not in arguments[0]:
        raise InputError(where, "event line has no 'Type:T<n>' trigger")
    kind, trigger = arguments[0].split(":", 1)
    roles = []
    for argument in arguments[1:]:
        role, sep, target = argument.partition(":")
        if not sep:
            raise InputError(where, f"event argument {argument!r} is not 'Role:T<n>'")
        roles.append((role, target))
    return kind, trigger, roles


def read_attributions(path: Path) -> list[Attribution]:
    """Read the attributions (``E`` lines) of one ``.ann`` file, in file order.

    Raises
    ------
    InputError
        ``file:line`` for a malformed ``T`` or ``E`` line, an event argument that names an
        unknown ``T`` id, or a line that is neither an annotation nor the continuation of a
        ``T`` line's text.
    """
    article_id, annotator = split_file_name(path)
    text_bounds: dict[str, list[tuple[int, int]]] = {}
    events: list[tuple[str, str, str, list[tuple[str, str]]]] = []
    previous = ""
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        line = line.removesuffix("\r")
        where = f"{path}:{number}"
        match = _ANNOTATION.match(line)
        if match is None:
            # A T line whose text field held a line break continues here; offsets are known.
            if line.strip() and previous != "T":
                raise InputError(where, "not a brat annotation line")
            continue
        previous = match[1]
        ann_id, body = line.split("\t", 1)
        if previous == "T":
            text_bounds[ann_id] = parse_text_bound(where, body)[1]
        elif previous == "E":
            kind, _trigger, roles = _parse_event(where, body)
            events.append((where, ann_id, kind, roles))
    return [_attribution(article_id, annotator, text_bounds, event) for event in events]


def _attribution(
    article_id: str,
    annotator: str,
    text_bounds: dict[str, list[tuple[int, int]]],
    event: tuple[str, str, str, list[tuple[str, str]]],
) -> Attribution:
    where, event_id, kind, roles = event
    pieces: dict[str, list[Span]] = {role: [] for role in ROLES}
    for role, target in roles:
        if target not in text_bounds:
            raise InputError(where, f"{role} argument names unknown annotation {target!r}")
        base = role.rstrip("0123456789").lower()
        if base not in pieces:
            continue  # roles other than source/cue/content carry no span we score
        pieces[base].extend(Span(start, end, role) for start, end in text_bounds[target])
    return Attribution(
        article_id,
        annotator,
        event_id,
        kind,
        *(tuple(sorted(pieces[role], key=lambda s: (s.start, s.end))) for role in ROLES),
    )


def read_attribution_folder(folder: Path) -> dict[str, list[Attribution]]:
    """Attributions of every ``*.ann`` file of ``folder``, keyed by article id.

    PolNeAR has a few articles annotated by several annotators; the file whose name sorts
    first is used, so each article has exactly one gold annotation.
    """
    by_article: dict[str, list[Attribution]] = {}
    for file in label_files(folder, "*.ann"):
        article_id, _ = split_file_name(file)
        if article_id not in by_article:
            by_article[article_id] = read_attributions(file)
    return by_article
