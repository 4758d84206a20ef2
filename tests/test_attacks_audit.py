"""Attacks on the audit log file: destroying it through exports, damaging it, forging an
erasure, swapping the key, rewriting it behind the head. Each runs on real files."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sqlite3
import uuid
from pathlib import Path

import pytest

from skilltwin._jsonio import canonical_json
from skilltwin._version import __version__
from skilltwin.audit._chain import commitment, entry_hash
from skilltwin.cli.main import main
from skilltwin.errors import AuditLogDamagedError, ConfigurationError
from skilltwin.oversight import AuditLog, ChainHead

KEY = b"attack-test-pseudonym-key-0123456789"
OTHER_KEY = b"another-pseudonym-key-9876543210abcdef"
LEGACY_SQL = Path(__file__).parent / "data" / "audit_log_v1.sql"
LEGACY_KEY = b"legacy-format-key-0123456789abcdef"


def _write_log(path: Path, n: int = 6) -> None:
    with AuditLog(path, pseudonym_key=KEY) as log:
        for i in range(n):
            log.record("match", actor="hr@zuiderveen.nl", subject=f"ZV-{i}",
                       data={"purpose": "internal mobility", "score": i / 10})
        log.record("decision", actor="A. Jansen", subject="ZV-1", data={"outcome": "shortlist"})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "audit.db"
    _write_log(path)
    return path


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


def _cli(*args: str) -> int:
    return main(["audit", *args])


# -- 1. nothing destroys or shortens the log ------------------------------------------------------


@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink", "wal", "shm"])
def test_export_onto_the_log_or_its_companions_is_refused(
        db: Path, how: str, capsys: pytest.CaptureFixture[str]) -> None:
    writer = AuditLog(db, pseudonym_key=KEY)  # an open writer keeps -wal and -shm around
    writer.record("note", actor="system")
    target = {
        "same": db,
        "relative": db.parent / ".." / db.parent.name / db.name,
        "symlink": db.parent / "link.jsonl",
        "hardlink": db.parent / "hard.jsonl",
        "wal": db.with_name(db.name + "-wal"),
        "shm": db.with_name(db.name + "-shm"),
    }[how]
    if how == "symlink":
        target.symlink_to(db)
    if how == "hardlink":
        os.link(db, target)
    before = db.read_bytes()

    assert _cli("export", "--log", str(db), "--out", str(target)) == 2
    assert "would destroy it" in capsys.readouterr().err
    with pytest.raises(ConfigurationError, match="would destroy it"):
        writer.export_csv(target)
    assert db.read_bytes() == before
    writer.close()
    assert AuditLog(db, read_only=True).verify().ok
    assert len(AuditLog(db, read_only=True)) == 8


def test_export_replaces_the_target_only_when_complete(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("earlier export\n")
    assert _cli("export", "--log", str(db), "--out", str(target)) == 0
    assert len(target.read_text().splitlines()) == 7
    assert not list(tmp_path.glob(".out.jsonl*"))  # no temporary file left behind
    assert _cli("export", "--log", str(db), "--out", str(tmp_path / "no" / "such" / "x")) == 2
    assert _cli("export", "--log", str(db), "--out", str(tmp_path)) == 2


def test_verify_and_export_never_write_to_a_read_only_log(db: Path, tmp_path: Path) -> None:
    os.chmod(db, 0o444)
    os.chmod(db.parent, 0o555)
    try:
        before = db.read_bytes()
        mtime = db.stat().st_mtime_ns
        assert _cli("verify", "--log", str(db)) == 0
        out = tmp_path.parent / f"{tmp_path.name}-export.csv"
        assert _cli("export", "--log", str(db), "--format", "csv", "--out", str(out)) == 0
        assert _cli("head", "--log", str(db)) == 0
        assert (db.read_bytes(), db.stat().st_mtime_ns) == (before, mtime)
        with pytest.raises(ConfigurationError, match="read-only"):
            AuditLog(db, read_only=True).record("x", actor="a")
        assert AuditLog(db, pseudonym_key=KEY, create=False).verify().ok
        assert (db.read_bytes(), db.stat().st_mtime_ns) == (before, mtime)
    finally:
        os.chmod(db.parent, 0o755)
        os.chmod(db, 0o644)
    assert len(out.read_text().splitlines()) == 8


def test_an_empty_file_is_damaged_and_left_empty(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "audit.db"
    empty.touch()
    assert _cli("verify", "--log", str(empty)) == 3
    assert _cli("export", "--log", str(empty)) == 3
    assert _cli("head", "--log", str(empty)) == 3
    with pytest.raises(AuditLogDamagedError):
        AuditLog(empty, create=False)
    with pytest.raises(AuditLogDamagedError):
        AuditLog(empty, read_only=True)
    assert empty.stat().st_size == 0
    assert [p.name for p in tmp_path.iterdir()] == ["audit.db"]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all("damaged" in line for line in err)


@pytest.mark.parametrize("table", ["entries", "payloads", "head", "meta"])
def test_a_dropped_table_is_damage_not_a_traceback(db: Path, table: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(f"DROP TABLE {table}")
    assert _cli("verify", "--log", str(db)) == 3
    assert _cli("export", "--log", str(db)) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("skilltwin: error:") for line in err)
    assert "damaged" in err[0]
    with pytest.raises(AuditLogDamagedError):
        AuditLog(db, pseudonym_key=KEY)


def test_not_sqlite_is_damage(tmp_path: Path) -> None:
    text = tmp_path / "audit.db"
    text.write_text("this is not a database, " * 200)
    before = text.read_bytes()
    assert _cli("verify", "--log", str(text)) == 3
    with pytest.raises(AuditLogDamagedError, match="damaged"):
        AuditLog(text)
    assert text.read_bytes() == before


def test_a_damaged_page_is_damage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "audit.db"
    _write_log(db, 300)
    with sqlite3.connect(db) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 10
    with db.open("r+b") as file:
        file.seek(page * (pages // 2))
        file.write(secrets.token_bytes(page))
    assert _cli("verify", "--log", str(db)) == 3
    assert "damaged" in capsys.readouterr().err
    with pytest.raises(AuditLogDamagedError):
        AuditLog(db, read_only=True).verify()


def test_tampered_damaged_and_usage_errors_have_distinct_exit_codes(
        db: Path, tmp_path: Path) -> None:
    assert _cli("verify", "--log", str(tmp_path / "missing.db")) == 2
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER entries_append_only_update")
        conn.execute("UPDATE entries SET actor = 'mallory' WHERE seq = 2")
    assert _cli("verify", "--log", str(db)) == 1
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE payloads")
    assert _cli("verify", "--log", str(db)) == 3


def test_a_companion_file_is_not_opened_as_a_log(db: Path) -> None:
    writer = AuditLog(db, pseudonym_key=KEY)
    writer.record("note", actor="system")
    wal = db.with_name(db.name + "-wal")
    before = wal.read_bytes()
    with pytest.raises(ConfigurationError, match="wal file of the database"):
        AuditLog(wal)
    assert wal.read_bytes() == before
    writer.close()


# -- 2/3. erasure can only be done by the key's holder; the key cannot be swapped -----------------


def _forge_erasure(db: Path, victim: int, *, key_id: str | None, signature: str | None) -> None:
    """What someone with write access but without the key does: delete a payload, append a
    correctly hashed erasure entry naming it, and move the head."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DELETE FROM payloads WHERE seq = ?", (victim,))
    head_seq, head_hash = conn.execute("SELECT seq, hash FROM head").fetchone()
    columns = [row[1] for row in conn.execute("PRAGMA table_info(entries)")]
    fields = {
        "seq": head_seq + 1, "entry_id": str(uuid.uuid4()),
        "timestamp": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
        "actor": "dpo@zuiderveen.nl", "action": "erasure", "inputs_hash": None,
        "library_version": __version__, "taxonomy_release": None, "model_name": None,
        "payload_hash": None, "prev_hash": head_hash,
    }
    if "key_id" in columns:
        fields["key_id"] = key_id
    data = {"erased_entries": [victim], "reason": "request 2026-099"}
    if signature is not None:
        data["signature"] = signature
    data_text = canonical_json(data).decode()
    salt = secrets.token_hex(32)
    fields["payload_hash"] = commitment(salt, None, data_text)
    fields["hash"] = entry_hash(fields)
    conn.execute(f"INSERT INTO entries ({', '.join(fields)}) VALUES "
                 f"({', '.join('?' * len(fields))})", list(fields.values()))
    conn.execute("INSERT INTO payloads (seq, subject, data, salt) VALUES (?, NULL, ?, ?)",
                 (fields["seq"], data_text, salt))
    conn.execute("UPDATE head SET seq = ?, hash = ?", (fields["seq"], fields["hash"]))
    conn.close()


