"""Batch analysis of corpora on one machine or a Dask cluster: resumable and exactly-once.

Entry point: :func:`run_batch` with :class:`BatchOptions`; see :mod:`propwatch.batch.store` for
how results are stored and :mod:`propwatch.batch.worker` for what runs on the workers.
"""

from propwatch.batch.runner import (
    BatchOptions,
    BatchSummary,
    NoProgress,
    Progress,
    count_inputs,
    run_batch,
)
from propwatch.batch.worker import PipelineSpec

__all__ = [
    "BatchOptions",
    "BatchSummary",
    "NoProgress",
    "PipelineSpec",
    "Progress",
    "count_inputs",
    "run_batch",
]
