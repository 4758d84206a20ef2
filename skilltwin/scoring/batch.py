"""Batch scoring: every twin against every profile with sparse matrix products."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skilltwin._validation import check_count, check_instance
from skilltwin.errors import ConfigurationError
from skilltwin.scoring._args import check_batch
from skilltwin.scoring.credit import CreditMatrix, max_times
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.scoring.vectors import SkillIndex, level_matrix, weight_matrices

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["best_candidates", "best_profiles", "fit_matrix", "match_frame",
           "score_levels", "score_matrix"]


def match_frame(
    twins: Sequence[EmployeeTwin],
    profiles: Sequence[JobProfile],
    *,
    taxonomy: Taxonomy,
    policy: ScoringPolicy | None = None,
) -> pd.DataFrame:
    """Match scores of every twin against every profile.

    Returns a DataFrame with one row per employee (index: employee ids) and one column per
    profile (columns: profile ids), scores in [0, 1] equal to :func:`skilltwin.match`'s.
    """
    twins, profiles, policy = check_batch(twins, profiles, taxonomy, policy)
    _require_unique([t.employee_id for t in twins], "employee ids")
    _require_unique([p.profile_id for p in profiles], "profile ids")
    index = SkillIndex.of(taxonomy)
    scores = score_matrix(level_matrix(twins, index), profiles, taxonomy, policy=policy)
    return pd.DataFrame(
        scores,
        index=pd.Index([t.employee_id for t in twins], name="employee_id"),
        columns=pd.Index([p.profile_id for p in profiles], name="profile_id"),
    )


def score_matrix(
    levels: sp.csr_matrix,
    profiles: Sequence[JobProfile],
    taxonomy: Taxonomy,
    *,
    policy: ScoringPolicy | None = None,
) -> np.ndarray:
    """Employees x profiles scores from an employees x skills level matrix.

    For each distinct minimum level ``m``: the level fit ``min(1, level / m)`` of every held
    skill is one sparse matrix; its product with the profiles' requirement shares at level
    ``m`` gives the direct part. Partial credit takes, for every skill not held, the best
    ``credit * fit`` over held related skills (:func:`max_times`) and is multiplied in the same
    way.
    """
    policy = policy or ScoringPolicy()
    index = SkillIndex.of(taxonomy)
    credit = CreditMatrix.of(taxonomy, policy.credit) if policy.credit is not None else None
    return score_levels(levels, weight_matrices(profiles, index, policy.essential_share),
                        credit.by_held if credit is not None else None)


def score_levels(
    levels: sp.csr_matrix,
    weights: dict[float, sp.csr_matrix],
    credit_by_held: sp.csr_matrix | None,
) -> np.ndarray:
    """:func:`score_matrix` from prepared parts: the profiles' :func:`weight_matrices` and
    the held x required credit matrix (``CreditMatrix.by_held``, ``None`` for no credit).

    Preparing the parts once lets callers score many blocks of employees against the same
    profiles (see :mod:`skilltwin.scale`); each row's scores depend on that row only.
    """
    levels = sp.csr_matrix(levels, dtype=float)
    levels.eliminate_zeros()
    held_keys = _keys(levels)
    profile_count = next(iter(weights.values())).shape[0] if weights else 0
    scores = np.zeros((levels.shape[0], profile_count))
    for min_level, matrix in weights.items():
        fit = fit_matrix(levels, min_level)
        product = fit @ matrix.T
        if credit_by_held is not None:
            related = max_times(fit, credit_by_held).tocoo()
            not_held = ~np.isin(related.row.astype(np.int64) * related.shape[1] + related.col,
                                held_keys)
            related = sp.csr_matrix(
                (related.data[not_held], (related.row[not_held], related.col[not_held])),
                shape=related.shape,
            )
            product = product + related @ matrix.T
        scores += product.toarray()
    return np.clip(scores, 0.0, 1.0)


def fit_matrix(levels: sp.csr_matrix, min_level: float) -> sp.csr_matrix:
    """The level fit ``min(1, level / min_level)`` of every held skill (1 when the minimum
    level is 0)."""
    fit = levels.copy()
    fit.data = np.ones_like(fit.data) if min_level <= 0 else np.minimum(
        1.0, fit.data / min_level)
    return fit


def best_candidates(scores: pd.DataFrame, profile_id: str, k: int = 10) -> pd.Series:
    """The ``k`` employees with the highest score for one profile, best first."""
    _check_top(scores, k)
    if profile_id not in scores.columns:
        raise ConfigurationError(f"no profile {profile_id!r} among the scored profiles.")
    return scores[profile_id].sort_values(ascending=False, kind="stable").head(k)


def best_profiles(scores: pd.DataFrame, employee_id: str, k: int = 10) -> pd.Series:
    """The ``k`` profiles an employee fits best, best first."""
    _check_top(scores, k)
    if employee_id not in scores.index:
        raise ConfigurationError(f"no employee {employee_id!r} among the scored twins.")
    return scores.loc[employee_id].sort_values(ascending=False, kind="stable").head(k)


def _check_top(scores: object, k: object) -> None:
    check_instance(scores, pd.DataFrame, "scores", hint="Pass the frame match_frame() returns.")
    check_count(k, "k", minimum=1)


def _keys(matrix: sp.csr_matrix) -> np.ndarray:
    coo = matrix.tocoo()
    return coo.row.astype(np.int64) * matrix.shape[1] + coo.col


def _require_unique(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise ConfigurationError(f"{what} must be unique; repeated: {duplicates}.")
