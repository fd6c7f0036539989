"""Annotation file formats; importing this package registers the built-in ones in
``registry.annotation_formats`` (third-party packages: entry-point group
``propwatch.annotation_formats``)."""

from propwatch.annotations.formats import brat, jsonl, labelstudio, semeval
from propwatch.annotations.formats.base import (
    AnnotatedArticle,
    AnnotationFormat,
    ReadAnnotation,
    Reading,
)

__all__ = [
    "AnnotatedArticle",
    "AnnotationFormat",
    "ReadAnnotation",
    "Reading",
    "brat",
    "jsonl",
    "labelstudio",
    "semeval",
]
