"""Plots return Axes a caller can inspect and restyle (Agg backend, no pixels compared)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from skilltwin import ConfigurationError, EmployeeTwin, JobProfile, Requirement
from skilltwin.planning import WorkforcePlan
from skilltwin.planning.plots import (
    plot_supply_demand,
    plot_team_heatmap,
    plot_twin_vs_profile,
)


@pytest.fixture(scope="module")
def setup(esco):  # type: ignore[no-untyped-def]
    skills = ["manage budgets", "public finance", "policy analysis"]
    profile = JobProfile(profile_id="p", title="Finance", requirements=tuple(
        Requirement(skill_uri=esco.skill(s).uri, label=esco.skill(s).label, min_level=2)
        for s in skills))
    twins = []
    for i, held in enumerate([skills[:2], skills[1:]]):
        twin = EmployeeTwin(f"e{i}", taxonomy=esco)
        for label in held:
            twin.add_skill(label, level=3)
        twins.append(twin)
    yield twins, profile
    plt.close("all")


def test_twin_vs_profile_draws_one_bar_per_requirement(setup, esco):  # type: ignore[no-untyped-def]
    twins, profile = setup
    ax = plot_twin_vs_profile(twins[0], profile, esco)
    assert len(ax.patches) == 3
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert sorted(labels) == ["manage budgets", "policy analysis", "public finance"]
    heights = {label: patch.get_width() for label, patch in zip(labels, ax.patches, strict=True)}
    assert heights["policy analysis"] == 0 and heights["manage budgets"] == 3
    assert ax.get_title() == "e0 vs Finance"


def test_team_heatmap_has_a_cell_per_employee_and_skill(setup, esco):  # type: ignore[no-untyped-def]
    twins, _ = setup
    ax = plot_team_heatmap(twins, ["manage budgets", "policy analysis"], taxonomy=esco)
    grid = ax.images[0].get_array()
    assert grid.shape == (2, 2)
    assert grid[0, 0] == 3 and grid[0, 1] == 0
    default = plot_team_heatmap(twins)
    assert default.images[0].get_array().shape == (2, 3)


def test_supply_demand_pairs_needed_and_qualified(setup, esco):  # type: ignore[no-untyped-def]
    twins, profile = setup
    table = WorkforcePlan(twins, [profile], {"p": 2}, taxonomy=esco).supply_demand()
    _, ax = plt.subplots()
    returned = plot_supply_demand(table, ax=ax)
    assert returned is ax
    assert len(ax.patches) == 2 * len(table)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["needed", "qualified"]
    with pytest.raises(ConfigurationError, match="supply_demand"):
        plot_supply_demand(table.drop(columns=["qualified"]))
