"""The scikit-learn estimator contract for the article-level models, without scikit-learn.

The models predict with numpy alone (and SciPy's sparse matrices), so an analysis never
imports scikit-learn, whose import costs most of a second of start-up (mostly SciPy's
statistics, through ``sklearn.utils``). Training does import it, inside each ``fit``. The
parameters still come from the signature of ``__init__``, as ``BaseEstimator`` reads them, so
``sklearn.base.clone`` and ``get_params``/``set_params`` work as for any estimator.
"""

from __future__ import annotations

import inspect
from typing import Any, Self


class NotFittedError(ValueError, AttributeError):
    """A model was asked to predict before ``fit`` (or ``from_arrays``) gave it its weights.

    A ``ValueError`` and an ``AttributeError``, like scikit-learn's exception of that name.
    """


class Estimator:
    """Base of the article-level models: ``__init__`` stores keyword-only parameters under
    their own names, and :meth:`get_params` reads them back from its signature."""

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(name for name in signature.parameters if name != "self")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's parameters and their values.

        Parameters
        ----------
        deep : bool, default=True
            Accepted for scikit-learn's ``clone``, which passes ``deep=False``; no parameter
            of these models is itself an estimator, so both give the same answer.
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Self:
        """Set constructor parameters by name, as the constructor would.

        Raises
        ------
        ValueError
            If a name is not a parameter of the constructor (the message lists them).
        """
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"{name!r} is not a parameter of {type(self).__name__}: {', '.join(valid)}"
                )
            setattr(self, name, value)
        return self


def check_fitted(model: object, attribute: str) -> None:
    """Raise :class:`NotFittedError` unless ``model`` has its fitted ``attribute``."""
    if not hasattr(model, attribute):
        raise NotFittedError(
            f"this {type(model).__name__} is not fitted yet: call fit or from_arrays first"
        )
