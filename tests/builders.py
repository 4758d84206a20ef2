"""Small hand-made twins and profiles on a real taxonomy, for the planning and output tests."""

from __future__ import annotations

from skilltwin import EmployeeTwin, JobProfile, Requirement, Taxonomy

__all__ = ["profile_with", "twin_with"]


def profile_with(taxonomy: Taxonomy, profile_id: str,
                 skills: dict[str, tuple[str, float]]) -> JobProfile:
    """A profile titled after ``profile_id`` asking each skill label for
    ``(importance, minimum level)``."""
    requirements = []
    for label, (importance, level) in skills.items():
        skill = taxonomy.skill(label)
        requirements.append(Requirement(skill_uri=skill.uri, label=skill.label,
                                        importance=importance, min_level=level))
    return JobProfile(profile_id=profile_id, title=profile_id.title(),
                      requirements=tuple(requirements))


def twin_with(taxonomy: Taxonomy, employee_id: str, skills: dict[str, float]) -> EmployeeTwin:
    """A twin holding each skill label at its level, assessed on 2025-01-01."""
    twin = EmployeeTwin(employee_id, taxonomy=taxonomy)
    for label, level in skills.items():
        twin.add_skill(label, level=level, source="assessment", observed="2025-01-01")
    return twin
