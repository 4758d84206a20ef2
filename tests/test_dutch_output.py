"""Output in the taxonomy's language: the message catalogue, profiles, gaps, matches, demo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skilltwin import JobProfile, Taxonomy
from skilltwin._i18n import MESSAGES, decimal, language_name, message, number
from skilltwin.cli.main import main
from skilltwin.scoring import gap, match
from skilltwin.twin import EmployeeTwin

SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
OBSERVED = "2024-01-01"


# -- the catalogue ------------------------------------------------------------------------
def test_dutch_translates_every_english_message() -> None:
    assert set(MESSAGES["en"]) - set(MESSAGES["nl"]) == set()
    for key, english in MESSAGES["en"].items():
        fields = set(re.findall(r"{(\w+)", english))
        assert set(re.findall(r"{(\w+)", MESSAGES["nl"][key])) == fields, key
        assert MESSAGES["nl"][key].strip(), key


def test_an_uncatalogued_language_speaks_english() -> None:
    assert message("status.missing", "de") == "missing"
    assert message("status.missing", "nl") == "ontbreekt"
    assert message("level.Working", "en", default="Working") == "Working"
    assert message("level.Working", "nl", default="Working") == "Zelfstandig"
    assert number(13_896, "nl") == "13.896" and number(13_896, "en") == "13,896"
    assert decimal(0.4286, ".3f", "nl") == "0,429" and decimal(0.4286, ".3f", "en") == "0.429"
    assert language_name("nl", "nl") == "Nederlands" and language_name("xx", "nl") == "xx"
    with pytest.raises(KeyError, match="no message"):
        message("no.such.key", "nl")


# -- profiles, gaps and matches on the Dutch taxonomy ---------------------------------------
@pytest.fixture(scope="module")
def developer(esco_nl: Taxonomy) -> JobProfile:
    return JobProfile.from_occupation(esco_nl, SOFTWARE_DEVELOPER)


def _dutch_requirements(esco_nl: Taxonomy, profile: JobProfile) -> list[str]:
    return [r.skill_uri for r in profile.essential if esco_nl.skill(r.skill_uri).language == "nl"]


def test_profile_renders_in_dutch(esco_nl: Taxonomy, developer: JobProfile) -> None:
    text = developer.render()
    assert text.startswith("# software ontwikkelaar\n")
    for dutch in ("## Doel", "## Essentiële vaardigheden", "## Optionele vaardigheden",
                  "— niveau 2 (Zelfstandig)", "— niveau 1 (Basiskennis)", "Bron: ESCO-beroep",
                  "Vaardigheden uit ESCO v1.1.1 (nl)", "ESCO © Europese Unie"):
        assert dutch in text
    for english in ("Essential skills", "Purpose", "level 2", "Source:", "Working"):
        assert english not in text
    dutch_labels = [esco_nl.skill(uri).label for uri in _dutch_requirements(esco_nl, developer)]
    assert dutch_labels and all(f"- {label} — niveau" in text for label in dutch_labels)
    assert "## Essential skills" in developer.render(language="en")


def test_gap_and_match_explain_themselves_in_dutch(esco_nl: Taxonomy, esco: Taxonomy,
                                                   developer: JobProfile) -> None:
    held = _dutch_requirements(esco_nl, developer)[:2]
    twin = EmployeeTwin("E1", taxonomy=esco_nl)
    twin.add_skill(esco_nl.skill(held[0]).label, level=3, observed=OBSERVED)  # by Dutch label
    twin.add_skill(held[1], level=1, observed=OBSERVED)
    report = gap(twin, developer, esco_nl)
    assert report.provenance.language == "nl"
    assert re.match(r"E1 t\.o\.v\. software ontwikkelaar: \d+ vereiste vaardigheden — 1 "
                    r"voldaan, 1 onder niveau, \d+ gedekt door een verwante vaardigheid, \d+ "
                    r"ontbrekend \(waarvan \d+ essentieel\)\.", report.summary)
    result = match(twin, developer, esco_nl)
    assert result.explanation.startswith(f"E1 past voor {round(result.score * 100)}% bij "
                                         "software ontwikkelaar.")
    assert "Aanwezige essentiële vaardigheden geven" in result.explanation
    assert "Grootste tekorten:" in result.explanation
    assert "(niveau 1,0 van 2)" in result.explanation or "essentieel, ontbreekt" in \
        result.explanation
    assert re.search(r"geven \d,\d{3}, aanwezige", result.explanation)  # decimal comma
    for english in (" matches ", "Biggest gaps", "missing", "required skills"):
        assert english not in result.explanation
    html = report._repr_html_()
    assert "Tekorten: E1 t.o.v. software ontwikkelaar" in html and "Openstaande eisen" in html
    assert "Bijdragen" in result._repr_html_()
    # the language changes the words, never the score
    english_twin = EmployeeTwin("E1", taxonomy=esco)
    english_twin.add_skill(held[0], level=3, observed=OBSERVED)
    english_twin.add_skill(held[1], level=1, observed=OBSERVED)
    english = match(english_twin, JobProfile.from_occupation(esco, SOFTWARE_DEVELOPER), esco)
    assert english.score == pytest.approx(result.score)
    assert english.explanation.startswith("E1 matches software developer at")


def test_a_draft_accepts_suggestions_by_label_in_either_language(esco_nl: Taxonomy) -> None:
    draft = JobProfile.from_skills(esco_nl, ["Python", "SQL"], title="Ontwikkelaar")
    assert all(s.reason.startswith("vereist door ") for s in draft.suggestions)
    dutch = next(s for s in draft.suggestions if esco_nl.skill(s.skill_uri).language == "nl")
    english_label = esco_nl.skills_frame().at[dutch.skill_uri, "fallback_labels"][0]
    draft.accept(english_label)
    assert dutch.skill_uri in {r.skill_uri for r in draft.to_profile().requirements}
    card = draft._repr_html_()
    assert "Conceptprofiel: Ontwikkelaar" in card and "voorgestelde vaardigheid" in card
    assert "aanvaard" in card and "accepted" not in card
    twin = EmployeeTwin("E2", taxonomy=esco_nl)
    twin.add_skill(dutch.skill_uri, level=2, observed=OBSERVED)
    card = twin._repr_html_()
    assert "Digitale tweeling E2" in card and "Zelfstandig" in card
    assert f"<th>{dutch.label}</th>" in card


def test_planning_speaks_dutch(esco_nl: Taxonomy, developer: JobProfile) -> None:
    from skilltwin.planning import WorkforcePlan, reskilling_path

    held = _dutch_requirements(esco_nl, developer)[:1]
    twin = EmployeeTwin("E1", taxonomy=esco_nl)
    twin.add_skill(held[0], level=1, observed=OBSERVED)
    path = reskilling_path(twin, developer, esco_nl)
    reasons = [step.reason for step in path.steps]
    raised = next(step for step in path.steps if step.skill_uri == held[0])
    assert raised.reason == f"{esco_nl.skill(held[0]).label} verhogen van niveau 1 naar 2"
    assert all(re.search(r"verhogen van niveau|leren: je beheerst|vanaf nul leren", r)
               for r in reasons)
    assert not any("learn" in r or "raise" in r for r in reasons)
    assert "Omscholingspad: E1 → software ontwikkelaar" in path._repr_html_()
    plan = WorkforcePlan([twin], [developer], {developer.profile_id: 1}, taxonomy=esco_nl)
    html = plan._repr_html_()
    assert "Personeelsplan" in html and "Dekking per profiel" in html
    assert "1 medewerker, 1 profiel, ESCO v1.1.1 (nl)" in html  # singular for one


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", ["1 medewerker", "2 medewerkers", "1.250 medewerkers", "1 week", "2,5 weken",
            "de medewerker die er het dichtst bij zit", "de 3 medewerkers die er het dichtst "
            "bij zitten"]),
    ("en", ["1 employee", "2 employees", "1,250 employees", "1 week", "2.5 weeks",
            "the closest employee", "3 closest employees"]),
])
def test_counts_take_the_singular_for_one(language, expected):
    from skilltwin._i18n import counted, plural

    said = [counted("employees", n, language) for n in (1, 2, 1250)]
    said += [counted("weeks", w, language) for w in (1.0, 2.5)]
    said += [plural("scenario.closest", n, language, n=n) for n in (1, 3)]
    assert said == expected


# -- the demo -------------------------------------------------------------------------------
def _ranking(report: str) -> list[str]:
    return re.findall(r"^\| \d \| (ZV-\d+) \|", report, flags=re.MULTILINE)


def test_demo_in_dutch(tmp_path: Path, esco: Taxonomy,
                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--language", "nl", "--out", str(tmp_path / "nl")]) == 0
    printed = capsys.readouterr()
    report = (tmp_path / "nl" / "zuiderveen-report.md").read_text(encoding="utf-8")
    assert report.startswith("# Gemeente Zuiderveen — interne kandidaten\n")
    for dutch in ("25 medewerkers, 5 functieprofielen", "met ESCO v1.1.1 (nl)",
                  "2.218 van 13.896 vaardigheden hebben een label in het Nederlands",
                  "| rang | medewerker | score | grootste tekorten |", "(ontbreekt)",
                  "ESCO-beroep", "uit vaardigheden", "## Audittrail", "de hashketen klopt",
                  "Fictieve organisatie en personen"):
        assert dutch in report, dutch
    for english in ("internal candidates", "employees", "(missing)", "below level",
                    "Audit trail", "hash chain verifies", "essential and", "European Union"):
        assert english not in report, english
    assert "tekorten:" in printed.out and "Rapport geschreven naar" in printed.out
    assert "11,678 of 13,896 skills have no 'nl' label" in printed.err
    main(["demo", "--out", str(tmp_path / "en")])
    english = (tmp_path / "en" / "zuiderveen-report.md").read_text(encoding="utf-8")
    assert english.startswith("# Gemeente Zuiderveen — internal candidates")
    assert "label in" not in english  # nothing falls back in English
    assert _ranking(report) == _ranking(english) and len(_ranking(report)) == 15
    assert re.search(r"^\| 1 \| ZV-\d+ \| 0,\d\d \|", report, flags=re.MULTILINE)
