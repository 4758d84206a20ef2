"""Reskilling paths: the skills to learn for a target profile, adjacent ones first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from skilltwin._i18n import counted, decimal, message
from skilltwin._validation import CheckedModel
from skilltwin.provenance import Provenance
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.scoring.formula import best_related
from skilltwin.taxonomy.matrices import SkillIndex, occupation_matrix

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile, Requirement
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["EFFORT_FORMULA", "EffortModel", "ReskillingPath", "ReskillingStep",
           "reskilling_path"]

EFFORT_FORMULA = "weeks = levels_to_gain x base_weeks x (1 - adjacency_discount)"


class EffortModel(CheckedModel):
    """The effort estimate of a reskilling step (deliberately simple; tune it to your
    organisation's learning offer).

    ``weeks = levels_to_gain x base_weeks x (1 - adjacency_discount)`` where the discount is
    ``related_discount`` when the person holds (or has learned earlier in the path) a skill
    directly related to it in ESCO (broader, narrower or a skill-skill relation),
    ``co_required_discount`` when such a skill is required together with it by at least
    ``co_required_min`` ESCO occupations, and 0 otherwise. Raising a skill the person already
    holds below level gets no discount: the levels to gain already count from their level.
    """

    model_config = ConfigDict(frozen=True)

    base_weeks: float = Field(default=4.0, gt=0, allow_inf_nan=False)
    related_discount: float = Field(default=0.5, ge=0, lt=1, allow_inf_nan=False)
    co_required_discount: float = Field(default=0.25, ge=0, lt=1, allow_inf_nan=False)
    co_required_min: int = Field(default=3, ge=1)


class ReskillingStep(BaseModel):
    """One skill to learn or raise.

    Attributes:
        order: Position in the path (1 = first).
        skill_uri, label, importance: The requirement.
        current_level, target_level, levels_to_gain: Where the person is and must get to.
        adjacent_uri, adjacent_label, adjacency: The held (or earlier learned) skill that
            makes this one easier, and how: an ESCO relation, ``co-required with`` or
            ``already held`` (raising a level).
        discount: The adjacency discount applied.
        weeks: Estimated effort (see :class:`EffortModel`).
        reason: One readable sentence.
    """

    model_config = ConfigDict(frozen=True)

    order: int
    skill_uri: str
    label: str
    importance: str
    current_level: float
    target_level: float
    levels_to_gain: float
    adjacent_uri: str | None = None
    adjacent_label: str | None = None
    adjacency: str | None = None
    discount: float
    weeks: float
    reason: str


class ReskillingPath(BaseModel):
    """The ordered steps from an employee's skills to a target profile."""

    model_config = ConfigDict(frozen=True)

    employee_id: str
    profile_id: str
    profile_title: str
    steps: tuple[ReskillingStep, ...]
    effort: EffortModel
    formula: str = EFFORT_FORMULA
    provenance: Provenance

    @property
    def total_weeks(self) -> float:
        """Sum of the steps' estimated weeks."""
        return round(sum(step.weeks for step in self.steps), 1)

    def to_frame(self) -> pd.DataFrame:
        """One row per step (index: order), with cumulative weeks."""
        columns = ["label", "importance", "current_level", "target_level", "levels_to_gain",
                   "adjacency", "adjacent_label", "discount", "weeks", "skill_uri"]
        frame = pd.DataFrame([s.model_dump() for s in self.steps],
                             columns=["order", *columns]).set_index("order")
        frame["cumulative_weeks"] = frame["weeks"].cumsum()
        return frame

    def _repr_html_(self) -> str:
        from skilltwin._html import card, table

        shown = self.to_frame()[["label", "importance", "current_level", "target_level",
                                 "adjacency", "adjacent_label", "weeks", "cumulative_weeks"]]
        language = self.provenance.language
        return card(message("path.card", language, employee=self.employee_id,
                            profile=self.profile_title),
                    message("path.subtitle", language,
                            steps=counted("steps", len(self.steps), language),
                            weeks=counted("weeks", float(self.total_weeks), language),
                            formula=self.formula),
                    table(shown))


def reskilling_path(
    twin: EmployeeTwin,
    profile: JobProfile,
    taxonomy: Taxonomy,
    *,
    effort: EffortModel | None = None,
) -> ReskillingPath:
    """The skills ``twin`` needs for ``profile``, in the order to learn them.

    Greedy: at each step the open requirement with the largest adjacency discount comes
    first (essential before optional, then the fewest weeks, then label); once learned, a
    skill counts as held, so it can make later steps adjacent. Requirements already met are
    left out. Effort per step follows :class:`EffortModel`.
    """
    from skilltwin._validation import check_instance
    from skilltwin.scoring.checks import check_pair

    check_pair(twin, profile, taxonomy, None)
    effort = check_instance(effort or EffortModel(), EffortModel, "effort")
    levels = twin.levels()
    open_requirements = [r for r in profile.requirements
                         if levels.get(r.skill_uri, 0.0) < max(r.min_level, 1e-9)]
    known = dict(twin.labels())
    held = [uri for uri in levels if uri in taxonomy]
    co_required = _co_required(taxonomy, [r.skill_uri for r in open_requirements], held)
    credit = CreditMatrix.of(taxonomy)
    steps: list[ReskillingStep] = []
    remaining = list(open_requirements)
    while remaining:
        options = [_option(r, levels, held, known, credit, co_required, effort, taxonomy)
                   for r in remaining]
        best = min(options, key=lambda o: (-o.discount, o.importance != "essential",
                                           o.weeks, o.label))
        steps.append(best.model_copy(update={"order": len(steps) + 1}))
        remaining = [r for r in remaining if r.skill_uri != best.skill_uri]
        if best.skill_uri not in held:
            held.append(best.skill_uri)
            known[best.skill_uri] = best.label
    return ReskillingPath(employee_id=twin.employee_id, profile_id=profile.profile_id,
                          profile_title=profile.title, steps=tuple(steps), effort=effort,
                          provenance=Provenance(taxonomy_release=taxonomy.release))


def _option(
    requirement: Requirement,
    levels: dict[str, float],
    held: list[str],
    known: dict[str, str],
    credit: CreditMatrix,
    co_required: dict[tuple[str, str], int],
    effort: EffortModel,
    taxonomy: Taxonomy,
) -> ReskillingStep:
    """The step for ``requirement`` given what is held now (``order`` is set by the caller)."""
    current = levels.get(requirement.skill_uri, 0.0)
    target = max(requirement.min_level, 1.0)
    gain = round(target - current, 2)
    language = taxonomy.language
    adjacent: tuple[str | None, str | None, float] = (None, None, 0.0)
    said = ""  # ``how`` in the taxonomy's language, for the reason
    if current > 0:
        adjacent = (requirement.skill_uri, "already held", 0.0)
    else:
        related = best_related(credit, requirement.skill_uri, dict.fromkeys(held, 1.0))
        if related is not None:
            adjacent = (related[0], related[1], effort.related_discount)
            said = message(f"relation.{related[1]}", language, default=related[1])
        else:
            counts = {uri: co_required.get((requirement.skill_uri, uri), 0) for uri in held}
            partner = max(counts, key=lambda uri: (counts[uri], uri), default=None)
            if partner is not None and counts[partner] >= effort.co_required_min:
                adjacent = (partner, f"co-required ({counts[partner]} occupations) with",
                            effort.co_required_discount)
                said = message("path.co_required", language, occupations=counts[partner])
    uri, how, discount = adjacent
    weeks = round(gain * effort.base_weeks * (1 - discount), 1)
    label = known.get(uri, "") if uri else None
    if uri and not label:
        label = taxonomy.skill(uri).label
    if how == "already held":
        reason = message("path.raise", language, skill=requirement.label,
                         current=decimal(current, "g", language),
                         target=decimal(target, "g", language))
    elif uri:
        reason = message("path.learn_adjacent", language, skill=requirement.label, held=label,
                         how=said)
    else:
        reason = message("path.learn", language, skill=requirement.label)
    return ReskillingStep(order=0, skill_uri=requirement.skill_uri, label=requirement.label,
                          importance=requirement.importance, current_level=current,
                          target_level=target, levels_to_gain=gain, adjacent_uri=uri,
                          adjacent_label=label, adjacency=how, discount=discount, weeks=weeks,
                          reason=reason)


def _co_required(taxonomy: Taxonomy, targets: list[str], held: list[str]
                 ) -> dict[tuple[str, str], int]:
    """How many occupations require each (target, other) pair of skills, for the targets
    against the held skills and against each other (later steps may build on them)."""
    if not targets:
        return {}
    index = SkillIndex.of(taxonomy)
    _, matrix = occupation_matrix(taxonomy)
    others = list(dict.fromkeys([*held, *targets]))
    binary = (matrix > 0).astype(np.int32).tocsc()
    left = binary[:, [index.column(uri) for uri in targets]]
    right = binary[:, [index.column(uri) for uri in others]]
    counts = (left.T @ right).toarray()
    return {(target, other): int(counts[i, j])
            for i, target in enumerate(targets) for j, other in enumerate(others)
            if counts[i, j] > 0 and target != other}

