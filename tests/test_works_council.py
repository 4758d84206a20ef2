"""The request for the works council's consent (WOR art. 27(1)(k) and (l)) from a store, with
the fairness checks it records, and the EU AI Act dates with their source."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from esco_fixtures import OCCUPATION_DBA, SKILL_SQL

from skilltwin import EmployeeTwin, JobProfile, Workspace
from skilltwin._legal import (
    ANNEX_III_DATE,
    CHECK_OFFICIAL_JOURNAL,
    OMNIBUS_ADOPTED,
    OMNIBUS_PROPOSAL,
    OMNIBUS_REPORTED_AS,
    ai_act_dates,
)
from skilltwin.cli.main import main
from skilltwin.errors import ConfigurationError
from skilltwin.fairness import FairnessReport, check_invariance
from skilltwin.store import Store, works_council_request
from skilltwin.store.notice import missing_settings

KEY = b"test-pseudonym-key-0123456789abcdef"
DOCS = Path(__file__).resolve().parents[1] / "docs"
TODAY = dt.date(2026, 12, 3)


def _store(url: str, taxonomy) -> Store:  # type: ignore[no-untyped-def]
    store = Store(url, taxonomy=taxonomy)
    store.configure(purposes=["succession planning"])
    twins = []
    for i in range(4):
        twin = EmployeeTwin(f"emp-{i}", taxonomy=taxonomy, attributes={"department": "ICT"})
        twin.add_skill(SKILL_SQL, level=1 + i % 3, source="manager", observed="2025-01-01")
        store.save_twin(twin)
        twins.append(twin)
    audit_log = store.audit_log(pseudonym_key=KEY)
    ws = Workspace(taxonomy, store=store, audit_log=audit_log, actor="hr@example.nl",
                   purpose="internal mobility")
    profile = JobProfile.from_occupation(taxonomy, OCCUPATION_DBA)
    result = ws.match(twins[0], profile)
    ws.decide(result, outcome="shortlist", reviewer="A. Jansen")
    ws.gap(twins[1], profile, purpose="Succession Planning")
    scores = ws.match_frame(twins, [profile]).value[profile.profile_id]
    groups = pd.Series(["a", "a", "b", "b"], index=scores.index, name="age band")
    store.record_fairness_check(FairnessReport(scores, groups, threshold=0.3,
                                               min_group_size=2), actor="hr@example.nl",
                                audit_log=audit_log)
    store.record_fairness_check(check_invariance(
        lambda t: pd.Series({x.employee_id: 0.5 for x in t}), twins), actor="hr@example.nl",
        audit_log=audit_log)
    store.configure(organisation="Gemeente Voorbeeld", decision_maker="P. de Vries, hoofd HR",
                    reviewer_roles=["HR-adviseur", "teamleider"],
                    contact="privacy@voorbeeld.nl", retention_months=12,
                    purposes=["succession planning"])
    audit_log.close()  # an open log checkpoints whenever it is collected: the file would change
    return store


def test_the_request_in_dutch_and_english_says_what_the_store_shows(
        db_url: str, tiny_esco) -> None:
    store = _store(db_url, tiny_esco)
    nl = works_council_request(store, language="nl", today=TODAY)
    assert nl.startswith("# Verzoek om instemming: gebruik van skilltwin bij Gemeente "
                         "Voorbeeld\n")
    assert "- Datum: 3 december 2026" in nl
    assert "artikel 27, eerste lid, onder k en l, van de Wet op de ondernemingsraden" in nl
    assert "- internal mobility (" in nl and "- succession planning (1 keer gebruikt)" in nl
    assert "P. de Vries, hoofd HR beslist" in nl
    assert "Rollen van de beoordelaars: HR-adviseur, teamleider." in nl
    assert "na 12 maanden verwijderd" in nl
    assert "Bezwaar: een medewerker kan bezwaar maken" in nl and "(AVG, artikel 21)" in nl
    assert "- Contact voor al deze verzoeken: privacy@voorbeeld.nl." in nl
    assert re.search(r"selectiepercentages naar age band \(score van ten minste 0,3\): 4 "
                     r"medewerkers in 2 groepen, waarvan 0 te klein", nl)
    assert "invariantietoets: geen enkele score veranderde bij wijziging van name" in nl
    assert "vier-vijfderegel is een vuistregel" in nl
    assert ai_act_dates("nl") in nl and "2 december 2027" in nl and "COM(2025) 836" in nl
    assert "overlegvergadering (artikel 27, tweede lid, WOR)" in nl
    assert "1 besluit(en) en 0 aanpassing(en)" in nl
    assert "niet ingesteld" not in nl and "nog geen" not in nl
    assert "emp-" not in nl

    en = works_council_request(store, language="en", today=TODAY)
    assert en.startswith("# Request for consent: use of skilltwin at Gemeente Voorbeeld\n")
    assert "article 27(1)(k) and (l) of the Dutch Works Councils Act" in en
    assert "- succession planning (used 1 time(s))" in en
    assert "selection rates by age band (score of at least 0.3): 4 employees in 2 groups" in en
    assert "invariance check: no score changed when name" in en
    assert ai_act_dates("en") in en and "2 December 2027" in en
    assert "Objection: an employee may object" in en and "emp-" not in en
    assert missing_settings(store, works_council=True) == []
    with pytest.raises(ConfigurationError, match="choose one of nl, en"):
        works_council_request(store, language="de")
    store.close()


def test_a_fairness_check_is_recorded_as_numbers_only(tmp_path: Path, tiny_esco) -> None:
    store = _store(f"sqlite:///{tmp_path / 'store.db'}", tiny_esco)
    log = store.audit_log(read_only=True)
    first, second = log.entries(action="fairness_check")
    assert first.subject is None and first.data is not None
    assert first.data["check"] == "selection_rates" and first.data["attributes"] == ["age band"]
    assert first.data["employees"] == 4 and first.data["groups"] == 2
    assert "a" not in first.data.values() and "emp-0" not in str(first.data)
    assert second.data == {"check": "invariance", "perturbations": second.data["perturbations"],
                           "scores_moved": 0, "ok": True}
    log.close()
    with pytest.raises(ConfigurationError, match="FairnessReport or an InvarianceResult"):
        store.record_fairness_check("all fine", actor="hr")  # type: ignore[arg-type]
    store.close()


def test_an_unconfigured_store_gives_a_request_that_says_what_is_missing(
        tmp_path: Path, tiny_esco) -> None:
    store = Store(tmp_path / "store.db", taxonomy=tiny_esco)
    text = works_council_request(store, today=TODAY)
    assert "**[niet ingesteld: store.configure(decision_maker=...)]**" in text
    assert "**[nog geen doelen: store.configure(purposes=[...])]**" in text
    assert "**[nog geen toets vastgelegd" in text
    assert missing_settings(store, works_council=True) == [
        "organisation", "decision_maker", "reviewer_roles", "contact", "retention_months",
        "purposes", "fairness_check"]
    store.close()


def test_the_command_writes_the_request_and_refuses_the_store_as_output(
        tmp_path: Path, tiny_esco, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "store.db"
    _store(f"sqlite:///{path}", tiny_esco).close()
    before = path.read_bytes()
    target = tmp_path / "instemming.md"
    assert main(["notice", "--works-council", "--store", str(path), "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# Verzoek om instemming")
    assert capsys.readouterr().err == ""
    assert main(["notice", "--works-council", "--language", "en", "--store", str(path)]) == 0
    assert capsys.readouterr().out.startswith("# Request for consent")

    assert main(["notice", "--works-council", "--store", str(path), "--out", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(path) in err
    assert path.read_bytes() == before  # the store is left as it was
    Store(path, create=False).close()

    empty = tmp_path / "empty.db"
    Store(empty).close()
    assert main(["notice", "--works-council", "--store", str(empty)]) == 0
    err = capsys.readouterr().err
    assert "lacks organisation" in err and "fairness_check" in err
    assert "store.record_fairness_check" in err


def test_the_docs_state_the_dates_with_the_source_the_notices_use() -> None:
    text = " ".join((DOCS / "oversight.md").read_text(encoding="utf-8").split())
    for fact in (OMNIBUS_PROPOSAL, OMNIBUS_ADOPTED, OMNIBUS_REPORTED_AS, CHECK_OFFICIAL_JOURNAL,
                 f"{ANNEX_III_DATE.day} December {ANNEX_III_DATE.year}"):
        assert fact in text, fact
    store_docs = (DOCS / "store.md").read_text(encoding="utf-8")
    assert "--works-council" in store_docs and "record_fairness_check" in store_docs