def _own_key_id() -> str:
    from skilltwin.audit._signature import public_key

    return public_key(OTHER_KEY)


@pytest.mark.parametrize("variant", ["unsigned", "copied key id", "bad signature",
                                     "attacker's own key"])
def test_a_forged_erasure_of_a_decision_is_detected(db: Path, variant: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with AuditLog(db, read_only=True) as log:
        anchor = log.head()
        [decision] = [e for e in log if e.action == "decision"]
        key_id = decision.key_id
    signature = None
    if variant == "copied key id":
        signature = None
    elif variant == "bad signature":
        signature = "00" * 64
    elif variant == "attacker's own key":
        from skilltwin.audit._signature import sign

        key_id, signature = _own_key_id(), sign(OTHER_KEY, b"anything")
    _forge_erasure(db, decision.seq, key_id=None if variant == "unsigned" else key_id,
                   signature=signature)

    result = AuditLog(db, read_only=True).verify()
    assert not result.ok
    assert AuditLog(db, read_only=True).verify(anchor=anchor).ok is False
    assert _cli("verify", "--log", str(db)) == 1
    assert _cli("verify", "--log", str(db), "--anchor", f"{anchor.seq}:{anchor.hash}") == 1
    assert "NOT intact" in capsys.readouterr().out


def test_a_real_erasure_verifies_without_the_key(db: Path) -> None:
    with AuditLog(db, pseudonym_key=KEY) as log:
        erasure = log.erase_subject("ZV-1", actor="dpo@zuiderveen.nl", reason="request 12")
    assert erasure.key_id is not None
    assert AuditLog(db, read_only=True).verify().ok
    assert _cli("verify", "--log", str(db)) == 0


def test_deleting_the_key_record_does_not_let_another_key_in(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'key_fingerprint'")
    other = AuditLog(db, pseudonym_key=OTHER_KEY)
    with pytest.raises(ConfigurationError, match="different pseudonym key"):
        other.record("match", actor="hr", subject="ZV-9", data={"score": 0.1})
    with pytest.raises(ConfigurationError, match="different pseudonym key"):
        other.erase_subject("ZV-1", actor="dpo", reason="request")
    assert AuditLog(db, read_only=True).verify().ok


# -- 4. anchoring from the command line ----------------------------------------------------------


def _rewrite_from(db: Path, seq: int) -> None:
    """Change entry ``seq`` and recompute every later hash and the head (write access)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("DROP TRIGGER entries_append_only_update")
    rows = [dict(r) for r in conn.execute("SELECT * FROM entries WHERE seq >= ? ORDER BY seq",
                                          (seq,))]
    prev = conn.execute("SELECT hash FROM entries WHERE seq = ?", (seq - 1,)).fetchone()[0]
    rows[0]["actor"] = "mallory"
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = entry_hash(row)
        conn.execute("UPDATE entries SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                     (row["actor"], row["prev_hash"], row["hash"], row["seq"]))
        prev = row["hash"]
    conn.execute("UPDATE head SET hash = ?", (prev,))
    conn.close()


def test_head_and_anchor_catch_a_rewritten_log(db: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli("head", "--log", str(db)) == 0
    printed = capsys.readouterr().out.strip()
    seq, hash_ = printed.split(":")
    assert int(seq) == 7 and len(hash_) == 64
    assert AuditLog(db, read_only=True).head() == ChainHead(seq=7, hash=hash_)
    assert _cli("verify", "--log", str(db), "--anchor", printed) == 0

    _rewrite_from(db, 3)
    assert _cli("verify", "--log", str(db)) == 0  # the file alone cannot show it
    assert _cli("verify", "--log", str(db), "--anchor", printed) == 1
    assert "differs from the anchor" in capsys.readouterr().out


def test_anchor_catches_truncation_with_a_rewritten_head(db: Path) -> None:
    anchor = AuditLog(db, read_only=True).head()
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER entries_append_only_delete")
        conn.execute("DELETE FROM entries WHERE seq = 7")
        conn.execute("DELETE FROM payloads WHERE seq = 7")
        last = conn.execute("SELECT hash FROM entries WHERE seq = 6").fetchone()[0]
        conn.execute("UPDATE head SET seq = 6, hash = ?", (last,))
    assert _cli("verify", "--log", str(db)) == 0
    assert _cli("verify", "--log", str(db), "--anchor", f"{anchor.seq}:{anchor.hash}") == 1


@pytest.mark.parametrize("anchor", ["7", "x:abc", "7:" + "g" * 64, "-1:" + "0" * 64])
def test_a_malformed_anchor_is_a_usage_error(db: Path, anchor: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli("verify", "--log", str(db), f"--anchor={anchor}") == 2
    assert "SEQ:HASH" in capsys.readouterr().err


def test_head_of_a_tampered_log_is_not_printed(db: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM payloads WHERE seq = 2")
    assert _cli("head", "--log", str(db)) == 1
    assert capsys.readouterr().out == ""


# -- logs written before this version ------------------------------------------------------------


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    path = tmp_path / "legacy.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(LEGACY_SQL.read_text(encoding="utf-8"))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return path


def test_a_log_written_by_the_previous_version_verifies_and_migrates(
        legacy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli("verify", "--log", str(legacy)) == 0
    with AuditLog(legacy, read_only=True) as log:
        old = list(log)
        assert log.verify().ok and len(old) == 6
        assert old[1].erased and old[4].action == "erasure"

    with AuditLog(legacy, pseudonym_key=LEGACY_KEY) as log:  # migrates on opening
        assert [e.hash for e in log] == [e.hash for e in old]
        assert [e.seq for e in log.entries(subject="EMP-LEGACY-2")] == [3, 6]
        log.record("decision", actor="B. de Vries", subject="EMP-LEGACY-2",
                   data={"outcome": "promote"})
        log.erase_subject("EMP-LEGACY-2", actor="dpo@example.nl", reason="request 2026-002")
        assert log.verify().ok
    with pytest.raises(ConfigurationError, match="different pseudonym key"):
        AuditLog(legacy, pseudonym_key=OTHER_KEY).record("x", actor="a", subject="EMP-1")
    assert _cli("verify", "--log", str(legacy)) == 0


def test_after_migration_an_unsigned_erasure_is_refused(legacy: Path) -> None:
    with AuditLog(legacy, pseudonym_key=LEGACY_KEY) as log:
        log.record("decision", actor="B. de Vries", subject="EMP-LEGACY-2",
                   data={"outcome": "promote"})
    _forge_erasure(legacy, 7, key_id=None, signature=None)
    result = AuditLog(legacy, read_only=True).verify()
    assert not result.ok and result.first_bad == 7


@pytest.mark.parametrize("sql, drop", [
    ("UPDATE head SET seq = 'abc'", None),
    ("UPDATE payloads SET data = '{' WHERE seq = 3", "payloads_no_update"),
    ("UPDATE payloads SET data = '[1, 2]' WHERE seq = 3", "payloads_no_update"),
    ("UPDATE payloads SET subject = x'00ff' WHERE seq = 3", "payloads_no_update"),
    ("UPDATE entries SET timestamp = 'garbage' WHERE seq = 2", "entries_append_only_update"),
    ("UPDATE entries SET prev_hash = x'00' WHERE seq = 2", "entries_append_only_update"),
])
def test_values_skilltwin_never_writes_are_reported_not_tracebacks(
        db: Path, sql: str, drop: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(db) as conn:
        if drop:
            conn.execute(f"DROP TRIGGER {drop}")
        conn.execute(sql)
    assert _cli("verify", "--log", str(db)) == 1
    assert "NOT intact" in capsys.readouterr().out
    assert _cli("head", "--log", str(db)) == 1
    assert _cli("export", "--log", str(db), "--out", str(db.parent / "out.jsonl")) in (0, 3)
    err = capsys.readouterr().err
    assert "Traceback" not in err and all(line.strip() for line in err.splitlines())
