"""Privacy in the audit log: pseudonyms, the key, free text, and erasure (GDPR art. 17)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from skilltwin import ConfigurationError, InputValidationError
from skilltwin.oversight import AuditLog

KEY = b"test-pseudonym-key-0123456789abcdef"
CV = "Jan de Vries, born 1980 in Utrecht. Ten years of SQL and Python at Acme B.V."


def file_bytes(db: Path) -> bytes:
    """The log's bytes on disk, including its write-ahead log."""
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "audit.sqlite"


@pytest.fixture
def no_env_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No key in the environment; the user's config folder is a temporary one."""
    monkeypatch.delenv("SKILLTWIN_AUDIT_KEY", raising=False)
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


# -- pseudonyms ----------------------------------------------------------------------------------


def test_raw_subject_never_reaches_the_file(db: Path) -> None:
    log = AuditLog(db, pseudonym_key=KEY)
    for i in range(20):
        log.record("match", actor="hr@example.nl", subject=f"EMP-SECRET-{i:04d}",
                   data={"score": 0.5})
    log.close()
    content = file_bytes(db)
    assert b"EMP-SECRET" not in content
    assert "EMP-SECRET".encode("utf-16-le") not in content
    pseudonym = AuditLog(db, pseudonym_key=KEY).subject_id("EMP-SECRET-0007")
    assert pseudonym.encode() in content


def test_pseudonyms_depend_on_the_key(tmp_path: Path) -> None:
    one = AuditLog(tmp_path / "one.sqlite", pseudonym_key=KEY)
    two = AuditLog(tmp_path / "two.sqlite", pseudonym_key=KEY[::-1])
    assert one.subject_id("emp-1") == one.subject_id("emp-1")
    assert one.subject_id("emp-1") != two.subject_id("emp-1")
    assert one.subject_id("emp-1") != one.subject_id("emp-2")
    assert len(one.subject_id("emp-1")) == 64


def test_log_refuses_a_different_key(db: Path) -> None:
    AuditLog(db, pseudonym_key=KEY).record("x", actor="a", subject="emp-1")
    other = AuditLog(db, pseudonym_key=b"another-key-of-sufficient-length-000")
    with pytest.raises(ConfigurationError, match="different pseudonym key"):
        other.record("x", actor="a", subject="emp-1")
    with pytest.raises(ConfigurationError, match="different pseudonym key"):
        other.entries(subject="emp-1")


def test_verify_and_export_need_no_key(db: Path, tmp_path: Path) -> None:
    AuditLog(db, pseudonym_key=KEY).record("x", actor="a", subject="emp-1", data={"v": 1})
    reader = AuditLog(db, pseudonym_key=tmp_path / "no-such-key-file", create=False)
    assert reader.verify().ok
    assert reader.export_jsonl(tmp_path / "out.jsonl") == 1
    with pytest.raises(ConfigurationError, match="no-such-key-file"):
        reader.subject_id("emp-1")


def test_key_from_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLTWIN_AUDIT_KEY", KEY.decode())
    from_env = AuditLog(db)
    assert from_env.subject_id("emp-1") == AuditLog(db, pseudonym_key=KEY).subject_id("emp-1")


def test_key_file(tmp_path: Path, db: Path) -> None:
    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY.decode() + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    from_file = AuditLog(db, pseudonym_key=key_file)
    assert from_file.subject_id("emp-1") == AuditLog(db, pseudonym_key=KEY).subject_id("emp-1")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_readable_key_file_warns(tmp_path: Path, db: Path) -> None:
    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY.decode(), encoding="utf-8")
    key_file.chmod(0o644)
    with pytest.warns(UserWarning, match="chmod 600"):
        AuditLog(db, pseudonym_key=key_file).subject_id("emp-1")


def test_short_keys_are_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="at least 32"):
        AuditLog(db, pseudonym_key=b"short").subject_id("emp-1")
    monkeypatch.setenv("SKILLTWIN_AUDIT_KEY", "short")
    with pytest.raises(ConfigurationError, match="SKILLTWIN_AUDIT_KEY"):
        AuditLog(db).subject_id("emp-1")


