"""Attacks by a careless user: bad files, bad records, bad arguments, damaged ESCO downloads.

Every mistake must end in a SkilltwinError whose message names the file, record or field and
says what to do (the CLI: one line on stderr, exit code 2), and no data may be dropped or
replaced without a word. All inputs are real files written to a temporary folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from esco_fixtures import (
    OCCUPATION_DBA,
    SKILL_DATABASES,
    SKILL_PYTHON,
    SKILL_SQL,
    esco_files,
    to_csv,
    write_esco_download,
)

from skilltwin import (
    AuditLog,
    EffortModel,
    EmployeeTwin,
    InputValidationError,
    JobProfile,
    Requirement,
    Scenario,
    SkillClaim,
    SkilltwinError,
    Taxonomy,
    TaxonomyLoadError,
    UnknownConceptError,
    WorkforcePlan,
    adjacent_roles,
    best_candidates,
    load_company_taxonomy,
    load_esco,
    load_scale,
    match,
    match_frame,
    reskilling_path,
)
from skilltwin._csvsafe import neutralise_cell, restore_cell
from skilltwin.cli.main import main
from skilltwin.profiles.io import read_profiles
from skilltwin.twin.io import read_twins

SKILLS = "skills_en.csv"
RELATIONS = "occupationSkillRelations.csv"
BROADER_SKILLS = "broaderRelationsSkillPillar.csv"


@pytest.fixture(scope="module")
def esco_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_esco_download(tmp_path_factory.mktemp("esco"))


@pytest.fixture(scope="module")
def tiny(esco_root: Path) -> Taxonomy:
    return load_esco(esco_root, use_cache=False)


def _json(path: Path, payload: Any) -> Path:
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def _employee(*claims: dict[str, Any]) -> dict[str, Any]:
    return {"employee_id": "E1", "claims": [{"skill": "SQL", "level": 2}, *claims]}


def _refused(call: Callable[[], object], *parts: str) -> InputValidationError:
    with pytest.raises(InputValidationError) as caught:
        call()
    message = str(caught.value)
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    assert "\n" not in message
    return caught.value


# -- input paths --------------------------------------------------------------------------------
def test_a_folder_as_input_file_is_named_and_refused(tmp_path: Path, tiny: Taxonomy) -> None:
    _refused(lambda: read_twins(tmp_path, tiny), str(tmp_path), "is a folder, not a file")
    _refused(lambda: read_profiles(tmp_path, tiny), str(tmp_path), "is a folder")
    with pytest.raises(TaxonomyLoadError, match="is a folder"):
        load_scale(tmp_path)
    with pytest.raises(TaxonomyLoadError, match="is a folder"):
        load_company_taxonomy(tmp_path, tiny)


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path, tiny: Taxonomy) -> None:
    latin = tmp_path / "employees.jsonl"
    latin.write_bytes(b'{"employee_id": "E1", "claims": []}\n{"employee_id": "Jos\xe9"}\n')
    error = _refused(lambda: read_twins(latin, tiny), str(latin), "line 2 is not valid UTF-8",
                     "iconv")
    assert error.path == latin
    scale = tmp_path / "scale.yaml"
    scale.write_bytes("name: niveau\xe9\n".encode("latin-1"))
    with pytest.raises(TaxonomyLoadError, match="not valid UTF-8"):
        load_scale(scale)


@pytest.mark.parametrize("option", ["--twins", "--profiles"])
def test_cli_match_with_a_folder_exits_2_with_one_line(
    option: str, tmp_path: Path, esco_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _json(tmp_path / "good.json", _employee())
    files = {"--twins": good, "--profiles": good, option: tmp_path}
    argv = ["match", "--esco", str(esco_root)]
    for name, path in files.items():
        argv += [name, str(path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{tmp_path}: is a folder" in err and option in err


def test_cli_gap_with_a_latin1_profile_exits_2(tmp_path: Path, esco_root: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    employee = _json(tmp_path / "e.json", _employee())
    profile = tmp_path / "p.json"
    profile.write_bytes('{"profile_id": "P", "title": "Caf\xe9", "skills": []}'.encode("latin-1"))
    code = main(["gap", "--esco", str(esco_root), "--twin", str(employee), "--profile",
                 str(profile)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "not valid UTF-8" in err and str(profile) in err


def test_cli_map_skills_with_a_folder_fails_before_loading_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["map-skills", "--esco", str(tmp_path / "nowhere"), "--in", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "is a folder" in err and "--column" in err and "text file" in err


# -- profile documents --------------------------------------------------------------------------
def _profile(**entry: Any) -> dict[str, Any]:
    return {"profile_id": "P", "title": "Data", "skills": [{"skill": "SQL", **entry}]}


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        (_profile(weight=-1), "skills[0].weight", "outside"),
        (_profile(weight=float("nan")), "skills[0].weight", "not a finite number"),
        (_profile(min_level=-1), "skills[0].min_level", "outside the scale"),
        (_profile(min_level=5), "skills[0].min_level", "outside the scale"),
        (_profile(min_level=True), "skills[0].min_level", "yes/no"),
        (_profile(importance="crucial"), "skills[0].importance", "not one of essential, optional"),
        (_profile(level=3), "skills[0]", "unknown field(s) 'level'"),
        ({"profile_id": "P", "title": "t", "skills": [{"skill": "SQL"}, {"skill": "sql"}]},
         "skills", "same ESCO skill"),
        ({"profile_id": "P", "title": "t", "skills": [{"importance": "essential"}]},
         "skills[0]", "has no 'skill'"),
        ({"profile_id": "P", "title": "t", "skills": "SQL"}, "skills", "expected a list"),
        ({"profile_id": "P", "title": "t", "requirements": "SQL"}, "requirements",
         "expected a list"),
        ({"profile_id": "P", "title": "t", "requirements": {"skill_uri": SKILL_SQL}},
         "requirements", "expected a list"),
        ({"profile_id": "P", "title": "t", "requirements": [
            {"skill_uri": SKILL_SQL, "label": "SQL", "min_level": 9}]},
         "requirements[0].min_level", "outside the scale"),
    ],
)
def test_bad_profile_documents_name_file_record_and_field(
    document: dict[str, Any], field: str, words: str, tmp_path: Path, tiny: Taxonomy
) -> None:
    path = _json(tmp_path / "profiles.json", [_profile(), {**document, "profile_id": "P2"}])
    error = _refused(lambda: read_profiles(path, tiny), str(path), "record 2",
                     f"field '{field}'", words)
    assert (error.row, error.field) == (2, field)


def test_an_unknown_skill_names_file_record_and_field(tmp_path: Path, tiny: Taxonomy) -> None:
    path = _json(tmp_path / "p.json", [_profile(), {"profile_id": "Q", "title": "t",
                                                    "skills": [{"skill": "juggling"}]}])
    with pytest.raises(UnknownConceptError) as caught:
        read_profiles(path, tiny)
    assert str(caught.value).startswith(f"{path}, record 2, field 'skills[0]': no skill")


def test_profile_constructors_raise_skilltwin_errors_not_pydantic_ones() -> None:
    with pytest.raises(InputValidationError, match="weight"):
        Requirement(skill_uri=SKILL_SQL, label="SQL", weight=-1)
    requirement = Requirement(skill_uri=SKILL_SQL, label="SQL")
    with pytest.raises(InputValidationError) as caught:
        JobProfile(profile_id="P", title="t", requirements=(requirement, requirement))
    assert caught.value.field == "requirements"
    with pytest.raises(InputValidationError, match="requirements"):
        JobProfile(profile_id="P", title="t", requirements="SQL")  # type: ignore[arg-type]
    with pytest.raises(InputValidationError, match="not a job profile"):
        JobProfile.from_json('{"profile_id": "P", "title": "t", "requirements": 3}')


# -- claims -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("claim", "field", "words"),
    [
        ({"skill": "Python", "confidence": 5}, "claims[1].confidence", "outside"),
        ({"skill": "Python", "level": float("nan")}, "claims[1].level", "not a finite number"),
        ({"skill": "Python", "level": True}, "claims[1].level", "yes/no value"),
        ({"skill": "Python", "level": 1e400}, "claims[1].level", "not a finite number"),
        ({"skill": "Python", "observed": "2999-01-01"}, "claims[1].observed", "in the future"),
        ({"skill": "Python", "observed": "yesterday"}, "claims[1].observed", "not an ISO date"),
        ({"skill": "Python", "source": "boss"}, "claims[1].source", "not one of self"),
        ({"skill": "Python", "lvl": 3}, "claims[1]", "unknown field(s) 'lvl'"),
        ({"level": 3}, "claims[1]", "has no 'skill'"),
        ({"skill": 7}, "claims[1].skill", "expected text"),
    ],
)
def test_bad_claims_name_file_record_and_field(
    claim: dict[str, Any], field: str, words: str, tmp_path: Path, tiny: Taxonomy
) -> None:
    path = tmp_path / "employees.jsonl"
    lines = [json.dumps({"employee_id": "E0", "claims": []}), json.dumps(_employee(claim))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _refused(lambda: read_twins(path, tiny), str(path), "record 2", f"field '{field}'",
                     words)
    assert error.field == field


def test_add_skill_refuses_what_was_silently_accepted(tiny: Taxonomy) -> None:
    twin = EmployeeTwin("E1", taxonomy=tiny)
    next_month = dt.date.today() + dt.timedelta(days=30)  # future even if the run crosses midnight
    _refused(lambda: twin.add_skill("SQL", confidence=5), "field 'confidence'")
    _refused(lambda: twin.add_skill("SQL", level=math.nan), "field 'level'")
    _refused(lambda: twin.add_skill("SQL", level=True), "field 'level'", "yes/no")
    _refused(lambda: twin.add_skill("SQL", observed=next_month), "field 'observed'", "future")
    _refused(lambda: twin.add_skill("SQL", evidence=42), "field 'evidence'")  # type: ignore[arg-type]
    _refused(lambda: twin.add_skill(None), "field 'skill'")  # type: ignore[arg-type]
    assert twin.claims == []  # nothing half-added
    twin.add_skill("SQL", level=3, observed=dt.date.today())
    assert twin.levels() == {SKILL_SQL: 3.0}  # a claim observed today counts today


def test_from_cv_refuses_a_nan_confidence(tiny: Taxonomy) -> None:
    class NoSkills:  # stands in for a SkillMapper: the check comes before any extraction
        taxonomy = tiny

        def extract_skills(self, text: str) -> list[object]:
            return []

    _refused(lambda: EmployeeTwin.from_cv(NoSkills(), "CV", employee_id="E1",
                                          confidence=math.nan), "field 'confidence'")
    _refused(lambda: EmployeeTwin.from_cv(NoSkills(), "CV", employee_id="E1", top_k=-1),
             "field 'top_k'")


def test_twin_documents_and_claims_raise_skilltwin_errors(tiny: Taxonomy) -> None:
    stored = EmployeeTwin("E1", taxonomy=tiny)
    stored.add_skill("SQL", level=2, observed="2024-01-01")
    document = stored.to_dict()
    document["claims"][0]["level"] = "high"
    # The field now names the claim's field too (pydantic's location kept, issue 23 item 5).
    _refused(lambda: EmployeeTwin.from_dict(document), "field 'claims[0].level'")
    document["claims"] = "SQL"
    _refused(lambda: EmployeeTwin.from_dict(document), "field 'claims'", "expected a list")
    # the field names the scale's missing field too (pydantic's location kept, issue 23)
    _refused(lambda: EmployeeTwin.from_dict({"employee_id": "E", "scale": {"name": "x"}}),
             "field 'scale.levels'")
    # the field names the policy's field too (pydantic's location kept, issue 23)
    _refused(lambda: EmployeeTwin.from_dict({"employee_id": "E", "policy": {"trust": {"x": 1}}}),
             "field 'policy.trust'", "unknown source")
    _refused(lambda: EmployeeTwin(""), "employee_id")
    _refused(lambda: EmployeeTwin("E", attributes=["team"]), "attributes")  # type: ignore[arg-type]
    with pytest.raises(InputValidationError, match="confidence"):
        SkillClaim(skill_uri=SKILL_SQL, skill_label="SQL", level=1, confidence=5,
                   observed=dt.date(2024, 1, 1))
    with pytest.raises(InputValidationError, match="yes/no"):
        SkillClaim(skill_uri=SKILL_SQL, skill_label="SQL", level=True,
                   observed=dt.date(2024, 1, 1))


def test_claims_frame_never_drops_a_row(tiny: Taxonomy) -> None:
    no_id = pd.DataFrame({"employee_id": ["E1", None], "skill": ["SQL", "Python"]})
    _refused(lambda: EmployeeTwin.from_frame(no_id, taxonomy=tiny), "1 row(s) have no employee_id")
    no_skill = pd.DataFrame({"employee_id": ["E1", "E1"], "skill": ["SQL", math.nan]})
    _refused(lambda: EmployeeTwin.from_frame(no_skill, taxonomy=tiny), "employee 'E1'",
             "field 'claims[1]'", "has no 'skill'")
    _refused(lambda: EmployeeTwin.from_frame(no_skill, taxonomy=tiny, attribute_columns=["team"]),
             "lacks column(s) ['team']")


def test_a_key_given_twice_is_refused_not_overwritten(tmp_path: Path, tiny: Taxonomy) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text('{"employee_id": "E1", "claims": [{"skill": "SQL", "level": 1, "level": 4}]}'
                    "\n", encoding="utf-8")
    _refused(lambda: read_twins(path, tiny), str(path), "line 1", "'level' appears twice")
    company = _company(tmp_path)
    company.write_text(company.read_text(encoding="utf-8") + "skills: []\n", encoding="utf-8")
    with pytest.raises(TaxonomyLoadError, match=r"the key 'skills' at line \d+ repeats"):
        load_company_taxonomy(company, tiny)
    scale = tmp_path / "scale.yaml"
    scale.write_text("name: a\nlevels:\n  - {value: 0, name: x, name: y}\n"
                     "  - {value: 1, name: z}\n", encoding="utf-8")
    with pytest.raises(TaxonomyLoadError, match="the key 'name' at line 3 repeats"):
        load_scale(scale)


def test_whole_number_ids_are_read_as_text(tmp_path: Path, tiny: Taxonomy) -> None:
    path = _json(tmp_path / "e.json", {"employee_id": 1001, "claims": [{"skill": "SQL"}]})
    assert [t.employee_id for t in read_twins(path, tiny)] == ["1001"]
    profile = _json(tmp_path / "p.json",
                    {"profile_id": 7, "title": "t", "skills": [{"skill": "SQL"}]})
    assert [p.profile_id for p in read_profiles(profile, tiny)] == ["7"]
    _refused(lambda: read_twins(_json(tmp_path / "b.json", {"employee_id": True}), tiny),
             "field 'employee_id'")


def test_a_written_twin_without_claims_reads_back(tmp_path: Path, tiny: Taxonomy) -> None:
    path = tmp_path / "twins.json"
    path.write_text(EmployeeTwin("E9", attributes={"team": "ICT"}).to_json(), encoding="utf-8")
    (twin,) = read_twins(path, tiny)
    assert (twin.employee_id, twin.attributes, twin.claims) == ("E9", {"team": "ICT"}, [])


def test_two_records_for_one_employee_are_refused(tmp_path: Path, tiny: Taxonomy) -> None:
    path = _json(tmp_path / "e.json", [_employee(), _employee()])
    _refused(lambda: read_twins(path, tiny), "field 'employee_id'", "repeats")


def test_a_5000_digit_number_in_json_is_a_clear_error(tmp_path: Path, tiny: Taxonomy) -> None:
    path = tmp_path / "e.json"
    path.write_text('{"employee_id": "E", "claims": [{"skill": "SQL", "level": '
                    + "9" * 5000 + "}]}", encoding="utf-8")
    _refused(lambda: read_twins(path, tiny), str(path), "not valid JSON")


# -- scoring arguments --------------------------------------------------------------------------
def test_scoring_arguments_are_checked(tiny: Taxonomy) -> None:
    twin = EmployeeTwin("E1", taxonomy=tiny)
    twin.add_skill("SQL", level=3, observed="2024-01-01")
    profile = JobProfile.from_occupation(tiny, OCCUPATION_DBA)
    _refused(lambda: match(twin, "P", tiny), "field 'profile'")  # type: ignore[arg-type]
    _refused(lambda: match(profile, twin, tiny), "field 'twin'")  # type: ignore[arg-type]
    _refused(lambda: match(twin, profile, "esco"), "field 'taxonomy'")  # type: ignore[arg-type]
    _refused(lambda: match(twin, profile, tiny,  # type: ignore[arg-type]
                           scoring_policy={"essential_share": 2}), "field 'scoring_policy'")
    unreachable = JobProfile(profile_id="X", title="x", requirements=(
        Requirement(skill_uri=SKILL_SQL, label="SQL", min_level=7),))
    error = _refused(lambda: match(twin, unreachable, tiny), "outside the scale")
    assert error.field == "profile.requirements[0].min_level"
    _refused(lambda: match_frame(twin, [profile], taxonomy=tiny), "field 'twins'")  # type: ignore[arg-type]
    _refused(lambda: match_frame([twin], [profile, "P"], taxonomy=tiny),  # type: ignore[list-item]
             "field 'profiles'", "item 1")
    scores = match_frame((t for t in [twin]), iter([profile]), taxonomy=tiny)
    assert scores.loc["E1", profile.profile_id] == pytest.approx(
        match(twin, profile, tiny).score)  # a generator is read once, not half-consumed
    _refused(lambda: best_candidates(scores, profile.profile_id, top_k=0), "field 'top_k'")


def test_planning_arguments_are_checked(tiny: Taxonomy) -> None:
    twin = EmployeeTwin("E1", taxonomy=tiny)
    twin.add_skill("SQL", level=3, observed="2024-01-01")
    profile = JobProfile.from_occupation(tiny, OCCUPATION_DBA, profile_id="DBA")
    plan = WorkforcePlan((t for t in [twin]), [profile], taxonomy=tiny)
    assert plan.employee_ids == ["E1"]  # a generator is read once, not half-consumed
    _refused(lambda: WorkforcePlan([twin], [profile], {"DBA": math.nan}, taxonomy=tiny),
             "headcount['DBA']")
    _refused(lambda: WorkforcePlan([twin], [profile], taxonomy=tiny, ready_at=2), "ready_at")
    _refused(lambda: Scenario(name="s").train("SQL", level=math.nan, headcount=1), "level")
    _refused(lambda: EffortModel(base_weeks=-1), "base_weeks")
    _refused(lambda: reskilling_path(twin, "DBA", tiny), "field 'profile'")  # type: ignore[arg-type]
    _refused(lambda: adjacent_roles(twin, tiny, top_k=0), "field 'top_k'")


def test_taxonomy_and_loader_arguments_are_checked(tiny: Taxonomy, esco_root: Path) -> None:
    _refused(lambda: tiny.lookup(None), "field 'label'")  # type: ignore[arg-type]
    _refused(lambda: tiny.search(None), "field 'text'")  # type: ignore[arg-type]
    _refused(lambda: tiny.search("sql", top_k=math.nan), "field 'top_k'")  # type: ignore[arg-type]
    _refused(lambda: tiny.subset(5), "field 'concepts'")  # type: ignore[arg-type]
    _refused(lambda: tiny.with_company("acme"), "field 'company'")  # type: ignore[arg-type]
    _refused(lambda: load_esco(None), "field 'path'")  # type: ignore[arg-type]
    _refused(lambda: load_esco([esco_root, 5]), "field 'path'")  # type: ignore[list-item]
    _refused(lambda: load_company_taxonomy(None, tiny), "field 'path'")  # type: ignore[arg-type]
    draft = JobProfile.from_skills(tiny, ["SQL"], title="t")
    _refused(lambda: draft.accept(None), "field 'suggestion'")  # type: ignore[arg-type]


# -- company taxonomy and versions --------------------------------------------------------------
_COMPANY = """\
organisation: ACME
version: {version}
skills:
  - id: GZ-1
    label: Databases
    esco:
      - uri: {uri}
        relation: exact
  - id: {second}
    label: Python
    esco:
      - uri: {python}
        relation: exact
