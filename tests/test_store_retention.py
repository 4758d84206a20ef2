"""Retention on both backends: old personal payloads go, the chain stays valid, the run is
recorded, and fewer than six months is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from esco_fixtures import OCCUPATION_DBA, SKILL_SQL

from skilltwin import EmployeeTwin, JobProfile, match
from skilltwin.audit import _writing as writing_module
from skilltwin.errors import ConfigurationError
from skilltwin.store import Store

KEY = b"test-pseudonym-key-0123456789abcdef"
NOW = dt.datetime(2026, 8, 31, 12, 0, tzinfo=dt.timezone.utc)


def test_retention_removes_old_personal_payloads_and_keeps_the_chain(
    db_url: str, tiny_esco, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_url, taxonomy=tiny_esco)
    log = store.audit_log(pseudonym_key=KEY)
    written = {}
    for seq, (stamp, subject) in enumerate([
        ("2025-11-30T09:00:00.000000+00:00", "emp-1"),   # 9 months before NOW: goes
        ("2026-01-15T09:00:00.000000+00:00", None),      # no subject: not personal, stays
        ("2026-02-27T09:00:00.000000+00:00", "emp-2"),   # before 28 Feb (NOW - 6 months): goes
        ("2026-03-01T09:00:00.000000+00:00", "emp-1"),   # within six months: stays
    ], start=1):
        monkeypatch.setattr(writing_module, "format_timestamp", lambda _value, s=stamp: s)
        log.record("match", actor="hr", subject=subject, data={"score": seq / 10})
        written[seq] = stamp
    monkeypatch.undo()
    twin = EmployeeTwin("emp-1", taxonomy=tiny_esco)
    twin.add_skill(SKILL_SQL, level=3, observed="2025-01-01")
    store.save_twin(twin)
    profile = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA, profile_id="dba")
    store.save_profile(profile, actor="hr")
    store.record_score(match(twin, profile, tiny_esco), actor="hr")

    with pytest.raises(ConfigurationError, match="at least 6 months"):
        store.apply_retention(5, actor="dpo", audit_log=log, now=NOW)
    assert log.verify().ok and len(log) == 4  # a refused run changes nothing

    removed = store.apply_retention(6, actor="dpo", audit_log=log, now=NOW)
    assert removed == {"log_payloads": 2, "scores": 0}  # the score is recent
    entries = log.entries()
    assert [e.erased for e in entries[:4]] == [True, False, True, False]
    assert entries[1].data == {"score": 0.2} and entries[3].subject == log.subject_id("emp-1")
    run = entries[-1]
    assert run.action == "erasure" and run.actor == "dpo"
    assert run.data["erased_entries"] == [1, 3]
    assert run.data["reason"].startswith("retention: personal payloads of entries written "
                                         "before 2026-02-28T12:00:00")
    assert log.verify().ok
    assert store.settings()["retention_months"] == 6
    assert store.apply_retention(6, actor="dpo", audit_log=log, now=NOW) == {
        "log_payloads": 0, "scores": 0}  # nothing more to remove: nothing recorded
    later = NOW + dt.timedelta(days=3650)
    assert store.apply_retention(12, actor="dpo", audit_log=log, now=later)["scores"] == 1
    assert log.verify().ok
    store.close()
