"""Which output column of the token head means what, for a model trained on some schemes.

A model is trained on one or more technique schemes. Its token head has, in this order, one
"inside any technique span" column per scheme, then one column per technique of each scheme.
Its span head has one softmax block per scheme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """Column layout of the heads.

    Parameters
    ----------
    techniques : mapping of str to sequence of str
        Technique names per scheme name, in the order of the span head's classes.
    """

    techniques: Mapping[str, Sequence[str]]

    @property
    def schemes(self) -> list[str]:
        return list(self.techniques)

    @property
    def n_token_outputs(self) -> int:
        return len(self.techniques) + sum(len(t) for t in self.techniques.values())

    def any_column(self, scheme: str) -> int:
        """Token-head column of "inside a span of any technique of ``scheme``"."""
        return self.schemes.index(scheme)

    def technique_columns(self, scheme: str) -> slice:
        """Token-head columns of the techniques of ``scheme``, in ``techniques[scheme]`` order."""
        start = len(self.techniques)
        for name in self.schemes:
            width = len(self.techniques[name])
            if name == scheme:
                return slice(start, start + width)
            start += width
        raise KeyError(scheme)

    def to_dict(self) -> dict[str, list[str]]:
        return {scheme: list(names) for scheme, names in self.techniques.items()}
