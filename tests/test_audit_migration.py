"""Logs written before the keyed chain open, verify and take new entries unchanged.

``tests/data/audit_log_v2.sql`` was written by skilltwin just before the keyed chain (schema
version 2: plain SHA-256 chain, key id chained), dumped as SQL. Its first new entry marks the
switch: a ``keyed_chain`` entry, after which every entry carries a MAC; the old entries keep
their hashes and stay covered by the plain chain (and any anchor taken earlier)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_backends import drop_schema, fresh_schema_url, postgres_url

from skilltwin.audit import Action, AuditLog
from skilltwin.cli.main import main
from skilltwin.errors import ConfigurationError

V2_SQL = Path(__file__).parent / "data" / "audit_log_v2.sql"
V2_KEY = b"v2-format-key-0123456789abcdef-0123"
OTHER_KEY = b"another-pseudonym-key-9876543210abcdef"


@pytest.fixture
def v2(tmp_path: Path) -> Path:
    path = tmp_path / "v2.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(V2_SQL.read_text(encoding="utf-8"))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return path


def test_a_version_2_log_verifies_as_written(v2: Path) -> None:
    before = v2.read_bytes()
    with AuditLog(v2, read_only=True) as log:
        old = list(log)
        result = log.verify()
    assert result.ok and result.checked == 6 and result.keyed_from is None
    assert [e.action for e in old] == ["note", "match", "match", "decision", "erasure",
                                       "override"]
    assert old[2].erased and old[1].key_id is not None
    assert all(e.mac is None for e in old)
    keyed = AuditLog(v2, pseudonym_key=V2_KEY, read_only=True).verify()
    assert keyed.ok and keyed.keyed and keyed.keyed_from is None  # nothing keyed yet
    assert main(["audit", "verify", "--log", str(v2)]) == 0
    assert v2.read_bytes() == before  # reading never migrates


def test_a_version_2_log_takes_new_entries_on_a_keyed_chain(v2: Path) -> None:
    anchor = AuditLog(v2, read_only=True).head()
    old = list(AuditLog(v2, read_only=True))
    with AuditLog(v2, pseudonym_key=V2_KEY) as log:  # migrates to schema version 3
        assert [e.hash for e in log] == [e.hash for e in old]
        assert [e.seq for e in log.entries(subject="EMP-V2-1")] == [2, 4, 6]
        entry = log.record(Action.DECISION, actor="B. de Vries", subject="EMP-V2-1",
                           data={"outcome": "promote"})
        assert entry.seq == anchor.seq + 2
        marker = log.entries()[anchor.seq]
        assert marker.action == Action.KEYED_CHAIN and marker.mac is not None
        log.erase_subject("EMP-V2-1", actor="dpo@example.nl", reason="request 2026-004")
        result = log.verify(anchor=anchor)
        assert result.ok and result.keyed_from == anchor.seq + 1
        assert log.authenticate(entry).seq == entry.seq
        with pytest.raises(Exception, match="no MAC"):
            log.authenticate(old[1])  # an old entry cannot be authenticated by the key
    assert AuditLog(v2, read_only=True).verify(anchor=anchor).ok
    with pytest.raises(ConfigurationError, match="different pseudonym key"):
        AuditLog(v2, pseudonym_key=OTHER_KEY).record("x", actor="a")
    assert main(["audit", "verify", "--log", str(v2)]) == 0


def test_stripping_the_keyed_part_of_a_migrated_log_is_detected(v2: Path) -> None:
    with AuditLog(v2, pseudonym_key=V2_KEY) as log:
        log.record("note", actor="system")
        log.record("note", actor="system")
    conn = sqlite3.connect(v2, isolation_level=None)
    conn.execute("DROP TRIGGER entries_append_only_update")
    conn.execute("UPDATE entries SET mac = NULL WHERE seq = 9")  # a downgraded last entry
    conn.close()
    result = AuditLog(v2, read_only=True).verify()
    assert (result.ok, result.first_bad) == (False, 9)
    assert "no MAC" in result.reason


def test_a_version_2_log_on_postgresql_is_migrated_on_first_write(tmp_path: Path) -> None:
    """The same old rows in a PostgreSQL store's tables (as a store written before the keyed
    chain holds them): they verify, and the first write adds the columns and the marker."""
    import sqlalchemy as sa

    from skilltwin.store import Store

    base = postgres_url()
    url, schema = fresh_schema_url(base)
    try:
        store = Store(url)
        with store.engine.begin() as conn:  # back to the version 2 layout, then the old rows
            conn.exec_driver_sql("ALTER TABLE entries DROP COLUMN mac")
            conn.exec_driver_sql("ALTER TABLE head DROP COLUMN mac")
            conn.exec_driver_sql("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
            old = sqlite3.connect(":memory:")
            old.executescript(V2_SQL.read_text(encoding="utf-8"))
            for table in ("entries", "payloads"):
                cursor = old.execute(f"SELECT * FROM {table} ORDER BY seq")
                names = [d[0] for d in cursor.description]
                for row in cursor.fetchall():
                    conn.execute(sa.text(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                                         f"({', '.join(':' + n for n in names)})"),
                                 dict(zip(names, row, strict=True)))
            seq, hash_ = old.execute("SELECT seq, hash FROM head").fetchone()
            conn.execute(sa.text("UPDATE head SET seq = :s, hash = :h"), {"s": seq, "h": hash_})
        reader = store.audit_log(read_only=True)
        assert reader.verify().ok and reader.verify().checked == 6
        log = store.audit_log(pseudonym_key=V2_KEY)
        log.record(Action.DECISION, actor="B. de Vries", subject="EMP-V2-1",
                   data={"outcome": "promote"})
        result = log.verify()
        assert result.ok and result.keyed_from == 7 and result.checked == 8
        store.close()
    finally:
        drop_schema(base, schema)
