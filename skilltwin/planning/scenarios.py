"""What-if scenarios on a workforce plan: changes that apply and describe themselves.

Run them with :meth:`WorkforcePlan.apply`, :meth:`WorkforcePlan.compare` and
:meth:`WorkforcePlan.sweep`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
import scipy.sparse as sp
from pydantic import ConfigDict, Field

from skilltwin._i18n import decimal, message, number, plural
from skilltwin._validation import CheckedModel, NonEmptyText, check_known
from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.profiles.profile import JobProfile
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.scoring.formula import max_times
from skilltwin.twin.scale import DEFAULT_LEVEL

if TYPE_CHECKING:
    from skilltwin.planning.supply import WorkforcePlan

__all__ = ["AddProfile", "Leave", "RetireProfile", "Scenario", "SetHeadcount", "Train"]


class AddProfile(CheckedModel):
    """Add a profile (a new or reshaped role) with its headcount."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["add_profile"] = "add_profile"
    profile: JobProfile
    headcount: int = Field(default=1, ge=0)

    def apply(self, plan: WorkforcePlan) -> WorkforcePlan:
        """``plan`` with the profile added."""
        if self.profile.profile_id in {p.profile_id for p in plan.profiles}:
            raise InputValidationError(
                f"profile {self.profile.profile_id!r} is already in the plan; retire it first "
                "or give the new profile another id.", field="profile")
        return plan.replace(profiles=[*plan.profiles, self.profile],
                            headcount={**plan.headcount, self.profile.profile_id: self.headcount})

    def describe(self, language: str | None = None) -> str:
        """One readable line in ``language`` (default English)."""
        return message("scenario.add_profile", language, title=self.profile.title,
                       profile_id=self.profile.profile_id,
                       headcount=number(self.headcount, language))


class RetireProfile(CheckedModel):
    """Retire a profile: its demand disappears."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["retire_profile"] = "retire_profile"
    profile_id: NonEmptyText

    def apply(self, plan: WorkforcePlan) -> WorkforcePlan:
        """``plan`` without the profile."""
        _require_profile(plan, self.profile_id)
        headcount = {k: v for k, v in plan.headcount.items() if k != self.profile_id}
        kept = [p for p in plan.profiles if p.profile_id != self.profile_id]
        return plan.replace(profiles=kept, headcount=headcount)

    def describe(self, language: str | None = None) -> str:
        """One readable line in ``language`` (default English)."""
        return message("scenario.retire_profile", language, profile_id=self.profile_id)


class SetHeadcount(CheckedModel):
    """Change how many people a profile needs."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["set_headcount"] = "set_headcount"
    profile_id: NonEmptyText
    headcount: int = Field(ge=0)

    def apply(self, plan: WorkforcePlan) -> WorkforcePlan:
        """``plan`` with the new headcount."""
        _require_profile(plan, self.profile_id)
        return plan.replace(headcount={**plan.headcount, self.profile_id: self.headcount})

    def describe(self, language: str | None = None) -> str:
        """One readable line in ``language`` (default English)."""
        return message("scenario.set_headcount", language, profile_id=self.profile_id,
                       headcount=number(self.headcount, language))


