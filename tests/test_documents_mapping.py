"""Twins and profiles from CV and job-ad files: each claim and requirement says on which page
and in which paragraph its evidence is (the real mapper on a small ESCO index)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from documents_files import PAGE_ONE, PAGE_TWO, make_docx, make_pdf

from skilltwin import DocumentError, EmployeeTwin, JobProfile
from skilltwin.documents import Document, read_document

pytestmark = pytest.mark.model

_CITED = re.compile(r"^(?P<text>.+) \((?P<where>(?:page \d+, )?paragraph \d+), "
                    r"characters (?P<start>\d+)-(?P<end>\d+)\)$")


def test_twin_from_a_pdf_cv_cites_page_and_paragraph(small_mapper, tmp_path: Path) -> None:
    cv = make_pdf(tmp_path / "cv.pdf", [PAGE_ONE, PAGE_TWO])
    twin = EmployeeTwin.from_cv(small_mapper, cv, employee_id="E1")
    document = read_document(cv)
    evidence = {claim.skill_label: claim.evidence for claim in twin.claims}
    assert {"SQL", "manage budgets"} <= set(evidence)
    for claim in twin.claims:
        cited = _CITED.match(claim.evidence)
        assert cited, claim.evidence
        start, end = int(cited["start"]), int(cited["end"])
        assert document.text[start:end] == cited["text"]
        assert cited["where"] == str(document.locate(start, end))
    assert "page 2, paragraph 2" in evidence["SQL"]
    assert "page 2, paragraph 3" in evidence["manage budgets"]
    # the same CV as a one-line str path gives the same claims
    again = EmployeeTwin.from_cv(small_mapper, str(cv), employee_id="E1")
    assert [c.evidence for c in again.claims] == [c.evidence for c in twin.claims]


def test_profile_from_a_word_job_ad_keeps_evidence(small_mapper, tmp_path: Path) -> None:
    ad = make_docx(tmp_path / "vacancy.docx")
    profile = JobProfile.from_text(small_mapper, ad, title="Analist")
    evidence = {r.label: r.evidence for r in profile.requirements}
    assert evidence["manage budgets"] == "manage budgets (paragraph 5, characters 56-70)"
    assert "paragraph 2" in evidence["SQL"]
    assert profile.purpose == "Profile"
    assert JobProfile.from_json(profile.to_json()) == profile  # evidence survives JSON


def test_text_stays_text_and_a_missing_file_is_an_error(small_mapper) -> None:
    text = "Daily work with SQL.\n\nI managed budgets."
    twin = EmployeeTwin.from_cv(small_mapper, text, employee_id="E2")
    sql = next(c for c in twin.claims if c.skill_label == "SQL")
    assert sql.evidence.endswith("(paragraph 1, characters 16-19)")
    with pytest.raises(DocumentError, match=r"missing_cv\.pdf.*not found"):
        EmployeeTwin.from_cv(small_mapper, "missing_cv.pdf", employee_id="E3")
    with pytest.raises(DocumentError, match=r"missing_ad\.docx"):
        JobProfile.from_text(small_mapper, Path("missing_ad.docx"), title="X")
    one_line = EmployeeTwin.from_cv(small_mapper, Document.from_text("SQL at ict.pdf"),
                                    employee_id="E4")
    assert "SQL" in {c.skill_label for c in one_line.claims}
