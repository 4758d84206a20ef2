"""Attacks and careless paths on destructive steps: erasure and retention check everything
first (key, the store's own log, readers, the person's existence) and then act in one
transaction, so that a failure or a kill at any point leaves the whole erasure or none of it;
on PostgreSQL no erased id is left in the table files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from esco_fixtures import SKILL_SQL

from skilltwin import AuditLog, EmployeeTwin
from skilltwin.errors import ConfigurationError, InputValidationError, OversightError
from skilltwin.store import Store

KEY = b"test-pseudonym-key-0123456789abcdef"
OTHER_KEY = b"another-key-that-is-not-the-logs-000"


def _store_with(url: str, taxonomy, raw_id: str) -> Store:  # type: ignore[no-untyped-def]
    store = Store(url, taxonomy=taxonomy)
    for employee in (raw_id, "keep-1"):
        twin = EmployeeTwin(employee, taxonomy=taxonomy)
        twin.add_skill(SKILL_SQL, level=3, source="manager", observed="2025-01-01")
        store.save_twin(twin)
    log = store.audit_log(pseudonym_key=KEY)
    for employee in (raw_id, "keep-1"):
        log.record("match", actor="hr", subject=employee, data={"score": 0.5})
    log.close()
    return store


def _state(store: Store, raw_id: str) -> tuple[int, int, int]:
    """Claims of ``raw_id`` in the store, entries of theirs with a payload, erasure entries."""
    log = store.audit_log(pseudonym_key=KEY)
    try:
        return (len(store.claims_frame().query("employee_id == @raw_id")),
                len(log.entries(subject=raw_id)), len(log.entries(action="erasure")))
    finally:
        log.close()


def test_erasure_with_the_wrong_key_deletes_nothing(db_url: str, tiny_esco) -> None:
    store = _store_with(db_url, tiny_esco, "emp-1")
    wrong = store.audit_log(pseudonym_key=OTHER_KEY)
    with pytest.raises(ConfigurationError, match="key"):
        store.erase_employee("emp-1", actor="dpo", reason="art. 17", audit_log=wrong)
    wrong.close()
    assert _state(store, "emp-1") == (1, 1, 0)


@pytest.mark.parametrize("raw_id", ["emp-404", "  ", "EMP-1\x00"])
def test_erasing_someone_who_is_not_there_is_an_error_not_an_erasure_entry(
    db_url: str, tiny_esco, raw_id: str
) -> None:
    store = _store_with(db_url, tiny_esco, "emp-1")
    log = store.audit_log(pseudonym_key=KEY)
    with pytest.raises(InputValidationError) as caught:
        store.erase_employee(raw_id, actor="dpo", reason="art. 17", audit_log=log)
    assert caught.value.field == "employee_id"
    assert _state(store, "emp-1") == (1, 1, 0)
    store.erase_employee("emp-1", actor="dpo", reason="art. 17", audit_log=log)
    with pytest.raises(InputValidationError, match="erased already"):  # twice: nothing left
        store.erase_employee("EMP-1 ", actor="dpo", reason="art. 17", audit_log=log)
    assert _state(store, "emp-1") == (0, 0, 1)
    log.close()


def test_erasure_through_a_log_that_is_not_the_stores_is_refused(
    tmp_path: Path, tiny_esco
) -> None:
    store = _store_with(f"sqlite:///{tmp_path / 'store.db'}", tiny_esco, "emp-1")
    other = AuditLog(tmp_path / "other.db", pseudonym_key=KEY)
    with pytest.raises(ConfigurationError, match="not this store's"):
        store.erase_employee("emp-1", actor="dpo", reason="art. 17", audit_log=other)
    other.close()
    assert _state(store, "emp-1") == (1, 1, 0)


def test_a_reader_that_holds_the_store_stops_erasure_and_retention_before_they_act(
    tmp_path: Path, tiny_esco
) -> None:
    path = tmp_path / "store.db"
    store = _store_with(f"sqlite:///{path}", tiny_esco, "emp-1")
    store.configure(retention_months=24)
    log = AuditLog(path, pseudonym_key=KEY, create=False, timeout=0.3)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM payloads").fetchall()
    with pytest.raises(OversightError, match="nothing was erased"):
        store.erase_employee("emp-1", actor="dpo", reason="art. 17", audit_log=log)
    with pytest.raises(OversightError, match="nothing was erased"):
        store.apply_retention(6, actor="dpo", audit_log=log)
    reader.execute("COMMIT")
    reader.close()
    log.close()
    assert _state(store, "emp-1") == (1, 1, 0)
    assert store.settings()["retention_months"] == 24  # not half-saved


_KILL = textwrap.dedent("""
    import os, sys
    from skilltwin.audit import _sql
    from skilltwin.store import Store

    url, raw_id, where = sys.argv[1:4]
    real = getattr(_sql.SQLTransaction, where)

    def die(self, *args, **kwargs):
        if where == "append":
            real(self, *args, **kwargs)   # the erasure entry is written, then the process dies
        os._exit(9)                       # before the transaction commits

    setattr(_sql.SQLTransaction, where, die)
    store = Store(url)
    store.erase_employee(raw_id, actor="dpo", reason="art. 17",
                         audit_log=store.audit_log(pseudonym_key=bytes.fromhex(sys.argv[4])))