class Train(CheckedModel):
    """Train people in a skill up to ``level``.

    Either the listed ``employee_ids``, or the ``headcount`` employees closest to the skill: those
    holding it already (highest level first), then those holding a related skill (most
    partial credit first, see :class:`skilltwin.CreditPolicy`), then by employee id.
    """

    model_config = ConfigDict(frozen=True)
    kind: Literal["train"] = "train"
    skill: NonEmptyText
    level: float = Field(default=DEFAULT_LEVEL, gt=0, allow_inf_nan=False)
    employee_ids: tuple[NonEmptyText, ...] = ()
    headcount: int | None = Field(default=None, ge=1)

    def apply(self, plan: WorkforcePlan) -> WorkforcePlan:
        """``plan`` with the trained employees at ``level`` (never lowering a level)."""
        uri = plan.taxonomy.resolve_skill(self.skill)[0].skill.uri
        column = plan.index.column(uri)
        current = plan.levels[:, column].toarray().ravel()
        rows = [_row(plan, employee) for employee in self.employee_ids] if self.employee_ids \
            else self._closest(plan, column, current)
        levels = sp.lil_matrix(plan.levels)
        for row in rows:
            levels[row, column] = max(float(current[row]), self.level)
        return plan.replace(levels=sp.csr_matrix(levels))

    def _closest(self, plan: WorkforcePlan, column: int, current: np.ndarray) -> list[int]:
        assert self.headcount is not None
        candidates = np.flatnonzero(current < self.level)
        if self.headcount > len(candidates):
            raise ConfigurationError(
                f"cannot train {self.headcount} people in {self.skill!r}: only {len(candidates)} "
                f"employees are below level {self.level:g}.")
        nearness = np.zeros(len(plan.employee_ids))
        credit = CreditMatrix.of_scoring(plan.taxonomy, plan.scoring_policy)
        if credit is not None:
            held = plan.levels.copy()
            held.data = np.ones_like(held.data)
            nearness = max_times(held, credit.by_held[:, [column]]).toarray().ravel()
        ids = np.array(plan.employee_ids)
        order = np.lexsort((ids[candidates], -nearness[candidates], -current[candidates]))
        chosen: list[int] = candidates[order[: self.headcount]].tolist()
        return chosen

    def describe(self, language: str | None = None) -> str:
        """One readable line in ``language`` (default English)."""
        who = ", ".join(self.employee_ids) if self.employee_ids \
            else plural("scenario.closest", self.headcount or 0, language,
                        n=number(self.headcount or 0, language))
        return message("scenario.train", language, who=who, skill=self.skill,
                       level=decimal(self.level, "g", language))


class Leave(CheckedModel):
    """An employee leaves: their skills leave with them."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["leave"] = "leave"
    employee_id: NonEmptyText

    def apply(self, plan: WorkforcePlan) -> WorkforcePlan:
        """``plan`` without the employee."""
        row = _row(plan, self.employee_id)
        keep = np.array([i != row for i in range(len(plan.employee_ids))], dtype=bool)
        return plan.replace(employee_ids=[e for i, e in enumerate(plan.employee_ids) if keep[i]],
                            levels=plan.levels[keep])

    def describe(self, language: str | None = None) -> str:
        """One readable line in ``language`` (default English)."""
        return message("scenario.leave", language, employee=self.employee_id)


Change = Annotated[AddProfile | RetireProfile | SetHeadcount | Train | Leave,
                   Field(discriminator="kind")]


class Scenario(CheckedModel):
    """A named list of changes to a plan. Build it by chaining; each call returns a new
    scenario::

        Scenario(name="AI reshapes policy work").retire_profile("ZV-BELEID")
            .add_profile(new_profile, headcount=2).train("data analytics", headcount=3, level=2)
    """

    model_config = ConfigDict(frozen=True)
    name: NonEmptyText
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

    def train(self, skill: str, *, level: float = DEFAULT_LEVEL,
              employee_ids: Sequence[str] = (),
              headcount: int | None = None) -> Scenario:
        """Train ``employee_ids`` (or the ``headcount`` closest employees) in ``skill`` to
        ``level``."""
        if bool(employee_ids) == (headcount is not None):
            raise InputValidationError(
                "give either employee_ids=[...] or headcount=..., exactly one of them.",
                field="employee_ids" if employee_ids else "headcount")
        return self._with(Train(skill=skill, level=level, employee_ids=tuple(employee_ids),
                                headcount=headcount))

    def leave(self, employee_id: str) -> Scenario:
        """``employee_id`` leaves the organisation."""
        return self._with(Leave(employee_id=employee_id))

    def apply(self, plan: WorkforcePlan) -> WorkforcePlan:
        """``plan`` after each change in order (use :meth:`WorkforcePlan.apply`)."""
        for change in self.changes:
            plan = change.apply(plan)
        return plan

    def describe(self, language: str | None = None) -> list[str]:
        """One readable line per change, in ``language`` (default English; ``"nl"``: Dutch).
        :meth:`WorkforcePlan.compare` and :meth:`WorkforcePlan.sweep` use the plan's
        taxonomy language."""
        return [change.describe(language) for change in self.changes]


def _require_profile(plan: WorkforcePlan, profile_id: str) -> None:
    check_known(profile_id, "profile_id", {p.profile_id for p in plan.profiles},
                what="profile", hint="Give the id of a profile in the plan.")


def _row(plan: WorkforcePlan, employee_id: str) -> int:
    try:
        return plan.employee_ids.index(employee_id)
    except ValueError:
        raise InputValidationError(
            f"no employee {employee_id!r} in the plan (or they already left in this scenario).",
            field="employee_id") from None
