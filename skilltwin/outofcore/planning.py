"""Workforce-plan aggregates over a claims table of any size, equal to WorkforcePlan's.

Each partition (or chunk) of claims is reduced to per-skill counts (holders, qualified, sum
of levels) for the skills the profiles require, plus the holder rows the ``who`` column and
key-person risk need; only these small tables are combined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from skilltwin.errors import ConfigurationError
from skilltwin.outofcore._dask import claims_collection, is_dask, partition_by_employee
from skilltwin.outofcore.claims import (
    OnUnknown,
    SkillResolver,
    collection_skill_counts,
    frame_levels,
    resolved_claims,
)
from skilltwin.planning.supply import summarise_by_skill_group
from skilltwin.twin.claims import LevelPolicy
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy

__all__ = ["key_person_risks", "supply_demand"]

_PARTITION_ROWS = 1_000_000
_PARTS = ["column", "holders", "qualified", "level_sum", "employee_id", "level"]


def supply_demand(
    claims: Any,
    profiles: Sequence[JobProfile],
    taxonomy: Taxonomy,
    headcount: Mapping[str, int] | None = None,
    *,
    by: Literal["skill", "skill_group"] = "skill",
    who: bool = True,
    client: Any = None,
    level_policy: LevelPolicy | None = None,
    scale: ProficiencyScale | None = None,
    as_of: dt.date | None = None,
    on_unknown: OnUnknown = "raise",
) -> pd.DataFrame:
    """:meth:`WorkforcePlan.supply_demand` of the employees of a claims table.

    The same columns and values as the plan of ``EmployeeTwin.from_frame(claims)`` with the
    twins in employee-id order (``who`` lists holders with equal levels by employee id);
    ``who=False`` leaves the ``who`` column out (at scale it lists every holder). ``claims``
    is a pandas or Dask DataFrame or a .parquet/.csv path; with a Dask frame or a
    ``client`` the partitions are reduced on the cluster.
    """
    table, _ = _supply(claims, profiles, taxonomy, headcount, who=who, client=client,
                       level_policy=level_policy, scale=scale, as_of=as_of,
                       on_unknown=on_unknown, keep=None)
    if by == "skill":
        return table
    if by != "skill_group":
        raise ConfigurationError(f"by must be 'skill' or 'skill_group', not {by!r}.")
    return summarise_by_skill_group(table)


def key_person_risks(
    claims: Any,
    profiles: Sequence[JobProfile],
    taxonomy: Taxonomy,
    headcount: Mapping[str, int] | None = None,
    *,
    max_holders: int = 1,
    client: Any = None,
    level_policy: LevelPolicy | None = None,
    scale: ProficiencyScale | None = None,
    as_of: dt.date | None = None,
    on_unknown: OnUnknown = "raise",
) -> pd.DataFrame:
    """:meth:`WorkforcePlan.key_person_risks` of the employees of a claims table (arguments
    as :func:`supply_demand`); each partition sends at most ``max_holders + 1`` qualified
    holders per skill."""
    table, holders = _supply(claims, profiles, taxonomy, headcount, who=False,
                             client=client, level_policy=level_policy, scale=scale,
                             as_of=as_of, on_unknown=on_unknown, keep=max_holders + 1)
    risky = table[(table["qualified"] >= 1) & (table["qualified"] <= max_holders)]
    rows = []
    for uri, row in risky.iterrows():
        mine = holders[(holders["skill_uri"] == uri)
                       & (holders["level"] >= row["min_level"])]
        for holder in mine.sort_values("employee_id", kind="stable").itertuples():
            rows.append({"skill_uri": uri, "label": row["label"],
                         "skill_group": row["skill_group"], "employee_id": holder.employee_id,
                         "level": float(holder.level), "qualified": int(row["qualified"]),
                         "headcount": int(row["headcount"]),
                         "profile_ids": row["profile_ids"]})
    columns = ["skill_uri", "label", "skill_group", "employee_id", "level", "qualified",
               "headcount", "profile_ids"]
    return pd.DataFrame(rows, columns=columns)


def _supply(claims: Any, profiles: Sequence[JobProfile], taxonomy: Taxonomy,
            headcount: Mapping[str, int] | None, *, who: bool, client: Any,
            level_policy: LevelPolicy | None, scale: ProficiencyScale | None,
            as_of: dt.date | None, on_unknown: OnUnknown, keep: int | None
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The supply/demand table by skill, and the holder rows it was built from."""
    from skilltwin.planning.supply import WorkforcePlan

    plan = WorkforcePlan([], profiles, headcount, taxonomy=taxonomy)  # demand side only
    empty = plan.supply_demand()
    demand = plan.demand()
    table = empty.loc[demand.index].copy()  # back in demand order, as the plan sorts from it
    required = table["min_level"].to_numpy()
    columns = np.array([plan.index.column(str(uri)) for uri in table.index], dtype=np.int64)
    settings = (scale or ProficiencyScale.default(), level_policy or LevelPolicy(),
                as_of or dt.date.today())
    if client is not None or is_dask(claims):
        collection = partition_by_employee(
            claims_collection(claims, partition_rows=_PARTITION_ROWS))
        counts = collection_skill_counts(collection)
        resolver = SkillResolver.of(counts, taxonomy)
        resolver.report(on_unknown)
        parts = collection.map_partitions(
            _partition_parts, resolver, columns, required, settings, who, keep,
            meta=_empty_parts(), enforce_metadata=False).compute()
    else:
        frame, resolver = resolved_claims(claims, taxonomy, on_unknown)
        parts = _parts(frame, resolver, columns, required, settings, who, keep,
                       rows=np.arange(1, len(frame) + 1))
    sums = parts[parts["employee_id"].isna()].groupby("column")[
        ["holders", "qualified", "level_sum"]].sum()
    sums = sums.reindex(np.arange(len(columns)), fill_value=0)
    holders = sums["holders"].to_numpy()
    table["holders"] = holders.astype(int)
    table["qualified"] = sums["qualified"].to_numpy().astype(int)
    table["mean_level"] = np.round(
        np.where(holders > 0, sums["level_sum"].to_numpy() / np.maximum(holders, 1), 0.0), 2)
    table["shortfall"] = np.maximum(0, table["headcount"] - table["qualified"]).astype(int)
    rows = parts[parts["employee_id"].notna()].copy()
    rows["skill_uri"] = table.index.to_numpy()[rows["column"].to_numpy(dtype=np.int64)]
    if who:
        table["who"] = _who(rows, len(columns))
    else:
        table = table.drop(columns="who")
    table = table.sort_values(["shortfall", "headcount", "label"],
                              ascending=[False, False, True], kind="stable")
    table.attrs["unknown_skills"] = dict(resolver.unknown)
    return table, rows[["skill_uri", "employee_id", "level"]]


