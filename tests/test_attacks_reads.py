"""Attacks and careless paths on reading commands: `audit verify`, `audit head`, `audit export`
and `notice` never change the store or log they read (file, schema, journal mode), and a
read-only copy is read completely or refused with a clear error."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_store_migrations import _write_v1_store

from skilltwin import AuditLog, JobProfile
from skilltwin.cli.main import main
from skilltwin.errors import ConfigurationError
from skilltwin.store import Store

KEY = b"test-pseudonym-key-0123456789abcdef"


def _digest(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir())}


def _reads(url: str) -> list[list[str]]:
    return [["audit", "verify", "--store", url], ["audit", "head", "--store", url],
            ["audit", "export", "--store", url], ["notice", "--store", url]]


def test_reading_commands_leave_a_sqlite_store_byte_for_byte(
    tmp_path: Path, tiny_esco, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "store.db"
    with Store(f"sqlite:///{path}", taxonomy=tiny_esco) as store:
        log = store.audit_log(pseudonym_key=KEY)
        log.record("match", actor="hr", data={"score": 0.5})
        log.close()
    with sqlite3.connect(path) as conn:  # a store someone switched to the rollback journal
        conn.execute("PRAGMA journal_mode = DELETE")
    before = _digest(tmp_path)
    for command in _reads(f"sqlite:///{path}"):
        assert main(command) == 0, command
    capsys.readouterr()
    assert _digest(tmp_path) == before  # no -wal or -shm file appeared either
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_reading_commands_never_upgrade_an_older_store(
    db_url: str, tiny_esco, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_v1_store(db_url, JobProfile.from_occupation(tiny_esco, next(iter(
        tiny_esco.occupations())).uri, profile_id="p"))
    for command in _reads(db_url):
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert "schema version 1" in err and "never upgrades" in err
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        version = conn.execute(sa.text(
            "SELECT value FROM store_meta WHERE key = 'schema_version'")).scalar_one()
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert version == "1" and "scores" not in tables


def test_a_store_opened_read_only_refuses_writes(db_url: str, tiny_esco) -> None:
    Store(db_url, taxonomy=tiny_esco).close()
    with Store(db_url, read_only=True) as store, pytest.raises(Exception) as caught:
        store.configure(organisation="Gemeente Zuiderveen")
    assert "read" in str(caught.value).lower()
    with Store(db_url) as store:
        assert "organisation" not in store.settings()


def _unreadable_shm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make SQLite behave as on a read-only mount: the -shm file cannot be created, so a
    plain read-only open fails and only an immutable read would work."""
    real = sqlite3.connect

    def connect(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if "mode=ro" in str(database) and "immutable=1" not in str(database):
            raise sqlite3.OperationalError("unable to open database file")
        return real(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", connect)


def _copy_with_wal(source: Path, target: Path) -> None:
    """Copy a WAL-mode database while a writer still holds entries in its -wal file."""
    for suffix in ("", "-wal"):
        shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    assert Path(f"{target}-wal").stat().st_size > 0


def test_a_read_only_copy_of_a_log_with_a_wal_file_is_refused_not_read_in_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log = AuditLog(tmp_path / "audit.db", pseudonym_key=KEY)
    log.record("match", actor="hr", data={"score": 0.5})
    copy = tmp_path / "copy"
    copy.mkdir()
    _copy_with_wal(tmp_path / "audit.db", copy / "audit.db")  # copied while the log is open
    log.close()
    _unreadable_shm(monkeypatch)
    with pytest.raises(ConfigurationError, match="write-ahead file"):
        AuditLog(copy / "audit.db", read_only=True)
    assert main(["audit", "verify", "--log", str(copy / "audit.db")]) == 2
    assert "write-ahead file" in capsys.readouterr().err


def test_a_read_only_copy_of_a_store_with_a_wal_file_is_refused(
    tmp_path: Path, tiny_esco, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "store.db"
    store = Store(f"sqlite:///{path}", taxonomy=tiny_esco)
    store.configure(organisation="Gemeente Zuiderveen")
    copy = tmp_path / "copy"
    copy.mkdir()
    _copy_with_wal(path, copy / "store.db")
    store.close()
    _unreadable_shm(monkeypatch)
    assert main(["notice", "--store", str(copy / "store.db")]) == 2
    assert "write-ahead file" in capsys.readouterr().err
