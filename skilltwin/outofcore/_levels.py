"""The :class:`~skilltwin.LevelPolicy` arithmetic over a long claims table, without twins.

Gives, for every (employee, skill) pair, exactly the level :meth:`EmployeeTwin.levels` gives
(bit for bit, see tests/test_outofcore_claims.py): the same steps in the same floating-point
order as :func:`skilltwin.twin.claims.derive_level`, on arrays instead of claim objects.
"""

from __future__ import annotations

from typing import get_args

import numpy as np

from skilltwin.twin.claims import ClaimSource, LevelPolicy

__all__ = ["SOURCES", "derive_levels"]

SOURCES: tuple[str, ...] = get_args(ClaimSource)
_SOURCE_SLOTS = 8  # > len(SOURCES): room for the source code inside one int64 key


def derive_levels(
    employee: np.ndarray,
    column: np.ndarray,
    source: np.ndarray,
    day: np.ndarray,
    level: np.ndarray,
    confidence: np.ndarray,
    *,
    level_policy: LevelPolicy,
    as_of_day: int,
    skill_count: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Current levels from claims given as parallel arrays in claim order.

    Args:
        employee: Employee code (0..n-1) of each claim.
        column: Skill column (:class:`~skilltwin.taxonomy.matrices.SkillIndex` position).
        source: Index into :data:`SOURCES`.
        day: Observation date as days since 1970-01-01.
        level: Claimed level.
        confidence: Confidence 0-1.
        level_policy: Trust per source and optional decay.
        as_of_day: Claims observed after this day are ignored.
        skill_count: Number of skill columns.

    Returns:
        ``(employee, column, level)`` of every pair with a positive level, sorted by
        employee then column.
    """
    keep = day <= as_of_day
    position = np.flatnonzero(keep)
    employee, column = employee[keep].astype(np.int64), column[keep].astype(np.int64)
    source, day = source[keep].astype(np.int64), day[keep].astype(np.int64)
    pair = employee * skill_count + column
    key = pair * _SOURCE_SLOTS + source
    # 1. the latest claim per (pair, source); on the same day the one added last wins
    order = _stable_order(key, day)
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) \
        if len(order) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(order)].astype(np.int64)
    chosen = order[ends - 1]
    # derive_level sums sources in the order each was first met among the claims
    first_met = np.minimum.reduceat(position[order], starts) if len(order) else position[:0]
    chosen_pair = pair[chosen]
    by_pair = _stable_order(chosen_pair, first_met)
    chosen, chosen_pair = chosen[by_pair], chosen_pair[by_pair]
    # 2. weights and (decayed) levels, as derive_level computes them
    trust = np.array([float(level_policy.trust.get(name, 0.0)) for name in SOURCES])
    weight = trust[source[chosen]] * confidence[keep][chosen]
    value = level[keep][chosen].astype(float)
    if level_policy.half_life_years is not None:
        value = value * _decay(as_of_day - day[chosen], level_policy.half_life_years)
    # 3. sum per pair in that order (one slot per source, zeros added where absent)
    group_start = np.flatnonzero(np.r_[True, chosen_pair[1:] != chosen_pair[:-1]]) \
        if len(chosen) else np.zeros(0, dtype=np.int64)
    slot = np.arange(len(chosen)) - np.repeat(group_start, np.diff(np.r_[group_start,
                                                                         len(chosen)]))
    slots = int(slot.max()) + 1 if len(slot) else 0
    group = np.repeat(np.arange(len(group_start)), np.diff(np.r_[group_start, len(chosen)]))
    weights = np.zeros((len(group_start), slots))
    products = np.zeros((len(group_start), slots))
    weights[group, slot] = weight
    products[group, slot] = weight * value
    total = np.zeros(len(group_start))
    weighted = np.zeros(len(group_start))
    for index in range(slots):
        total += weights[:, index]
        weighted += products[:, index]
    derived = np.zeros(len(group_start))
    positive_total = total > 0
    derived[positive_total] = _round6(weighted[positive_total] / total[positive_total])
    pairs = chosen_pair[group_start]
    held = derived > 0
    return pairs[held] // skill_count, pairs[held] % skill_count, derived[held]


def _stable_order(major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """``np.lexsort((np.arange(n), minor, major))`` of non-negative ``major``: one stable sort
    of a single int64 key when both fit in it (claims come grouped by employee, so the key is
    nearly sorted already), else the lexsort."""
    if not len(major):
        return np.zeros(0, dtype=np.int64)
    low = int(minor.min())
    span = int(minor.max()) - low + 1
    if int(major.max()) < (2**62) // span:
        return np.argsort(major * span + (minor - low), kind="stable")
    return np.lexsort((minor, major))


def _decay(age_days: np.ndarray, half_life_years: float) -> np.ndarray:
    """``0.5 ** (years / half_life)`` per claim, computed by Python per distinct age (as
    derive_level does) so the factors are the same floats."""
    ages, inverse = np.unique(age_days, return_inverse=True)
    factors = np.array([0.5 ** ((age / 365.25) / half_life_years) for age in ages.tolist()])
    return factors[inverse.ravel()]


def _round6(values: np.ndarray) -> np.ndarray:
    """``round(value, 6)`` as Python rounds (numpy's rounding can differ next to a half)."""
    rounded = np.round(values, 6)
    scaled = values * 1e6
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-3
    if near_half.any():
        rounded[near_half] = [round(value, 6) for value in values[near_half].tolist()]
    return rounded
