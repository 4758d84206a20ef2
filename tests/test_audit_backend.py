"""The AuditBackend contract, on both shipped backends (SQLite file, PostgreSQL): the template
for a third backend. A backend stores and returns rows exactly as given, in transactions."""

from __future__ import annotations

import pytest

from skilltwin.audit import Action, AuditBackend, AuditLog, AuditTransaction, RowQuery
from skilltwin.errors import ConfigurationError
from skilltwin.store import Store

KEY = b"backend-contract-key-0123456789abcdef"


@pytest.fixture
def log(db_url: str, tiny_esco) -> AuditLog:
    with Store(db_url, taxonomy=tiny_esco) as store:
        opened = store.audit_log(pseudonym_key=KEY)
        for i in range(1, 6):
            opened.record(Action.MATCH if i % 2 else Action.GAP, actor=f"hr-{i % 2}",
                          subject=f"emp-{i % 3}", data={"score": i / 10})
        yield opened


def test_backends_satisfy_the_protocol(log: AuditLog) -> None:
    assert isinstance(log.backend, AuditBackend)
    with log.backend.read() as tx:
        assert isinstance(tx, AuditTransaction)
        assert tx.count() == 5 and tx.head()[0] == 5 and tx.damage() is None
        assert tx.meta("format") == "skilltwin-audit" and tx.orphan_payloads() == []


def test_rows_are_selected_and_ordered(log: AuditLog) -> None:
    pseudonym = log.subject_id("emp-1")
    with log.backend.read() as tx:
        assert [r["seq"] for r in tx.rows()] == [1, 2, 3, 4, 5]
        assert [r["seq"] for r in tx.rows(RowQuery(newest_first=True, max_rows=2))] == [5, 4]
        assert [r["seq"] for r in tx.rows(RowQuery(actions=("gap",)))] == [2, 4]
        assert [r["seq"] for r in tx.rows(RowQuery(subjects=(pseudonym,)))] == [1, 4]
        assert [r["seq"] for r in tx.rows(RowQuery(from_seq=2, to_seq=3, actor="hr-0"))] == [2]
        row = next(iter(tx.rows(RowQuery(max_rows=1))))
        assert isinstance(row["seq"], int) and row["has_payload"] is True
        assert row["mac"] is not None and row["key_id"] is not None


def test_a_failed_write_leaves_nothing(log: AuditLog) -> None:
    with pytest.raises(RuntimeError), log.backend.write() as tx:
        log._append(tx, "note", "system", None, None, {})
        assert tx.count() == 6
        raise RuntimeError("crash in the middle")
    assert len(log) == 5 and log.verify().ok


def test_payloads_are_deleted_by_number(log: AuditLog) -> None:
    with log.backend.write() as tx:
        assert tx.delete_payloads([2, 3]) == 2
        assert [r["seq"] for r in tx.rows(RowQuery(has_payload=True))] == [1, 4, 5]
    assert not log.verify().ok  # a deletion outside erase_subject is tampering


def test_read_only_backends_refuse_writes(log: AuditLog, db_url: str) -> None:
    with Store(db_url) as store:
        reader = store.audit_log(read_only=True, pseudonym_key=KEY)
        assert reader.read_only
        with pytest.raises(ConfigurationError, match="read-only"):
            reader.record("note", actor="system")
        assert reader.verify().ok and len(reader) == 5
