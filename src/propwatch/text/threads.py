"""How many threads numpy's BLAS may use while propwatch's own work runs."""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager

from threadpoolctl import ThreadpoolController


@functools.cache
def _blas() -> ThreadpoolController:
    """The BLAS libraries loaded in this process (found once: the scan reads every library)."""
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[object]:
    """A context in which numpy's BLAS uses one thread.

    The components and spaCy's networks multiply small matrices, where handing work to a
    second OpenBLAS thread costs more than the work itself: parsing 20 news articles took 5.2-5.6
    CPU-s with the BLAS threads free and 2.5 with one.
    """
    return _blas().limit(limits=1, user_api="blas")
