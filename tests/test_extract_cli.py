"""The ``extract`` contract: one JSON object per mention with file, span, page and paragraph; a
bad file is one line on stderr, the others are still read, and the exit code is 2.

The taxonomy is a small ESCO slice and the model a word-hashing stand-in, as in
test_mapping_cli.py, so these run fast."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from documents_files import PAGE_ONE, make_pdf
from test_mapping_units import HashingEncoder

from skilltwin.cli import _document_commands
from skilltwin.cli.main import main
from skilltwin.mapping import mapper as mapper_module

KEYS = {"file", "start", "end", "text", "page", "paragraph", "uri", "label", "score",
        "confidence"}


@pytest.fixture(autouse=True)
def small_world(esco, monkeypatch):
    taxonomy = esco.subset(["database administrator", "software developer"])
    loads: list[int] = []

    def load(args):
        loads.append(1)
        return taxonomy, 0.0

    monkeypatch.setattr(_document_commands, "load_taxonomy", load)
    monkeypatch.setattr(mapper_module, "resolve_encoder", lambda model, **_: HashingEncoder())
    return loads


def _output(capsys) -> tuple[list[dict], str]:
    captured = capsys.readouterr()
    return [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_one_line_per_mention_with_page_and_paragraph(tmp_path: Path, capsys) -> None:
    cv = make_pdf(tmp_path / "cv.pdf", [PAGE_ONE, ("Skills", "SQL")])
    notes = tmp_path / "notes.txt"
    notes.write_text("Intro.\n\nSQL\n", encoding="utf-8")
    assert main(["extract", str(cv), str(notes), "--threshold", "0.05"]) == 0
    lines, err = _output(capsys)
    assert "Traceback" not in err
    sql = [line for line in lines if line["text"] == "SQL" and line["label"] == "SQL"]
    assert [(line["file"], line["page"], line["paragraph"]) for line in sql] == [
        (str(cv), 2, 2), (str(notes), None, 2)]
    for line in lines:
        assert set(line) == KEYS
        assert line["confidence"] >= 0.05
    assert (sql[1]["start"], sql[1]["end"]) == (8, 11)
    assert sql[0]["uri"] == sql[1]["uri"] and sql[0]["label"]


def test_a_bad_file_is_reported_and_the_others_are_read(tmp_path: Path, capsys,
                                                        small_world) -> None:
    good = tmp_path / "good.txt"
    good.write_text("SQL", encoding="utf-8")
    scan = make_pdf(tmp_path / "scan.pdf", [()], drawing_only=True)
    odt = tmp_path / "cv.odt"
    odt.write_bytes(b"PK\x03\x04")
    assert main(["extract", str(scan), str(tmp_path / "absent.pdf"), str(good), str(odt),
                 str(tmp_path), "--threshold", "0.05"]) == 2
    lines, err = _output(capsys)
    assert {line["file"] for line in lines} == {str(good)}
    errors = [line for line in err.splitlines() if line.startswith("skilltwin: error:")]
    assert len(errors) == 4
    for name, reason in ((scan, "OCR"), ("absent.pdf", "not found"), (odt, ".odt"),
                         (tmp_path, "folder")):
        assert any(str(name) in e and reason in e for e in errors), (name, err)
    assert "4 of 5 file(s) could not be read" in err
    assert "Traceback" not in err
    assert len(small_world) == 1  # ESCO loaded once


def test_no_readable_file_loads_no_taxonomy(tmp_path: Path, capsys, small_world) -> None:
    assert main(["extract", str(tmp_path / "absent.txt")]) == 2
    assert small_world == []


def test_dash_reads_standard_input(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"SQL\n"), encoding="utf-8"))
    assert main(["extract", "-", "--threshold", "0.05"]) == 0
    lines, _ = _output(capsys)
    assert [(line["file"], line["text"], line["paragraph"]) for line in lines
            if line["label"] == "SQL"] == [("-", "SQL", 1)]


def test_threshold_must_be_a_share(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "cv.pdf", "--threshold", "2"])
    assert exit_info.value.code == 2
    assert "from 0 to 1" in capsys.readouterr().err
