"""The match formula, in one place: requirement shares, level fit and partial credit.

Per pair (:func:`~skilltwin.scoring.gap`, :func:`~skilltwin.scoring.match`) and in batch
(:func:`~skilltwin.scoring.match_frame`, planning, :mod:`skilltwin.outofcore`) every score is made
of these functions, so a change to the formula is made here once. :data:`FORMULA` says the
same in words; tests/test_scoring_formula.py checks that pairs and batches agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from skilltwin.errors import ConfigurationError
from skilltwin.scoring.credit import RELATION_NAMES

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.scoring.credit import CreditMatrix
    from skilltwin.taxonomy.matrices import SkillIndex
    from skilltwin.twin.twin import EmployeeTwin

__all__ = [
    "FORMULA",
    "best_related",
    "fit_matrix",
    "level_fit",
    "level_matrix",
    "max_times",
    "requirement_shares",
    "score_levels",
    "sparse_scores",
    "stacked_weights",
    "weight_matrices",
]

FORMULA = (
    "score = essential_coverage + optional_coverage + level_fit + partial_credit, where each "
    "requirement has a share of the score (essential requirements share essential_share, "
    "optional ones the rest, in proportion to their weights); a held requirement adds its "
    "share to coverage and loses share * (1 - level / min_level) in level_fit when below its "
    "minimum level; a requirement not held but covered by a directly related skill adds "
    "share * credit_factor * level fit of that skill to partial_credit."
)


# --- requirement shares -----------------------------------------------------------------

def requirement_shares(profile: JobProfile, essential_share: float) -> np.ndarray:
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
    """Profiles x skills requirement shares, one matrix per distinct minimum level.

    Splitting by minimum level lets level fit (:func:`fit_matrix`) be applied to the employee
    matrix before one sparse product per level.
    """
    entries: dict[float, tuple[list[int], list[int], list[float]]] = {}
    for row, profile in enumerate(profiles):
        shares = requirement_shares(profile, essential_share)
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


# --- level fit --------------------------------------------------------------------------

def level_fit(level: float, min_level: float) -> float:
    """``min(1, level / min_level)``; any held level fits a minimum of 0."""
    if level <= 0:
        return 0.0
    return 1.0 if min_level <= 0 else min(1.0, level / min_level)


def fit_matrix(levels: sp.csr_matrix, min_level: float) -> sp.csr_matrix:
    """:func:`level_fit` of every held skill of an employees x skills level matrix."""
    fit = levels.copy()
    fit.data = np.ones_like(fit.data) if min_level <= 0 else np.minimum(
        1.0, fit.data / min_level)
    return fit


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


# --- partial credit ---------------------------------------------------------------------

def best_related(
    credit: CreditMatrix, required_uri: str, fits: dict[str, float]
) -> tuple[str, str, float, float] | None:
    """The held skill giving the most credit towards ``required_uri``: the largest
    ``credit factor * level fit`` (the first in column order on ties).

    Args:
        credit: The taxonomy's credit matrix.
        required_uri: The required skill (not held).
        fits: Level fit (0-1) of each held skill against the requirement's minimum level.

    Returns:
        ``(held_uri, relation name, credit factor, credit given)`` or ``None``.
    """
    matrix = credit.matrix
    row = credit.index.column(required_uri)
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    best: tuple[str, str, float, float] | None = None
    for col, factor, code in zip(matrix.indices[start:end], matrix.data[start:end],
                                 credit.relation.data[start:end], strict=True):
        held = credit.index.uris[col]
        given = float(factor) * fits.get(held, 0.0)
        if given > 0 and (best is None or given > best[3]):
            best = (held, RELATION_NAMES[int(code)], float(factor), given)
    return best


def max_times(fit: sp.csr_matrix, credit_by_held: sp.csr_matrix) -> sp.csr_matrix:
    """Employees x skills: for each required skill, the best ``credit * fit`` over held skills.

    Like the product ``fit @ credit_by_held`` with the sum replaced by a maximum, computed
    without Python loops: every (employee, held skill) entry is expanded over the held
    skill's row of ``credit_by_held`` (held x required) and the candidates are reduced by max.
    """
    coo = fit.tocoo()
    indptr = credit_by_held.indptr
    counts = indptr[coo.col + 1] - indptr[coo.col]
    total = int(counts.sum())
    shape = (fit.shape[0], credit_by_held.shape[1])
    if total == 0:
        return sp.csr_matrix(shape)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    positions = np.repeat(indptr[coo.col], counts) + offsets
    rows = np.repeat(coo.row, counts).astype(np.int64)
    cols = credit_by_held.indices[positions]
    values = np.repeat(coo.data, counts) * credit_by_held.data[positions]
    keys = rows * shape[1] + cols
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    best = np.maximum.reduceat(values, starts)
    unique = keys[starts]
    return sp.csr_matrix((best, (unique // shape[1], unique % shape[1])), shape=shape)


# --- the whole score, in batch ----------------------------------------------------------

def score_levels(
    levels: sp.csr_matrix,
    weights: dict[float, sp.csr_matrix],
    credit_by_held: sp.csr_matrix | None,
) -> np.ndarray:
    """Employees x profiles scores from an employees x skills level matrix and prepared
    parts: the profiles' :func:`weight_matrices` and the held x required credit matrix
    (``CreditMatrix.by_held``, ``None`` for no partial credit); :func:`sparse_scores` as a
    dense array."""
    scores: np.ndarray = sparse_scores(levels, weights, credit_by_held).toarray()
    return scores


def sparse_scores(
    levels: sp.csr_matrix,
    weights: dict[float, sp.csr_matrix],
    credit_by_held: sp.csr_matrix | None,
) -> sp.csr_matrix:
    """The scores of :func:`score_levels` as a sparse matrix: only the pairs with a positive
    score are stored (an employee shares no skill, held or related, with most profiles).

    For each distinct minimum level ``m``: the level fit of every held skill, and for every
    skill not held the best ``credit * fit`` over held related skills (:func:`max_times`),
    make one sparse matrix (the two never share an entry); the matrices of all levels side
    by side, multiplied once by the profiles' requirement shares at those levels, give
    coverage, level fit and partial credit together. Each row's scores depend on that row
    only, so callers may score blocks of employees separately.
    """
    levels = sp.csr_matrix(levels, dtype=float, copy=True)
    levels.eliminate_zeros()
    levels.sort_indices()
    profile_count = next(iter(weights.values())).shape[0] if weights else 0
    if not weights:
        return sp.csr_matrix((levels.shape[0], profile_count))
    parts = [fit_matrix(levels, min_level) for min_level in weights]
    if credit_by_held is not None:
        parts = _with_related(levels, parts, credit_by_held)
    scores = sp.csr_matrix(sp.hstack(parts, format="csr") @ stacked_weights(weights))
    np.clip(scores.data, 0.0, 1.0, out=scores.data)
    return scores


def _with_related(levels: sp.csr_matrix, fits: list[sp.csr_matrix],
                  credit_by_held: sp.csr_matrix) -> list[sp.csr_matrix]:
    """Each fit matrix plus, for every skill not held, the best ``credit * fit`` over held
    related skills: :func:`max_times` of every minimum level at once (the held skills are
    expanded over their credit rows and sorted once; only the products differ per level).
    ``levels`` has sorted indices and no zeros, and every fit matrix its structure."""
    indptr = credit_by_held.indptr
    held_rows = np.repeat(np.arange(levels.shape[0], dtype=np.int64), np.diff(levels.indptr))
    counts = indptr[levels.indices + 1] - indptr[levels.indices]
    total = int(counts.sum())
    if total == 0:
        return fits
    skills = credit_by_held.shape[1]
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    positions = np.repeat(indptr[levels.indices], counts) + offsets
    keys = np.repeat(held_rows, counts) * skills + credit_by_held.indices[positions]
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    unique = keys[starts]
    held = held_rows * skills + levels.indices
    found = np.minimum(np.searchsorted(held, unique), len(held) - 1)
    new = np.flatnonzero(held[found] != unique) if len(held) else np.arange(len(unique))
    rows, cols = unique[new] // skills, unique[new] % skills
    credit = credit_by_held.data[positions][order]
    out = []
    for fit in fits:
        best = np.maximum.reduceat(np.repeat(fit.data, counts)[order] * credit, starts)[new]
        out.append(sp.csr_matrix((np.r_[fit.data, best], (np.r_[held_rows, rows],
                                                          np.r_[fit.indices, cols])),
                                 shape=fit.shape))
    return out


def stacked_weights(weights: dict[float, sp.csr_matrix]) -> sp.csr_matrix:
    """The :func:`weight_matrices` of every minimum level stacked as one (levels x skills)
    x profiles matrix, in the order of ``weights``."""
    return sp.csr_matrix(sp.hstack(list(weights.values()), format="csr").T)
