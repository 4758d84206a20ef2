"""Workforce planning on real ESCO skills with small hand-made twins and profiles."""

from __future__ import annotations

import pytest
from builders import profile_with, twin_with

from skilltwin import ConfigurationError, EmployeeTwin
from skilltwin.planning import Scenario, WorkforcePlan, skill_groups


@pytest.fixture(scope="module")
def team(esco):  # type: ignore[no-untyped-def]
    finance = profile_with(esco, "finance", {"manage budgets": ("essential", 3),
                                             "public finance": ("essential", 2)})
    policy = profile_with(esco, "policy", {"manage budgets": ("essential", 2),
                                           "policy analysis": ("essential", 2)})
    twins = [
        twin_with(esco, "e1", {"manage budgets": 3, "public finance": 2}),
        twin_with(esco, "e2", {"manage budgets": 2, "policy analysis": 3}),
        twin_with(esco, "e3", {"policy analysis": 1, "public finance": 1}),
    ]
    return twins, [finance, policy]


@pytest.fixture()
def plan(team, esco):  # type: ignore[no-untyped-def]
    twins, profiles = team
    return WorkforcePlan(twins, profiles, {"finance": 1, "policy": 2}, taxonomy=esco)


def test_supply_demand_counts_who_holds_each_skill_at_the_min_level(plan, esco):  # type: ignore[no-untyped-def]
    table = plan.supply_demand().set_index("label")
    budgets = table.loc["manage budgets"]
    assert budgets["headcount"] == 3  # finance x1 + policy x2
    assert budgets["min_level"] == 3  # the highest minimum level asked
    assert (budgets["importance"], budgets["profiles"], budgets["profile_ids"]) == \
        ("essential", 2, "finance, policy")
    assert (budgets["holders"], budgets["qualified"], budgets["shortfall"]) == (2, 1, 2)
    assert budgets["who"] == "e1 (3), e2 (2)"
    assert budgets["skill_group"] == "managing budgets or finances"
    analysis = table.loc["policy analysis"]
    assert (analysis["headcount"], analysis["qualified"], analysis["shortfall"]) == (2, 1, 1)
    assert list(table["shortfall"]) == sorted(table["shortfall"], reverse=True)


def test_supply_demand_by_skill_group_sums_the_skills_of_each_group(plan):  # type: ignore[no-untyped-def]
    skills = plan.supply_demand()
    groups = plan.supply_demand(by="skill_group")
    assert groups["skills"].sum() == len(skills)
    assert groups["shortfall"].sum() == skills["shortfall"].sum()
    assert groups.loc["managing budgets or finances", "headcount"] >= 3


def test_skill_groups_walk_up_to_the_nearest_group(esco):  # type: ignore[no-untyped-def]
    uri = esco.skill("manage budgets").uri
    assert skill_groups(esco, [uri]) == {uri: "managing budgets or finances"}


def test_key_person_risks_name_the_only_qualified_holder(plan):  # type: ignore[no-untyped-def]
    risks = plan.key_person_risks()
    by_skill = dict(zip(risks["label"], risks["employee_id"], strict=True))
    assert by_skill["manage budgets"] == "e1"
    assert by_skill["policy analysis"] == "e2"
    assert by_skill["public finance"] == "e1"
    assert (risks["qualified"] == 1).all()


def test_coverage_counts_ready_candidates_against_headcount(plan):  # type: ignore[no-untyped-def]
    coverage = plan.coverage()
    scores = plan.scores()
    assert coverage.loc["finance", "best_candidate"] == "e1"
    assert coverage.loc["finance", "best_score"] == pytest.approx(1.0)
    ready = int((scores["policy"] >= plan.ready_at).sum())
    assert coverage.loc["policy", "ready"] == ready
    assert coverage.loc["policy", "headcount_shortfall"] == max(0, 2 - ready)
    assert coverage.loc["finance", "skills_covered"] == 1.0


def test_headcount_for_an_unknown_profile_is_refused(team, esco):  # type: ignore[no-untyped-def]
    twins, profiles = team
    with pytest.raises(ConfigurationError, match="not in the plan"):
        WorkforcePlan(twins, profiles, {"nurse": 2}, taxonomy=esco)


def test_a_leaver_takes_their_skills_and_the_comparison_shows_it(plan):  # type: ignore[no-untyped-def]
    scenario = Scenario(name="e1 leaves").leave("e1")
    after = plan.apply(scenario)
    assert "e1" not in after.employee_ids and "e1" in plan.employee_ids
    table = plan.compare(scenario, by="skill").set_index(("label", ""))
    assert table.loc["manage budgets", ("qualified", "baseline")] == 1
    assert table.loc["manage budgets", ("qualified", "scenario")] == 0
    assert table.loc["manage budgets", ("shortfall", "change")] == 1
    profiles = plan.compare(scenario)
    assert profiles.loc["finance", ("ready", "change")] <= 0


