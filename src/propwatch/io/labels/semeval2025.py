"""SemEval-2025 Task 10 label files: entity framing (subtask 1) and narratives (subtask 2).

Formats (tab-separated, CRLF line ends in the released files)::

    subtask 1:  doc_id  entity  start  end_INCLUSIVE  main_role  fine_role [fine_role ...]
                (the unlabelled mention lists stop after end_INCLUSIVE)
    subtask 2:  doc_id  narrative;narrative;...  subnarrative;subnarrative;...

``doc_id`` is the document file name (``EN_UA_103861.txt``). The reader converts the inclusive
end to an exclusive one. A few released mentions (documents with emoji) count offsets in UTF-16
code units instead of characters; :func:`fix_utf16_offsets` repairs them given the text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from propwatch.io.labels.tsv import iter_rows, split_labels


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One entity mention with its roles.

    Parameters
    ----------
    doc_id : str
        Document file name as in the label file.
    entity : str
        The mention text as written in the label file.
    start, end : int
        Character offsets into the document text; ``end`` is exclusive (file value + 1).
    main_role : str
        ``Protagonist``, ``Antagonist`` or ``Innocent``; ``""`` in unlabelled mention lists.
    fine_roles : tuple of str
        Fine-grained roles in file order; empty in unlabelled mention lists.
    """

    doc_id: str
    entity: str
    start: int
    end: int
    main_role: str = ""
    fine_roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentNarratives:
    """Narrative labels of one document, in file order (repeats kept as written)."""

    doc_id: str
    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]


def read_entity_mentions(path: Path) -> list[EntityMention]:
    """Read subtask-1 mentions (labelled or not) in file order, with end-exclusive offsets.

    Raises
    ------
    InputError
        ``file:line`` for fewer than 4 fields, a non-integer offset or ``end < start``.
    """
    mentions = []
    for row in iter_rows(path, 4):
        start = row.integer(2, "start")
        end_inclusive = row.integer(3, "end")
        if end_inclusive < start:
            raise row.error(f"end {end_inclusive} is before start {start}")
        main_role = row.fields[4].strip() if len(row.fields) > 4 else ""
        fine_roles = tuple(role.strip() for role in row.fields[5:] if role.strip())
        mentions.append(
            EntityMention(
                row.fields[0].strip(),
                row.fields[1],
                start,
                end_inclusive + 1,
                main_role,
                fine_roles,
            )
        )
    return mentions


def utf16_to_str_offsets(text: str) -> dict[int, int]:
    """Map every UTF-16 code-unit offset that starts a character (and the end) to a str index.

    Characters outside the Basic Multilingual Plane (emoji) take two UTF-16 units and one
    ``str`` index, so offsets after one of them differ between the two conventions.
    """
    mapping = {}
    units = 0
    for index, char in enumerate(text):
        mapping[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    mapping[units] = len(text)
    return mapping


def fix_utf16_offsets(mention: EntityMention, text: str) -> EntityMention:
    """Return ``mention`` with offsets re-read as UTF-16 units when that makes them fit.

    The mention is returned unchanged when ``text[start:end]`` already equals the entity, or
    when the UTF-16 reading does not give the entity either (the caller decides what to do).

    Parameters
    ----------
    mention : EntityMention
        A mention read by :func:`read_entity_mentions`.
    text : str
        The full text of ``mention.doc_id``, exactly as in the document file.
    """
    if text[mention.start : mention.end] == mention.entity:
        return mention
    mapping = utf16_to_str_offsets(text)
    start, end = mapping.get(mention.start), mapping.get(mention.end)
    if start is None or end is None or text[start:end] != mention.entity:
        return mention
    return replace(mention, start=start, end=end)


def read_narratives(path: Path) -> dict[str, DocumentNarratives]:
    """Read subtask-2 labels: ``{doc_id: DocumentNarratives}``.

    Raises
    ------
    InputError
        ``file:line`` for a line without exactly 3 fields or a repeated document id.
    """
    documents: dict[str, DocumentNarratives] = {}
    for row in iter_rows(path, 3, 3):
        doc_id = row.fields[0].strip()
        if doc_id in documents:
            raise row.error(f"duplicate document {doc_id!r}")
        documents[doc_id] = DocumentNarratives(
            doc_id, split_labels(row.fields[1], ";"), split_labels(row.fields[2], ";")
        )
    return documents