def test_default_key_file_is_created_private(db: Path, no_env_key: Path) -> None:
    first = AuditLog(db).subject_id("emp-1")
    key_files = list(no_env_key.rglob("audit.key"))
    assert len(key_files) == 1
    if os.name == "posix":
        assert stat.S_IMODE(key_files[0].stat().st_mode) == 0o600
    assert len(key_files[0].read_text().strip()) == 64
    assert AuditLog(db).subject_id("emp-1") == first  # the same key is read back
    assert [p.name for p in key_files[0].parent.iterdir()] == ["audit.key"]  # no temp files


def test_default_key_is_loaded_only_when_needed(db: Path, no_env_key: Path) -> None:
    AuditLog(db, pseudonym_key=KEY).record("note", actor="system")
    log = AuditLog(db)  # reading, verifying and exporting need no key
    assert log.verify().ok and not log.verify().keyed
    assert log.export_jsonl(db.with_name("out.jsonl")) == 1
    assert not list(no_env_key.rglob("audit.key"))
    with pytest.raises(ConfigurationError, match="different pseudonym key"):
        log.record("note", actor="system")  # every entry is keyed: writing loads the key
    assert len(list(no_env_key.rglob("audit.key"))) == 1


# -- free text -----------------------------------------------------------------------------------


def test_free_text_is_not_logged_by_default(db: Path) -> None:
    log = AuditLog(db, pseudonym_key=KEY)
    entry = log.record("infer_skills", actor="hr@example.nl", subject="emp-1",
                       data={"cv_text": CV, "claims": [{"skill": "SQL", "evidence": CV}],
                             "score": 0.7})
    assert entry.data is not None
    redacted = entry.data["cv_text"]
    assert redacted["redacted"] == "free text" and redacted["chars"] == len(CV)
    assert len(redacted["hmac_sha256"]) == 64
    assert entry.data["claims"][0]["evidence"] == redacted  # same text, same hash, any depth
    assert entry.data["claims"][0]["skill"] == "SQL" and entry.data["score"] == 0.7
    assert log.entries()[0].data == entry.data
    log.close()
    assert b"Jan de Vries" not in file_bytes(db)


def test_free_text_hash_is_keyed(tmp_path: Path) -> None:
    one = AuditLog(tmp_path / "a.sqlite", pseudonym_key=KEY).record(
        "x", actor="a", data={"text": CV})
    two = AuditLog(tmp_path / "b.sqlite", pseudonym_key=KEY[::-1]).record(
        "x", actor="a", data={"text": CV})
    assert one.data and two.data
    assert one.data["text"]["hmac_sha256"] != two.data["text"]["hmac_sha256"]


def test_free_text_logged_when_configured(db: Path) -> None:
    log = AuditLog(db, pseudonym_key=KEY, log_free_text=True)
    entry = log.record("infer_skills", actor="a", data={"cv_text": CV})
    assert entry.data == {"cv_text": CV}
    assert log.entries()[0].data == {"cv_text": CV}


def test_free_text_fields_are_configurable(db: Path) -> None:
    log = AuditLog(db, pseudonym_key=KEY, free_text_fields={"motivation"})
    entry = log.record("x", actor="a", data={"motivation": "I like data", "text": "kept"})
    assert entry.data is not None
    assert entry.data["motivation"]["redacted"] == "free text"
    assert entry.data["text"] == "kept"


# -- erasure -------------------------------------------------------------------------------------


def _workforce_log(db: Path) -> AuditLog:
    log = AuditLog(db, pseudonym_key=KEY)
    log.record("match", actor="hr@example.nl", subject="emp-1",
               data={"score": 0.41, "note": "ERASE-ME-ALPHA"})
    log.record("match", actor="hr@example.nl", subject="emp-2", data={"score": 0.77})
    log.record("override", actor="j.jansen", subject="emp-1",
               data={"score": 0.6, "reason": "ERASE-ME-BETA certificate"})
    log.record("note", actor="system", data={"batch": "ERASE-ME-NOT"})
    log.record("decision", actor="j.jansen", subject="emp-1", data={"outcome": "shortlist"})
    return log


