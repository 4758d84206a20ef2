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
from skilltwin.scoring._formula import level_matrix, score_levels, weight_matrices
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.taxonomy._matrices import SkillIndex

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["best_candidates", "best_profiles", "match_frame", "score_matrix"]


def match_frame(
    twins: Sequence[EmployeeTwin],
    profiles: Sequence[JobProfile],
    taxonomy: Taxonomy,
    *,
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
    """Employees x profiles scores from an employees x skills level matrix (the arithmetic:
    :func:`skilltwin.scoring._formula.score_levels`)."""
    policy = policy or ScoringPolicy()
    credit = CreditMatrix.of(taxonomy, policy.credit) if policy.credit is not None else None
    weights = weight_matrices(profiles, SkillIndex.of(taxonomy), policy.essential_share)
    return score_levels(levels, weights, credit.by_held if credit is not None else None)


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


def _require_unique(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise ConfigurationError(f"{what} must be unique; repeated: {duplicates}.")
