"""Europass CVs (v3 XML and JSON) into twins: claims from ESCO URIs and languages, the rest
through the mapper, a report per item, no personal data, and clear errors for broken files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from skilltwin.errors import EuropassError, InputValidationError, SkilltwinError
from skilltwin.twin import EmployeeTwin, ProficiencyScale, ScaleLevel
from skilltwin.twin.europass import read_europass

DATA = Path(__file__).resolve().parent / "data" / "europass"
XML, JSON = DATA / "cv.xml", DATA / "cv.json"
SQL_URI = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
UNKNOWN_URI = "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000"
PERSONAL = ("Fenna", "Voorbeeld", "Kerkstraat", "9999 ZZ", "1990", "example.org",
            "+31 6", "iVBORw0KGgo")


def test_xml_and_json_exports_read_the_same() -> None:
    from_xml, from_json = read_europass(XML), read_europass(JSON)
    assert (from_xml.format, from_json.format) == ("xml", "json")
    assert from_xml.model_dump(exclude={"format"}) == from_json.model_dump(exclude={"format"})
    assert from_xml.locale == "en" and from_xml.updated == dt.date(2024, 3, 15)
    first = from_xml.work_experience[0]
    assert (first.position, first.employer, first.start, first.current) == (
        "Financial data analyst", "Gemeente Zuiderveen", "2019-03", True)
    # the editor's rich text (escaped HTML) arrives as plain text
    assert first.activities.startswith("Wrote SQL queries") and "<" not in first.activities
    assert from_xml.work_experience[1].end == "2019-02"
    assert from_xml.education[0].subjects == "Statistics, accounting, financial analysis"
    english = next(language for language in from_xml.languages if language.code == "en")
    assert english.levels == {"Listening": "C1", "Reading": "C2", "SpokenInteraction": "B2",
                              "SpokenProduction": "B2", "Writing": "B2"}
    assert [language.mother_tongue for language in from_xml.languages] == [True, False, False]
    by_text = {skill.text: skill for skill in from_xml.skills}
    assert by_text["SQL"].esco_uris == (SQL_URI,)
    assert by_text["Kubernetes"].esco_uris == (UNKNOWN_URI,)
    assert by_text["use spreadsheets software"].section == "computer"
    # two items separated by ";" in the organisational description
    assert {"Project management of the yearly budget cycle", "leading a team of four"} <= set(
        by_text)


def test_personal_data_is_never_read() -> None:
    for path in (XML, JSON):
        dumped = read_europass(path).model_dump_json()
        for personal in PERSONAL:
            assert personal not in dumped, (path.name, personal)


def test_without_a_mapper_uris_and_languages_are_claimed_and_the_rest_reported(esco) -> None:
    result = EmployeeTwin.from_europass(XML, esco, employee_id="E-2001")
    twin = result.twin
    assert twin.employee_id == "E-2001"
    by_text = {item.text: item for item in result.items}
    cv = read_europass(XML)
    assert len(result.items) == (len(cv.skills) + len(cv.languages) + len(cv.work_experience)
                                 + len(cv.education))

    sql = by_text["SQL"]
    assert (sql.status, sql.skill_uris) == ("claimed", (SQL_URI,))
    claim = next(claim for claim in twin.claims if claim.skill_uri == SQL_URI)
    assert (claim.source, claim.level, claim.observed) == ("self", 2, dt.date(2024, 3, 15))
    assert claim.evidence == "Europass, self-declared: SQL"

    kubernetes = by_text["Kubernetes"]
    assert kubernetes.status == "unknown_uri"
    assert UNKNOWN_URI in kubernetes.reason and "ESCO v1.1.1" in kubernetes.reason
    assert UNKNOWN_URI not in twin.levels()

    not_mapped = [item for item in result.items if item.status == "not_mapped"]
    assert {item.section for item in not_mapped} >= {"skill", "work_experience", "education"}
    assert all("mapper" in item.reason for item in not_mapped if item.section != "language")
    assert result.counts()["extracted"] == 0
    assert all(claim.source == "self" for claim in twin.claims)
    assert set(result.needs_attention()) == {item for item in result.items
                                             if item.status in ("unknown_uri", "not_mapped")}
    frame = result.to_frame()
    assert list(frame.columns) == ["section", "text", "status", "skill_uris", "reason"]
    assert len(frame) == len(result.items)


def test_languages_follow_their_cefr_levels(esco) -> None:
    result = EmployeeTwin.from_europass(JSON, esco, employee_id="E-2001")
    levels = result.twin.levels()
    english = {label: levels[esco.skill(label).uri] for label in (
        "English", "understand spoken English", "understand written English",
        "interact verbally in English", "write English")}
    # C1 -> 3, C2 -> 4, B2 -> 3; the language as a whole at the lowest of the five (B2)
    assert english == {"English": 3, "understand spoken English": 3,
                       "understand written English": 4, "interact verbally in English": 3,
                       "write English": 3}
    assert levels[esco.skill("Dutch").uri] == 4  # mother tongue
    assert levels[esco.skill("write Dutch").uri] == 4
    klingon = next(item for item in result.items if item.text.startswith("Klingon"))
    assert klingon.status == "not_mapped" and "no language skill" in klingon.reason


def test_cefr_levels_stretch_to_another_scale(esco) -> None:
    scale = ProficiencyScale(name="0-5", levels=tuple(
        ScaleLevel(value=value, name=str(value)) for value in range(6)))
    result = EmployeeTwin.from_europass(XML, esco, employee_id="E-2001", scale=scale)
    levels = result.twin.levels()
    assert levels[esco.skill("understand written English").uri] == pytest.approx(5)  # C2
    assert levels[esco.skill("English").uri] == pytest.approx(3.75)  # B2: 3 of 4 -> 3.75 of 5


def test_with_a_mapper_the_other_items_become_inferred_claims(esco, small_mapper) -> None:
    result = EmployeeTwin.from_europass(JSON, esco, employee_id="E-2001", mapper=small_mapper,
                                        confidence=0.3, observed="2024-06-01")
    by_text = {item.text: item for item in result.items}
    project = by_text["Project management of the yearly budget cycle"]
    assert project.status == "extracted"
    assert esco.skill("project management").uri in project.skill_uris
    education = next(item for item in result.items if item.section == "education")
    assert esco.skill("statistics").uri in education.skill_uris
    inferred = [claim for claim in result.twin.claims if claim.source == "inferred"]
    assert inferred and all(0 < claim.confidence <= 0.3 for claim in inferred)
    assert all(claim.observed == dt.date(2024, 6, 1) for claim in result.twin.claims)
    assert all(claim.evidence.startswith("Europass") for claim in inferred)
    # the item with an unknown URI is still reported as such, whatever the mapper finds
    assert by_text["Kubernetes"].status == "unknown_uri"
    # the twin keeps no personal data of the CV
    dumped = result.twin.to_json()
    for personal in PERSONAL:
        assert personal not in dumped


def test_a_cv_read_once_can_be_imported(esco) -> None:
    cv = read_europass(XML)
    result = EmployeeTwin.from_europass(cv, esco, employee_id="E-2002")
    assert result.cv is cv
    assert SQL_URI in result.twin.levels()


# -- broken files --------------------------------------------------------------------------------
def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<SkillsPassport xmlns="http://europass.cedefop.europa.eu/Europass"><LearnerInfo><Skills>
<Other><Description>&lol4;</Description></Other></Skills></LearnerInfo></SkillsPassport>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<SkillsPassport xmlns="http://europass.cedefop.europa.eu/Europass"><LearnerInfo><Skills>
<Other><Description>&secret;</Description></Other></Skills></LearnerInfo></SkillsPassport>
"""
EMPTY_CV = """<SkillsPassport xmlns="http://europass.cedefop.europa.eu/Europass">
<LearnerInfo><Identification><PersonName><FirstName>Fenna</FirstName></PersonName>
</Identification></LearnerInfo></SkillsPassport>"""


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("bomb.xml", BILLION_LAUGHS, "declares a document type or entities"),
    ("xxe.xml", EXTERNAL_ENTITY, "declares a document type or entities"),
    ("broken.xml", "<SkillsPassport><LearnerInfo>", "not well-formed XML"),
    ("page.xml", "<html><body>Hello</body></html>", "not a Europass CV"),
    ("new.xml", '<Candidate xmlns="http://www.europass.eu/1.0"/>', "2020 format"),
    ("broken.json", '{"SkillsPassport": {', "not valid JSON"),
    ("other.json", '{"name": "a twin"}', "not a Europass CV"),
    ("empty.xml", "", "empty"),
    ("text.txt", "Fenna Voorbeeld, data analyst", "neither XML nor JSON"),
    ("nothing.xml", EMPTY_CV, "nothing to import"),
    ("nothing.json", json.dumps({"SkillsPassport": {"LearnerInfo": {}}}), "nothing to import"),
])
def test_broken_files_give_a_clear_error(tmp_path: Path, name: str, content: str,
                                         expected: str) -> None:
    path = _write(tmp_path, name, content)
    with pytest.raises(EuropassError, match=expected) as raised:
        read_europass(path)
    assert isinstance(raised.value, SkilltwinError)
    assert str(path) in str(raised.value)


def test_a_missing_file_or_a_folder_is_an_input_error(tmp_path: Path, esco) -> None:
    with pytest.raises(InputValidationError, match="not found"):
        EmployeeTwin.from_europass(tmp_path / "missing.xml", esco, employee_id="E-1")
    with pytest.raises(InputValidationError, match="folder"):
        read_europass(tmp_path)


def test_the_bomb_is_refused_before_any_expansion(tmp_path: Path, esco) -> None:
    # a billion-laughs document with one more level would expand to gigabytes
    deep = BILLION_LAUGHS.replace(
        "]>", '  <!ENTITY lol9 "' + "&lol4;" * 10_000 + '">\n]>').replace("&lol4;</", "&lol9;</")
    path = _write(tmp_path, "bomb.xml", deep)
    with pytest.raises(EuropassError, match="refuses"):
        EmployeeTwin.from_europass(path, esco, employee_id="E-1")
