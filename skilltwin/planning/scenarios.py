"""What-if scenarios on a workforce plan, compared side by side with the baseline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pydantic import ConfigDict, Field

from skilltwin._validation import CheckedModel, check_instance, check_items
from skilltwin.errors import ConfigurationError
from skilltwin.planning._progress import progress as progress_bar
from skilltwin.profiles.profile import JobProfile
from skilltwin.scoring.credit import CreditMatrix, max_times

if TYPE_CHECKING:
    from skilltwin.planning.supply import WorkforcePlan

__all__ = [
    "AddProfile",
    "Leave",
    "RetireProfile",
    "Scenario",
    "SetHeadcount",
    "Train",
    "apply_scenario",
    "compare",
    "sweep",
]


class AddProfile(CheckedModel):
    """Add a profile (a new or reshaped role) with its headcount."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["add_profile"] = "add_profile"
    profile: JobProfile
    headcount: int = Field(default=1, ge=0)


class RetireProfile(CheckedModel):
    """Retire a profile: its demand disappears."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["retire_profile"] = "retire_profile"
    profile_id: str


class SetHeadcount(CheckedModel):
    """Change how many people a profile needs."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["set_headcount"] = "set_headcount"
    profile_id: str
    headcount: int = Field(ge=0)


class Train(CheckedModel):
    """Train people in a skill up to ``level``.

    Either the listed ``employees``, or the ``n`` employees closest to the skill: those
    holding it already (highest level first), then those holding a related skill (most
    partial credit first, see :class:`skilltwin.CreditPolicy`), then by employee id.
    """

    model_config = ConfigDict(frozen=True)
    kind: Literal["train"] = "train"
    skill: str
    level: float = Field(default=2, gt=0, allow_inf_nan=False)
    employees: tuple[str, ...] = ()
    n: int | None = Field(default=None, ge=1)


