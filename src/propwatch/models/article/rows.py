"""Sparse feature rows for predicting without SciPy, with SciPy's CSR products to the last bit.

An analysis multiplies a few TF-IDF rows by a model's weights; importing ``scipy.sparse`` for
that costs more start-up than all those products. :class:`SparseRows` holds the same arrays
as a CSR matrix and computes ``rows @ weights.T`` as SciPy does, so scores and thresholds give
the same answers; training turns the rows into a SciPy matrix (:meth:`SparseRows.to_scipy`)
for scikit-learn.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse


@dataclass(frozen=True)
class SparseRows:
    """Rows of a CSR matrix: row ``i`` holds ``data[indptr[i]:indptr[i + 1]]`` at the columns
    ``indices[indptr[i]:indptr[i + 1]]``, in increasing column order.

    Attributes
    ----------
    data : ndarray of shape (n_values,), float32
    indices : ndarray of shape (n_values,), int
        Column of each value.
    indptr : ndarray of shape (n_rows + 1,), int
    n_columns : int
    """

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    n_columns: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.n_columns

    @classmethod
    def of(cls, matrix: sparse.csr_matrix | sparse.csr_array) -> SparseRows:
        """The rows of a SciPy CSR matrix whose columns are sorted within each row."""
        return cls(matrix.data, matrix.indices, matrix.indptr, int(matrix.shape[1]))

    def to_scipy(self) -> sparse.csr_matrix:
        """The same rows as a SciPy CSR matrix (for fitting with scikit-learn)."""
        from scipy import sparse  # training only

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)

    def _spans(self) -> itertools.pairwise[tuple[int, int]]:
        return itertools.pairwise(self.indptr.tolist())

    def with_columns(self, dense: np.ndarray) -> SparseRows:
        """These rows, each followed by its row of ``dense`` (n_rows, n_dense) as new columns.

        Zeros of ``dense`` are left out, as ``scipy.sparse.hstack`` of the two leaves them.
        """
        data, indices, indptr = [], [], [0]
        for row, (start, end) in enumerate(self._spans()):
            kept = np.flatnonzero(dense[row])
            data += [self.data[start:end], dense[row, kept]]
            indices += [self.indices[start:end], kept + self.n_columns]
            indptr.append(indptr[-1] + end - start + len(kept))
        return SparseRows(
            np.concatenate([self.data[:0], *data]).astype(np.result_type(self.data, dense)),
            np.concatenate([self.indices[:0], *indices]).astype(np.int64),
            np.array(indptr, dtype=np.int64),
            self.n_columns + dense.shape[1],
        )

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``rows @ weights.T``: ndarray of shape (n_rows, n_outputs).

        As SciPy's CSR product computes it: for each row, each value times its column of
        ``weights`` (n_outputs, n_columns), added one after the other in column order, in the
        precision of the operands (float32 for float32 rows and weights).
        """
        columns = weights.T
        result = np.zeros((self.shape[0], weights.shape[0]), np.result_type(self.data, weights))
        for row, (start, end) in enumerate(self._spans()):
            if start < end:
                terms = self.data[start:end, None] * columns[self.indices[start:end]]
                # cumsum adds strictly in order, as SciPy's loop does (sum would pair terms up).
                result[row] = np.cumsum(terms, axis=0, dtype=result.dtype)[-1]
        return result
