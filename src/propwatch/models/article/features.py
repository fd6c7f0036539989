"""TF-IDF features that can be saved as plain arrays (no pickle) and rebuilt for inference.

Every article-level model uses one :class:`TfidfFeatures`: word n-grams over running text, or,
for entity mentions, pre-tagged tokens (``"L:invaded"``) joined by spaces. scikit-learn's
``TfidfVectorizer`` learns the vocabulary and the inverse document frequencies; the rows are
computed here, as that vectorizer computes them, so that predicting needs no scikit-learn
(nor SciPy: see :mod:`propwatch.models.article.rows`).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from propwatch.models.article.rows import SparseRows

WORD_PATTERN = r"(?u)\b\w\w+\b"
TAGGED_PATTERN = r"\S+"


class TfidfFeatures:
    """Sublinear TF-IDF over n-grams, L2-normalised per text.

    Parameters
    ----------
    max_features : int, default=20000
        Keep this many most frequent n-grams.
    min_df : int, default=2
        Drop n-grams seen in fewer texts.
    ngram_max : int, default=1
        Longest n-gram, in tokens.
    token_pattern : str, default=WORD_PATTERN
        Regular expression of a token; :data:`TAGGED_PATTERN` for pre-tagged token strings.
    lowercase : bool, default=True
        Lowercase texts before tokenising.
    """

    def __init__(
        self,
        *,
        max_features: int = 20000,
        min_df: int = 2,
        ngram_max: int = 1,
        token_pattern: str = WORD_PATTERN,
        lowercase: bool = True,
    ) -> None:
        self.max_features = max_features
        self.min_df = min_df
        self.ngram_max = ngram_max
        self.token_pattern = token_pattern
        self.lowercase = lowercase

    def get_params(self) -> dict[str, Any]:
        return {
            "max_features": self.max_features,
            "min_df": self.min_df,
            "ngram_max": self.ngram_max,
            "token_pattern": self.token_pattern,
            "lowercase": self.lowercase,
        }

    def fit(self, texts: list[str]) -> TfidfFeatures:
        """Learn the vocabulary and inverse document frequencies of ``texts``."""
        from sklearn.feature_extraction.text import TfidfVectorizer  # training only

        vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            ngram_range=(1, self.ngram_max),
            min_df=self.min_df,
            max_features=self.max_features,
            dtype=np.float32,
        ).fit(texts)
        self.vocabulary_ = {str(term): int(i) for term, i in vectorizer.vocabulary_.items()}
        self.idf_ = vectorizer.idf_
        return self

    def terms(self, text: str) -> list[str]:
        """The n-grams of ``text`` in order, as the vectorizer's word analyzer lists them."""
        tokens = re.findall(self.token_pattern, text.lower() if self.lowercase else text)
        grams = list(tokens)
        for n in range(2, min(self.ngram_max, len(tokens)) + 1):
            grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        return grams

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """Sparse rows of shape (n_texts, n_features), each of unit L2 norm (or zero).

        The same float32 values as ``TfidfVectorizer(sublinear_tf=True).transform``, to the
        last bit: the same operations in the same order and precision, so that scores and
        thresholds give the same answers whichever computed the rows.
        """
        indptr, columns, counts = [0], [], []
        for text in texts:
            found = Counter(
                self.vocabulary_[term] for term in self.terms(text) if term in self.vocabulary_
            )
            in_order = sorted(found)
            columns += in_order
            counts += [found[column] for column in in_order]
            indptr.append(len(columns))
        data = np.array(counts, dtype=np.float32)
        indices = np.array(columns, dtype=np.int32)
        np.log(data, out=data)  # sublinear term frequency: 1 + log(count)
        data += 1.0
        data *= self.idf_[indices]
        _normalize_rows(data, indptr)
        return SparseRows(data, indices, np.array(indptr, dtype=np.int32), len(self.vocabulary_))

    @property
    def n_features(self) -> int:
        return len(self.vocabulary_)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """``vocabulary`` (str array in column order) and ``idf`` (float32), for :mod:`store`."""
        terms = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        return {
            "vocabulary": np.array(terms, dtype=str),
            "idf": self.idf_.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> TfidfFeatures:
        """Rebuild fitted features from :meth:`get_params` and :meth:`to_arrays` output."""
        features = cls(**params)
        # tolist() gives Python strings at once (str() of each numpy string is 5 times slower).
        terms = arrays["vocabulary"].tolist()
        features.vocabulary_ = dict(zip(terms, range(len(terms)), strict=True))
        features.idf_ = arrays["idf"].astype(np.float64)
        return features


def _normalize_rows(data: np.ndarray, indptr: list[int]) -> None:
    """Divide each row of a CSR matrix's float32 ``data`` by its L2 norm, in place.

    As scikit-learn's ``inplace_csr_row_normalize_l2`` does it: float32 squares added one by
    one in float64, each value divided in float64 and stored as float32; an all-zero row
    stays zero.
    """
    for start, end in itertools.pairwise(indptr):
        if start == end:
            continue
        row = data[start:end]
        squared = np.cumsum(row * row, dtype=np.float64)[-1]  # cumsum adds in order
        if squared == 0.0:
            continue
        row[:] = row / np.sqrt(squared)
