"""Employee twins: claims, derived levels, history, builders, JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from skilltwin.errors import (
    ConfigurationError,
    InputValidationError,
    TaxonomyLoadError,
    UnknownConceptError,
)
from skilltwin.twin import EmployeeTwin, LevelPolicy, ProficiencyScale, load_scale

SQL = "SQL"
DATABASES = "use databases"
SCALES = Path(__file__).resolve().parent.parent / "taxonomies" / "scales"


def test_default_scale_file_matches_built_in_scale() -> None:
    assert load_scale(SCALES / "default-0-4.yaml") == ProficiencyScale.default()
    assert ProficiencyScale.default().name_of(2.6) == "Working"


def test_bad_scale_file_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "scale.yaml"
    path.write_text("name: x\nlevels:\n  - {value: 1, name: a}\n  - {value: 2, name: b}\n")
    with pytest.raises(TaxonomyLoadError, match="0, 1, 2"):
        load_scale(path)


def test_add_skill_resolves_labels_and_rejects_unknown(esco) -> None:
    twin = EmployeeTwin("E001", taxonomy=esco)
    claim = twin.add_skill("sql", level=3, observed="2024-05-01")
    assert claim.skill_uri == esco.skill(SQL).uri
    assert claim.skill_label == "SQL"
    with pytest.raises(UnknownConceptError):
        twin.add_skill("juggling flaming chainsaws at night")
    with pytest.raises(ConfigurationError, match="outside the scale"):
        twin.add_skill(SQL, level=7)


def test_claims_are_kept_and_latest_per_source_counts(esco) -> None:
    twin = EmployeeTwin("E001", taxonomy=esco)
    uri = esco.skill(SQL).uri
    twin.add_skill(SQL, level=1, source="self", observed="2020-01-01")
    twin.add_skill(SQL, level=3, source="self", observed="2023-01-01")
    assert len(twin.claims) == 2
    assert twin.levels(as_of="2024-01-01")[uri] == pytest.approx(3)
    twin.add_skill(SQL, level=4, source="assessment", observed="2024-01-01")
    # self 3 (trust 0.6) and assessment 4 (trust 1.0): (0.6*3 + 1.0*4) / 1.6
    assert twin.levels(as_of="2024-06-01")[uri] == pytest.approx((0.6 * 3 + 4) / 1.6)
    past = twin.as_of("2021-06-01")
    assert len(past.claims) == 1
    assert past.levels(as_of="2021-06-01")[uri] == pytest.approx(1)


def test_claims_that_agree_give_exactly_their_level(esco) -> None:
    # trust x confidence weights 0.06 and 0.54: the plain weighted mean is 2.9999999999999996
    twin = EmployeeTwin("E001", taxonomy=esco)
    twin.add_skill(SQL, level=3, source="self", observed="2023-01-01", confidence=0.1)
    twin.add_skill(SQL, level=3, source="assessment", observed="2023-01-01", confidence=0.54)
    assert twin.levels(as_of="2024-01-01")[esco.skill(SQL).uri] == 3


def test_decay_halves_level_after_half_life(esco) -> None:
    twin = EmployeeTwin("E001", taxonomy=esco, level_policy=LevelPolicy(half_life_years=2))
    twin.add_skill(SQL, level=4, observed="2020-01-01")
    level = twin.levels(as_of=dt.date(2020, 1, 1) + dt.timedelta(days=round(2 * 365.25)))
    assert level[esco.skill(SQL).uri] == pytest.approx(2, abs=0.01)


def test_json_round_trip_keeps_history(esco) -> None:
    twin = EmployeeTwin("E001", taxonomy=esco, attributes={"department": "ICT"})
    twin.add_skill(SQL, level=2, source="manager", evidence="review 2023", observed="2023-03-01",
                   confidence=0.8)
    twin.add_skill(DATABASES, level=3, observed="2024-03-01")
    copy = EmployeeTwin.from_json(twin.to_json(), taxonomy=esco)
    assert copy.claims == twin.claims
    assert copy.attributes == {"department": "ICT"}
    assert copy.levels() == twin.levels()
    with pytest.raises(ConfigurationError, match="not a twin document"):
        EmployeeTwin.from_json('{"claims": []}')


def test_json_keeps_the_level_policy_and_reads_files_that_call_it_policy(esco) -> None:
    decaying = LevelPolicy(half_life_years=2)
    twin = EmployeeTwin("E001", taxonomy=esco, level_policy=decaying)
    written = twin.to_dict()
    assert written["level_policy"] == decaying.model_dump(mode="json")
    assert EmployeeTwin.from_dict(written).level_policy == decaying
    earlier = {key: value for key, value in written.items() if key != "level_policy"}
    earlier["policy"] = written["level_policy"]  # the key files written before the rename hold
    assert EmployeeTwin.from_dict(earlier).level_policy == decaying
    with pytest.raises(InputValidationError) as both:
        EmployeeTwin.from_dict({**written, "policy": written["level_policy"]})
    assert both.value.field == "level_policy"


def test_from_frame_builds_one_twin_per_employee(esco) -> None:
    frame = pd.DataFrame({
        "employee_id": ["A", "A", "B"],
        "skill": [SQL, DATABASES, "manage budgets"],
        "level": [3, 2, 2],
        "observed": ["2024-01-01"] * 3,
        "team": ["ICT", "ICT", "FIN"],
    })
    twins = EmployeeTwin.from_frame(frame, taxonomy=esco, attribute_columns=["team"])
    assert [t.employee_id for t in twins] == ["A", "B"]
    assert len(twins[0].levels()) == 2
    assert twins[1].attributes == {"team": "FIN"}
    without_level = frame.drop(columns="level")
    assert [list(t.levels().values()) for t in EmployeeTwin.from_frame(
        without_level, taxonomy=esco)] == [[2.0, 2.0], [2.0]]  # no level column: the default
    with pytest.raises(ConfigurationError, match="employee_id"):
        EmployeeTwin.from_frame(frame.drop(columns="employee_id"), taxonomy=esco)


def test_from_frame_refuses_a_blank_level_instead_of_the_default(esco) -> None:
    frame = pd.DataFrame({"employee_id": ["A", "B"], "skill": [SQL, "manage budgets"],
                          "level": [3, None], "observed": ["2024-01-01"] * 2})
    with pytest.raises(ConfigurationError, match="level is blank or not a finite number"):
        EmployeeTwin.from_frame(frame, taxonomy=esco)


@pytest.mark.model
def test_from_cv_claims_confident_mentions_and_suggests_the_others(small_mapper) -> None:
    text = "I worked with SQL every day and managed budgets for the department."
    mentions = small_mapper.extract_skills(text)
    twin = EmployeeTwin.from_cv(small_mapper, text, employee_id="E9")
    claims = {claim.skill_uri: claim for claim in twin.claims}
    suggested = {suggestion.skill_uri: suggestion for suggestion in twin.suggestions}
    assert small_mapper.taxonomy.skill("SQL").uri in claims.keys() | suggested.keys()
    assert len(claims) + len(suggested) == len(mentions)
    for mention in mentions:
        if mention.confidence >= 0.5:
            claim = claims[mention.best.uri]
            assert claim.source == "inferred" and claim.level == 2
            assert claim.confidence == mention.confidence
            # the mention and where it is: one paragraph, so paragraph 1
            assert claim.evidence == (f"{mention.text} (paragraph 1, characters "
                                      f"{mention.start}-{mention.end})")
        else:
            suggestion = suggested[mention.best.uri]
            assert suggestion.confidence == mention.confidence
            assert text[suggestion.start:suggestion.end] == suggestion.evidence == mention.text


def test_graph_links_employee_skills_into_esco(esco) -> None:
    twin = EmployeeTwin("E001", taxonomy=esco)
    twin.add_skill(SQL, level=3)
    graph = twin.graph
    uri = esco.skill(SQL).uri
    assert graph.has_edge("E001", uri, "holds")
    assert graph.edges["E001", uri, "holds"]["level"] == 3
    broader = esco.broader(uri)
    assert any(graph.has_node(b) for b in broader if b in esco)


def test_company_skill_resolves_through_crosswalk(esco) -> None:
    from skilltwin.taxonomy import load_company_taxonomy

    company = load_company_taxonomy(
        SCALES.parent / "company" / "gemeente-zuiderveen.yaml", esco
    )
    twin = EmployeeTwin("E001", taxonomy=esco.with_company(company))
    claim = twin.add_skill("GZ-ICT-03", level=3)
    assert claim.skill_uri == esco.skill("use databases").uri
    assert claim.company_skill == "GZ-ICT-03"


def test_a_source_with_zero_trust_is_ignored(esco) -> None:
    policy = LevelPolicy(trust={"manager": 0.8, "inferred": 0.0})
    twin = EmployeeTwin("E001", taxonomy=esco, level_policy=policy)
    twin.add_skill(SQL, level=4, source="inferred", observed="2024-01-01")
    twin.add_skill(DATABASES, level=2, source="manager", observed="2024-01-01")
    assert set(twin.levels()) == {esco.skill(DATABASES).uri}
