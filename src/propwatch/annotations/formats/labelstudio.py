"""Label Studio tasks (JSON) with ``labels`` spans, and the labelling config they need.

An export is a JSON array of tasks that a Label Studio project imports as is::

    {"data": {"text": "...", "propwatch_id": "council-1"},
     "annotations": [{"result": [{"id": "s1", "from_name": "technique", "to_name": "text",
                                  "type": "labels", "value": {"start": 4, "end": 18,
                                  "text": "corrupt elites",
                                  "labels": ["Name_Calling-Labeling"]}}]}],
     "predictions": [{"model_version": "propwatch", "result": [...]}]}

The reviewed spans are the task's annotation, the model's spans its predictions. Beside the
file, ``<name>-config.xml`` is the project's labelling config: a ``Labels`` control named
``technique`` (several techniques per span) with every technique of the articles' schemes,
over a ``Text`` object named ``text``. An import reads the annotations' ``labels`` results
and ignores the predictions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from propwatch import registry
from propwatch.annotations.formats.base import (
    SPAN_FIELDS,
    AnnotatedArticle,
    AnnotationFormat,
    ReadAnnotation,
    Reading,
    group_by_offsets,
    reviewed_by_offsets,
)
from propwatch.errors import InputError, PropwatchError
from propwatch.io.labels.tsv import read_text
from propwatch.schemes import load_scheme
from propwatch.text.annotation import TECHNIQUE, Annotation

CONTROL = "technique"
OBJECT = "text"
ID_FIELD = "propwatch_id"
MODEL_VERSION = "propwatch"


def config_path(path: Path) -> Path:
    """Where the labelling config of an export to ``path`` goes."""
    return path.with_name(f"{path.stem}-config.xml")


def labelling_config(schemes: Sequence[str]) -> str:
    """The Label Studio labelling config (XML) for the techniques of ``schemes``."""
    view = ElementTree.Element("View")
    labels = ElementTree.SubElement(view, "Labels", name=CONTROL, toName=OBJECT, choice="multiple")
    names = dict.fromkeys(t.name for scheme in schemes for t in load_scheme(scheme).techniques)
    for name in names:
        ElementTree.SubElement(labels, "Label", value=name)
    ElementTree.SubElement(view, "Text", name=OBJECT, value=f"${OBJECT}")
    ElementTree.indent(view)
    return ElementTree.tostring(view, encoding="unicode") + "\n"


def _result(text: str, spans: dict[tuple[int, int], tuple[str, ...]]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"s{number}",
            "from_name": CONTROL,
            "to_name": OBJECT,
            "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": list(labels)},
        }
        for number, ((start, end), labels) in enumerate(spans.items(), start=1)
    ]


def _task(article: AnnotatedArticle) -> dict[str, Any]:
    predicted = group_by_offsets((s.start, s.end, (s.label,)) for s in article.predictions)
    return {
        "data": {OBJECT: article.text, ID_FIELD: article.id},
        "annotations": [{"result": _result(article.text, reviewed_by_offsets(article))}],
        "predictions": [
            {"model_version": MODEL_VERSION, "result": _result(article.text, predicted)}
        ],
    }


def write_labelstudio(articles: Sequence[AnnotatedArticle], path: Path) -> None:
    """The tasks to ``path`` and the labelling config beside it."""
    tasks = [_task(article) for article in articles]
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    schemes = sorted({article.scheme for article in articles})
    config_path(path).write_text(labelling_config(schemes), encoding="utf-8")


def _span(result: Any) -> tuple[int, int, tuple[str, ...], str | None]:
    if not isinstance(result, dict) or not isinstance(result.get("value"), dict):
        raise PropwatchError("is not an object with a 'value' object")
    value = result["value"]
    start, end, labels = value.get("start"), value.get("end"), value.get("labels")
    if not isinstance(start, int) or not isinstance(end, int):
        raise PropwatchError("value has no integer 'start' and 'end'")
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise PropwatchError("value has no list of 'labels'")
    covered = value.get("text")
    return start, end, tuple(labels), covered if isinstance(covered, str) else None


def _read_task(where: str, task: Any, reading: Reading) -> None:
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get(ID_FIELD), str):
        reading.problems.append(InputError(where, f"has no data.{ID_FIELD} string"))
        return
    text = data.get(OBJECT)
    for annotation in task.get("annotations") or []:
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        for number, result in enumerate(annotation.get("result") or [], start=1):
            if isinstance(result, dict) and result.get("type") != "labels":
                continue  # relations, choices, text areas: not spans
            here = f"{where}, result {number}"
            try:
                start, end, labels, covered = _span(result)
            except PropwatchError as error:
                reading.problems.append(InputError(here, str(error)))
                continue
            reading.annotations.append(
                ReadAnnotation(
                    here,
                    data[ID_FIELD],
                    Annotation(TECHNIQUE, "", start, end, labels),
                    text if isinstance(text, str) else None,
                    covered,
                )
            )


def read_labelstudio(path: Path) -> Reading:
    """The ``labels`` results of every task's annotations; a bad task or result is one problem."""
    reading = Reading()
    try:
        tasks = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        reading.problems.append(InputError(str(path), f"not JSON ({error.msg})"))
        return reading
    if not isinstance(tasks, list):
        reading.problems.append(InputError(str(path), "not a JSON array of tasks"))
        return reading
    for number, task in enumerate(tasks, start=1):
        _read_task(f"{path}: task {number}", task, reading)
    return reading


registry.annotation_formats.add(
    "labelstudio",
    AnnotationFormat(
        name="labelstudio",
        suffix=".json",
        folder=False,
        keeps=SPAN_FIELDS,
        write=write_labelstudio,
        read=read_labelstudio,
        description="Label Studio tasks with labels spans, and <name>-config.xml beside them",
    ),
)
