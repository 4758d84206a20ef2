"""Reskilling paths and adjacent roles on real ESCO relations."""

from __future__ import annotations

import pytest

from skilltwin import EmployeeTwin, JobProfile, Requirement
from skilltwin.planning import EffortModel, adjacent_roles, reskilling_path


def _twin(esco, skills: dict[str, float]) -> EmployeeTwin:  # type: ignore[no-untyped-def]
    twin = EmployeeTwin("e1", taxonomy=esco)
    for label, level in skills.items():
        twin.add_skill(label, level=level, source="assessment", observed="2025-01-01")
    return twin


def _profile(esco, skills: dict[str, float]) -> JobProfile:  # type: ignore[no-untyped-def]
    return JobProfile(profile_id="target", title="Target", requirements=tuple(
        Requirement(skill_uri=esco.skill(label).uri, label=esco.skill(label).label,
                    min_level=level) for label, level in skills.items()))


def test_adjacent_skills_come_first_and_cost_less(esco):  # type: ignore[no-untyped-def]
    # "manage budgets" is a narrower skill of "carry out calculations" in ESCO.
    twin = _twin(esco, {"manage budgets": 3})
    profile = _profile(esco, {"Hadoop": 2, "carry out calculations": 2, "manage budgets": 2})
    path = reskilling_path(twin, profile, esco)
    labels = [step.label for step in path.steps]
    assert labels == ["carry out calculations", "Hadoop"]  # met requirement left out
    first = path.steps[0]
    assert (first.adjacent_label, first.adjacency) == ("manage budgets", "narrower than")
    assert first.weeks == 2 * 4 * (1 - 0.5)
    last = path.steps[1]
    assert last.weeks == pytest.approx(2 * 4 * (1 - last.discount))
    assert path.total_weeks == pytest.approx(first.weeks + last.weeks)
    assert list(path.to_frame()["cumulative_weeks"]) == [first.weeks, path.total_weeks]


def test_raising_a_held_skill_counts_from_the_current_level(esco):  # type: ignore[no-untyped-def]
    twin = _twin(esco, {"public finance": 1})
    path = reskilling_path(twin, _profile(esco, {"public finance": 3}), esco,
                           effort=EffortModel(base_weeks=6))
    (step,) = path.steps
    assert (step.levels_to_gain, step.adjacency, step.weeks) == (2, "already held", 12)
    assert "Reskilling path" in path._repr_html_()


def test_a_role_missing_one_skill_is_reachable_with_one_new_skill(esco):  # type: ignore[no-untyped-def]
    occupation = esco.occupation("policy officer")
    essential = [esco.skill(uri).label for uri in occupation.essential_skills]
    twin = _twin(esco, dict.fromkeys(essential[1:], 2))
    roles = adjacent_roles(twin, esco, top_k=5)
    top = roles.iloc[0]
    assert top["new_skills"] <= 1
    row = roles.set_index("title").loc["policy officer"]
    assert (row["new_skills"], row["held"]) == (1, len(essential) - 1)
    assert essential[0] in row["to_learn"]
    assert "holds" in row["explanation"]


def test_profiles_are_ranked_with_occupations_or_alone(esco):  # type: ignore[no-untyped-def]
    twin = _twin(esco, {"manage budgets": 3, "public finance": 2})
    near = _profile(esco, {"manage budgets": 2, "public finance": 2, "Hadoop": 2})
    roles = adjacent_roles(twin, esco, profiles=[near], include_occupations=False)
    assert list(roles["role_id"]) == ["target"]
    assert roles.loc[0, "new_skills"] == 1 and roles.loc[0, "kind"] == "profile"
