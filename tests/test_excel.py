"""Excel workbooks for managers: opened again with openpyxl and checked cell by cell."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest
from builders import profile_with, twin_with

import skilltwin
from skilltwin import EmployeeTwin, JobProfile, OutputError
from skilltwin.planning import Scenario, WorkforcePlan


@pytest.fixture(scope="module")
def team(esco):  # type: ignore[no-untyped-def]
    finance = profile_with(esco, "finance", {"manage budgets": ("essential", 3),
                                             "public finance": ("essential", 2),
                                             "accounting": ("optional", 1)})
    twins = [
        twin_with(esco, "=HYPERLINK(\"http://evil.example\",\"click\")",
                  {"manage budgets": 2, "public finance": 2}),
        twin_with(esco, "e2", {"accounting": 3}),
    ]
    return twins, finance


def _values(sheet) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _column(sheet, header: str) -> list[object]:  # type: ignore[no-untyped-def]
    headers = [cell.value for cell in sheet[1]]
    position = headers.index(header) + 1
    return [sheet.cell(row=r, column=position).value for r in range(2, sheet.max_row + 1)]


def test_a_match_result_workbook_has_its_views_formats_and_versions(team, esco, tmp_path):  # type: ignore[no-untyped-def]
    twins, finance = team
    result = skilltwin.match(twins[1], finance, esco)
    path = tmp_path / "match.xlsx"
    result.to_excel(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Match", "Contributions", "Versions"]
    match = book["Match"]
    assert match.freeze_panes == "B2"  # header row and first column stay in view
    headers = [cell.value for cell in match[1]]
    score_at = headers.index("score") + 1
    assert headers[score_at] == "explanation"  # the explanation beside the score
    assert match.cell(row=2, column=score_at).value == pytest.approx(result.score)
    assert match.cell(row=2, column=score_at).number_format == "0.000"
    assert match.cell(row=2, column=score_at + 1).value == result.explanation
    contributions = book["Contributions"]
    assert contributions.freeze_panes == "B2"
    assert contributions.max_row == 1 + len(finance.requirements)
    levels = contributions.cell(row=2, column=[c.value for c in contributions[1]].index(
        "min level") + 1)
    assert levels.number_format == "0.0"
    assert "share" in [c.value for c in contributions[1]]
    share = contributions.cell(row=2, column=[c.value for c in contributions[1]].index(
        "share") + 1)
    assert share.number_format == "0.0%"
    versions = dict(row for row in _values(book["Versions"])[1:])
    assert versions["library_version"] == skilltwin.__version__
    assert versions["taxonomy_release"] == esco.release
    assert "model_name" in versions and versions["formula"] == result.formula


def test_formula_looking_text_is_neutralised_and_no_cell_is_a_formula(team, esco, tmp_path):  # type: ignore[no-untyped-def]
    twins, finance = team
    plus = finance.model_copy(update={"title": "+Finance", "profile_id": "@fin"})
    path = tmp_path / "gap.xlsx"
    skilltwin.gap(twins[0], plus, esco).to_excel(path)
    book = openpyxl.load_workbook(path)
    summary = book["Summary"]
    assert _column(summary, "employee") == ["'=HYPERLINK(\"http://evil.example\",\"click\")"]
    assert _column(summary, "profile") == ["'@fin"]
    assert _column(summary, "profile title") == ["'+Finance"]
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_a_list_of_results_stacks_into_one_row_each_with_audit_ids(team, esco, tmp_path):  # type: ignore[no-untyped-def]
    twins, finance = team
    audit_log = skilltwin.AuditLog(tmp_path / "audit.db",
                               pseudonym_key=b"excel-test-key-0123456789abcdef-0123")
    workspace = skilltwin.Workspace(esco, audit_log=audit_log, actor="hr@example.org",
                                    purpose="internal mobility")
    recorded = [workspace.match(twin, finance) for twin in twins]
    path = tmp_path / "matches.xlsx"
    skilltwin.to_excel(recorded, path)
    book = openpyxl.load_workbook(path)
    assert _column(book["Match"], "employee") == ["'" + twins[0].employee_id, "e2"]
    versions = dict(row for row in _values(book["Versions"])[1:])
    audit_log = {key: value for key, value in versions.items() if key.startswith("audit id")}
    assert sorted(audit_log.values()) == sorted(r.audit_id for r in recorded)


def test_a_workforce_plan_workbook_with_a_scenario_comparison(team, esco, tmp_path):  # type: ignore[no-untyped-def]
    twins, finance = team
    developer = JobProfile.from_occupation(esco, "software developer", profile_id="dev")
    plan = WorkforcePlan(twins, [finance, developer], {"finance": 2}, taxonomy=esco)
    scenario = Scenario(name="more finance").set_headcount("finance", 3).train(
        "manage budgets", employee_ids=["e2"], level=3)
    path = tmp_path / "plan.xlsx"
    plan.to_excel(path, scenarios=[scenario], isco=2)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Coverage", "Coverage ISCO 2", "Supply and demand",
                               "Skill groups", "Key persons", "more finance", "Scenarios",
                               "Changes", "Versions"]
    assert all(sheet.freeze_panes == "B2" for sheet in book)
    coverage = book["Coverage"]
    assert _column(coverage, "profile") == ["finance", "dev"]
    cell = coverage.cell(row=2, column=[c.value for c in coverage[1]].index("coverage") + 1)
    assert cell.number_format == "0.0%" and 0 <= cell.value <= 1
    compared = book["more finance"]
    headers = [c.value for c in compared[1]]
    assert "headcount shortfall (change)" in headers
    assert _column(compared, "headcount (scenario)")[
        _column(compared, "profile").index("finance")] == 3
    changes = _values(book["Changes"])
    assert changes[1][0] == "more finance" and "3" in changes[1][1]
    by_isco = book["Coverage ISCO 2"]
    assert set(_column(by_isco, "ISCO group")) == {
        "Information and communications technology professionals", "unclassified"}
    versions = dict(row for row in _values(book["Versions"])[1:])
    assert versions["taxonomy_release"] == esco.release


def test_a_comparison_frame_and_a_match_frame_write_through_to_excel(team, esco, tmp_path):  # type: ignore[no-untyped-def]
    twins, finance = team
    plan = WorkforcePlan(twins, [finance], taxonomy=esco)
    table = plan.compare(Scenario(name="leave").leave("e2"), by="skill")
    skilltwin.to_excel(table, tmp_path / "compare.xlsx")
    book = openpyxl.load_workbook(tmp_path / "compare.xlsx")
    assert book.sheetnames == ["leave", "Changes", "Versions"]
    scores = skilltwin.match_frame(twins, [finance], esco)
    skilltwin.to_excel(scores, tmp_path / "scores.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "scores.xlsx")["Scores"]
    assert [c.value for c in sheet[1]] == ["employee", "finance"]
    assert sheet.cell(row=3, column=2).value == pytest.approx(scores.loc["e2", "finance"])
    assert sheet.cell(row=3, column=2).number_format == "0.000"


def test_dutch_workbook_speaks_dutch(esco_nl, tmp_path):  # type: ignore[no-untyped-def]
    profile = JobProfile.from_occupation(esco_nl, "boekhouder", profile_id="bh")
    twin = EmployeeTwin("e1", taxonomy=esco_nl)
    twin.add_skill(profile.requirements[0].skill_uri, level=3, source="assessment",
                   observed="2025-01-01")
    skilltwin.gap(twin, profile, esco_nl).to_excel(tmp_path / "tekort.xlsx")
    book = openpyxl.load_workbook(tmp_path / "tekort.xlsx")
    assert book.sheetnames == ["Samenvatting", "Tekorten", "Versies"]
    assert "vaardigheid" in [c.value for c in book["Tekorten"][1]]


def test_refuses_a_database_a_folder_and_other_extensions(team, esco, tmp_path):  # type: ignore[no-untyped-def]
    twins, finance = team
    result = skilltwin.match(twins[1], finance, esco)
    database = tmp_path / "store.xlsx"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE t (x)")
    before = database.read_bytes()
    with pytest.raises(OutputError, match="SQLite"):
        result.to_excel(database)
    assert database.read_bytes() == before
    folder = tmp_path / "reports.xlsx"
    folder.mkdir()
    with pytest.raises(OutputError, match="folder"):
        skilltwin.to_excel(result, folder)
    with pytest.raises(OutputError, match=r"\.xlsx"):
        result.to_excel(tmp_path / "report.csv")
    assert not (tmp_path / "report.csv").exists()


def test_what_cannot_be_written_says_what_can(tmp_path: Path) -> None:
    with pytest.raises(skilltwin.ConfigurationError, match="gap report"):
        skilltwin.to_excel(object(), tmp_path / "x.xlsx")


def test_without_openpyxl_the_error_says_what_to_install(team, esco, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    twins, finance = team
    result = skilltwin.match(twins[1], finance, esco)
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)
    with pytest.raises(skilltwin.ConfigurationError, match=r"skilltwin\[excel\]"):
        result.to_excel(tmp_path / "match.xlsx")
    assert not (tmp_path / "match.xlsx").exists()
