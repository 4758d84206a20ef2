"""The notice to workers (EU AI Act art. 26(7)) from a store's settings and log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from esco_fixtures import OCCUPATION_DBA, SKILL_SQL

from skilltwin import EmployeeTwin, JobProfile, Workspace
from skilltwin._legal import ai_act_dates
from skilltwin.cli.main import main
from skilltwin.errors import ConfigurationError
from skilltwin.store import Store, worker_notice

KEY = b"test-pseudonym-key-0123456789abcdef"


def _used_store(url: str, taxonomy) -> Store:  # type: ignore[no-untyped-def]
    store = Store(url, taxonomy=taxonomy)
    twin = EmployeeTwin("emp-1", taxonomy=taxonomy, attributes={"department": "ICT"})
    twin.add_skill(SKILL_SQL, level=3, source="manager", observed="2025-01-01")
    store.save_twin(twin)
    ws = Workspace(taxonomy, store=store, audit_log=store.audit_log(pseudonym_key=KEY),
                   actor="hr@example.nl", purpose="internal mobility")
    result = ws.match(twin, JobProfile.from_occupation(taxonomy, OCCUPATION_DBA))
    ws.decide(result, outcome="shortlist", reviewer="A. Jansen")
    ws.gap(twin, JobProfile.from_occupation(taxonomy, OCCUPATION_DBA), purpose="training plan")
    return store


def test_the_notice_says_what_the_store_shows(db_url: str, tiny_esco) -> None:
    store = _used_store(db_url, tiny_esco)
    store.configure(organisation="Gemeente Voorbeeld", decision_maker="P. de Vries, head of HR",
                    reviewer_roles=["HR business partner", "team lead"],
                    contact="privacy@voorbeeld.nl", retention_months=12)
    text = worker_notice(store, language="en", today=dt.date(2026, 3, 1))
    assert text.startswith("# Notice to workers: skills-based analysis at Gemeente Voorbeeld")
    assert "Date: 2026-03-01" in text and "article 26(7)" in text
    assert "- internal mobility\n- training plan\n" in text
    assert "1 × match score of an employee against a job profile" in text
    assert "1 × decision taken by a person" in text
    assert "sources (your manager)" not in text and "its source (your manager)" in text
    assert "never used in a score: department." in text
    assert "P. de Vries, head of HR decides" in text
    assert "Their roles: HR business partner, team lead." in text
    assert "So far 1 decision(s) and 0 change(s)" in text
    assert "removed after 12 months" in text and "privacy@voorbeeld.nl" in text
    assert "not set" not in text and "emp-1" not in text
    assert ai_act_dates("en") in text and "COM(2025) 836" in text  # the date and its source

    dutch = worker_notice(store, language="nl", today=dt.date(2026, 3, 1))
    assert dutch.startswith("# Informatie voor medewerkers")
    assert "AI-verordening, artikel 26, lid 7" in dutch
    assert "P. de Vries, head of HR beslist" in dutch and "na 12 maanden" in dutch
    assert "bron (uw leidinggevende)" in dutch and ai_act_dates("nl") in dutch
    with pytest.raises(ConfigurationError, match="choose one of en, nl"):
        worker_notice(store, language="de")
    store.close()


def test_the_command_writes_the_notice_and_names_missing_settings(
    tmp_path: Path, tiny_esco, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "store.db"
    _used_store(f"sqlite:///{path}", tiny_esco).close()
    assert main(["notice", "--store", str(path), "--language", "nl"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Informatie voor medewerkers")
    assert "**[niet ingesteld: store.configure(decision_maker=...)]**" in out
    assert "lacks organisation, decision_maker, reviewer_roles, contact" in err
    target = tmp_path / "notice.md"
    assert main(["notice", "--store", f"sqlite:///{path}", "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# Notice to workers")
    assert main(["notice", "--store", str(tmp_path / "none.db")]) == 2
    assert "no skilltwin store there" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
