"""TF-IDF features that can be saved as plain arrays (no pickle) and rebuilt for inference.

Every article-level model uses one :class:`TfidfFeatures`: word n-grams over running text, or,
for entity mentions, pre-tagged tokens (``"L:invaded"``) joined by spaces.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

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

    def _vectorizer(self, vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
        return TfidfVectorizer(
            sublinear_tf=True,
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            ngram_range=(1, self.ngram_max),
            min_df=1 if vocabulary else self.min_df,
            max_features=None if vocabulary else self.max_features,
            vocabulary=vocabulary,
            dtype=np.float32,
        )

    def fit(self, texts: list[str]) -> TfidfFeatures:
        """Learn the vocabulary and inverse document frequencies of ``texts``."""
        self.vectorizer_ = self._vectorizer().fit(texts)
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """Sparse matrix of shape (n_texts, n_features), each row of unit L2 norm (or zero)."""
        return self.vectorizer_.transform(texts)

    @property
    def n_features(self) -> int:
        return len(self.vectorizer_.vocabulary_)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """``vocabulary`` (str array in column order) and ``idf`` (float32), for :mod:`store`."""
        vocabulary = self.vectorizer_.vocabulary_
        terms = sorted(vocabulary, key=vocabulary.__getitem__)
        return {
            "vocabulary": np.array(terms, dtype=str),
            "idf": self.vectorizer_.idf_.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> TfidfFeatures:
        """Rebuild fitted features from :meth:`get_params` and :meth:`to_arrays` output."""
        features = cls(**params)
        vocabulary = {str(term): index for index, term in enumerate(arrays["vocabulary"])}
        features.vectorizer_ = features._vectorizer(vocabulary)
        features.vectorizer_.idf_ = arrays["idf"].astype(np.float64)
        return features
