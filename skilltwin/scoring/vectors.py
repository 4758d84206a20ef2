"""Sparse matrices behind batch scoring: employee x skill levels, profile x skill weights.

These are reusable building blocks (planning code builds on them): every matrix uses the
column order of a :class:`SkillIndex`, the skills of one taxonomy.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from skilltwin.errors import ConfigurationError

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = [
    "SkillIndex",
    "level_matrix",
    "occupation_matrix",
    "requirement_weights",
    "weight_matrices",
]

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


def level_matrix(twins: Sequence[EmployeeTwin], index: SkillIndex) -> sp.csr_matrix:
    """Employees x skills: the current level of each skill each twin holds (0 elsewhere)."""
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, twin in enumerate(twins):
        for uri, level in twin.levels().items():
            rows.append(row)
            cols.append(index.column(uri))
            values.append(level)
    return sp.csr_matrix((values, (rows, cols)), shape=(len(twins), len(index)), dtype=float)


def requirement_weights(profile: JobProfile, essential_share: float) -> np.ndarray:
    """Each requirement's share of the profile's score (they sum to 1).

    Essential requirements split ``essential_share`` in proportion to their weights, optional
    ones the rest; when a profile has only one kind, that kind shares the whole score.
    """
    if not profile.requirements:
        raise ConfigurationError(
            f"profile {profile.profile_id!r} has no requirements; add skills before scoring."
        )
    essential = np.array([r.importance == "essential" for r in profile.requirements])
    weights = np.array([r.weight for r in profile.requirements], dtype=float)
    share = essential_share if essential.any() and (~essential).any() else 1.0
    out = np.zeros_like(weights)
    if essential.any():
        out[essential] = share * weights[essential] / weights[essential].sum()
    if (~essential).any():
        out[~essential] = (1 - share) * weights[~essential] / weights[~essential].sum() \
            if essential.any() else weights[~essential] / weights[~essential].sum()
    return out


def weight_matrices(
    profiles: Sequence[JobProfile], index: SkillIndex, essential_share: float
) -> dict[float, sp.csr_matrix]:
    """Profiles x skills requirement weights, one matrix per distinct minimum level.

    Splitting by minimum level lets level fit (``min(1, level / min_level)``) be applied to
    the employee matrix before one sparse product per level.
    """
    entries: dict[float, tuple[list[int], list[int], list[float]]] = {}
    for row, profile in enumerate(profiles):
        shares = requirement_weights(profile, essential_share)
        for requirement, share in zip(profile.requirements, shares, strict=True):
            rows, cols, values = entries.setdefault(requirement.min_level, ([], [], []))
            rows.append(row)
            cols.append(index.column(requirement.skill_uri))
            values.append(float(share))
    shape = (len(profiles), len(index))
    return {
        level: sp.csr_matrix((values, (rows, cols)), shape=shape, dtype=float)
        for level, (rows, cols, values) in entries.items()
    }


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