def test_training_the_closest_people_raises_supply(plan):  # type: ignore[no-untyped-def]
    after = plan.apply(Scenario(name="train").train("public finance", headcount=1, level=2))
    table = after.supply_demand().set_index("label")
    # e3 already holds public finance at level 1, so is the closest to train.
    assert table.loc["public finance", "who"].startswith("e1 (2), e3 (2)")
    named = plan.apply(Scenario(name="named").train("policy analysis", employee_ids=["e1"],
                                                    level=3))
    assert named.supply_demand().set_index("label").loc["policy analysis", "qualified"] == 2


def test_adding_and_retiring_profiles_changes_demand(plan, esco):  # type: ignore[no-untyped-def]
    data = profile_with(esco, "data", {"data mining": ("essential", 2)})
    scenario = Scenario(name="reshape").retire_profile("policy").add_profile(data, headcount=2)
    table = plan.compare(scenario)
    assert table.loc["policy", ("headcount", "scenario")] == 0
    assert table.loc["data", ("headcount", "baseline")] == 0
    assert table.loc["data", ("headcount_shortfall", "scenario")] == 2
    assert scenario.describe() == ["retire profile policy", "add profile Data (data) x2"]


def test_scenario_changes_describe_themselves_in_english_and_dutch(esco):  # type: ignore[no-untyped-def]
    data = profile_with(esco, "data", {"data mining": ("essential", 2)})
    scenario = (Scenario(name="herinrichting").retire_profile("policy")
                .add_profile(data, headcount=2).set_headcount("finance", 1500)
                .train("public finance", headcount=3, level=2.5)
                .train("policy analysis", employee_ids=["e1", "e2"]).leave("e3"))
    assert scenario.describe("nl") == [
        "profiel policy laten vervallen",
        "profiel Data (data) toevoegen (x2)",
        "bezetting van finance op 1.500 zetten",
        "de 3 medewerkers die er het dichtst bij zitten opleiden in public finance tot niveau 2,5",
        "e1, e2 opleiden in policy analysis tot niveau 2",
        "e3 vertrekt",
    ]
    assert scenario.describe() == scenario.describe("en") == scenario.describe("de") == [
        "retire profile policy",
        "add profile Data (data) x2",
        "set headcount of finance to 1,500",
        "train 3 closest employees in public finance to level 2.5",
        "train e1, e2 in policy analysis to level 2",
        "e3 leaves",
    ]


def test_a_dutch_plan_compares_scenarios_in_dutch(team, esco, esco_nl):  # type: ignore[no-untyped-def]
    twins, profiles = team
    dutch_twins = []
    for twin in twins:
        dutch = EmployeeTwin(twin.employee_id, taxonomy=esco_nl)
        for uri, level in twin.levels().items():
            dutch.add_skill(uri, level=level, source="assessment", observed="2025-01-01")
        dutch_twins.append(dutch)
    dutch_plan = WorkforcePlan(dutch_twins, profiles, {"finance": 1, "policy": 2},
                               taxonomy=esco_nl)
    scenario = Scenario(name="krimp").set_headcount("policy", 1).leave("e1")
    changes = ["bezetting van policy op 1 zetten", "e1 vertrekt"]
    table = dutch_plan.compare(scenario)
    assert table.attrs == {"scenario": "krimp", "changes": changes, "language": "nl",
                           "taxonomy_release": "ESCO v1.1.1 (nl)"}
    assert table.loc["policy", ("headcount", "scenario")] == 1
    assert dutch_plan.compare(scenario, by="skill").attrs["changes"] == changes
    assert dutch_plan.sweep([scenario], progress=False).attrs["changes"] == {"krimp": changes}
    english_plan = WorkforcePlan(twins, profiles, {"finance": 1, "policy": 2}, taxonomy=esco)
    assert english_plan.compare(scenario).attrs["changes"] == [
        "set headcount of policy to 1", "e1 leaves"]


def test_scenario_mistakes_raise_helpful_errors(plan):  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationError, match="no employee 'zz'"):
        plan.apply(Scenario(name="x").leave("zz"))
    with pytest.raises(ConfigurationError, match="no profile 'nurse'"):
        plan.apply(Scenario(name="x").retire_profile("nurse"))
    with pytest.raises(ConfigurationError, match="either employee_ids"):
        Scenario(name="x").train("policy analysis")
    with pytest.raises(ConfigurationError, match="only 2 employees"):
        plan.apply(Scenario(name="x").train("manage budgets", headcount=3, level=3))


def test_sweep_lists_baseline_and_each_scenario(plan):  # type: ignore[no-untyped-def]
    table = plan.sweep([Scenario(name="a").leave("e2"), Scenario(name="b").leave("e3")],
                       progress=False)
    assert list(table.index) == ["baseline", "a", "b"]
    assert table.loc["a", "employees"] == 2
    assert table.loc["baseline", "headcount"] == 3


def test_plan_renders_compact_html(plan):  # type: ignore[no-untyped-def]
    html = plan._repr_html_()
    assert "Workforce plan" in html and "<table" in html and "Finance" in html