"""


def _company(tmp_path: Path, version: str = '"2025.1"', second: str = "GZ-2") -> Path:
    path = tmp_path / "company.yaml"
    path.write_text(_COMPANY.format(version=version, uri=SKILL_DATABASES, python=SKILL_PYTHON,
                                    second=second), encoding="utf-8")
    return path


def test_company_ids_are_unique_ignoring_case(tmp_path: Path, tiny: Taxonomy) -> None:
    assert len(load_company_taxonomy(_company(tmp_path), tiny)) == 2
    with pytest.raises(TaxonomyLoadError, match=r"repeats the id 'gz-1' .*'GZ-1', ignoring case"):
        load_company_taxonomy(_company(tmp_path, second="gz-1"), tiny)


@pytest.mark.parametrize("version", ["9" * 5000, "9" * 200, '"' + "1." * 100 + '1"', "1.0e+400"])
def test_absurd_company_versions_are_clear_errors(version: str, tmp_path: Path,
                                                  tiny: Taxonomy) -> None:
    with pytest.raises(TaxonomyLoadError) as caught:
        load_company_taxonomy(_company(tmp_path, version=version), tiny)
    assert str(tmp_path / "company.yaml") in str(caught.value)
    assert len(str(caught.value)) < 400


def test_a_5000_digit_scale_level_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "scale.yaml"
    path.write_text(f"name: x\nlevels:\n  - {{value: 0, name: a}}\n  - {{value: {'9' * 5000}, "
                    "name: b}\n", encoding="utf-8")
    with pytest.raises(TaxonomyLoadError, match="cannot read"):
        load_scale(path)


def test_esco_versions_are_checked(esco_root: Path) -> None:
    _refused(lambda: load_esco(esco_root, version="v1." + "1" * 5000, use_cache=False),
             "field 'version'", "not a version")
    assert load_esco(esco_root, version="v1.1.1", use_cache=False).version == "v1.1.1"


# -- damaged ESCO downloads ---------------------------------------------------------------------
def _load_error(root: Path) -> TaxonomyLoadError:
    with pytest.raises(TaxonomyLoadError) as caught:
        load_esco(root, use_cache=False)
    assert isinstance(caught.value, SkilltwinError)
    return caught.value


def test_a_skills_file_with_only_a_header_is_an_error(tmp_path: Path) -> None:
    header_only = to_csv(esco_files()["skills"][:1])
    broader = to_csv(esco_files()["broaderRelationsSkillPillar"][:1])
    relations = to_csv(esco_files()["occupationSkillRelations"][:1])
    skill_skill = to_csv(esco_files()["skillSkillRelations"][:1])
    error = _load_error(write_esco_download(tmp_path, overrides={
        SKILLS: header_only, BROADER_SKILLS: broader, RELATIONS: relations,
        "skillSkillRelations.csv": skill_skill}))
    assert SKILLS in str(error) and "no rows" in str(error)


def test_a_relation_file_with_only_a_header_is_an_error(tmp_path: Path) -> None:
    header_only = to_csv(esco_files()["skillSkillRelations"][:1])
    error = _load_error(write_esco_download(
        tmp_path, overrides={"skillSkillRelations.csv": header_only}))
    assert "skillSkillRelations.csv" in str(error) and "no rows" in str(error)


def test_a_relation_file_cut_in_half_is_an_error(tmp_path: Path) -> None:
    rows = esco_files()["occupationSkillRelations"]
    half = to_csv(rows[: 1 + (len(rows) - 1) // 2])  # cut at a line boundary: parses cleanly
    error = _load_error(write_esco_download(tmp_path, overrides={RELATIONS: half}))
    assert RELATIONS in str(error)
    assert "only 1 of the 2 occupations" in str(error) and "truncated" in str(error)


@pytest.mark.filterwarnings("ignore:.*have no 'en' labels")
def test_a_skills_file_cut_short_is_an_error(tmp_path: Path) -> None:
    rows = esco_files()["skills"]
    error = _load_error(write_esco_download(tmp_path, overrides={SKILLS: to_csv(rows[:2])}))
    assert "no concept file describes" in str(error) and SKILLS in str(error)


def test_duplicate_relation_rows_are_dropped_and_counted(tmp_path: Path) -> None:
    rows = esco_files()["occupationSkillRelations"]
    doubled = to_csv([*rows, rows[1], rows[1]])
    root = write_esco_download(tmp_path, overrides={RELATIONS: doubled})
    with pytest.warns(UserWarning, match=rf"dropped 2 duplicate relation row\(s\) \(2 in .*"
                                         rf"{RELATIONS}"):
        taxonomy = load_esco(root, use_cache=False)
    assert taxonomy.stats()["occupation_skill_relations"] == len(rows) - 1


# -- CSV exports --------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\rcmd"])
def test_formula_like_text_is_neutralised(text: str) -> None:
    assert neutralise_cell(text) == "'" + text
    assert neutralise_cell(-3) == -3 and neutralise_cell(-0.5) == -0.5
    assert neutralise_cell("Jansen") == "Jansen"
    for original in (text, "'" + text, "'quoted", "Jansen", -3):  # the rule can be undone
        assert restore_cell(neutralise_cell(original)) == original


def test_audit_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.db", pseudonym_key=b"k" * 32) as log:
        log.record("note", actor="=cmd|' /C calc'!A0", data={"delta": -1})
        stream = io.StringIO()
        assert log.export_csv(stream) == 1
    (row,) = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert row["actor"] == "'=cmd|' /C calc'!A0"
    assert json.loads(row["data"]) == {"delta": -1}
