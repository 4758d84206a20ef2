"""ISCO-08 roll-ups on real ESCO: codes at each level, labels in the taxonomy's language, and
profiles without an occupation kept in an "unclassified" group."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from builders import twin_with

from skilltwin import (
    ConfigurationError,
    JobProfile,
    Requirement,
    isco_group,
    match_frame,
    scores_by_group,
)
from skilltwin.cli.main import main
from skilltwin.planning import Scenario, WorkforcePlan
from skilltwin.profiles.isco import UNCLASSIFIED, profile_isco

ICT = "Information and communications technology professionals"
ICT_NL = "Specialisten op het gebied van informatie- en communicatietechnologie"


def _hand_made(esco) -> JobProfile:  # type: ignore[no-untyped-def]
    skill = esco.skill("manage budgets")
    return JobProfile(profile_id="budget", title="Budget holder", requirements=(
        Requirement(skill_uri=skill.uri, label=skill.label, min_level=2),))


def test_an_occupation_has_a_code_and_a_label_at_every_level(esco, esco_nl):  # type: ignore[no-untyped-def]
    occupation = esco.occupation("ICT security administrator")
    assert occupation.code == "2529.6"
    codes = [isco_group(esco, occupation, level).code for level in (1, 2, 3, 4)]
    assert codes == ["2", "25", "252", "2529"]
    assert isco_group(esco, occupation.uri, 1).label == "Professionals"
    assert isco_group(esco, occupation.uri, 2).label == ICT
    assert isco_group(esco_nl, occupation.uri, 2).label == ICT_NL
    assert isco_group(esco_nl, occupation.uri, 1).label == \
        "Intellectuele, wetenschappelijke en artistieke beroepen"
    with pytest.raises(ConfigurationError, match="1, 2, 3 or 4"):
        isco_group(esco, occupation, 5)


def test_profiles_without_an_occupation_are_unclassified_never_dropped(esco, esco_nl):  # type: ignore[no-untyped-def]
    for taxonomy, label, unclassified in ((esco, ICT, "unclassified"),
                                          (esco_nl, ICT_NL, "zonder ISCO-groep")):
        ict = JobProfile.from_occupation(taxonomy, esco.occupation(
            "ICT security administrator").uri, profile_id="ict")
        groups = profile_isco([ict, _hand_made(taxonomy)], taxonomy, digits="isco2")
        assert groups.to_dict("index") == {
            "ict": {"isco_code": "25", "isco_label": label},
            "budget": {"isco_code": UNCLASSIFIED, "isco_label": unclassified},
        }
    with pytest.raises(ConfigurationError, match="isco1"):
        profile_isco([], esco, digits="isco9")


@pytest.fixture(scope="module")
def plan(esco):  # type: ignore[no-untyped-def]
    accountant = JobProfile.from_occupation(esco, "accountant", profile_id="acct")
    developer = JobProfile.from_occupation(esco, "software developer", profile_id="dev")
    twins = [twin_with(esco, "e1", {"manage budgets": 3}), twin_with(esco, "e2", {"SQL": 2})]
    return WorkforcePlan(twins, [accountant, developer, _hand_made(esco)],
                         {"acct": 2, "dev": 1, "budget": 1}, taxonomy=esco)


def test_plan_coverage_and_supply_demand_roll_up_by_isco(plan):  # type: ignore[no-untyped-def]
    by_profile = plan.coverage()
    by_major = plan.coverage(by="isco1")
    assert list(by_major.index) == ["2", UNCLASSIFIED]  # accountant and developer are both 2
    professionals = by_major.loc["2"]
    assert professionals["isco_label"] == "Professionals"
    assert professionals["profiles"] == 2
    assert professionals["headcount"] == 3
    assert professionals["headcount_shortfall"] == \
        by_profile.loc[["acct", "dev"], "headcount_shortfall"].sum()
    assert by_major.loc[UNCLASSIFIED, "headcount"] == 1
    assert by_major.loc[UNCLASSIFIED, "coverage"] == 1.0  # e1 holds the budget skill at 3
    by_sub = plan.coverage(by="isco2")
    assert set(by_sub.index) == {"24", "25", UNCLASSIFIED}
    assert by_sub["headcount"].sum() == by_profile["headcount"].sum()
    supply = plan.supply_demand(by="isco2")
    budget = supply.loc[UNCLASSIFIED]
    assert (budget["skills"], budget["headcount"], budget["qualified"], budget["shortfall"]) == \
        (1, 1, 1, 0)
    assert supply.loc["24", "skills"] == len(plan.profiles[0].requirements)
    assert supply.attrs["language"] == "en"


def test_compare_by_isco_sums_the_profiles_of_each_group(plan):  # type: ignore[no-untyped-def]
    table = plan.compare(Scenario(name="more devs").set_headcount("dev", 4), by="isco2")
    assert table.loc["25", ("isco_label", "")] == ICT
    assert table.loc["25", ("headcount", "change")] == 3
    assert table.loc["24", ("headcount", "change")] == 0
    with pytest.raises(ConfigurationError):
        plan.compare(Scenario(name="x"), by="isco5")  # type: ignore[arg-type]


def test_match_scores_roll_up_to_the_best_profile_per_group(plan, esco):  # type: ignore[no-untyped-def]
    twins = [twin_with(esco, "e1", {"manage budgets": 3}), twin_with(esco, "e2", {"SQL": 2})]
    scores = match_frame(twins, plan.profiles, esco)
    rolled = scores_by_group(scores, plan.profiles, esco, by="isco1")
    e1 = rolled[rolled["employee_id"] == "e1"].set_index("isco_code")
    assert list(e1.index) == [UNCLASSIFIED, "2"]  # best group first
    assert e1.loc[UNCLASSIFIED, "best_score"] == pytest.approx(scores.loc["e1", "budget"])
    assert e1.loc["2", "profiles"] == 2
    assert e1.loc["2", "best_score"] == pytest.approx(scores.loc["e1", ["acct", "dev"]].max())


def test_match_cli_adds_isco_columns(esco, esco_path, tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    profiles = tmp_path / "profiles.jsonl"
    profiles.write_text("\n".join(json.dumps(p) for p in [
        {"occupation": "accountant", "profile_id": "ACC"},
        {"profile_id": "FIN", "title": "Finance",
         "skills": [{"skill": "manage budgets", "min_level": 2}]},
    ]), encoding="utf-8")
    claims = tmp_path / "claims.csv"
    pd.DataFrame({"employee_id": ["A", "B"], "skill": ["manage budgets", "accounting"],
                  "level": [3, 2], "observed": "2025-01-01"}).to_csv(claims, index=False)
    out = tmp_path / "top.parquet"
    code = main(["match", "--esco", str(esco_path), "--claims", str(claims), "--profiles",
                 str(profiles), "--top-k", "2", "--out", str(out), "--isco-digits", "2"])
    assert code == 0
    capsys.readouterr()
    written = pd.read_parquet(out)
    groups = dict(zip(written["profile_id"], zip(written["isco_code"], written["isco_label"],
                                                 strict=True), strict=True))
    assert groups == {"ACC": ("24", "Business and administration professionals"),
                      "FIN": (UNCLASSIFIED, "unclassified")}
    assert len(written) == 4


def test_match_json_lines_carry_the_isco_group(esco_path, tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    profiles = tmp_path / "profiles.jsonl"
    profiles.write_text(json.dumps({"occupation": "accountant", "profile_id": "ACC"}),
                        encoding="utf-8")
    employees = tmp_path / "employees.jsonl"
    employees.write_text(json.dumps({"employee_id": "A", "claims": [
        {"skill": "accounting", "level": 3, "observed": "2025-01-01"}]}), encoding="utf-8")
    code = main(["match", "--esco", str(esco_path), "--twins", str(employees),
                 "--profiles", str(profiles), "--isco-digits", "1"])
    assert code == 0
    line = json.loads(capsys.readouterr().out)
    assert (line["isco_code"], line["isco_label"]) == ("2", "Professionals")
