"""Workforce-plan tables rolled up by ISCO-08 group (``by="isco1"`` ... ``"isco4"``).

Each profile counts in the ISCO group of its occupation (:func:`skilltwin.profiles.isco.
profile_isco`); profiles without one count in the group ``unclassified``, never dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from skilltwin.profiles.isco import profile_isco

if TYPE_CHECKING:
    from skilltwin.planning.supply import WorkforcePlan

__all__ = ["coverage_by_isco", "supply_demand_by_isco"]


def coverage_by_isco(plan: WorkforcePlan, coverage: pd.DataFrame, digits: int) -> pd.DataFrame:
    """The per-profile ``coverage`` table summed per ISCO group (index: ``isco_code``).

    Columns: ``isco_label``, ``profiles``, ``headcount``, ``ready`` (summed over the group's
    profiles: one person ready for two profiles counts twice), ``coverage`` (share of the
    group's headcount filled by ready people, ``1 - headcount_shortfall / headcount``; 1 when
    no one is needed), ``headcount_shortfall`` (summed per profile) and ``best_score``
    (highest of the group).
    Sorted by headcount_shortfall, largest first.
    """
    groups = profile_isco(plan.profiles, plan.taxonomy, digits=digits)
    table = coverage.join(groups)
    grouped = table.groupby("isco_code", sort=True)
    frame = pd.DataFrame({
        "isco_label": grouped["isco_label"].first(),
        "profiles": grouped.size().astype(int),
        "headcount": grouped["headcount"].sum().astype(int),
        "ready": grouped["ready"].sum().astype(int),
        "headcount_shortfall": grouped["headcount_shortfall"].sum().astype(int),
        "best_score": grouped["best_score"].max().astype(float),
    })
    need = frame["headcount"].to_numpy()
    frame.insert(4, "coverage", np.round(np.where(
        need > 0, 1.0 - frame["headcount_shortfall"] / np.maximum(need, 1), 1.0), 3))
    return frame.sort_values(["headcount_shortfall", "headcount"], ascending=False, kind="stable")


def supply_demand_by_isco(plan: WorkforcePlan, digits: int) -> pd.DataFrame:
    """Skills supply and demand per ISCO group (index: ``isco_code``).

    Each group is the plan restricted to its profiles: a skill's ``headcount`` is that of
    the group's profiles requiring it, at the highest minimum level they ask, and
    ``qualified`` employees hold it at that level. Columns: ``isco_label``, ``skills``
    (required by the group), ``headcount``, ``qualified`` and ``shortfall`` (each summed over the
    group's skills), ``skills_short``. An employee counts in every group whose skills they
    hold. Sorted by shortfall, largest first.
    """
    groups = profile_isco(plan.profiles, plan.taxonomy, digits=digits)
    rows = [(groups.at[p.profile_id, "isco_code"], r.skill_uri, r.min_level,
             plan.headcount[p.profile_id]) for p in plan.profiles for r in p.requirements]
    demand = pd.DataFrame(rows, columns=["isco_code", "skill_uri", "min_level", "headcount"])
    per_skill = demand.groupby(["isco_code", "skill_uri"], sort=True).agg(
        headcount=("headcount", "sum"), min_level=("min_level", "max")).reset_index()
    columns = np.array([plan.index.column(uri) for uri in per_skill["skill_uri"]], dtype=int)
    held = plan.levels[:, columns].toarray() if len(columns) else \
        np.zeros((len(plan.employee_ids), 0))
    required = per_skill["min_level"].to_numpy(dtype=float)
    per_skill["qualified"] = ((held > 0) & (held >= required)).sum(axis=0).astype(int)
    per_skill["shortfall"] = np.maximum(0, per_skill["headcount"] - per_skill["qualified"])
    grouped = per_skill.groupby("isco_code", sort=True)
    labels = groups.drop_duplicates("isco_code").set_index("isco_code")["isco_label"]
    frame = pd.DataFrame({
        "skills": grouped.size(),
        "headcount": grouped["headcount"].sum(),
        "qualified": grouped["qualified"].sum(),
        "shortfall": grouped["shortfall"].sum(),
        "skills_short": grouped["shortfall"].agg(lambda s: int((s > 0).sum())),
    })
    frame = frame.reindex(sorted(set(groups["isco_code"]))).fillna(0).astype(int)
    frame.index.name = "isco_code"
    frame.insert(0, "isco_label", labels.reindex(frame.index))
    return frame.sort_values(["shortfall", "headcount"], ascending=False, kind="stable")
