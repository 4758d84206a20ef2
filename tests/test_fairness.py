"""Fairness checks: selection rates, four-fifths rule, score distributions, invariance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import BaseModel
from scipy import stats

from skilltwin import ConfigurationError, EmployeeTwin, InputValidationError, OversightError
from skilltwin.fairness import (
    DEFAULT_PERTURBATIONS,
    FairnessReport,
    check_invariance,
    selection_rates,
    with_attributes,
)


def workforce() -> tuple[pd.Series, pd.Series]:
    """Decisions and labels: group a 30 of 50 selected, b 15 of 50, c (small) 10 of 10."""
    ids = [f"emp-{i:03d}" for i in range(110)]
    labels = ["a"] * 50 + ["b"] * 50 + ["c"] * 10
    chosen = [i < 30 for i in range(50)] + [i < 15 for i in range(50)] + [True] * 10
    return (pd.Series(chosen, index=ids, name="selected"),
            pd.Series(labels, index=ids, name="team"))


def scored() -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(7)
    ids = [f"e{i}" for i in range(120)]
    groups = pd.Series(["x"] * 60 + ["y"] * 60, index=ids, name="gender")
    scores = pd.Series(np.r_[rng.uniform(0.3, 1.0, 60), rng.uniform(0.0, 0.7, 60)], index=ids)
    return scores, groups


# -- selection rates and the four-fifths rule ------------------------------------------------


def test_selection_rates_and_adverse_impact() -> None:
    selected, groups = workforce()
    report = FairnessReport(selected, groups)
    frame = report.to_frame()
    assert list(frame.index) == ["a", "b", "c"] and frame.index.name == "team"
    assert frame["headcount"].tolist() == [50, 50, 10]
    assert frame["selected"].tolist() == [30, 15, 10]
    assert frame["selection_rate"].tolist() == pytest.approx([0.6, 0.3, 1.0])
    assert frame["small_group"].tolist() == [False, False, True]
    # The reference is the highest rate among groups large enough to judge: a, not c.
    assert report.reference_group == "a"
    assert report.adverse_impact_ratio().tolist() == pytest.approx([1.0, 0.5, 1 / 0.6])
    assert frame["below_four_fifths"].tolist() == [False, True, False]
    assert report.flagged_groups() == ["b"]
    assert report.difference() == pytest.approx(0.3)
    assert report.ratio() == pytest.approx(0.5)
    assert report.difference(include_small=True) == pytest.approx(0.7)
    assert report.overall["selection_rate"] == pytest.approx(55 / 110)
    assert "mean_score" not in frame  # decisions only


def test_selection_rates_shortcut() -> None:
    selected, groups = workforce()
    frame = selection_rates(selected, groups, min_group_size=5)
    assert list(frame.columns) == ["headcount", "selected", "selection_rate",
                                   "adverse_impact_ratio", "below_four_fifths", "small_group"]
    assert not frame["small_group"].any()
    assert frame["adverse_impact_ratio"].tolist() == pytest.approx([0.6, 0.3, 1.0])


def test_four_fifths_boundary_is_not_flagged() -> None:
    ids = [f"e{i}" for i in range(20)]
    groups = pd.Series(["a"] * 10 + ["b"] * 10, index=ids)
    selected = pd.Series([i < 5 for i in range(10)] + [i < 4 for i in range(10)], index=ids)
    frame = FairnessReport(selected, groups, min_group_size=1).to_frame()
    assert frame.loc["b", "adverse_impact_ratio"] == pytest.approx(0.8)
    assert not frame["below_four_fifths"].any()


def test_integer_decisions_and_extra_labels() -> None:
    selected, groups = workforce()
    extra = pd.concat([groups, pd.Series(["z"], index=["not-scored"])])
    report = FairnessReport(selected.astype(int), extra)
    assert report.to_frame()["headcount"].sum() == 110
    assert "z" not in report.to_frame().index


def test_nobody_selected() -> None:
    selected, groups = workforce()
    report = FairnessReport(selected & False, groups)
    assert report.adverse_impact_ratio().isna().all()
    assert report.flagged_groups() == []
    assert np.isnan(report.ratio())
    assert "ratios are undefined" in report.summary()


def test_all_groups_small_uses_all_for_reference() -> None:
    selected, groups = workforce()
    report = FairnessReport(selected, groups, min_group_size=1000)
    assert report.to_frame()["small_group"].all()
    assert report.reference_group == "c"
    assert report.flagged_groups() == []  # nothing is large enough to judge


def test_intersectional_groups() -> None:
    selected, team = workforce()
    site = pd.Series(["north", "south"] * 55, index=team.index, name="site")
    frame = FairnessReport(selected, pd.concat([team, site], axis=1),
                           min_group_size=5).to_frame()
    assert isinstance(frame.index, pd.MultiIndex)
    assert list(frame.index.names) == ["team", "site"]
    assert frame.loc[("a", "north"), "headcount"] == 25
    assert frame["headcount"].sum() == 110


# -- scores ----------------------------------------------------------------------------------


def test_threshold_turns_scores_into_selections() -> None:
    ids = ["e1", "e2", "e3", "e4"]
    scores = pd.Series([0.5, 0.49, 0.9, 0.1], index=ids)
    groups = pd.Series(["a", "a", "b", "b"], index=ids)
    report = FairnessReport(scores, groups, threshold=0.5, min_group_size=1)
    assert report.selected.tolist() == [True, False, True, False]  # at least the threshold
    frame = report.to_frame()
    assert frame["mean_score"].tolist() == pytest.approx([0.495, 0.5])
    assert frame["median_score"].tolist() == pytest.approx([0.495, 0.5])


def test_score_distribution_differences() -> None:
    scores, groups = scored()
    report = FairnessReport(scores, groups, threshold=0.5)
    frame = report.by_group
    x, y = scores[groups == "x"], scores[groups == "y"]
    assert frame.loc["x", "mean_score_difference"] == pytest.approx(x.mean() - y.mean())
    assert frame.loc["y", "mean_score_difference"] == pytest.approx(y.mean() - x.mean())
    expected = stats.ks_2samp(x, y)
    assert frame.loc["x", "ks_statistic"] == pytest.approx(expected.statistic)
    assert frame.loc["x", "ks_pvalue"] == pytest.approx(expected.pvalue)
    assert report.difference("mean_score") == pytest.approx(abs(x.mean() - y.mean()))
    assert report.ratio("median_score") == pytest.approx(y.median() / x.median())
    assert report.flagged_groups() == ["y"]


def test_single_group_has_no_comparison() -> None:
    scores, groups = scored()
    report = FairnessReport(scores, groups * 0 + "all", threshold=0.5)
    assert report.by_group["ks_statistic"].isna().all()
    assert report.adverse_impact_ratio().tolist() == [1.0]
    assert "versus everyone else" not in report.summary()


def test_scores_with_explicit_decisions() -> None:
    scores, groups = scored()
    decisions = pd.Series(False, index=scores.index)
    decisions.iloc[:10] = True
    report = FairnessReport(scores, groups, selected=decisions.iloc[::-1])  # order is free
    assert report.to_frame()["selected"].tolist() == [10, 0]
    assert "mean_score" in report.by_group


def test_one_column_frame_like_match_frame() -> None:
    scores, groups = scored()
    frame = scores.to_frame("analyst")
    report = FairnessReport(frame, groups, threshold=0.5)
    assert report.to_frame()["headcount"].tolist() == [60, 60]


# -- reporting -------------------------------------------------------------------------------


def test_summary_is_plain_language() -> None:
    selected, groups = workforce()
    text = FairnessReport(selected, groups).summary()
    assert "Selection by team (decisions as given): 55 of 110 employees selected" in text
    assert "- b: 15 of 50 selected (30.0%), 0.50 of the reference rate" in text
    assert "Below the four-fifths (80%) guideline" in text
    assert "Too few employees to judge (10 < 30)" in text
    assert "1 group(s) below the four-fifths guideline: b." in text
    assert "not a legal test" in text


def test_summary_with_scores_and_threshold() -> None:
    scores, groups = scored()
    text = FairnessReport(scores, groups, threshold=0.5).summary()
    assert "score at least 0.5" in text and "KS distance" in text


def test_html_and_repr() -> None:
    selected, groups = workforce()
    groups = groups.replace({"c": "<script>"})
    report = FairnessReport(selected, groups)
    page = report._repr_html_()
    assert "<table" in page and "&lt;script&gt;" in page and "<script>" not in page
    assert repr(report) == "FairnessReport(groups=['team'], headcount=110, flagged=['b'])"


# -- input errors ----------------------------------------------------------------------------


def test_employees_without_labels_are_refused() -> None:
    selected, groups = workforce()
    with pytest.raises(ConfigurationError, match=r"2 of 110 employees have no group label "
                                                 r"\(e.g. 'emp-000', 'emp-001'\); add them"):
        FairnessReport(selected, groups.iloc[2:])


def test_empty_labels_are_refused() -> None:
    selected, groups = workforce()
    groups = groups.astype(object)
    groups.iloc[5] = None
    with pytest.raises(ConfigurationError, match=r"1 of 110 .*groups\.fillna\('unknown'\)"):
        FairnessReport(selected, groups)


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        (pd.Series(dtype=float), {}, "values is empty"),
        (pd.Series([0.2, 0.7], index=["a", "b"]), {}, "pass threshold=.* or selected="),
        (pd.Series([0.2, 0.7], index=["a", "b"]),
         {"threshold": 0.5, "selected": pd.Series([True, False], index=["a", "b"])},
         "exactly one"),
        (pd.Series([True, False], index=["a", "b"]), {"threshold": 0.5}, "already decisions"),
        (pd.Series(["hire", "reject"], index=["a", "b"]), {}, "outcomes == 'shortlist'"),
        (pd.Series([0.2, np.nan], index=["a", "b"]), {"threshold": 0.5}, "1 scores are missing"),
        (pd.Series([0.2, 0.7], index=["a", "b"]),
         {"selected": pd.Series([1, 0.5], index=["a", "b"])}, r"1 other value\(s\) such as 0.5"),
        (pd.Series([0.2, 0.7], index=["a", "b"]),
         {"selected": pd.Series([True], index=["a"])}, "1 scored employees have no decision"),
        (pd.DataFrame({"p1": [0.1, 0.2], "p2": [0.3, 0.4]}, index=["a", "b"]),
         {"threshold": 0.5}, "has 2 columns"),
        ([0.1, 0.2], {"threshold": 0.5}, "must be a pandas Series"),
        # checked by _validation.check_count now (issue 23): the message names the field
        (pd.Series([True, False], index=["a", "b"]), {"min_group_size": 0},
         "field 'min_group_size'"),
    ],
)
def test_bad_input_is_refused(values: Any, kwargs: dict[str, Any], message: str) -> None:
    groups = pd.Series(["g1", "g2"], index=["a", "b"])
    with pytest.raises(ConfigurationError, match=message):
        FairnessReport(values, groups, **kwargs)


@pytest.mark.parametrize(
    ("values", "kwargs", "field"),
    [
        (pd.Series([0.2, 0.7], index=["a", "a"]), {"threshold": 0.5}, "values"),
        (pd.Series([0.2, 0.7], index=["a", "b"]),
         {"selected": pd.Series([True, False, True], index=["a", "b", "b"])}, "selected"),
    ],
)
def test_an_employee_listed_twice_is_refused(values: Any, kwargs: dict[str, Any],
                                             field: str) -> None:
    groups = pd.Series(["g1", "g2"], index=["a", "b"])
    with pytest.raises(InputValidationError) as caught:
        FairnessReport(values, groups, **kwargs)
    assert caught.value.field == field


def test_unknown_metric_is_refused() -> None:
    selected, groups = workforce()
    with pytest.raises(ConfigurationError, match="score metrics need scores"):
        FairnessReport(selected, groups).difference("mean_score")


# -- invariance ------------------------------------------------------------------------------


@dataclass
class Twin:
    employee_id: str
    skills: dict[str, float]
    attributes: dict[str, Any] = field(default_factory=dict)


class PydanticTwin(BaseModel):
    employee_id: str
    skills: dict[str, float]
    attributes: dict[str, Any] = {}


PROFILES = {"analyst": {"sql": 1.0, "excel": 0.5}, "developer": {"python": 1.0, "sql": 0.5}}


def fair_score(twins: Any) -> pd.DataFrame:
    """Skills only: the share of each profile's weighted skills the twin has."""
    rows = {
        t.employee_id: {p: sum(w * t.skills.get(s, 0) for s, w in req.items()) / sum(req.values())
                        for p, req in PROFILES.items()}
        for t in twins
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def leaky_score(twins: Any) -> pd.DataFrame:
    """Wrongly gives men a bonus on the developer profile."""
    frame = fair_score(twins)
    for t in twins:
        if t.attributes.get("gender") == "male":
            frame.loc[t.employee_id, "developer"] += 0.1
    return frame


def team() -> list[Twin]:
    return [
        Twin("e1", {"sql": 1.0, "python": 0.5}, {"gender": "male", "age": 41, "name": "Jan"}),
        Twin("e2", {"excel": 1.0}, {"gender": "female", "age": 29,
                                    "past_job_titles": ["Data clerk"]}),
        Twin("e3", {"python": 1.0}),
    ]


def test_fair_scorer_passes() -> None:
    twins = team()
    result = check_invariance(fair_score, twins)
    assert result.ok and bool(result)
    assert result.perturbations == tuple(DEFAULT_PERTURBATIONS)
    assert result.changes.empty
    assert "No score changed" in result.summary()
    result.raise_if_changed()
    assert twins[0].attributes == {"gender": "male", "age": 41, "name": "Jan"}  # untouched


def test_scorer_using_an_attribute_is_caught() -> None:
    result = check_invariance(leaky_score, team())
    assert not result.ok
    changes = result.changes
    assert set(changes["perturbation"]) == {"gender", "no_attributes"}
    gender = changes[changes["perturbation"] == "gender"]
    # e1 loses the bonus (male -> female), e2 gains it (female -> male); e3 (no gender,
    # set to female) and every analyst score stay.
    assert gender[["employee_id", "column"]].values.tolist() == [["e1", "developer"],
                                                                  ["e2", "developer"]]
    assert (gender["after"] - gender["before"]).tolist() == pytest.approx([-0.1, 0.1])
    assert "gender (2 score(s))" in result.summary()
    with pytest.raises(OversightError, match="Remove these attributes"):
        result.raise_if_changed()


def test_scorer_using_age_with_pydantic_twins() -> None:
    twins = [PydanticTwin(employee_id="p1", skills={"sql": 1.0}, attributes={"age": 30}),
             PydanticTwin(employee_id="p2", skills={"sql": 0.5}, attributes={"age": 55})]

    def age_score(ts: Any) -> pd.Series:
        return pd.Series({t.employee_id: t.skills["sql"] - t.attributes.get("age", 0) / 1000
                          for t in ts}, name="analyst")

    result = check_invariance(age_score, twins, atol=1e-6)
    assert set(result.changes["perturbation"]) == {"age", "no_attributes"}
    assert twins[0].attributes == {"age": 30}


def test_custom_perturbations() -> None:
    def grade_score(ts: Any) -> pd.DataFrame:
        return pd.DataFrame({"x": [len(str(t.attributes.get("grade", ""))) for t in ts]},
                            index=[t.employee_id for t in ts])

    result = check_invariance(grade_score, team(),
                              perturb={"grade": lambda a: {**a, "grade": "senior"}})
    assert result.perturbations == ("grade",)
    assert len(result.changes) == 3


def test_works_with_employee_twins() -> None:
    twins = [EmployeeTwin("emp-1", attributes={"gender": "female", "department": "finance"}),
             EmployeeTwin("emp-2", attributes={"gender": "male"})]

    def claims_score(ts: Any) -> pd.DataFrame:
        return pd.DataFrame({"p": [float(len(t.claims)) for t in ts]},
                            index=[t.employee_id for t in ts])

    assert check_invariance(claims_score, twins).ok
    copy = with_attributes(twins[0], {"gender": "male"})
    assert copy.attributes == {"gender": "male"}
    assert twins[0].attributes["gender"] == "female"


def test_invariance_input_errors() -> None:
    with pytest.raises(ConfigurationError, match="at least one twin"):
        check_invariance(fair_score, [])
    with pytest.raises(ConfigurationError, match="`attributes` dict"):
        check_invariance(fair_score, [object()])
