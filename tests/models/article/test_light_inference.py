"""The article-level models predict without scikit-learn or SciPy: their TF-IDF rows and their
products are those libraries' to the last bit, they keep the estimator contract, and an
analysis imports neither."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer

from propwatch.models.article.cast import CastClassifier
from propwatch.models.article.estimator import NotFittedError
from propwatch.models.article.features import TAGGED_PATTERN, TfidfFeatures
from propwatch.models.article.genre import GenreClassifier
from propwatch.models.article.rows import SparseRows

TEXTS = [
    "The council voted on Tuesday to close three rural clinics by the end of the year.",
    "Critics said the vote was a betrayal; the council said the vote saves money.",
    "Ünïcode wörds, CAPITALS and capitals, numbers like 2019 and 41,000 all count.",
    "A clinic, a clinic, a clinic: repeated words weigh less than their count.",
]
PROBES = [*TEXTS, "", "Nothing in here was seen before: zyxwv qwertz.", "clinic " * 50]


def assert_same_rows(ours: object, theirs: object) -> None:
    """Same CSR structure and the same float32 values, bit for bit."""
    for name in ("shape", "indptr", "indices"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(theirs, name))
    data, expected = ours.data, theirs.data  # type: ignore[attr-defined]
    assert data.dtype == expected.dtype == np.float32
    assert data.tobytes() == expected.tobytes()


@pytest.mark.parametrize("ngram_max", [1, 2, 3])
def test_fitted_tfidf_rows_are_the_vectorizers_to_the_last_bit(ngram_max: int) -> None:
    features = TfidfFeatures(min_df=1, ngram_max=ngram_max).fit(TEXTS)
    vectorizer = TfidfVectorizer(
        sublinear_tf=True, min_df=1, ngram_range=(1, ngram_max), dtype=np.float32
    ).fit(TEXTS)
    assert features.terms("Close the clinics")[:3] == ["close", "the", "clinics"]
    assert_same_rows(features.transform(PROBES), vectorizer.transform(PROBES))


def test_rebuilt_tagged_rows_are_the_vectorizers_to_the_last_bit() -> None:
    tagged = ["E:Putin L:said R:invaded S:Kyiv", "E:Putin E:putin Q:1", "I:1 E:NATO S:Kyiv"]
    fitted = TfidfFeatures(min_df=1, token_pattern=TAGGED_PATTERN, lowercase=False).fit(tagged)
    # Saved models hold float16 IDF values, read back as float64 (from_arrays).
    rebuilt = TfidfFeatures.from_arrays(fitted.get_params(), fitted.to_arrays())
    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        token_pattern=TAGGED_PATTERN,
        lowercase=False,
        vocabulary=rebuilt.vocabulary_,
        dtype=np.float32,
    )
    vectorizer.idf_ = rebuilt.idf_
    probes = [*tagged, "E:putin S:Kyiv S:Kyiv", ""]
    assert rebuilt.idf_.dtype == np.float64
    assert_same_rows(rebuilt.transform(probes), vectorizer.transform(probes))


def test_products_and_appended_columns_are_scipys_to_the_last_bit() -> None:
    rows = TfidfFeatures(min_df=1).fit(TEXTS).transform(PROBES)
    matrix = rows.to_scipy()
    generator = np.random.default_rng(7)
    weights = generator.normal(size=(5, rows.shape[1])).astype(np.float32)
    product = rows.dot(weights)
    assert product.shape == (len(PROBES), 5) and product.dtype == np.float32
    assert product.tobytes() == np.asarray(matrix @ weights.T).tobytes()
    states = generator.normal(size=(len(PROBES), 4)).astype(np.float32)
    states[1, :2] = 0.0  # left out of the rows, as a sparse matrix leaves zeros out
    both = rows.with_columns(states)
    expected = sparse.hstack([matrix, sparse.csr_matrix(states)], format="csr")
    assert_same_rows(both, expected)
    wide = generator.normal(size=(3, both.shape[1])).astype(np.float32)
    assert both.dot(wide).tobytes() == np.asarray(expected @ wide.T).tobytes()
    assert_same_rows(SparseRows.of(expected), expected)


def test_clone_and_set_params_keep_the_estimator_contract() -> None:
    model = GenreClassifier(C=0.5, prior=None, encoder="test")
    copy = clone(model)
    assert copy is not model
    assert copy.get_params() == {
        "C": 0.5,
        "encoder": "test",
        "never_decided": ("satire",),
        "prior": None,
        "random_state": 0,
        "unsure_below": 0.7,
    }
    assert copy.set_params(unsure_below=0.0) is copy and copy.unsure_below == 0.0
    with pytest.raises(ValueError) as error:
        model.set_params(c=1.0)
    assert str(error.value) == (
        "'c' is not a parameter of GenreClassifier: "
        "C, encoder, never_decided, prior, random_state, unsure_below"
    )


def test_predicting_before_fit_says_so() -> None:
    with pytest.raises(NotFittedError) as error:
        CastClassifier().predict(np.zeros((1, 3)))
    assert (
        str(error.value) == "this CastClassifier is not fitted yet: call fit or from_arrays first"
    )


def test_an_analysis_with_the_default_pipeline_imports_no_scikit_learn_scipy_or_pyarrow() -> None:
    code = (
        "import sys\n"
        "from propwatch import api\n"
        "analysis = api.analyze('The mayor said on Tuesday that the plan was a disgrace. "
        "Critics called it a betrayal of every family in the region.')\n"
        "print(sorted(analysis.labels))\n"
        "print(sorted({'sklearn', 'scipy', 'pyarrow'} & {m.split('.')[0] for m in sys.modules}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    labels, heavy = result.stdout.splitlines()[-2:]
    assert "'frames'" in labels and "'genre'" in labels, result.stdout + result.stderr
    assert heavy == "[]", result.stdout + result.stderr
