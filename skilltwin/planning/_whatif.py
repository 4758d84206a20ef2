"""The tables behind :meth:`WorkforcePlan.compare` and :meth:`WorkforcePlan.sweep`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

import pandas as pd

from skilltwin._validation import check_items, check_unique
from skilltwin.errors import ConfigurationError
from skilltwin.planning._progress import progress as progress_bar
from skilltwin.planning.scenarios import Scenario
from skilltwin.profiles.isco import ISCO_BY

if TYPE_CHECKING:
    from skilltwin.planning.supply import CoverageBy, GroupBy, WorkforcePlan

__all__ = ["side_by_side", "summaries"]


def side_by_side(before_plan: WorkforcePlan, after_plan: WorkforcePlan, name: str,
                 by: str) -> pd.DataFrame:
    """Baseline and scenario figures with their change (see :meth:`WorkforcePlan.compare`)."""
    title = "title"
    if by == "profile" or by in ISCO_BY:
        figures = ["headcount", "ready", "coverage", "headcount_shortfall"]
        before_table = before_plan.coverage(by=cast("CoverageBy", by))
        after_table = after_plan.coverage(by=cast("CoverageBy", by))
        title = "title" if by == "profile" else "isco_label"
        titles = pd.concat([before_table[title], after_table[title]])
    elif by in ("skill", "skill_group"):
        figures = ["headcount", "qualified", "shortfall"]
        before_table = before_plan.supply_demand(by=cast("GroupBy", by))
        after_table = after_plan.supply_demand(by=cast("GroupBy", by))
        titles = pd.concat([before_table["label"], after_table["label"]]) if by == "skill" \
            else None
    else:
        raise ConfigurationError(f"by must be 'profile', 'skill', 'skill_group' or 'isco1' ... "
                                 f"'isco4', not {by!r}.")
    rows = before_table.index.union(after_table.index, sort=False)
    before = _filled(before_table[figures].reindex(rows))
    after = _filled(after_table[figures].reindex(rows))
    parts = {}
    for figure in figures:
        parts[(figure, "baseline")] = before[figure]
        parts[(figure, "scenario")] = after[figure]
        parts[(figure, "change")] = after[figure] - before[figure]
    table = pd.DataFrame(parts)
    table.columns = pd.MultiIndex.from_tuples(list(parts), names=["figure", "plan"])
    if titles is not None:
        table.insert(0, ("label" if by == "skill" else title, ""),
                     titles[~titles.index.duplicated()].reindex(rows))
    table.attrs["scenario"] = name
    return table.sort_values((figures[-1], "change"), kind="stable")


def summaries(plan: WorkforcePlan, scenarios: Iterable[Scenario], progress: bool | None
              ) -> pd.DataFrame:
    """The summary of ``plan`` and of each scenario (see :meth:`WorkforcePlan.sweep`)."""
    listed = list(check_items(scenarios, Scenario, "scenarios"))
    rows = {"baseline": plan.summary()}
    check_unique(["baseline", *(scenario.name for scenario in listed)], "scenarios",
                 hint="Give each scenario its own name (other than 'baseline').")
    for scenario in progress_bar(listed, desc="Scenarios", show=progress):
        rows[scenario.name] = plan.apply(scenario).summary()
    table = pd.DataFrame(rows).T.rename_axis("scenario")
    counts = [column for column in table.columns if column != "mean_coverage"]
    table = table.astype(dict.fromkeys(counts, int))
    table.attrs["changes"] = {scenario.name: scenario.describe(plan.taxonomy.language)
                              for scenario in listed}
    table.attrs.update(taxonomy_release=plan.taxonomy.release, language=plan.taxonomy.language)
    return table


def _filled(table: pd.DataFrame) -> pd.DataFrame:
    """Missing rows as 0, keeping counts integer."""
    filled = table.fillna(0)
    counts = [c for c in filled.columns if c != "coverage"]
    return filled.astype(dict.fromkeys(counts, int))
