"""``skilltwin audit verify`` and ``skilltwin audit export``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from skilltwin.audit import AuditLog
from skilltwin.cli.main import main

KEY = b"0123456789abcdef0123456789abcdef"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "audit.db"
    with AuditLog(path, pseudonym_key=KEY) as log:
        for n in range(5):
            log.record("match", actor="hr@zuiderveen.nl", subject=f"ZV-{n}",
                       data={"purpose": "internal mobility", "score": n / 10},
                       inputs_hash=f"{n:064x}")
    return path


def _tamper(db: Path, sql: str, *, drop: str | None = None) -> None:
    with sqlite3.connect(db) as conn:
        if drop:
            conn.execute(f"DROP TRIGGER {drop}")
        conn.execute(sql)


def test_verify_intact_log_exits_0(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--log", str(db)]) == 0
    out = capsys.readouterr().out
    assert "intact" in out and "5 entries" in out


@pytest.mark.parametrize("sql, drop, bad", [
    ("UPDATE entries SET actor = 'mallory' WHERE seq = 3", "entries_append_only_update", 3),
    ("DELETE FROM entries WHERE seq = 2", "entries_append_only_delete", 2),
    ("UPDATE entries SET seq = seq + 10 WHERE seq IN (2, 3)", "entries_append_only_update", 2),
    ("UPDATE payloads SET data = '{\"score\": 1.0}' WHERE seq = 4", "payloads_no_update", 4),
])
def test_verify_names_the_first_bad_entry(db: Path, capsys: pytest.CaptureFixture[str],
                                          sql: str, drop: str, bad: int) -> None:
    _tamper(db, sql, drop=drop)

    assert main(["audit", "verify", "--log", str(db)]) == 1
    out = capsys.readouterr().out
    assert "NOT intact" in out and f"first bad entry: {bad}:" in out


def test_verify_missing_file_is_a_user_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--log", str(tmp_path / "nope.db")]) == 2
    assert "no audit log there" in capsys.readouterr().err
    assert not (tmp_path / "nope.db").exists()


def test_export_jsonl_to_stdout_parses_back(db: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    assert main(["audit", "export", "--log", str(db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[2]["data"] == {"purpose": "internal mobility", "score": 0.2}
    assert rows[2]["subject"] != "ZV-2" and len(rows[2]["subject"]) == 64


def test_export_csv_to_file_parses_back(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    assert main(["audit", "export", "--log", str(db), "--format", "csv", "--out", str(target)]) == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 5
    assert json.loads(rows[4]["data"])["score"] == 0.4
    assert rows[0]["inputs_hash"] == f"{0:064x}"


def test_console_script_verifies_and_exports(db: Path) -> None:
    script = shutil.which("skilltwin", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the skilltwin console script is not installed")
    verified = subprocess.run([script, "audit", "verify", "--log", str(db)],
                              capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stderr
    _tamper(db, "UPDATE entries SET action = 'decision' WHERE seq = 5",
            drop="entries_append_only_update")
    damaged = subprocess.run([script, "audit", "verify", "--log", str(db)],
                             capture_output=True, text=True, timeout=120)
    assert damaged.returncode == 1 and "first bad entry: 5" in damaged.stdout