def _who(rows: pd.DataFrame, count: int) -> list[str]:
    ordered = rows.sort_values(["column", "level", "employee_id"],
                               ascending=[True, False, True], kind="stable")
    levels = pd.Series([f"{value:g}" for value in ordered["level"].tolist()],
                       index=ordered.index, dtype=object)
    text = ordered["employee_id"].astype(object) + " (" + levels + ")"
    joined = text.groupby(ordered["column"].to_numpy()).agg(", ".join)
    return [str(joined.get(position, "")) for position in range(count)]


def _partition_parts(part: pd.DataFrame, resolver: SkillResolver, columns: np.ndarray,
                     required: np.ndarray, settings: tuple[Any, ...], who: bool,
                     keep: int | None) -> pd.DataFrame:
    frame = part if "employee_id" in part.columns else part.reset_index()
    return _parts(frame, resolver, columns, required, settings, who, keep)


def _parts(frame: pd.DataFrame, resolver: SkillResolver, columns: np.ndarray,
           required: np.ndarray, settings: tuple[Any, ...], who: bool, keep: int | None,
           *, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Counts per demanded skill, then holder rows (all for ``who``, else the first
    ``keep`` qualified ones per skill by employee id)."""
    scale, level_policy, as_of = settings
    ids, employee, column, level = frame_levels(frame, resolver, scale, level_policy, as_of,
                                                rows=rows)
    lookup = np.full(len(resolver.uris), -1, dtype=np.int64)
    lookup[columns] = np.arange(len(columns))
    demanded = lookup[column]
    mask = demanded >= 0
    employee, demanded, level = employee[mask], demanded[mask], level[mask]
    qualified = level >= required[demanded]
    width = len(columns)
    counts = pd.DataFrame({
        "column": np.arange(width),
        "holders": np.bincount(demanded, minlength=width),
        "qualified": np.bincount(demanded, weights=qualified, minlength=width).astype(int),
        "level_sum": np.bincount(demanded, weights=level, minlength=width),
        "employee_id": pd.Series([None] * width, dtype=object),
        "level": np.zeros(width),
    })
    chosen = np.ones(len(level), dtype=bool) if who else qualified
    order = np.lexsort((employee[chosen], demanded[chosen]))
    picked = np.flatnonzero(chosen)[order]
    if keep is not None and not who:
        rank = np.arange(len(picked)) - np.searchsorted(demanded[picked], demanded[picked])
        picked = picked[rank < keep]
    holders = pd.DataFrame({
        "column": demanded[picked], "holders": 0, "qualified": 0, "level_sum": 0.0,
        "employee_id": pd.Series(ids[employee[picked]], dtype=object),
        "level": level[picked],
    })
    return pd.concat([counts, holders], ignore_index=True)


def _empty_parts() -> pd.DataFrame:
    return pd.DataFrame({
        "column": pd.Series([], dtype=np.int64), "holders": pd.Series([], dtype=np.int64),
        "qualified": pd.Series([], dtype=np.int64),
        "level_sum": pd.Series([], dtype=float),
        "employee_id": pd.Series([], dtype=object), "level": pd.Series([], dtype=float),
    })
