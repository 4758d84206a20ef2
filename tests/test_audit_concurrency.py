"""The audit log under concurrent writers and a writer killed mid-stream."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from skilltwin.oversight import AuditLog

KEY = b"test-pseudonym-key-0123456789abcdef"
WORKERS = 4
RECORDS = 500


def _write_many(path: str, worker: int, start: Event) -> None:
    """Child process: wait for the start signal, then append RECORDS entries."""
    log = AuditLog(path, pseudonym_key=KEY, timeout=60)
    start.wait()
    for i in range(RECORDS):
        log.record("match", actor=f"worker-{worker}", subject=f"emp-{worker}-{i}",
                   data={"worker": worker, "i": i})
    log.close()


@pytest.mark.slow  # several processes at once
def test_concurrent_writers_keep_one_valid_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    AuditLog(path, pseudonym_key=KEY).close()
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_write_many, args=(str(path), w, start))
               for w in range(WORKERS)]
    for process in workers:
        process.start()
    start.set()
    for process in workers:
        process.join(timeout=120)
    assert [p.exitcode for p in workers] == [0] * WORKERS

    log = AuditLog(path, pseudonym_key=KEY, create=False)
    result = log.verify()
    assert result.ok, result.reason
    assert result.checked == len(log) == WORKERS * RECORDS
    entries = list(log)
    assert [e.seq for e in entries] == list(range(1, WORKERS * RECORDS + 1))
    written = [(e.data["worker"], e.data["i"]) for e in entries if e.data]
    assert len(set(written)) == WORKERS * RECORDS
    for worker in range(WORKERS):  # each writer's entries appear in the order it wrote them
        assert [i for w, i in written if w == worker] == list(range(RECORDS))
    assert Counter(e.actor for e in entries) == {f"worker-{w}": RECORDS for w in range(WORKERS)}


_ENDLESS_WRITER = """
import sys
from skilltwin.oversight import AuditLog
log = AuditLog(sys.argv[1], pseudonym_key=sys.argv[2].encode())
i = 0
while True:
    log.record("match", actor="writer", subject=f"emp-{i}", data={"i": i, "pad": "x" * 500})
    i += 1
"""


@pytest.mark.slow  # several processes at once
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_writer_killed_mid_stream_leaves_a_valid_log(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    AuditLog(path, pseudonym_key=KEY).close()
    writer = subprocess.Popen([sys.executable, "-c", _ENDLESS_WRITER, str(path), KEY.decode()])
    try:
        log = AuditLog(path, pseudonym_key=KEY, create=False)
        deadline = time.monotonic() + 60
        while len(log) < 300:
            assert writer.poll() is None, "the writer stopped by itself"
            assert time.monotonic() < deadline, "the writer wrote too slowly"
            time.sleep(0.02)
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    log = AuditLog(path, pseudonym_key=KEY, create=False)
    result = log.verify()
    assert result.ok, result.reason
    assert result.checked == len(log) >= 300
    assert [e.data["i"] for e in log if e.data] == list(range(len(log)))
    after = log.record("note", actor="tester")  # the log takes new entries after the crash
    assert after.seq == result.checked + 1
    assert log.verify().ok


def test_threads_can_share_one_log(tmp_path: Path) -> None:
    import threading

    log = AuditLog(tmp_path / "audit.sqlite", pseudonym_key=KEY)

    def write(worker: int) -> None:
        for i in range(100):
            log.record("match", actor=f"thread-{worker}", subject=f"emp-{i}", data={"i": i})
            if i % 25 == 0:
                assert log.verify().ok

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(log) == 400
    assert log.verify().ok
