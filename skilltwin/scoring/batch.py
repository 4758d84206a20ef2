"""Batch scoring: every twin against every profile with sparse matrix products."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skilltwin._validation import check_instance, check_known, check_top_k, check_unique
from skilltwin._version import __version__
from skilltwin.errors import InputValidationError
from skilltwin.scoring.checks import check_batch
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.scoring.formula import level_matrix, score_levels, weight_matrices
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.taxonomy.matrices import SkillIndex

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["best_candidates", "best_profiles", "match_frame", "score_matrix", "scores_by_group"]


def match_frame(
    twins: Sequence[EmployeeTwin],
    profiles: Sequence[JobProfile],
    taxonomy: Taxonomy,
    *,
    scoring_policy: ScoringPolicy | None = None,
) -> pd.DataFrame:
    """Match scores of every twin against every profile.

    Returns a DataFrame with one row per employee (index: employee ids) and one column per
    profile (columns: profile ids), scores in [0, 1] equal to :func:`skilltwin.match`'s.
    ``attrs`` holds the ``library_version``, ``taxonomy_release`` and ``language``
    (:func:`skilltwin.to_excel` writes them on the versions sheet).
    """
    twins, profiles, scoring_policy = check_batch(twins, profiles, taxonomy, scoring_policy)
    check_unique([t.employee_id for t in twins], "twins", hint="Give each employee one twin.")
    check_unique([p.profile_id for p in profiles], "profiles",
                 hint="Give each profile its own profile_id.")
    index = SkillIndex.of(taxonomy)
    scores = score_matrix(level_matrix(twins, index), profiles, taxonomy,
                          scoring_policy=scoring_policy)
    frame = pd.DataFrame(
        scores,
        index=pd.Index([t.employee_id for t in twins], name="employee_id"),
        columns=pd.Index([p.profile_id for p in profiles], name="profile_id"),
    )
    frame.attrs.update(library_version=__version__, taxonomy_release=taxonomy.release,
                       language=taxonomy.language)
    return frame


def score_matrix(
    levels: sp.csr_matrix,
    profiles: Sequence[JobProfile],
    taxonomy: Taxonomy,
    *,
    scoring_policy: ScoringPolicy | None = None,
) -> np.ndarray:
    """Employees x profiles scores from an employees x skills level matrix (the arithmetic:
    :func:`skilltwin.scoring.formula.score_levels`)."""
    scoring_policy = scoring_policy or ScoringPolicy()
    credit = CreditMatrix.of_scoring(taxonomy, scoring_policy)
    weights = weight_matrices(profiles, SkillIndex.of(taxonomy), scoring_policy.essential_share)
    return score_levels(levels, weights, credit.by_held if credit is not None else None)


def best_candidates(scores: pd.DataFrame, profile_id: str, top_k: int = 10) -> pd.Series:
    """The ``top_k`` employees with the highest score for one profile, best first."""
    _check_top(scores, top_k)
    check_known(profile_id, "profile_id", scores.columns, what="profile",
                hint="Give the id of one of the scored profiles.")
    return scores[profile_id].sort_values(ascending=False, kind="stable").head(top_k)


def best_profiles(scores: pd.DataFrame, employee_id: str, top_k: int = 10) -> pd.Series:
    """The ``top_k`` profiles an employee fits best, best first."""
    _check_top(scores, top_k)
    check_known(employee_id, "employee_id", scores.index, what="employee",
                hint="Give the id of one of the scored twins.")
    row = cast(pd.Series, scores.loc[employee_id])  # employee ids are unique: one row
    return row.sort_values(ascending=False, kind="stable").head(top_k)


def scores_by_group(
    scores: pd.DataFrame,
    profiles: Sequence[JobProfile],
    taxonomy: Taxonomy,
    *,
    by: str = "isco2",
) -> pd.DataFrame:
    """Match scores rolled up by ISCO-08 group: each employee's best profile in each group.

    ``scores`` is a frame of :func:`match_frame` (employees x profiles); ``profiles`` are its
    profiles (others are ignored); ``by`` is ``"isco1"`` (major group) ... ``"isco4"`` (unit
    group). Returns one row per employee and group: ``employee_id``, ``isco_code``,
    ``isco_label`` (in the taxonomy's language), ``profiles`` (how many of the group's
    profiles were scored), ``best_profile`` and ``best_score``; employees in the frame's
    order, their best group first. Profiles without an ESCO occupation form the group
    ``unclassified`` (see :func:`skilltwin.profiles.isco.profile_isco`).
    """
    from skilltwin.profiles.isco import profile_isco

    check_instance(scores, pd.DataFrame, "scores", hint="Pass the frame match_frame() returns.")
    groups = profile_isco([p for p in profiles if p.profile_id in scores.columns], taxonomy,
                          digits=by)
    missing = [str(c) for c in scores.columns if c not in groups.index]
    if missing:
        raise InputValidationError(f"no profile given for the scored profile ids {missing[:5]}; "
                                   "pass the profiles the frame was scored against.",
                                   field="profiles")
    stacked = cast(pd.Series,  # one level of columns: stack() gives a Series
                   scores.rename_axis(index="employee_id", columns="profile_id").stack())
    long = stacked.rename("score").reset_index().join(groups, on="profile_id")
    long["order"] = pd.Categorical(long["employee_id"], categories=scores.index.unique())
    long = long.sort_values(["order", "score", "profile_id"], ascending=[True, False, True],
                            kind="stable")
    grouped = long.groupby(["order", "isco_code"], sort=False, observed=True)
    table = grouped.agg(employee_id=("employee_id", "first"), isco_label=("isco_label", "first"),
                        profiles=("profile_id", "size"), best_profile=("profile_id", "first"),
                        best_score=("score", "first")).reset_index()
    table = table.sort_values(["order", "best_score"], ascending=[True, False], kind="stable")
    columns = ["employee_id", "isco_code", "isco_label", "profiles", "best_profile",
               "best_score"]
    return table[columns].reset_index(drop=True)


def _check_top(scores: object, top_k: object) -> None:
    check_instance(scores, pd.DataFrame, "scores", hint="Pass the frame match_frame() returns.")
    check_top_k(top_k)

