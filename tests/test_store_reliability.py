"""The store under load and failure, on both backends: concurrent writers, a writer killed in
the middle of a transaction, and (PostgreSQL) a server restart in the middle of an import."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from collections import Counter
from multiprocessing.synchronize import Event
from pathlib import Path

import pandas as pd
import pytest
from esco_fixtures import SKILL_DATABASES, SKILL_PYTHON, SKILL_SQL
from store_backends import postgres_url

from skilltwin.errors import StoreError
from skilltwin.store import Store
from skilltwin.store import claims_import as import_module

KEY = b"test-pseudonym-key-0123456789abcdef"
WORKERS, RECORDS = 8, 500
ROOT = Path(__file__).resolve().parents[1]


def _write_many(url: str, worker: int, start: Event) -> None:
    """Child process: wait for the start signal, then append RECORDS entries. On PostgreSQL
    the entries alternate between two stores, i.e. two engines with their own pools."""
    stores = [Store(url)] + ([Store(url)] if url.startswith("postgresql") else [])
    logs = [store.audit_log(pseudonym_key=KEY) for store in stores]
    start.wait()
    for i in range(RECORDS):
        logs[i % len(logs)].record("match", actor=f"worker-{worker}", subject=f"emp-{worker}",
                                   data={"worker": worker, "i": i})
    for store in stores:
        store.close()


@pytest.mark.slow  # several processes at once
def test_eight_writers_keep_one_valid_chain(db_url: str) -> None:
    Store(db_url).close()
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_write_many, args=(db_url, w, start))
               for w in range(WORKERS)]
    for process in workers:
        process.start()
    start.set()
    for process in workers:
        process.join(timeout=300)
    assert [p.exitcode for p in workers] == [0] * WORKERS

    with Store(db_url) as store:
        log = store.audit_log(pseudonym_key=KEY)
        result = log.verify()
        assert result.ok, result.reason
        assert result.checked == len(log) == WORKERS * RECORDS
        entries = log.entries()
        assert [e.seq for e in entries] == list(range(1, WORKERS * RECORDS + 1))
        written = [(e.data["worker"], e.data["i"]) for e in entries]
        for worker in range(WORKERS):  # each writer's entries in the order it wrote them
            assert [i for w, i in written if w == worker] == list(range(RECORDS))
        assert Counter(e.actor for e in entries) == {f"worker-{w}": RECORDS
                                                     for w in range(WORKERS)}


_CHILD = """
import sys, time
import pandas as pd
from esco_fixtures import write_esco_download
from skilltwin import load_esco
from skilltwin.store import Store
from skilltwin.store import claims_import

url, what, folder = sys.argv[1], sys.argv[2], sys.argv[3]
store = Store(url, taxonomy=load_esco(write_esco_download(__import__("pathlib").Path(folder))))
if what == "entry":
    log = store.audit_log(pseudonym_key=b"test-pseudonym-key-0123456789abcdef")
    with log._write() as conn:
        log._append(conn, "match", "writer", log.subject_id("emp-9"), {"half": True}, {})
        print("inside", flush=True)
        time.sleep(120)
else:
    real = claims_import.insert_claims
    def stalled(conn, rows):
        count = real(conn, rows)
        print("inside", flush=True)
        time.sleep(120)
        return count
    claims_import.insert_claims = stalled
    store.import_claims(pd.read_csv(sys.argv[4], dtype=str))
"""


def _claims() -> pd.DataFrame:
    return pd.DataFrame({
        "employee_id": ["e1", "e1", "e2"], "skill": [SKILL_SQL, SKILL_PYTHON, SKILL_DATABASES],
        "level": ["3", "2", "4"], "observed": ["2025-01-01"] * 3,
    })


@pytest.mark.slow  # several processes at once
@pytest.mark.parametrize("what", ["entry", "import"])
def test_a_writer_killed_mid_transaction_leaves_nothing_half_written(
    db_url: str, tiny_esco, tmp_path: Path, what: str
) -> None:
    with Store(db_url, taxonomy=tiny_esco) as store:
        log = store.audit_log(pseudonym_key=KEY)
        log.record("match", actor="hr", subject="emp-1", data={"score": 0.5})
        export = tmp_path / "claims.csv"
        _claims().to_csv(export, index=False)
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, db_url, what, str(tmp_path / "esco"), str(export)],
            stdout=subprocess.PIPE, text=True, env=env)
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "inside"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL

        assert len(log) == 1 and log.verify().ok
        assert store.claims_frame().empty and store.imports().empty
        assert log.record("note", actor="hr").seq == 2  # the next write works
        assert store.import_claims(export).accepted == 3
        assert log.verify().ok


@pytest.mark.slow  # restarts the PostgreSQL server
def test_a_postgres_restart_mid_import_leaves_nothing_half_imported(
    tiny_esco, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = postgres_url()
    if not os.environ.get("SKILLTWIN_TEST_POSTGRES_DIR"):
        message = "$SKILLTWIN_TEST_POSTGRES_DIR is not set: start the server with .ci/postgres.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from store_backends import drop_schema, fresh_schema_url

    url, schema = fresh_schema_url(base)
    try:
        store = Store(url, taxonomy=tiny_esco)
        log = store.audit_log(pseudonym_key=KEY)
        log.record("match", actor="hr", subject="emp-1", data={"score": 0.5})
        real = import_module.insert_claims
        batches: list[int] = []

        def restart_after_first_batch(conn, rows):  # type: ignore[no-untyped-def]
            count = real(conn, rows)
            batches.append(count)
            if len(batches) == 1:
                subprocess.run([str(ROOT / ".ci" / "postgres.sh"), "restart"], check=True)
            return count

        monkeypatch.setattr(import_module, "_BATCH", 1)
        monkeypatch.setattr(import_module, "insert_claims", restart_after_first_batch)
        with pytest.raises(StoreError, match="nothing of this step was saved"):
            store.import_claims(_claims())
        assert batches == [1, 1] or batches == [1]
        monkeypatch.setattr(import_module, "insert_claims", real)
        assert store.claims_frame().empty and store.imports().empty
        assert log.verify().ok and len(log) == 1
        assert store.import_claims(_claims()).accepted == 3  # the next import works
        assert log.record("note", actor="hr").seq == 2
        assert log.verify().ok
        store.close()
    finally:
        drop_schema(base, schema)
