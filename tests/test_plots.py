"""Plots return Axes a caller can inspect and restyle (Agg backend, no pixels compared)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from skilltwin import ConfigurationError, EmployeeTwin, JobProfile, Requirement
from skilltwin.planning import (
    WorkforcePlan,
    plot_supply_demand,
    plot_team_heatmap,
    plot_twin_vs_profile,
)


def _two_twins(taxonomy, skills, prefix):  # type: ignore[no-untyped-def]
    """Two twins at level 3: one holds the first two of three skills, the other the last two."""
    twins = []
    for i, held in enumerate([skills[:2], skills[1:]]):
        twin = EmployeeTwin(f"{prefix}{i}", taxonomy=taxonomy)
        for skill in held:
            twin.add_skill(skill, level=3)
        twins.append(twin)
    return twins


@pytest.fixture(scope="module")
def setup(esco):  # type: ignore[no-untyped-def]
    skills = ["manage budgets", "public finance", "policy analysis"]
    profile = JobProfile(profile_id="p", title="Finance", requirements=tuple(
        Requirement(skill_uri=esco.skill(s).uri, label=esco.skill(s).label, min_level=2)
        for s in skills))
    yield _two_twins(esco, skills, "e"), profile
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


def test_plots_speak_english_with_an_english_taxonomy(setup, esco):  # type: ignore[no-untyped-def]
    twins, profile = setup
    ax = plot_twin_vs_profile(twins[0], profile, esco)
    assert ax.get_xlabel() == "level (skilltwin 0-4)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["level required",
                                                                   "level held"]
    heatmap = plot_team_heatmap(twins)
    assert heatmap.get_title() == "Team skills"
    assert heatmap.images[0].colorbar.ax.get_ylabel() == "level"
    table = WorkforcePlan(twins, [profile], {"p": 2}, taxonomy=esco).supply_demand()
    assert table.attrs["language"] == "en"
    bars = plot_supply_demand(table)
    assert (bars.get_title(), bars.get_xlabel()) == ("Skills supply vs demand", "people")
    # without any taxonomy to go by: English
    bare = EmployeeTwin("e9")
    assert plot_twin_vs_profile(bare, profile).get_title() == "e9 vs Finance"


@pytest.fixture(scope="module")
def dutch_setup(esco, esco_nl):  # type: ignore[no-untyped-def]
    uris = [esco.skill(s).uri for s in ("manage budgets", "public finance", "policy analysis")]
    profile = JobProfile(profile_id="fin", title="Financieel adviseur", requirements=tuple(
        Requirement(skill_uri=uri, label=esco_nl.skill(uri).label, min_level=2,
                    importance="optional" if i == 2 else "essential")
        for i, uri in enumerate(uris)))
    yield _two_twins(esco_nl, uris, "m"), profile, esco_nl.skill(uris[2]).label
    plt.close("all")


def test_twin_vs_profile_speaks_the_taxonomy_language(dutch_setup, esco_nl):  # type: ignore[no-untyped-def]
    twins, profile, optional = dutch_setup
    for ax in (plot_twin_vs_profile(twins[0], profile, esco_nl),
               plot_twin_vs_profile(twins[0], profile)):  # the twin's taxonomy is Dutch
        assert ax.get_title() == "m0 t.o.v. Financieel adviseur"
        assert ax.get_xlabel() == "niveau (skilltwin 0-4)"
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["vereist niveau",
                                                                       "huidig niveau"]
        assert ax.get_yticklabels()[-1].get_text() == f"{optional} (opt.)"
    english = plot_twin_vs_profile(twins[0], profile, esco_nl, language="en")
    assert (english.get_title(), english.get_xlabel()) == ("m0 vs Financieel adviseur",
                                                           "level (skilltwin 0-4)")


def test_team_heatmap_speaks_the_taxonomy_language(dutch_setup):  # type: ignore[no-untyped-def]
    twins, _, _ = dutch_setup
    ax = plot_team_heatmap(twins)
    assert ax.get_title() == "Vaardigheden van het team"
    assert ax.images[0].colorbar.ax.get_ylabel() == "niveau"
    assert plot_team_heatmap(twins, language="en").get_title() == "Team skills"


def test_supply_demand_speaks_the_plan_language(dutch_setup, esco_nl):  # type: ignore[no-untyped-def]
    twins, profile, _ = dutch_setup
    plan = WorkforcePlan(twins, [profile], {"fin": 2}, taxonomy=esco_nl)
    for table in (plan.supply_demand(), plan.supply_demand(by="skill_group")):
        assert table.attrs["language"] == "nl"
        ax = plot_supply_demand(table)
        assert ax.get_title() == "Vraag en aanbod van vaardigheden"
        assert ax.get_xlabel() == "mensen"
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["nodig", "op niveau"]
    english = plot_supply_demand(plan.supply_demand(), language="en")
    assert (english.get_title(), english.get_xlabel()) == ("Skills supply vs demand", "people")
