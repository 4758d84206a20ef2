"""``skilltwin demo`` through the command line: the report's rankings are the library's scores."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skilltwin import AuditLog, Taxonomy, match, match_frame
from skilltwin.cli.main import main
from skilltwin.demo import DEMO_DATA
from skilltwin.profiles.io import read_profiles
from skilltwin.twin.io import read_twins

_SECTION = re.compile(r"^`(ZV-[A-Z]+)` — .*?\n\n\| rank .*?\n\| --- .*?\n((?:\| \d .*\n)+)",
                      flags=re.MULTILINE)
_ROW = re.compile(r"^\| (\d) \| (ZV-\d+) \| (\d\.\d\d) \|", flags=re.MULTILINE)


def test_demo_report_lists_each_profiles_top_three_with_their_library_scores(
    esco: Taxonomy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SKILLTWIN_AUDIT_KEY", "ab" * 32)
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    report = (tmp_path / "zuiderveen-report.md").read_text(encoding="utf-8")

    twins = read_twins(DEMO_DATA / "zuiderveen-employees.jsonl", esco)
    profiles = {p.profile_id: p for p in read_profiles(DEMO_DATA / "zuiderveen-profiles.json",
                                                       esco)}
    scores = match_frame(twins, list(profiles.values()), taxonomy=esco)
    sections = dict(_SECTION.findall(report))
    assert set(sections) == set(profiles)
    by_id = {twin.employee_id: twin for twin in twins}
    for profile_id, rows in sections.items():
        listed = _ROW.findall(rows)
        expected = scores[profile_id].sort_values(ascending=False, kind="stable").head(3)
        assert [employee for _, employee, _ in listed] == list(expected.index), profile_id
        for _, employee, printed in listed:
            assert printed == f"{expected[employee]:.2f}"
            # match() computes the same score in another order (to 1e-9): the two decimals
            # printed may differ by one at a rounding boundary (0.425 as 0.4249999...)
            single = match(by_id[employee], profiles[profile_id], esco).score
            assert abs(float(printed) - single) <= 0.005 + 1e-9
    assert str(tmp_path / "zuiderveen-report.md") in out
    with AuditLog(tmp_path / "audit.db", pseudonym_key=("ab" * 32).encode(),  # as in the env
                  create=False) as log:
        assert log.verify().ok
