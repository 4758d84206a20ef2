"""The workforce plan: skills supply and demand, key-person risk and coverage per profile."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skilltwin._i18n import counted, message
from skilltwin._validation import check_choice, check_known, check_number, check_unique
from skilltwin.errors import InputValidationError
from skilltwin.planning.groups import skill_groups
from skilltwin.scoring.batch import score_matrix
from skilltwin.scoring.formula import level_matrix
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.taxonomy.matrices import SkillIndex

if TYPE_CHECKING:
    from typing import IO

    from skilltwin._excel import Book
    from skilltwin._output import OutputPath
    from skilltwin.planning.scenarios import Scenario
    from skilltwin.profiles.profile import JobProfile, Requirement
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["WorkforcePlan", "summarise_by_skill_group"]

GroupBy = Literal["skill", "skill_group", "isco1", "isco2", "isco3", "isco4"]
CoverageBy = Literal["profile", "isco1", "isco2", "isco3", "isco4"]
CompareBy = Literal["profile", "skill", "skill_group", "isco1", "isco2", "isco3", "isco4"]


def summarise_by_skill_group(table: pd.DataFrame) -> pd.DataFrame:
    """Per skill group of a supply-and-demand table: its skills, their summed headcount,
    qualified and shortfall, and how many of its skills are short; largest shortfall first."""
    grouped = table.groupby("skill_group")
    summary = pd.DataFrame({
        "skills": grouped.size(),
        "headcount": grouped["headcount"].sum(),
        "qualified": grouped["qualified"].sum(),
        "shortfall": grouped["shortfall"].sum(),
        "skills_short": grouped["shortfall"].agg(lambda s: int((s > 0).sum())),
    })
    return summary.sort_values(["shortfall", "headcount"], ascending=False, kind="stable")


class WorkforcePlan:
    """The skills a workforce has against the skills its roles need.

    Args:
        twins: The employees.
        profiles: The job profiles the organisation staffs.
        headcount: People needed per profile id (default 1 for every profile).
        taxonomy: The taxonomy twins and profiles were built on.
        scoring_policy: Scoring settings for match scores (see :class:`skilltwin.ScoringPolicy`).
        ready_at: Match score from which an employee counts as a ready candidate.

    Demand for a skill is the headcount of every profile requiring it, at the highest
    minimum level any of them asks; supply is who holds it, and who holds it at that level.
    """

    def __init__(
        self,
        twins: Sequence[EmployeeTwin],
        profiles: Sequence[JobProfile],
        headcount: Mapping[str, int] | None = None,
        *,
        taxonomy: Taxonomy,
        scoring_policy: ScoringPolicy | None = None,
        ready_at: float = 0.5,
    ):
        from skilltwin._validation import check_mapping
        from skilltwin.scoring.checks import check_batch

        twins, profiles, scoring_policy = check_batch(twins, profiles, taxonomy, scoring_policy)
        check_number(ready_at, "ready_at", minimum=0, maximum=1, hint="Give a match score.")
        counts = dict(check_mapping(headcount or {}, "headcount",
                                    hint="Give people needed per profile id."))
        for profile_id, count in counts.items():
            field = f"headcount[{profile_id!r}]"
            hint = "Give a whole number of people, 0 or more."
            if not check_number(count, field, minimum=0, hint=hint).is_integer():
                raise InputValidationError(f"{count!r} is not a whole number. {hint}",
                                           field=field)
        self.employee_ids = [twin.employee_id for twin in twins]
        self.levels = level_matrix(twins, SkillIndex.of(taxonomy))
        self.profiles = profiles
        self.headcount = self._checked_headcount(counts)
        self.taxonomy = taxonomy
        self.scoring_policy = scoring_policy
        self.ready_at = ready_at
        self.index = SkillIndex.of(taxonomy)

    def _checked_headcount(self, headcount: Mapping[str, int]) -> dict[str, int]:
        """Check ids and headcount against the profiles; every profile gets a headcount."""
        check_unique(self.employee_ids, "twins", hint="Give each employee one twin.")
        check_unique([p.profile_id for p in self.profiles], "profiles",
                     hint="Give each profile its own profile_id.")
        known = {p.profile_id for p in self.profiles}
        for profile_id, count in headcount.items():
            field = f"headcount[{profile_id!r}]"
            check_known(profile_id, field, known, what="profile",
                        hint="It is not in the plan; use the ids of the profiles passed in.")
            check_number(count, field, minimum=0, hint="Give a number of people, 0 or more.")
        return {p.profile_id: int(headcount.get(p.profile_id, 1)) for p in self.profiles}

    def replace(
        self,
        *,
        employee_ids: list[str] | None = None,
        levels: sp.csr_matrix | None = None,
        profiles: list[JobProfile] | None = None,
        headcount: dict[str, int] | None = None,
    ) -> WorkforcePlan:
        """A copy of the plan with some of its parts replaced (what scenario changes do)."""
        plan = copy.copy(self)
        plan.employee_ids = list(self.employee_ids if employee_ids is None else employee_ids)
        plan.levels = sp.csr_matrix(self.levels if levels is None else levels, dtype=float)
        plan.profiles = list(self.profiles if profiles is None else profiles)
        plan.headcount = plan._checked_headcount(
            self.headcount if headcount is None else headcount)
        return plan

    def __repr__(self) -> str:
        return (f"WorkforcePlan(employees={len(self.employee_ids)}, "
                f"profiles={len(self.profiles)}, headcount={sum(self.headcount.values())})")

    def _repr_html_(self) -> str:
        from skilltwin._html import card, table

        language = self.taxonomy.language
        summary = self.summary().to_frame("value")
        return card(
            message("plan.card", language),
            message("plan.subtitle", language,
                    employees=counted("employees", len(self.employee_ids), language),
                    profiles=counted("profiles", len(self.profiles), language),
                    release=self.taxonomy.release),
            table(summary) + table(self.coverage(),
                                             caption=message("plan.coverage", language)),
        )

    def to_excel(self, path: OutputPath | IO[bytes], *, scenarios: Sequence[Scenario] = (),
                 by: CompareBy = "profile", isco: int | str | None = None) -> None:
        """Write the plan to the Excel workbook ``path`` (``.xlsx``), a sheet per view.

        Sheets: summary, coverage per profile, supply and demand per skill and per skill
        group, key persons and the versions; with ``isco`` (1-4 or ``"isco2"``...) also the
        coverage per ISCO-08 group; with ``scenarios`` a comparison sheet per scenario
        (:meth:`compare` with ``by``), their headline figures (:meth:`sweep`) and their
        changes. See :func:`skilltwin.to_excel`.

        Raises:
            OutputError: the target is refused (a database, a folder, not ``.xlsx``...).
        """
        from skilltwin._excel import write_book
        from skilltwin.planning._workbook import plan_book

        write_book(plan_book(self, scenarios, by, isco), path)

    def excel_book(self) -> Book:
        """What :meth:`to_excel` writes: the views as a book of sheets (so that
        :func:`skilltwin.to_excel` writes it too)."""
        from skilltwin.planning._workbook import plan_book

        return plan_book(self)

    # -- demand and supply ----------------------------------------------------------------
    def demand(self) -> pd.DataFrame:
        """One row per required skill (index: skill URI): ``label``, ``headcount`` (people
        needed: the headcount of the profiles requiring it), ``min_level`` (the highest asked),
        ``importance`` (``"essential"`` when any profile requires it as essential, else
        ``"optional"``), ``profiles`` (how many profiles require it) and ``profile_ids``."""
        rows = [
            (r.skill_uri, r.label, p.profile_id, r.importance, r.min_level,
             self.headcount[p.profile_id])
            for p in self.profiles for r in p.requirements
        ]
        frame = pd.DataFrame(rows, columns=["skill_uri", "label", "profile_id", "importance",
                                            "min_level", "headcount"])
        grouped = frame.groupby("skill_uri", sort=False)
        demand = pd.DataFrame({
            "label": grouped["label"].first(),
            "headcount": grouped["headcount"].sum().astype(int),
            "min_level": grouped["min_level"].max().astype(float),
            "importance": grouped["importance"].agg(
                lambda s: "essential" if (s == "essential").any() else "optional"),
            "profiles": grouped["profile_id"].nunique().astype(int),
            "profile_ids": grouped["profile_id"].agg(", ".join),
        })
        demand.index.name = "skill_uri"
        return demand

    def supply_demand(self, by: GroupBy = "skill") -> pd.DataFrame:
        """The skills supply/demand table.

        ``by="skill"``: one row per skill any profile requires (index: skill URI) with
        ``label``, ``skill_group``, the columns of :meth:`demand` (``headcount``,
        ``min_level``, ``importance``, ``profiles``, ``profile_ids``), ``holders``
        (employees holding it at any level), ``qualified`` (at the required level),
        ``mean_level`` (of holders), ``shortfall`` (``max(0, headcount - qualified)``: the
        qualified holders still missing)
        and ``who`` (holders with their levels, highest first). Sorted by shortfall.

        ``by="skill_group"``: the same summed per skill group (see
        :func:`skilltwin.planning.skill_groups`), with ``skills`` and ``skills_short``.

        ``by="isco1"`` ... ``"isco4"``: per ISCO-08 group of the profiles' occupations, of
        1 digit (major group) to 4 digits (unit group), index ``isco_code`` and the group's
        ``isco_label`` in the taxonomy's language; each group is the plan restricted to its
        profiles (``skills``, ``headcount``, ``qualified``, ``shortfall``, ``skills_short``).
        Profiles without an ESCO occupation form the group ``unclassified``.

        ``attrs["language"]`` is the taxonomy's language, which :func:`plot_supply_demand`
        speaks.
        """
        from skilltwin.profiles.isco import ISCO_BY, isco_digits

        if by in ISCO_BY:
            from skilltwin.planning._isco import supply_demand_by_isco

            grouped = supply_demand_by_isco(self, isco_digits(by))
            grouped.attrs["language"] = self.taxonomy.language
            return grouped
        check_choice(by, "by", ("skill", "skill_group", "isco1", "isco2", "isco3", "isco4"))
        demand = self.demand()
        columns = np.array([self.index.column(uri) for uri in demand.index], dtype=int)
        held = self.levels[:, columns].toarray() if len(columns) else np.zeros((0, 0))
        required = demand["min_level"].to_numpy()
        holding = held > 0
        holders = holding.sum(axis=0)
        table = demand.copy()
        table.insert(1, "skill_group", list(skill_groups(self.taxonomy, demand.index).values()))
        table["holders"] = holders.astype(int)
        table["qualified"] = (holding & (held >= required)).sum(axis=0).astype(int)
        table["mean_level"] = np.round(
            np.where(holders > 0, held.sum(axis=0) / np.maximum(holders, 1), 0.0), 2)
        table["shortfall"] = np.maximum(0, table["headcount"] - table["qualified"]).astype(int)
        table["who"] = self._who(held)
        table = table.sort_values(["shortfall", "headcount", "label"],
                                  ascending=[False, False, True], kind="stable")
        result = table if by == "skill" else summarise_by_skill_group(table)
        result.attrs["language"] = self.taxonomy.language
        return result

    def _who(self, held: np.ndarray) -> list[str]:
        rows, cols = np.nonzero(held)
        order = np.lexsort((rows, -held[rows, cols], cols))
        entries: list[list[str]] = [[] for _ in range(held.shape[1])]
        for row, col in zip(rows[order], cols[order], strict=True):
            entries[col].append(f"{self.employee_ids[row]} ({held[row, col]:g})")
        return [", ".join(entry) for entry in entries]

    def key_person_risks(self, max_holders: int = 1) -> pd.DataFrame:
        """Required skills only ``max_holders`` people or fewer hold at the required level.

        One row per (skill, qualified person): ``skill_uri``, ``label``, ``skill_group``,
        ``employee_id``, ``level``, ``qualified``, ``headcount``, ``profile_ids``. If that person
        leaves, the organisation loses the skill at the level its roles need.
        """
        table = self.supply_demand()
        risky = table[(table["qualified"] >= 1) & (table["qualified"] <= max_holders)]
        rows = []
        for uri, row in risky.iterrows():
            column = self.levels[:, self.index.column(str(uri))].toarray().ravel()
            for position in np.flatnonzero(column >= row["min_level"]):
                if column[position] > 0:
                    rows.append({"skill_uri": uri, "label": row["label"],
                                 "skill_group": row["skill_group"],
                                 "employee_id": self.employee_ids[position],
                                 "level": float(column[position]),
                                 "qualified": int(row["qualified"]),
                                 "headcount": int(row["headcount"]),
                                 "profile_ids": row["profile_ids"]})
        columns = ["skill_uri", "label", "skill_group", "employee_id", "level", "qualified",
                   "headcount", "profile_ids"]
        return pd.DataFrame(rows, columns=columns)

    # -- coverage -------------------------------------------------------------------------
    def scores(self) -> pd.DataFrame:
        """Match scores: employees x profiles, as :func:`skilltwin.match_frame`."""
        values = score_matrix(self.levels, self.profiles, self.taxonomy,
                              scoring_policy=self.scoring_policy) \
            if self.profiles else np.zeros((len(self.employee_ids), 0))
        return pd.DataFrame(
            values,
            index=pd.Index(self.employee_ids, name="employee_id"),
            columns=pd.Index([p.profile_id for p in self.profiles], name="profile_id"),
        )

    def coverage(self, by: CoverageBy = "profile") -> pd.DataFrame:
        """One row per profile (index: profile id), or per ISCO-08 group.

        Columns: ``title``, ``headcount``, ``ready`` (employees scoring at least
        ``ready_at``; one person can be ready for several profiles), ``coverage``
        (``min(1, ready / headcount)``, 1 when no one is needed), ``headcount_shortfall``
        (``max(0, headcount - ready)``: the people still missing), ``skills_covered`` and
        ``essential_covered`` (share of the profile's required / essential skills at least one
        employee holds at the required level), ``best_candidate`` and ``best_score``.

        ``by="isco1"`` ... ``"isco4"``: the same summed per ISCO-08 group of the profiles'
        occupations (index ``isco_code``; ``isco_label`` in the taxonomy's language,
        ``profiles``, ``headcount``, ``ready``, ``coverage`` = share of the group's headcount
        filled, ``headcount_shortfall``, ``best_score``); profiles without an ESCO occupation
        form the group ``unclassified`` (see :func:`skilltwin.profiles.isco.profile_isco`).
        """
        if by != "profile":
            from skilltwin.planning._isco import coverage_by_isco
            from skilltwin.profiles.isco import isco_digits

            return coverage_by_isco(self, self.coverage(), isco_digits(by))
        scores = self.scores()
        ready = (scores >= self.ready_at).sum(axis=0)
        headcount = pd.Series(self.headcount, dtype=int)
        qualified = self._qualified_skills()
        rows = []
        for profile in self.profiles:
            column = scores[profile.profile_id]
            rows.append({
                "profile_id": profile.profile_id,
                "title": profile.title,
                "headcount": int(headcount[profile.profile_id]),
                "ready": int(ready[profile.profile_id]),
                "skills_covered": _share(qualified, profile.requirements),
                "essential_covered": _share(qualified, profile.essential),
                "best_candidate": str(column.idxmax()) if len(column) else None,
                "best_score": round(float(column.max()), 3) if len(column) else 0.0,
            })
        columns = ["title", "headcount", "ready", "coverage", "headcount_shortfall",
                   "skills_covered", "essential_covered", "best_candidate", "best_score"]
        frame = pd.DataFrame(rows, columns=["profile_id", *columns]).set_index("profile_id")
        need = frame["headcount"].to_numpy()
        frame["coverage"] = np.round(
            np.where(need > 0, np.minimum(1.0, frame["ready"] / np.maximum(need, 1)), 1.0), 3)
        frame["headcount_shortfall"] = np.maximum(0, need - frame["ready"]).astype(int)
        return frame[columns]

    def _qualified_skills(self) -> dict[str, float]:
        """Highest level any employee holds, per required skill."""
        uris = list(dict.fromkeys(r.skill_uri for p in self.profiles for r in p.requirements))
        if not uris or not self.employee_ids:
            return dict.fromkeys(uris, 0.0)
        columns = [self.index.column(uri) for uri in uris]
        best = self.levels[:, columns].max(axis=0).toarray().ravel()
        return dict(zip(uris, best.tolist(), strict=True))

    def summary(self) -> pd.Series:
        """Headline figures: employees, headcount, mean coverage, shortfalls, risks."""
        coverage = self.coverage()
        table = self.supply_demand()
        return pd.Series({
            "employees": len(self.employee_ids),
            "profiles": len(self.profiles),
            "headcount": int(coverage["headcount"].sum()),
            "headcount_shortfall": int(coverage["headcount_shortfall"].sum()),
            "mean_coverage": round(float(coverage["coverage"].mean()), 3)
            if len(coverage) else 1.0,
            "skills_required": len(table),
            "skills_short": int((table["shortfall"] > 0).sum()),
            "skill_shortfall": int(table["shortfall"].sum()),
            "key_person_skills": int((table["qualified"] == 1).sum()),
        }, name="value")

    # -- scenarios ------------------------------------------------------------------------
    def apply(self, scenario: Scenario) -> WorkforcePlan:
        """The plan after each change of ``scenario`` in order (this plan is left unchanged)."""
        from skilltwin._validation import check_instance
        from skilltwin.planning.scenarios import Scenario

        check_instance(scenario, Scenario, "scenario", hint="Build one with Scenario(name=...).")
        return scenario.apply(self)

    def compare(self, scenario: Scenario, by: CompareBy = "profile") -> pd.DataFrame:
        """Baseline and scenario side by side.

        Columns are two levels: the figure (``headcount``, ``ready``, ``coverage``,
        ``headcount_shortfall`` by profile or by ISCO-08 group ``"isco1"`` ... ``"isco4"``
        (see :meth:`coverage`); ``headcount``, ``qualified``, ``shortfall`` by skill or skill
        group) and ``baseline`` / ``scenario`` / ``change``. Rows present on one side only
        (added or retired profiles, skills no longer required) count as 0 on the other side.
        Rows are sorted by the change in the last of these figures. ``attrs`` holds the
        ``scenario`` name and its ``changes`` (:meth:`Scenario.describe`) in the taxonomy's
        language.
        """
        from skilltwin.planning._whatif import side_by_side

        table = side_by_side(self, self.apply(scenario), scenario.name, by)
        table.attrs["changes"] = scenario.describe(self.taxonomy.language)
        table.attrs.update(taxonomy_release=self.taxonomy.release,
                           language=self.taxonomy.language)
        return table

    def sweep(self, scenarios: Iterable[Scenario], *, progress: bool | None = None
              ) -> pd.DataFrame:
        """Headline figures (:meth:`summary`) of the baseline and each scenario.

        One row per plan (index: ``baseline`` and the scenario names). Shows a progress bar
        when ``progress`` is true, or when interactive and ``progress`` is None.
        ``attrs["changes"]`` maps each scenario name to its changes (:meth:`Scenario.describe`)
        in the taxonomy's language.
        """
        from skilltwin.planning._whatif import summaries

        return summaries(self, scenarios, progress)


def _share(best: Mapping[str, float], requirements: Sequence[Requirement]) -> float:
    if not requirements:
        return 1.0
    met = sum(best.get(r.skill_uri, 0.0) >= max(r.min_level, 1e-9) for r in requirements)
    return round(met / len(requirements), 3)

