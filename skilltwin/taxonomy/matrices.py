"""Taxonomy-shaped matrices: the column order of a taxonomy's skills and its
occupations x skills matrix.

Every sparse matrix over skills (twins' levels, profiles' requirement shares, partial credit)
uses the column order of a :class:`SkillIndex`, the skills of one taxonomy.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from skilltwin.errors import ConfigurationError

if TYPE_CHECKING:
    from skilltwin.taxonomy.taxonomy import Taxonomy

__all__ = ["SkillIndex", "occupation_matrix"]

_INDEXES: weakref.WeakKeyDictionary[Taxonomy, SkillIndex] = weakref.WeakKeyDictionary()


class SkillIndex:
    """Column positions of a taxonomy's skills (one per skill URI, in taxonomy order)."""

    def __init__(self, uris: Sequence[str]):
        self.uris = list(uris)
        self.position = {uri: i for i, uri in enumerate(self.uris)}

    def __len__(self) -> int:
        return len(self.uris)

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> SkillIndex:
        """The index of ``taxonomy``'s skills (built once per taxonomy object)."""
        index = _INDEXES.get(taxonomy)
        if index is None:
            index = cls(taxonomy.skills_frame().index.tolist())
            _INDEXES[taxonomy] = index
        return index

    def column(self, uri: str) -> int:
        """The column of skill ``uri``."""
        try:
            return self.position[uri]
        except KeyError:
            raise ConfigurationError(
                f"skill {uri} is not in the scoring taxonomy; score twins and profiles with "
                "the taxonomy they were built on."
            ) from None


def occupation_matrix(taxonomy: Taxonomy, optional_weight: float = 0.5
                      ) -> tuple[list[str], sp.csr_matrix]:
    """Occupation URIs and an occupations x skills matrix (essential 1, optional
    ``optional_weight``), straight from ESCO's occupation-skill relations."""
    index = SkillIndex.of(taxonomy)
    relations = taxonomy.relations_frame()
    relations = relations[(relations["kind"] == "occupation_skill")
                          & relations["target"].isin(index.position)]
    occupations = taxonomy.occupations_frame().index.tolist()
    rows = relations["source"].map({uri: i for i, uri in enumerate(occupations)})
    keep = rows.notna()
    values = np.where(relations["relation"] == "essential", 1.0, optional_weight)[keep.to_numpy()]
    matrix = sp.csr_matrix(
        (values, (rows[keep].astype(int).to_numpy(),
                  relations["target"][keep].map(index.position).to_numpy())),
        shape=(len(occupations), len(index)),
    )
    matrix.sum_duplicates()
    return occupations, matrix