""")


@pytest.mark.slow  # several processes at once
@pytest.mark.parametrize("where", ["delete_rows", "delete_payloads", "append"])
def test_a_kill_inside_the_erasure_leaves_none_of_it(
    db_url: str, tiny_esco, where: str
) -> None:
    store = _store_with(db_url, tiny_esco, "emp-1")
    store.close()
    done = subprocess.run([sys.executable, "-c", _KILL, db_url, "emp-1", where, KEY.hex()],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 9, done.stderr
    reopened = Store(db_url, taxonomy=tiny_esco)
    assert _state(reopened, "emp-1") == (1, 1, 0)  # none of it
    log = reopened.audit_log(pseudonym_key=KEY)
    assert log.verify().ok
    assert reopened.erase_employee("emp-1", actor="dpo", reason="art. 17", audit_log=log) == {
        "claims": 1, "scores": 0, "log_payloads": 1}  # and then the whole of it
    assert _state(reopened, "emp-1") == (0, 0, 1)
    assert _state(reopened, "keep-1")[:2] == (1, 1)
    log.close()


def test_erased_ids_leave_no_copy_in_the_postgresql_table_files(tiny_esco) -> None:
    from store_backends import drop_schema, fresh_schema_url, postgres_url

    base = postgres_url()
    url, schema = fresh_schema_url(base)
    raw_id = f"ERASE-{uuid.uuid4().hex[:12]}"
    try:
        store = _store_with(url, tiny_esco, raw_id)
        log = store.audit_log(pseudonym_key=KEY)
        store.erase_employee(raw_id, actor="dpo", reason="art. 17", audit_log=log)
        engine = sa.create_engine(url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("CHECKPOINT")  # every page on disk
            data_dir = Path(conn.exec_driver_sql("SHOW data_directory").scalar_one())
            files = [data_dir / conn.exec_driver_sql(
                "SELECT pg_relation_filepath(c.oid) FROM pg_class c JOIN pg_namespace n ON "
                f"n.oid = c.relnamespace WHERE n.nspname = '{schema}' AND c.relname = "
                f"'{name}'").scalar_one() for name in ("claims", "employees", "scores")]
        engine.dispose()
        assert files and all(path.is_file() for path in files)
        database = files[0].parent
        found = [path.name for path in database.iterdir()
                 if path.is_file() and raw_id.encode() in path.read_bytes()]
        assert found == []
        assert len(store.claims_frame().query("employee_id == 'keep-1'")) == 1
        log.close()
        store.close()
    finally:
        drop_schema(base, schema)