def test_erasure_removes_personal_data_and_keeps_the_chain(db: Path) -> None:
    log = _workforce_log(db)
    pseudonym = log.subject_id("emp-1")
    hashes_before = [e.hash for e in log]

    erasure = log.erase_subject("emp-1", actor="dpo@example.nl", reason="request #12")

    assert erasure.action == "erasure" and erasure.actor == "dpo@example.nl"
    assert erasure.subject is None
    assert erasure.data is not None and len(erasure.data.pop("signature")) == 128
    assert erasure.data == {"erased_entries": [1, 3, 5], "reason": "request #12"}
    assert log.entries(subject="emp-1") == []
    assert log.entries(subject=pseudonym) == []
    entries = list(log)
    assert [e.hash for e in entries[:5]] == hashes_before  # the chain is untouched
    for entry in (entries[0], entries[2], entries[4]):
        assert entry.erased and entry.subject is None and entry.data is None
        assert entry.payload_hash is not None  # the commitment stays; it reveals nothing
    assert entries[1].data == {"score": 0.77} and not entries[1].erased
    assert entries[3].data == {"batch": "ERASE-ME-NOT"}
    assert [e.seq for e in log.entries(action="erasure")] == [6]

    result = log.verify()
    assert result.ok, result.reason
    assert result.checked == 6
    log.close()
    content = file_bytes(db)
    assert b"ERASE-ME-ALPHA" not in content and b"ERASE-ME-BETA" not in content
    assert pseudonym.encode() not in content
    assert b"ERASE-ME-NOT" in content


def test_erasure_survives_reopen_and_new_entries(db: Path) -> None:
    log = _workforce_log(db)
    log.erase_subject("emp-1", actor="dpo", reason="request #12")
    log.record("match", actor="hr", subject="emp-1", data={"score": 0.5})  # a new record
    log.close()
    log = AuditLog(db, pseudonym_key=KEY, create=False)
    assert log.verify().ok
    assert [e.seq for e in log.entries(subject="emp-1")] == [7]


def test_erasure_of_an_unknown_subject_is_an_error_not_an_erasure_entry(db: Path) -> None:
    log = _workforce_log(db)
    before = len(log)
    with pytest.raises(InputValidationError, match="Nothing was erased") as caught:
        log.erase_subject("emp-999", actor="dpo", reason="request #13")
    assert caught.value.field == "employee_id"
    assert len(log) == before and not log.entries(action="erasure")
    assert log.verify().ok


def test_erasure_needs_actor_and_reason(db: Path) -> None:
    log = _workforce_log(db)
    with pytest.raises(ConfigurationError, match="reason"):
        log.erase_subject("emp-1", actor="dpo", reason=" ")
    with pytest.raises(ConfigurationError, match="actor"):
        log.erase_subject("emp-1", actor="", reason="request")
    assert len(log.entries(subject="emp-1")) == 3


def test_payload_deleted_without_erasure_entry_is_not_accepted(db: Path) -> None:
    log = _workforce_log(db)
    log.erase_subject("emp-1", actor="dpo", reason="request #12")
    log.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DELETE FROM payloads WHERE seq = 2")  # emp-2, never erased
    conn.close()
    result = AuditLog(db, create=False).verify()
    assert (result.ok, result.first_bad) == (False, 2)


def test_forged_erasure_record_is_detected(db: Path) -> None:
    log = _workforce_log(db)
    log.erase_subject("emp-1", actor="dpo", reason="request #12")
    log.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER payloads_no_update")
    conn.execute("UPDATE payloads SET data = '{\"erased_entries\":[1,2,3,5],\"reason\":\"x\"}' "
                 "WHERE seq = 6")
    conn.execute("DELETE FROM payloads WHERE seq = 2")
    conn.close()
    result = AuditLog(db, create=False).verify()
    # The changed erasure entry no longer counts, so even the real erasures are unexplained.
    assert (result.ok, result.first_bad) == (False, 1)
    assert "no erasure entry" in result.reason
