"""schema.org JobPosting (JSON-LD files and vacancy pages) into draft profiles a person
completes: ESCO skills as requirements, the occupation's or ISCO group's skills as
suggestions, notes for what matched nothing, and clear errors for pages without a posting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skilltwin.errors import JobPostingError, SkilltwinError
from skilltwin.profiles import JobProfile, read_job_posting, read_job_postings

DATA = Path(__file__).resolve().parent / "data" / "job_postings"
PAGE, JSONLD = DATA / "vacancy.html", DATA / "posting.jsonld"
SQL_URI = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
UNKNOWN_URI = "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000"
DATA_ANALYST = "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"


def test_a_vacancy_page_gives_its_posting() -> None:
    posting = read_job_posting(PAGE)
    assert posting.title == "Data analyst"
    assert posting.identifier == "ZV-2024-017" and posting.date_posted == "2024-04-02"
    # HTML in the description becomes text, one line per paragraph or list item
    assert posting.description.splitlines() == [
        "The municipality of Zuiderveen looks for a data analyst who turns data into insight.",
        "You perform data analysis for the policy teams.",
        "You build reports on the municipal budget & present them.",
    ]
    assert [(skill.name, skill.esco_uri) for skill in posting.skills] == [
        ("SQL", SQL_URI), ("Quantum bookkeeping", UNKNOWN_URI),
        ("Python (computer programming)", None), ("stakeholder wrangling", None)]
    (category,) = posting.occupational_categories
    assert (category.isco_code, category.esco_uri) == ("2511", None)


def test_page_text_and_parsed_json_ld_read_alike() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert read_job_posting(page) == read_job_posting(PAGE)
    document = json.loads(JSONLD.read_text(encoding="utf-8"))
    assert read_job_posting(document) == read_job_posting(JSONLD)


def test_a_json_ld_file_with_text_skills_and_an_esco_occupation() -> None:
    posting = read_job_posting(JSONLD)
    assert posting.description == "Analyse municipal data with statistics and spreadsheets."
    assert [skill.name for skill in posting.skills] == [
        "SQL", "statistics", "use spreadsheets software"]
    assert posting.occupational_categories[0].esco_uri == DATA_ANALYST


@pytest.mark.parametrize(("category", "isco", "uri"), [
    ("2511", "2511", None),
    ("2511 Systems analysts", "2511", None),
    ("http://data.europa.eu/esco/isco/C2511", "2511", None),
    (DATA_ANALYST, None, DATA_ANALYST),
    ({"@type": "CategoryCode", "codeValue": "2511", "inCodeSet": {"name": "ISCO-08"}},
     "2511", None),
    ({"@type": "CategoryCode", "codeValue": "15-1252.00", "inCodeSet": "O*NET-SOC"}, None, None),
    ({"@type": "CategoryCode", "codeValue": "2512", "inCodeSet": "O*NET-SOC"}, None, None),
    ("Software developers", None, None),
])
def test_occupational_categories(category: object, isco: str | None, uri: str | None) -> None:
    posting = read_job_posting({"@type": "JobPosting", "title": "x",
                                "occupationalCategory": category})
    (read,) = posting.occupational_categories
    assert (read.isco_code, read.esco_uri) == (isco, uri)


def test_postings_in_lists_graphs_and_types_lists_are_all_found() -> None:
    document = [{"@type": "Organization", "name": "Zuiderveen"},
                {"@graph": [{"@type": ["JobPosting"], "title": "A"}]},
                {"@type": "http://schema.org/JobPosting", "title": "B"}]
    assert [posting.title for posting in read_job_postings(document)] == ["A", "B"]
    with pytest.raises(JobPostingError, match="holds 2 job postings"):
        read_job_posting(document)


def test_a_posting_with_an_isco_code_becomes_a_draft_a_person_completes(esco) -> None:
    draft = JobProfile.from_job_posting(esco, PAGE)
    assert draft.profile.title == "Data analyst" and draft.profile.profile_id == "ZV-2024-017"
    assert draft.profile.source == "job posting"
    # the skills named as ESCO skills (a known URI, an exact label) are the requirements
    assert {r.skill_uri for r in draft.profile.requirements} == {
        SQL_URI, esco.skill("Python (computer programming)").uri}
    # the ISCO code is kept, and its group's occupations propose skills, pending
    assert draft.isco_code == "2511" and draft.profile.occupation_uri is None
    group = {occupation.uri for occupation in esco.occupations()
             if (occupation.isco_code or "").startswith("2511")}
    assert {match.uri for match in draft.occupations} == group
    assert draft.suggestions and all(s.decision == "pending" for s in draft.suggestions)
    assert all("ISCO 2511 (Systems analysts)" in s.reason for s in draft.suggestions)
    scores = [s.score for s in draft.suggestions]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1
    # what matched nothing is said, not dropped
    notes = " ".join(draft.notes)
    assert UNKNOWN_URI in notes and "stakeholder wrangling" in notes and "mapper=" in notes
    # a person decides; only accepted suggestions enter the profile
    first, second = draft.suggestions[:2]
    draft.accept(first.label)
    draft.reject(second.skill_uri)
    profile = draft.to_profile()
    assert first.skill_uri in {r.skill_uri for r in profile.requirements}
    assert second.skill_uri not in {r.skill_uri for r in profile.requirements}
    assert len(profile.requirements) == 3


def test_an_esco_occupation_proposes_its_own_skills(esco) -> None:
    draft = JobProfile.from_job_posting(esco, JSONLD)
    occupation = esco.occupation(DATA_ANALYST)
    assert draft.profile.occupation_uri == DATA_ANALYST
    assert draft.isco_code == occupation.isco_code == "2511"
    given = {r.skill_uri for r in draft.profile.requirements}
    assert given == {esco.skill(label).uri for label in
                     ("SQL", "statistics", "use spreadsheets software")}
    essential = [s for s in draft.suggestions if s.importance == "essential"]
    assert essential and all(s.score == 1 and s.skill_uri in occupation.essential_skills
                             for s in essential)
    assert not given & {s.skill_uri for s in draft.suggestions}
    assert draft.notes == []


def test_without_a_category_the_closest_occupations_propose(esco) -> None:
    posting = {"@type": "JobPosting", "title": "Baker", "skills": ["bake bread", "plan menus"]}
    draft = JobProfile.from_job_posting(esco, read_job_posting(posting))
    assert draft.isco_code is None and draft.occupations
    assert draft.suggestions


def test_a_mapper_suggests_the_skills_of_the_text(esco, small_mapper) -> None:
    draft = JobProfile.from_job_posting(esco, PAGE, mapper=small_mapper)
    from_text = [s for s in draft.suggestions if "named in the job posting" in s.reason]
    assert esco.skill("perform data analysis").uri in {s.skill_uri for s in from_text}
    assert not any("mapper=" in note for note in draft.notes)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("no_posting.html", None, r"no schema\.org JobPosting.*could not be read"),
    ("plain.html", "<html><body><h1>Vacature</h1><p>Data analyst</p></body></html>",
     r"no schema\.org JobPosting"),
    ("broken.json", '{"@type": "JobPosting", "title": ', "not valid JSON"),
    ("other.jsonld", '{"@type": "Organization", "name": "Zuiderveen"}',
     r"no schema\.org JobPosting"),
    ("untitled.json", '{"@type": "JobPosting", "description": "x"}', "without a title"),
])
def test_sources_without_a_readable_posting_give_a_clear_error(
        tmp_path: Path, name: str, content: str | None, expected: str) -> None:
    path = DATA / name if content is None else tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(JobPostingError, match=expected) as raised:
        read_job_posting(path)
    assert isinstance(raised.value, SkilltwinError) and str(path) in str(raised.value)


def test_from_job_posting_reports_a_page_without_posting(esco) -> None:
    with pytest.raises(JobPostingError, match=r"no schema\.org JobPosting"):
        JobProfile.from_job_posting(esco, DATA / "no_posting.html")
