"""Attacks and careless paths on outputs: every file the library or the command line writes
goes through one guarded writer, which refuses to destroy a database or an input and turns
every failed write into one clear error (exit 2), never a traceback or half a file."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from skilltwin._output import check_output, guarded_folder, guarded_output, write_output
from skilltwin.cli.main import main
from skilltwin.errors import OutputError


def _database(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
    return path


def _intact(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_a_database_and_its_companion_files_are_refused(tmp_path: Path) -> None:
    db = _database(tmp_path / "store.db")
    wal = tmp_path / "store.db-wal"
    wal.write_bytes(b"")
    for target in (db, wal, tmp_path / "store.db-journal"):
        with pytest.raises(OutputError, match="destroy"):
            write_output(target, "# notice\n")
    assert _intact(db)


def test_a_database_under_another_name_or_through_links_is_refused(tmp_path: Path) -> None:
    db = _database(tmp_path / "audit.log")  # a database whatever its name says
    (tmp_path / "sub").mkdir()
    link = tmp_path / "report.md"
    link.symlink_to(db)
    hard = tmp_path / "hard.txt"
    os.link(db, hard)
    for target in (db, link, tmp_path / "sub" / ".." / "audit.log", hard):
        with pytest.raises(OutputError):
            write_output(target, "x")
    assert _intact(db)


def test_an_input_is_refused_through_links_and_dots(tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("employee_id,skill,level\nA,SQL,3\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    link = tmp_path / "out" / "result.parquet"
    link.symlink_to(claims)
    for target in (claims, link, tmp_path / "out" / ".." / "claims.csv"):
        with pytest.raises(OutputError, match="inputs"):
            check_output(target, inputs=[claims])
    folder_input = tmp_path / "parts"
    folder_input.mkdir()
    with pytest.raises(OutputError, match="inputs"):
        check_output(folder_input / "x.parquet", inputs=[folder_input])
    assert claims.read_text(encoding="utf-8").startswith("employee_id")


@pytest.mark.parametrize("make", ["folder", "missing", "fifo", "device", "empty"])
def test_places_that_are_not_a_file_give_one_clear_error(tmp_path: Path, make: str) -> None:
    target = {"folder": tmp_path, "missing": tmp_path / "nope" / "r.md",
              "fifo": tmp_path / "pipe", "device": Path("/dev/null"), "empty": Path("")}[make]
    if make == "fifo":
        os.mkfifo(target)
    with pytest.raises(OutputError) as caught:
        write_output(target, "x")
    assert str(caught.value).count("\n") == 0 and len(str(caught.value)) < 200


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n", encoding="utf-8")

    def refuse(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OutputError, match="nothing was written"):
        write_output(target, "new\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_an_error_inside_the_block_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), guarded_output(target) as file:
        file.write("half")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert len(list(tmp_path.iterdir())) == 1


def test_dash_is_standard_output_and_files_are_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_output("-", "to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
    target = tmp_path / "report.md"
    write_output(target, "personal data\n")
    assert target.stat().st_mode & 0o077 == 0


def test_a_folder_output_refuses_a_folder_holding_a_database(tmp_path: Path) -> None:
    out = tmp_path / "result.parquet"
    out.mkdir()
    _database(out / "store.db")
    with pytest.raises(OutputError, match="holds a database"), guarded_folder(out):
        pass
    assert _intact(out / "store.db")
    fresh = tmp_path / "fresh"
    with guarded_folder(fresh) as staging:
        (staging / "part.0.parquet").write_bytes(b"x")
    assert (fresh / "part.0.parquet").read_bytes() == b"x"


def test_the_notice_command_refuses_to_write_onto_its_store(
    tmp_path: Path, tiny_esco, capsys: pytest.CaptureFixture[str]
) -> None:
    from skilltwin.store import Store

    path = tmp_path / "store.db"
    Store(f"sqlite:///{path}", taxonomy=tiny_esco).close()
    before = path.read_bytes()
    for target in (path, tmp_path / "store.db-wal", tmp_path / "x" / ".." / "store.db",
                   tmp_path, tmp_path / "missing" / "notice.md"):
        assert main(["notice", "--store", str(path), "--out", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("skilltwin: error:") and "Traceback" not in err
    assert path.read_bytes() == before


def test_match_claims_refuses_to_replace_its_input(
    esco_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = tmp_path / "claims.csv"
    pd.DataFrame({"employee_id": ["A"], "skill": ["SQL"], "level": [3]}).to_csv(claims,
                                                                                index=False)
    before = claims.read_bytes()
    link = tmp_path / "result.parquet"
    link.symlink_to(claims)
    for target in (claims, link):
        code = main(["match", "--esco", str(esco_path), "--claims", str(claims), "--profiles",
                     "occupations", "--out", str(target)])
        assert code == 2
        assert "one of the command's inputs" in capsys.readouterr().err
    assert claims.read_bytes() == before
