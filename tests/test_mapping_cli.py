"""The ``map-skills`` / ``map-occupations`` contract: one JSON object per input line, in order.

The taxonomy is a small ESCO slice and the model a word-hashing stand-in, so these run fast;
the output format is what other tools depend on.
"""

from __future__ import annotations

import io
import json
import sys

import pytest
from test_mapping_units import HashingEncoder

from skilltwin.cli import _mapping_commands
from skilltwin.cli.main import main
from skilltwin.mapping import mapper as mapper_module


@pytest.fixture(autouse=True)
def small_world(esco, monkeypatch):
    taxonomy = esco.subset(["database administrator", "software developer"])
    monkeypatch.setattr(_mapping_commands, "load_taxonomy", lambda args: (taxonomy, 0.0))
    monkeypatch.setattr(mapper_module, "resolve_encoder", lambda model, **_: HashingEncoder())
    return taxonomy


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _output(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_one_json_object_per_input_line_in_input_order(tmp_path, capsys):
    source = tmp_path / "skills.txt"
    source.write_text("SQL\n\nmanage database\r\nOracle", encoding="utf-8")
    assert main(["map-skills", "--in", str(source), "--top-k", "2"]) == 0
    lines = _output(capsys)
    assert [line["text"] for line in lines] == ["SQL", "", "manage database", "Oracle"]
    assert [len(line["matches"]) for line in lines] == [2, 0, 2, 2]
    for line in lines:
        assert set(line) == {"text", "matches"}
        for match in line["matches"]:
            assert set(match) == {"uri", "label", "score"}
            assert 0 <= match["score"] <= 1
    assert lines[2]["matches"][0]["label"] == "manage database"


def test_reads_stdin_by_default_and_maps_occupations(monkeypatch, capsys, small_world):
    _stdin(monkeypatch, b"software developer\ndatabase administrator\n")
    assert main(["map-occupations", "--top-k", "1"]) == 0
    lines = _output(capsys)
    assert [line["matches"][0]["label"] for line in lines] == [
        "software developer", "database administrator"]
    assert lines[0]["matches"][0]["uri"] == small_world.occupation("software developer").uri


def test_undecodable_input_is_a_clear_error(monkeypatch, capsys):
    _stdin(monkeypatch, b"SQL\nd\xe9veloppeur\n")
    assert main(["map-skills"]) == 2
    captured = capsys.readouterr()
    assert "line 2" in captured.err and "UTF-8" in captured.err
    assert "Traceback" not in captured.err


def test_byte_order_mark_is_not_part_of_the_text(monkeypatch, capsys):
    _stdin(monkeypatch, b"\xef\xbb\xbfSQL\n")
    assert main(["map-skills", "--top-k", "1"]) == 0
    assert _output(capsys)[0]["text"] == "SQL"


def test_missing_input_file_is_a_clear_error(tmp_path, capsys):
    assert main(["map-skills", "--in", str(tmp_path / "absent.txt")]) == 2
    assert "--in" in capsys.readouterr().err


def test_top_k_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["map-skills", "--top-k", "0"])
    assert exit_info.value.code == 2
    assert "--top-k: expected a whole number of at least 1" in capsys.readouterr().err


def test_index_build_prepares_the_indexes_a_later_mapping_reads(small_world, monkeypatch,
                                                                 tmp_path, capsys):
    from skilltwin.cli import _index_commands

    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_index_commands, "load_taxonomy", lambda args: (small_world, 0.0))
    encoder = HashingEncoder()
    monkeypatch.setattr(mapper_module, "resolve_encoder", lambda model, **_: encoder)
    assert main(["index", "build"]) == 0
    out = capsys.readouterr().out
    assert "skill index (en)" in out and "occupation index (en)" in out
    assert out.count("built and cached in") == 2
    assert len(list(tmp_path.glob("index/*/card.json"))) == 2
    assert len(list(tmp_path.glob("index/*/lexical-*.npz"))) == 2  # mapping reads them too
    embedded = encoder.encoded
    assert main(["index", "build", "--kind", "skill", "--json"]) == 0
    (report,) = _output(capsys)
    assert report["kind"] == "skill" and report["texts"] >= report["distinct_texts"] > 0
    (folder,) = report["folders"].values()
    assert folder["was_cached"] and folder["cached"]
    assert encoder.encoded == embedded  # nothing embedded again
    # mapping then reads the prepared index instead of embedding the taxonomy
    _stdin(monkeypatch, b"SQL\n")
    assert main(["map-skills", "--top-k", "1"]) == 0
    assert encoder.encoded == embedded + 1
