"""The audit log: recording, queries, export, and tamper evidence (verify)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest

from skilltwin import ConfigurationError, InputValidationError, OversightError, Provenance
from skilltwin._version import __version__
from skilltwin.audit._chain import GENESIS_HASH
from skilltwin.oversight import AuditEntry, AuditLog, ChainHead

KEY = b"test-pseudonym-key-0123456789abcdef"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "audit.sqlite"


def filled(db: Path, n: int = 5) -> AuditLog:
    """A log with ``n`` entries whose every optional field is set."""
    log = AuditLog(db, pseudonym_key=KEY)
    for i in range(1, n + 1):
        log.record(
            "match", actor="hr@example.nl", subject=f"emp-{i}", data={"score": i / 10},
            inputs_hash=f"{i:064x}",
            provenance=Provenance(taxonomy_release="ESCO v1.1.1 (en)", model_name="mini"),
        )
    return log


def tamper(db: Path, *statements: str) -> None:
    """Edit the file directly, as someone with file access could (triggers dropped first)."""
    conn = sqlite3.connect(db, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        conn.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def reopen(db: Path) -> AuditLog:
    return AuditLog(db, pseudonym_key=KEY, create=False)


# -- recording and reading ---------------------------------------------------------------------


def test_record_returns_chained_entry(db: Path) -> None:
    log = AuditLog(db, pseudonym_key=KEY)
    first = log.record("match", actor="hr@example.nl", subject="emp-1", data={"score": 0.5})
    second = log.record("note", actor="system")
    assert isinstance(first, AuditEntry)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert first.subject == log.subject_id("emp-1") != "emp-1"
    assert first.data == {"score": 0.5}
    assert first.library_version == __version__
    assert first.timestamp.tzinfo is not None and first.timestamp.utcoffset() == dt.timedelta(0)
    assert second.subject is None and second.data is None and second.payload_hash is None


def test_len_iteration_and_reopen(db: Path) -> None:
    filled(db, 4).close()
    log = reopen(db)
    assert len(log) == 4
    assert [e.seq for e in log] == [1, 2, 3, 4]
    assert [e.data for e in log] == [{"score": 0.1}, {"score": 0.2}, {"score": 0.3},
                                     {"score": 0.4}]
    assert log.verify().ok


def test_provenance_fields_are_stored(db: Path) -> None:
    log = filled(db, 1)
    entry = log.entries()[0]
    assert entry.taxonomy_release == "ESCO v1.1.1 (en)"
    assert entry.model_name == "mini"
    assert entry.inputs_hash == f"{1:064x}"
    explicit = log.record("x", actor="a", taxonomy_release="company v3", library_version="9.9")
    assert (explicit.taxonomy_release, explicit.library_version) == ("company v3", "9.9")
    with pytest.raises(ConfigurationError, match="not both"):
        log.record("x", actor="a", provenance=Provenance(taxonomy_release="t"), model_name="m")


def test_data_is_normalised_to_json(db: Path) -> None:
    log = AuditLog(db, pseudonym_key=KEY)
    entry = log.record("x", actor="a", data={"day": dt.date(2026, 3, 1), "tags": {"b", "a"},
                                             "pair": (1, 2)})
    assert entry.data == {"day": "2026-03-01", "tags": ["a", "b"], "pair": [1, 2]}
    assert log.entries()[0].data == entry.data


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "erasure", "actor": "a"}, "erase_subject"),
        ({"action": "x", "actor": "a", "data": [1, 2]}, "data must be a dict"),
        ({"action": "x", "actor": "a", "data": {"v": float("nan")}}, "finite number"),
        ({"action": "x", "actor": "a", "data": {"v": object()}}, r"data\['v'\] is a object"),
        ({"action": "x", "actor": "a", "data": {1: "v"}}, "non-string key"),
    ],
)
def test_record_rejects_bad_input(db: Path, kwargs: dict, message: str) -> None:
    log = AuditLog(db, pseudonym_key=KEY)
    action = kwargs.pop("action")
    with pytest.raises(ConfigurationError, match=message):
        log.record(action, **kwargs)
    assert len(log) == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"action": "", "actor": "a"}, "action"),
        ({"action": "x", "actor": " "}, "actor"),
        ({"action": "x", "actor": None}, "actor"),
        ({"action": "x", "actor": "a", "subject": ""}, "subject"),
    ],
)
def test_record_names_the_empty_argument(db: Path, kwargs: dict, field: str) -> None:
    log = AuditLog(db, pseudonym_key=KEY)
    action = kwargs.pop("action")
    with pytest.raises(InputValidationError) as caught:
        log.record(action, **kwargs)
    assert caught.value.field == field
    assert len(log) == 0


def test_queries(db: Path) -> None:
    log = filled(db, 3)
    log.record("decision", actor="j.jansen", subject="emp-2", data={"outcome": "shortlist"})
    by_raw = log.entries(subject="emp-2")
    assert [e.seq for e in by_raw] == [2, 4]
    assert log.entries(subject=log.subject_id("emp-2")) == by_raw
    assert [e.seq for e in log.entries(action="decision")] == [4]
    assert [e.seq for e in log.entries(actor="j.jansen", subject="emp-2")] == [4]
    assert log.entries(subject="nobody") == []
    middle = log.entries()[1].timestamp
    assert [e.seq for e in log.entries(since=middle)] == [2, 3, 4]
    assert [e.seq for e in log.entries(until=middle)] == [1]
    assert len(log.entries(since="2000-01-01", until=dt.date(2999, 1, 1))) == 4
    assert log.entries(since="2999-01-01T00:00:00Z") == []
    with pytest.raises(ConfigurationError, match="ISO-8601"):
        log.entries(since="last tuesday")


def test_entries_are_paged(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("skilltwin.audit._sql.PAGE_SIZE", 3)
    log = filled(db, 7)
    assert [e.seq for e in log] == list(range(1, 8))
    assert log.verify().checked == 7


def test_head_and_anchor(db: Path) -> None:
    log = AuditLog(db, pseudonym_key=KEY)
    assert log.head() == ChainHead(seq=0, hash=GENESIS_HASH)
    log.record("x", actor="a")
    last = log.record("x", actor="a")
    assert log.head() == ChainHead(seq=2, hash=last.hash)
    result = log.verify(anchor=log.head())
    assert result.ok and result.head == log.head()


def test_open_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no audit log there"):
        AuditLog(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some text" * 50)
    with pytest.raises(ConfigurationError, match=r"notes\.txt"):
        AuditLog(text)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ConfigurationError, match="not a skilltwin audit log"):
        AuditLog(other)


def test_newer_schema_is_refused(db: Path) -> None:
    filled(db, 1).close()
    tamper(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ConfigurationError, match="schema version '99'"):
        reopen(db)


def test_database_refuses_edits_through_sql(db: Path) -> None:
    filled(db, 2).close()
    conn = sqlite3.connect(db)
    for statement in ("UPDATE entries SET actor = 'x'", "DELETE FROM entries",
                      "UPDATE payloads SET data = '{}'"):
        with pytest.raises(sqlite3.DatabaseError, match=r"append-only|erased"):
            conn.execute(statement)
    conn.close()


def test_append_after_foreign_insert_is_refused(db: Path) -> None:
    log = filled(db, 2)
    tamper(db, "INSERT INTO entries SELECT seq + 1, entry_id, timestamp, actor, action, "
               "inputs_hash, library_version, taxonomy_release, model_name, payload_hash, "
               "prev_hash, hash, key_id, mac FROM entries WHERE seq = 2")
    with pytest.raises(OversightError, match="skilltwin audit verify"):
        log.record("x", actor="a")
    assert not log.verify().ok


# -- export --------------------------------------------------------------------------------------


def test_export_jsonl(db: Path, tmp_path: Path) -> None:
    log = filled(db, 3)
    stream = io.StringIO()
    assert log.export_jsonl(stream) == 3
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [AuditEntry.model_validate(r) for r in records] == log.entries()
    assert records[0]["timestamp"].endswith("+00:00")
    out = tmp_path / "audit.jsonl"
    assert log.export_jsonl(out) == 3
    assert out.read_text(encoding="utf-8") == stream.getvalue()


def test_export_csv(db: Path, tmp_path: Path) -> None:
    log = filled(db, 2)
    log.record("note", actor="system")
    out = tmp_path / "audit.csv"
    assert log.export_csv(out) == 3
    with out.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == list(AuditEntry.model_fields)
    assert json.loads(rows[1]["data"]) == {"score": 0.2}
    assert rows[2]["data"] == "" and rows[2]["subject"] == ""
    assert [r["hash"] for r in rows] == [e.hash for e in log]


def test_exported_hashes_can_be_recomputed(db: Path) -> None:
    """A third party can check the chain from an export with the documented canonical form."""
    import hashlib

    log = filled(db, 3)
    stream = io.StringIO()
    log.export_jsonl(stream)
    chained = ["seq", "entry_id", "timestamp", "actor", "action", "inputs_hash",
               "library_version", "taxonomy_release", "model_name", "payload_hash", "prev_hash"]
    prev = "0" * 64
    for line in stream.getvalue().splitlines():
        record = json.loads(line)
        fields = {k: record[k] for k in chained}
        if record["key_id"] is not None:  # entries written with the pseudonym key chain its id
            fields["key_id"] = record["key_id"]
        body = json.dumps(fields, sort_keys=True,
                          separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        assert record["prev_hash"] == prev
        assert hashlib.sha256(body).hexdigest() == record["hash"]
        prev = record["hash"]


# -- tamper evidence -----------------------------------------------------------------------------


def test_intact_log_verifies(db: Path) -> None:
    result = filled(db).verify()
    assert result.ok and bool(result)
    assert (result.checked, result.first_bad, result.reason) == (5, None, "intact")


def test_empty_log_verifies(db: Path) -> None:
    result = AuditLog(db, pseudonym_key=KEY).verify()
    assert result.ok and result.checked == 0


def _changed(value: object) -> object:
    if value is None:
        return "tampered"
    if isinstance(value, int):
        return value + 1000
    assert isinstance(value, str) and value
    return value[:-1] + ("1" if value[-1] == "0" else "0")


def _columns(db: Path, table: str) -> list[str]:
    conn = sqlite3.connect(db)
    names = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    conn.close()
    return names


def _sql_literal(value: object) -> str:
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


@pytest.mark.parametrize("table", ["entries", "payloads"])
def test_changing_any_stored_value_is_detected(db: Path, table: str) -> None:
    filled(db).close()
    columns = _columns(db, table)
    assert len(columns) >= (12 if table == "entries" else 4)
    for column in columns:
        copy = db.with_name(f"{table}-{column}.sqlite")
        copy.write_bytes(db.read_bytes())
        conn = sqlite3.connect(copy)
        (old,) = conn.execute(f"SELECT {column} FROM {table} WHERE seq = 3").fetchone()
        conn.close()
        tamper(copy, f"UPDATE {table} SET {column} = {_sql_literal(_changed(old))} "
                     "WHERE seq = 3")
        keyed = AuditLog(copy, pseudonym_key=KEY, create=False).verify()
        assert not keyed.ok, f"change to {table}.{column} went unnoticed"
        assert keyed.first_bad == 3, (column, keyed)
        assert "3" in keyed.reason
        plain = AuditLog(copy, create=False).verify()
        # without the key, the MAC cannot be checked; every other value can
        assert plain.ok is (column == "mac"), (column, plain)


def test_changed_payload_value_is_detected(db: Path) -> None:
    filled(db).close()
    tamper(db, "UPDATE payloads SET data = '{\"score\":0.9}' WHERE seq = 2")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, 2)
    assert "payload" in result.reason and "changed" in result.reason


@pytest.mark.parametrize(("column", "first_bad"), [("seq", 6), ("hash", 5)])
def test_changed_head_is_detected(db: Path, column: str, first_bad: int) -> None:
    filled(db).close()
    value = "seq + 1" if column == "seq" else "'" + "f" * 64 + "'"
    tamper(db, f"UPDATE head SET {column} = {value}")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, first_bad)


def test_deleted_entry_is_detected(db: Path) -> None:
    filled(db).close()
    tamper(db, "DELETE FROM entries WHERE seq = 3", "DELETE FROM payloads WHERE seq = 3")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, 3)
    assert "missing" in result.reason


def test_deleted_entries_at_start_are_detected(db: Path) -> None:
    filled(db).close()
    tamper(db, "DELETE FROM entries WHERE seq <= 2", "DELETE FROM payloads WHERE seq <= 2")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, 1)
    assert "1 to 2 missing" in result.reason


def test_deleted_last_entry_is_detected(db: Path) -> None:
    filled(db).close()
    tamper(db, "DELETE FROM entries WHERE seq = 5", "DELETE FROM payloads WHERE seq = 5")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, 5)
    assert "last entries were removed" in result.reason


def test_truncation_stays_detected_after_append(db: Path) -> None:
    filled(db).close()
    tamper(db, "DELETE FROM entries WHERE seq = 5", "DELETE FROM payloads WHERE seq = 5")
    log = reopen(db)
    with pytest.raises(OversightError, match="skilltwin audit verify"):
        log.record("x", actor="a")  # nothing is chained onto a log cut behind its head
    assert (log.verify().ok, log.verify().first_bad) == (False, 5)


def test_truncation_with_rewritten_head_needs_the_key_or_an_anchor(db: Path) -> None:
    """The documented limit of the plain check: whoever also rewrites the head hides
    truncation from a check without the key, unless the head was copied elsewhere."""
    log = filled(db)
    anchor = log.head()
    log.close()
    tamper(db, "DELETE FROM entries WHERE seq = 5", "DELETE FROM payloads WHERE seq = 5",
           "UPDATE head SET seq = 4, hash = (SELECT hash FROM entries WHERE seq = 4)")
    assert AuditLog(db, read_only=True).verify().ok
    log = reopen(db)
    keyed = log.verify()
    assert (keyed.ok, keyed.first_bad, keyed.keyed) == (False, 5, True)
    assert "head record fails the keyed check" in keyed.reason
    result = log.verify(anchor=anchor, keyed=False)
    assert (result.ok, result.first_bad) == (False, 5)
    assert "anchor" in result.reason


def test_rewritten_log_differs_from_anchor(db: Path) -> None:
    log = filled(db)
    anchor = ChainHead(seq=3, hash="e" * 64)
    result = log.verify(anchor=anchor)
    assert (result.ok, result.first_bad) == (False, 3)


def test_swapped_entries_are_detected(db: Path) -> None:
    filled(db).close()
    columns = [c for c in _columns(db, "entries") if c != "seq"]
    assignments = ", ".join(
        f"{c} = (SELECT {c} FROM copy WHERE copy.seq = 6 - entries.seq)" for c in columns
    )
    tamper(db, "CREATE TABLE copy AS SELECT * FROM entries",
           f"UPDATE entries SET {assignments} WHERE seq IN (2, 4)")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, 2)


def test_renumbered_entries_are_detected(db: Path) -> None:
    filled(db).close()
    tamper(db, "UPDATE entries SET seq = -2 WHERE seq = 2",
           "UPDATE entries SET seq = 2 WHERE seq = 4",
           "UPDATE entries SET seq = 4 WHERE seq = -2")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, 2)


def test_deleted_payload_without_erasure_is_detected(db: Path) -> None:
    filled(db).close()
    tamper(db, "DELETE FROM payloads WHERE seq = 4")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, 4)
    assert "no erasure entry" in result.reason


def test_payload_added_to_entry_without_one_is_detected(db: Path) -> None:
    log = filled(db, 2)
    log.record("note", actor="system")
    log.close()
    tamper(db, "INSERT INTO payloads SELECT 3, subject, data, salt FROM payloads WHERE seq = 1")
    result = reopen(db).verify()
    assert (result.ok, result.first_bad) == (False, 3)


def test_missing_head_is_reported(db: Path) -> None:
    filled(db, 2).close()
    tamper(db, "DELETE FROM head")
    result = reopen(db).verify()
    assert not result.ok and result.first_bad is None
    assert "head record is missing" in result.reason
