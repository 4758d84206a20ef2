"""Gap analysis: each requirement of a profile checked against a twin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skilltwin.provenance import Provenance
from skilltwin.scoring.checks import check_pair
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.scoring.formula import best_related, level_fit, requirement_shares
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.scoring.results import GapItem, GapReport, GapStatus

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile, Requirement
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["gap"]


def gap(
    twin: EmployeeTwin,
    profile: JobProfile,
    taxonomy: Taxonomy,
    *,
    scoring_policy: ScoringPolicy | None = None,
) -> GapReport:
    """Check every requirement of ``profile`` against ``twin``.

    Each requirement is ``met``, ``below`` level (by ``shortfall`` levels), ``related``
    (not held, but a directly related skill is: the item names it, the path and the credit)
    or ``missing``. Only the twin's skills and levels are used.
    """
    scoring_policy = check_pair(twin, profile, taxonomy, scoring_policy)
    levels = twin.levels()
    credit = CreditMatrix.of_scoring(taxonomy, scoring_policy)
    shares = requirement_shares(profile, scoring_policy.essential_share)
    items = tuple(
        _check(requirement, float(share), levels, credit, taxonomy, twin)
        for requirement, share in zip(profile.requirements, shares, strict=True)
    )
    return GapReport(
        employee_id=twin.employee_id,
        profile_id=profile.profile_id,
        profile_title=profile.title,
        items=items,
        provenance=Provenance(taxonomy_release=taxonomy.release),
    )


def _check(
    requirement: Requirement,
    share: float,
    levels: dict[str, float],
    credit: CreditMatrix | None,
    taxonomy: Taxonomy,
    twin: EmployeeTwin,
) -> GapItem:
    level = levels.get(requirement.skill_uri, 0.0)
    if level > 0:
        fit = level_fit(level, requirement.min_level)
        shortfall = max(0.0, requirement.min_level - level)
        return _item(requirement, share, level=level,
                     status="met" if shortfall == 0 else "below", shortfall=shortfall,
                     fulfilment=fit)
    best = None
    if credit is not None:
        fits = {uri: level_fit(held, requirement.min_level) for uri, held in levels.items()}
        best = best_related(credit, requirement.skill_uri, fits)
    if best is None:
        return _item(requirement, share, level=0.0, status="missing",
                     shortfall=requirement.min_level, fulfilment=0.0)
    held_uri, relation, factor, given = best
    held_label = twin.labels().get(held_uri) or taxonomy.skill(held_uri).label
    return _item(
        requirement, share, level=0.0, status="related", shortfall=requirement.min_level,
        fulfilment=given, related_uri=held_uri, related_label=held_label, relation=relation,
        credit_factor=factor, path=(held_label, relation, requirement.label),
    )


def _item(
    requirement: Requirement,
    share: float,
    *,
    level: float,
    status: GapStatus,
    shortfall: float,
    fulfilment: float,
    **related: Any,
) -> GapItem:
    return GapItem(
        skill_uri=requirement.skill_uri,
        label=requirement.label,
        importance=requirement.importance,
        min_level=requirement.min_level,
        share=share,
        level=level,
        status=status,
        shortfall=shortfall,
        fulfilment=fulfilment,
        contribution=share * fulfilment,
        **related,
    )
