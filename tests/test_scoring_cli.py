"""The match, gap and demo commands, and the demo organisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skilltwin.audit import AuditLog
from skilltwin.cli.main import main
from skilltwin.demo import DEMO_ACTOR, DEMO_DATA, DEMO_PURPOSE, run_demo
from skilltwin.errors import ConfigurationError
from skilltwin.profiles.io import read_profiles
from skilltwin.twin.io import read_twins


def test_demo_data_reads_and_one_profile_is_built_from_skills(esco) -> None:
    twins = read_twins(DEMO_DATA / "zuiderveen-employees.jsonl", esco)
    profiles = read_profiles(DEMO_DATA / "zuiderveen-profiles.json", esco)
    assert len(twins) == 25 and all(t.levels() for t in twins)
    assert {p.source for p in profiles} >= {"from skills", "ESCO occupation"}
    generated = next(p for p in profiles if p.source == "from skills")
    assert "inspect building systems" in {r.label for r in generated.requirements}


def test_run_demo_writes_a_report_and_records_every_score(esco, tmp_path: Path,
                                                          capsys) -> None:
    path = run_demo(None, tmp_path, taxonomy=esco, pseudonym_key=b"k" * 32)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Gemeente Zuiderveen")
    assert text.count("| 1 | ZV-") == 5
    assert "its hash chain verifies" in text
    assert "Vergunningverlener Omgevingswet" in capsys.readouterr().out
    with AuditLog(tmp_path / "audit.db", pseudonym_key=b"k" * 32, create=False) as log:
        assert log.verify().ok
        entries = list(log)
    actions = [entry.action for entry in entries]
    # one batch, one match entry per employee, one gap report per listed candidate
    assert actions.count("match_batch") == 1
    assert actions.count("match") == 25
    assert actions.count("gap") == 5 * 3
    assert {entry.actor for entry in entries} == {DEMO_ACTOR}
    assert all(entry.data["purpose"] == DEMO_PURPOSE for entry in entries)
    assert "ZV-1008" not in (tmp_path / "audit.db").read_bytes().decode("latin-1")


def _write(path: Path, documents: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(d) for d in documents), encoding="utf-8")
    return path


def test_match_and_gap_commands(esco_path: Path, tmp_path: Path, capsys) -> None:
    employees = _write(tmp_path / "employees.jsonl", [
        {"employee_id": "A", "claims": [{"skill": "manage budgets", "level": 3},
                                        {"skill": "public finance", "level": 2}]},
        {"employee_id": "B", "claims": [{"skill": "bake bread", "level": 4}]},
    ])
    profiles = _write(tmp_path / "profiles.jsonl", [
        {"profile_id": "FIN", "title": "Finance", "skills": [
            {"skill": "manage budgets"}, {"skill": "public finance", "min_level": 3}]},
    ])
    code = main(["match", "--esco", str(esco_path), "--twins", str(employees),
                 "--profiles", str(profiles), "--top-k", "1"])
    assert code == 0
    (line,) = capsys.readouterr().out.splitlines()
    ranked = json.loads(line)
    assert ranked["candidates"] == [{"employee_id": "A", "score": pytest.approx(5 / 6)}]

    one = _write(tmp_path / "one.json", [{"employee_id": "A", "claims": [
        {"skill": "manage budgets", "level": 3}]}])
    code = main(["gap", "--esco", str(esco_path), "--twin", str(one), "--profile",
                 str(profiles)])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    statuses = [item["status"] for item in result["contributions"]]
    assert statuses[0] == "met" and result["score"] == pytest.approx(0.5)


def test_gap_command_reports_user_errors(esco_path: Path, tmp_path: Path, capsys) -> None:
    code = main(["gap", "--esco", str(esco_path), "--twin", str(tmp_path / "none.json"),
                 "--profile", str(tmp_path / "none.json")])
    assert code == 2
    assert "file not found" in capsys.readouterr().err


def test_demo_into_a_folder_that_cannot_be_made_says_so(esco, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="cannot create the output folder"):
        run_demo(None, blocker / "demo", taxonomy=esco, pseudonym_key=b"k" * 32)
