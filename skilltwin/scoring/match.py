"""Matching one twin to one profile: a score in [0, 1] with components that add up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skilltwin.scoring._explain import explain_match
from skilltwin.scoring.checks import check_pair
from skilltwin.scoring.formula import FORMULA
from skilltwin.scoring.gap import gap
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.scoring.results import GapReport, MatchComponents, MatchResult

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["components_of", "match"]


def match(
    twin: EmployeeTwin,
    profile: JobProfile,
    taxonomy: Taxonomy,
    *,
    scoring_policy: ScoringPolicy | None = None,
) -> MatchResult:
    """Score how well ``twin`` fits ``profile`` (see docs/scoring.md for the formula).

    The score is the sum of its components; per-skill contributions are in
    ``result.contributions``. Only skills and levels enter the score, never attributes.
    """
    scoring_policy = check_pair(twin, profile, taxonomy, scoring_policy)
    report = gap(twin, profile, taxonomy, scoring_policy=scoring_policy)
    components = components_of(report, scoring_policy.essential_share)
    score = round(components.total, 6)
    return MatchResult(
        employee_id=twin.employee_id,
        profile_id=profile.profile_id,
        profile_title=profile.title,
        score=score,
        components=components,
        formula=FORMULA,
        explanation=explain_match(report, components, score),
        contributions=report.items,
        provenance=report.provenance,
    )


def components_of(report: GapReport, essential_share: float) -> MatchComponents:
    """The score components of a gap report (rounded to 6 decimals; they sum to the score)."""
    held = [item for item in report.items if item.status in ("met", "below")]
    return MatchComponents(
        essential_coverage=round(sum(i.share for i in held if i.importance == "essential"), 6),
        optional_coverage=round(sum(i.share for i in held if i.importance == "optional"), 6),
        level_fit=round(-sum(i.share - i.contribution for i in held), 6),
        partial_credit=round(sum(i.contribution for i in report.items if i.status == "related"),
                             6),
        essential_share=essential_share,
    )