class Leave(CheckedModel):
    """An employee leaves: their skills leave with them."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["leave"] = "leave"
    employee_id: str


Change = Annotated[AddProfile | RetireProfile | SetHeadcount | Train | Leave,
                   Field(discriminator="kind")]


class Scenario(CheckedModel):
    """A named list of changes to a plan. Build it by chaining; each call returns a new
    scenario::

        Scenario(name="AI reshapes policy work").retire_profile("ZV-BELEID")
            .add_profile(new_profile, headcount=2).train("data analytics", n=3, level=2)
    """

    model_config = ConfigDict(frozen=True)
    name: str
    description: str = ""
    changes: tuple[Change, ...] = ()

    def _with(self, change: Change) -> Scenario:
        return self.model_copy(update={"changes": (*self.changes, change)})

    def add_profile(self, profile: JobProfile, headcount: int = 1) -> Scenario:
        """Add ``profile`` needing ``headcount`` people."""
        return self._with(AddProfile(profile=profile, headcount=headcount))

    def retire_profile(self, profile_id: str) -> Scenario:
        """Remove the profile ``profile_id`` from demand."""
        return self._with(RetireProfile(profile_id=profile_id))

    def set_headcount(self, profile_id: str, headcount: int) -> Scenario:
        """Need ``headcount`` people for ``profile_id``."""
        return self._with(SetHeadcount(profile_id=profile_id, headcount=headcount))

    def train(self, skill: str, *, level: float = 2, employees: Sequence[str] = (),
              n: int | None = None) -> Scenario:
        """Train ``employees`` (or the ``n`` closest employees) in ``skill`` to ``level``."""
        if bool(employees) == (n is not None):
            raise ConfigurationError("train() needs either employees=[...] or n=..., not both.")
        return self._with(Train(skill=skill, level=level, employees=tuple(employees), n=n))

    def leave(self, employee_id: str) -> Scenario:
        """``employee_id`` leaves the organisation."""
        return self._with(Leave(employee_id=employee_id))

    def describe(self) -> list[str]:
        """One readable line per change."""
        return [_describe(change) for change in self.changes]


def apply_scenario(plan: WorkforcePlan, scenario: Scenario) -> WorkforcePlan:
    """The plan after each change of ``scenario`` in order."""
    check_instance(scenario, Scenario, "scenario", hint="Build one with Scenario(name=...).")
    for change in scenario.changes:
        plan = _apply(plan, change)
    return plan


def _apply(plan: WorkforcePlan, change: Change) -> WorkforcePlan:
    ids = {p.profile_id for p in plan.profiles}
    if isinstance(change, AddProfile):
        if change.profile.profile_id in ids:
            raise ConfigurationError(
                f"profile {change.profile.profile_id!r} is already in the plan; retire it first "
                "or give the new profile another id.")
        return plan.replace(profiles=[*plan.profiles, change.profile],
                            headcount={**plan.headcount,
                                       change.profile.profile_id: change.headcount})
    if isinstance(change, RetireProfile | SetHeadcount):
        if change.profile_id not in ids:
            raise ConfigurationError(
                f"no profile {change.profile_id!r} in the plan; profiles: {sorted(ids)}.")
        if isinstance(change, SetHeadcount):
            return plan.replace(headcount={**plan.headcount, change.profile_id: change.headcount})
        headcount = {k: v for k, v in plan.headcount.items() if k != change.profile_id}
        kept = [p for p in plan.profiles if p.profile_id != change.profile_id]
        return plan.replace(profiles=kept, headcount=headcount)
    if isinstance(change, Leave):
        row = _row(plan, change.employee_id)
        keep = np.array([i != row for i in range(len(plan.employee_ids))], dtype=bool)
        return plan.replace(employee_ids=[e for i, e in enumerate(plan.employee_ids) if keep[i]],
                            levels=plan.levels[keep])
    return _train(plan, change)


def _train(plan: WorkforcePlan, change: Train) -> WorkforcePlan:
    uri = plan.taxonomy.resolve_skill(change.skill)[0].skill.uri
    column = plan.index.column(uri)
    current = plan.levels[:, column].toarray().ravel()
    if change.employees:
        rows = [_row(plan, employee) for employee in change.employees]
    else:
        assert change.n is not None
        candidates = np.flatnonzero(current < change.level)
        if change.n > len(candidates):
            raise ConfigurationError(
                f"cannot train {change.n} people in {change.skill!r}: only {len(candidates)} "
                f"employees are below level {change.level:g}.")
        credit = CreditMatrix.of(plan.taxonomy, plan.policy.credit) \
            if plan.policy.credit is not None else None
        nearness = np.zeros(len(plan.employee_ids))
        if credit is not None:
            held = plan.levels.copy()
            held.data = np.ones_like(held.data)
            nearness = max_times(held, credit.by_held[:, [column]]).toarray().ravel()
        ids = np.array(plan.employee_ids)
        order = np.lexsort((ids[candidates], -nearness[candidates], -current[candidates]))
        rows = candidates[order[: change.n]].tolist()
    levels = sp.lil_matrix(plan.levels)
    for row in rows:
        levels[row, column] = max(float(current[row]), change.level)
    return plan.replace(levels=sp.csr_matrix(levels))


def _row(plan: WorkforcePlan, employee_id: str) -> int:
    try:
        return plan.employee_ids.index(employee_id)
    except ValueError:
        raise ConfigurationError(
            f"no employee {employee_id!r} in the plan (or they already left in this scenario)."
        ) from None


def compare(plan: WorkforcePlan, scenario: Scenario,
            by: Literal["profile", "skill", "skill_group"] = "profile") -> pd.DataFrame:
    """Baseline and scenario side by side.

    Columns are two levels: the figure (``headcount``, ``ready``, ``coverage``,
    ``shortfall`` by profile; ``needed``, ``qualified``, ``shortfall`` by skill or skill
    group) and ``baseline`` / ``scenario`` / ``change``. Rows present on one side only
    (added or retired profiles, skills no longer required) count as 0 on the other side.
    """
    after = apply_scenario(plan, scenario)
    if by == "profile":
        figures = ["headcount", "ready", "coverage", "shortfall"]
        before_table, after_table = plan.coverage(), after.coverage()
        titles = pd.concat([before_table["title"], after_table["title"]])
    elif by in ("skill", "skill_group"):
        figures = ["needed", "qualified", "shortfall"]
        before_table, after_table = plan.supply_demand(by=by), after.supply_demand(by=by)
        titles = pd.concat([before_table["label"], after_table["label"]]) if by == "skill" \
            else None
    else:
        raise ConfigurationError(f"by must be 'profile', 'skill' or 'skill_group', not {by!r}.")
    rows = before_table.index.union(after_table.index, sort=False)
    before = _filled(before_table[figures].reindex(rows))
    after_figures = _filled(after_table[figures].reindex(rows))
    parts = {}
    for figure in figures:
        parts[(figure, "baseline")] = before[figure]
        parts[(figure, "scenario")] = after_figures[figure]
        parts[(figure, "change")] = after_figures[figure] - before[figure]
    table = pd.DataFrame(parts)
    table.columns = pd.MultiIndex.from_tuples(table.columns, names=["figure", "plan"])
    if titles is not None:
        table.insert(0, ("label" if by == "skill" else "title", ""),
                     titles[~titles.index.duplicated()].reindex(rows))
    table.attrs["scenario"] = scenario.name
    return table.sort_values(("shortfall", "change"), kind="stable")


def _filled(table: pd.DataFrame) -> pd.DataFrame:
    """Missing rows as 0, keeping counts integer."""
    filled = table.fillna(0)
    counts = [c for c in filled.columns if c != "coverage"]
    return filled.astype(dict.fromkeys(counts, int))


def sweep(plan: WorkforcePlan, scenarios: Iterable[Scenario], *, progress: bool | None = None
          ) -> pd.DataFrame:
    """Headline figures (:meth:`WorkforcePlan.summary`) of the baseline and each scenario.

    One row per plan (index: ``baseline`` and the scenario names). Shows a progress bar when
    ``progress`` is true, or when interactive and ``progress`` is None.
    """
    scenarios = check_items(scenarios, Scenario, "scenarios")
    listed = list(scenarios)
    rows = {"baseline": plan.summary()}
    for scenario in progress_bar(listed, desc="Scenarios", show=progress):
        if scenario.name in rows:
            raise ConfigurationError(f"scenario names must be unique; {scenario.name!r} repeats.")
        rows[scenario.name] = apply_scenario(plan, scenario).summary()
    table = pd.DataFrame(rows).T.rename_axis("scenario")
    counts = [column for column in table.columns if column != "mean_coverage"]
    return table.astype(dict.fromkeys(counts, int))


def _describe(change: Change) -> str:
    if isinstance(change, AddProfile):
        return f"add profile {change.profile.title} ({change.profile.profile_id}) " \
               f"x{change.headcount}"
    if isinstance(change, RetireProfile):
        return f"retire profile {change.profile_id}"
    if isinstance(change, SetHeadcount):
        return f"set headcount of {change.profile_id} to {change.headcount}"
    if isinstance(change, Leave):
        return f"{change.employee_id} leaves"
    who = ", ".join(change.employees) if change.employees else f"{change.n} closest employees"
    return f"train {who} in {change.skill} to level {change.level:g}"
