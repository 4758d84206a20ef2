"""Checks of the arguments of the public scoring functions (match, gap, match_frame), shared
with planning; thin users of ``skilltwin/_validation.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skilltwin._validation import check_instance, check_items, located
from skilltwin.scoring.policy import ScoringPolicy

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["check_batch", "check_pair"]

_HINT = "See docs/scoring.md."


def check_pair(twin: object, profile: object, taxonomy: object,
               scoring_policy: object | None) -> ScoringPolicy:
    """Check ``match(twin, profile, taxonomy, scoring_policy=...)``; return the policy to use."""
    from skilltwin.profiles.io import check_profile_levels
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.twin.twin import EmployeeTwin

    checked_twin = check_instance(twin, EmployeeTwin, "twin",
                                  hint="Build one with EmployeeTwin(...) or read_twins().")
    checked = check_instance(profile, JobProfile, "profile",
                             hint="Build one with JobProfile.from_occupation(...) or "
                             "read_profiles().")
    _check_taxonomy(taxonomy)
    with located(field="profile"):
        check_profile_levels(checked, checked_twin.scale)
    return _scoring_policy(scoring_policy)


def check_batch(twins: object, profiles: object, taxonomy: object, scoring_policy: object | None
                ) -> tuple[list[EmployeeTwin], list[JobProfile], ScoringPolicy]:
    """Check ``match_frame(twins, profiles, ...)``; return lists (a generator is read once)."""
    from skilltwin.profiles.io import check_profile_levels
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.twin.twin import EmployeeTwin

    twin_list = check_items(twins, EmployeeTwin, "twins", hint=_HINT)
    profile_list = check_items(profiles, JobProfile, "profiles", hint=_HINT)
    _check_taxonomy(taxonomy)
    # One check per distinct scale (each twin usually holds its own equal copy).
    scales = {(twin.scale.name, twin.scale.maximum): twin.scale for twin in twin_list}
    for position, profile in enumerate(profile_list):
        with located(field=f"profiles[{position}]"):
            for scale in scales.values():
                check_profile_levels(profile, scale)
    return twin_list, profile_list, _scoring_policy(scoring_policy)


def _check_taxonomy(taxonomy: object) -> None:
    from skilltwin.taxonomy import Taxonomy

    check_instance(taxonomy, Taxonomy, "taxonomy", hint="Load one with skilltwin.load_esco().")


def _scoring_policy(scoring_policy: object | None) -> ScoringPolicy:
    if scoring_policy is None:
        return ScoringPolicy()
    return check_instance(scoring_policy, ScoringPolicy, "scoring_policy", hint=_HINT)
