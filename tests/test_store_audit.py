"""The store's audit log on SQLite and PostgreSQL: the guarantees of AuditLog on both."""

from __future__ import annotations

import io
import itertools
import json

import pytest
import sqlalchemy as sa
from esco_fixtures import SKILL_SQL

from skilltwin import EmployeeTwin, Provenance
from skilltwin.errors import ConfigurationError
from skilltwin.oversight import AuditLog, ChainHead
from skilltwin.store import Store

KEY = b"test-pseudonym-key-0123456789abcdef"


def _filled(store: Store, n: int = 5) -> AuditLog:
    log = store.audit_log(pseudonym_key=KEY)
    for i in range(1, n + 1):
        log.record("match", actor="hr@example.nl", subject=f"emp-{i % 2}",
                   data={"score": i / 10, "evidence": "a CV sentence"}, inputs_hash=f"{i:064x}",
                   provenance=Provenance(taxonomy_release="ESCO v1.1.1 (en)"))
    return log


def _sql(store: Store, *statements: str) -> None:
    """Edit the tables directly, as someone with database access could (triggers off)."""
    with store.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        for table in ("entries", "payloads"):
            if postgres:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        if not postgres:
            for (name,) in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'").all():
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_entries_are_chained_pseudonymised_and_verified(store: Store) -> None:
    log = _filled(store)
    entries = log.entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(e.prev_hash == p.hash for p, e in itertools.pairwise(entries))
    assert entries[0].subject == log.subject_id("emp-1") != "emp-1"
    assert entries[0].data["evidence"] != "a CV sentence"  # free text redacted by default
    assert [e.seq for e in log.entries(subject="emp-0")] == [2, 4]
    assert entries[0].taxonomy_release == "ESCO v1.1.1 (en)"
    result = log.verify()
    assert result.ok and result.checked == 5
    assert len(log) == 5 and log.head().seq == 5


def test_export_and_anchor(store: Store) -> None:
    log = _filled(store)
    anchor = log.head()
    buffer = io.StringIO()
    assert log.export_jsonl(buffer) == 5
    assert [json.loads(line)["seq"] for line in buffer.getvalue().splitlines()] == [1, 2, 3, 4, 5]
    log.record("note", actor="system")
    assert log.verify(anchor=anchor).ok
    forged = ChainHead(seq=anchor.seq, hash="f" * 64)
    assert not log.verify(anchor=forged).ok


def test_the_database_refuses_edits(store: Store) -> None:
    _filled(store)
    for statement in ("UPDATE entries SET actor = 'x' WHERE seq = 1",
                      "DELETE FROM entries WHERE seq = 5",
                      "UPDATE payloads SET data = '{}' WHERE seq = 1"):
        with pytest.raises(sa.exc.DatabaseError), store.engine.begin() as conn:
            conn.exec_driver_sql(statement)


@pytest.mark.parametrize(("statement", "first_bad", "reason"), [
    ("UPDATE entries SET actor = 'someone else' WHERE seq = 3", 3, "was changed"),
    ("DELETE FROM entries WHERE seq = 2", 2, "missing"),
    ("UPDATE payloads SET data = '{\"score\": 1.0}' WHERE seq = 4", 4, "payload"),
    ("DELETE FROM payloads WHERE seq = 1", 1, "no erasure entry"),
])
def test_tampering_is_found(store: Store, statement: str, first_bad: int, reason: str) -> None:
    log = _filled(store)
    _sql(store, statement)
    result = log.verify()
    assert not result.ok
    assert result.first_bad == first_bad and reason in result.reason


def test_the_key_is_checked(store: Store) -> None:
    _filled(store)
    other = store.audit_log(pseudonym_key=b"another-key-0123456789abcdef-0123456")
    with pytest.raises(ConfigurationError, match="different pseudonym key"):
        other.record("match", actor="hr", subject="emp-1", data={})
    assert store.audit_log(read_only=True).verify().ok  # no key needed to verify


def test_erasing_an_employee_removes_claims_attributes_and_payloads(
    store: Store, tiny_esco
) -> None:
    twin = EmployeeTwin("emp-1", taxonomy=tiny_esco, attributes={"department": "ICT"})
    twin.add_skill(SKILL_SQL, level=3, observed="2025-01-01")
    store.save_twin(twin)
    store.save_twin(EmployeeTwin("emp-2", attributes={"department": "HR"}))
    log = _filled(store)
    removed = store.erase_employee("emp-1", actor="dpo@example.nl", reason="art. 17 request",
                                   audit_log=log)
    assert removed == {"claims": 1, "scores": 0, "log_payloads": 3}
    assert store.claims_frame(employee_ids=["emp-1"]).empty
    assert store.employees()["employee_id"].tolist() == ["emp-2"]
    with pytest.raises(ConfigurationError, match="not in the store"):
        store.attributes("emp-1")
    assert all(e.erased and e.data is None for e in log.entries() if e.seq in (1, 3, 5))
    assert log.entries(subject="emp-1") == []
    assert [e.seq for e in log.entries(subject="emp-0")] == [2, 4]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql(
            f"SELECT count(*) FROM payloads WHERE subject = '{log.subject_id('emp-1')}'"
        ).scalar() == 0
    result = log.verify()
    assert result.ok, result.reason
    erasure = log.entries(action="erasure")[0]
    assert erasure.data["erased_entries"] == [1, 3, 5]


def test_a_sqlite_store_is_an_audit_log_file(tmp_path, tiny_esco) -> None:
    path = tmp_path / "store.db"
    with Store(path, taxonomy=tiny_esco) as store:
        _filled(store, 3)
    log = AuditLog(path, pseudonym_key=KEY, create=False)
    assert log.verify().ok and len(log) == 3


def test_a_workspace_on_a_store_records_steps_and_profile_versions(
    store: Store, tiny_esco
) -> None:
    from esco_fixtures import OCCUPATION_DBA

    from skilltwin import JobProfile, Workspace

    twin = EmployeeTwin("emp-1", taxonomy=tiny_esco)
    twin.add_skill(SKILL_SQL, level=3, observed="2025-01-01")
    profile = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA, profile_id="dba")
    log = store.audit_log(pseudonym_key=KEY)
    ws = Workspace(tiny_esco, store=store, audit_log=log, actor="hr@example.nl",
                   purpose="internal mobility")
    first = ws.match(twin, profile)
    changed = profile.model_copy(update={"title": "DBA (2026)"})
    ws.gap(twin, changed)
    scores = store.scores(employee_id="emp-1")
    assert scores[["kind", "profile_version"]].values.tolist() == [["match", 1], ["gap", 2]]
    assert scores["score"][0] == pytest.approx(first.value.score)
    entries = log.entries(subject="emp-1")
    assert [(e.action, e.data["profile_version"]) for e in entries] == [("match", 1), ("gap", 2)]
    assert log.verify().ok
    with pytest.raises(ConfigurationError, match="needs an audit log"):
        Workspace(tiny_esco, actor="hr")


def test_the_audit_commands_read_a_store(
    store: Store, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from skilltwin.cli.main import main

    _filled(store, 3)
    assert main(["audit", "verify", "--store", db_url]) == 0
    assert "intact — 3 entries checked" in capsys.readouterr().out
    assert main(["audit", "export", "--store", db_url, "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4
    _sql(store, "UPDATE entries SET actor = 'x' WHERE seq = 2")
    assert main(["audit", "verify", "--store", db_url]) == 1
    assert "first bad entry: 2" in capsys.readouterr().out
