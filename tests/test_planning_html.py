"""Notebook rendering: compact HTML for twins, profiles, drafts, gap reports and matches."""

from __future__ import annotations

import pytest

from skilltwin import EmployeeTwin, JobProfile, gap, match


@pytest.fixture(scope="module")
def twin_and_profile(esco):  # type: ignore[no-untyped-def]
    twin = EmployeeTwin("ZV-9001", taxonomy=esco, attributes={"afdeling": "Financiën"})
    twin.add_skill("manage budgets", level=3, source="manager", evidence="jaargesprek")
    twin.add_skill("public finance", level=1)
    profile = JobProfile.from_occupation(esco, "budget analyst", profile_id="budget")
    return twin, profile


def test_twin_html_lists_skills_with_levels_not_raw_claims(twin_and_profile):  # type: ignore[no-untyped-def]
    twin, _ = twin_and_profile
    html = twin._repr_html_()
    assert "ZV-9001" in html and "manage budgets" in html and "afdeling: Financiën" in html
    assert "Advanced" in html or "3.00" in html
    assert "SkillClaim" not in html and "http://data.europa.eu" not in html


def test_profile_html_shows_essential_skills_first_and_truncates(twin_and_profile):  # type: ignore[no-untyped-def]
    _, profile = twin_and_profile
    html = profile._repr_html_()
    assert profile.title in html
    first_optional = html.find(">optional<")
    assert html.find(">essential<") < first_optional or first_optional == -1
    if len(profile.requirements) > 25:
        assert f"… {len(profile.requirements) - 25} more rows" in html


def test_gap_and_match_html_explain_the_score(twin_and_profile, esco):  # type: ignore[no-untyped-def]
    twin, profile = twin_and_profile
    report = gap(twin, profile, esco)
    html = report._repr_html_()
    assert report.summary in html and "Open requirements" in html
    result = match(twin, profile, esco)
    html = result._repr_html_()
    assert f"{result.score:.0%}" in html and "partial credit" in html
    assert "Contributions" in html


def test_draft_html_shows_pending_suggestions(esco):  # type: ignore[no-untyped-def]
    draft = JobProfile.from_skills(esco, ["manage budgets", "public finance"], title="Fin")
    draft.accept(draft.suggestions[0].skill_uri)
    html = draft._repr_html_()
    assert f"{len(draft.suggestions) - 1} of {len(draft.suggestions)} suggestions" in html
    assert "accepted" in html and "pending" in html
