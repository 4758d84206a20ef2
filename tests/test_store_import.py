"""Importing an HR export into the store: every row accounted for, idempotent, one transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from esco_fixtures import SKILL_DATABASES, SKILL_PYTHON, SKILL_SQL

from skilltwin.errors import ConfigurationError, StoreError
from skilltwin.store import Store
from skilltwin.store import claims_import as import_module

# A year ahead, not a day: a run that crosses midnight must still see this date as the future.
FUTURE = (dt.date.today() + dt.timedelta(days=366)).isoformat()


def _export() -> pd.DataFrame:
    return pd.DataFrame([
        # employee_id, skill, level, observed, source, confidence, evidence, department
        ("e1", SKILL_SQL, "3", "2025-01-10", "manager", "0.9", "appraisal", "ICT"),
        ("e1", "Python", "2", "2025-02-01", "", "", "", "ICT"),           # alt label, defaults
        ("e2", "use databases", "4", "2025-03-01T00:00:00", "Assessment", "1", "test", "HR"),
        ("", SKILL_SQL, "2", "2025-01-10", "self", "1", "", "HR"),         # 4: no employee
        ("e3", "basket weaving", "2", "2025-01-10", "self", "1", "", "HR"),  # 5: unknown skill
        ("e3", SKILL_SQL, "7", "2025-01-10", "self", "1", "", "HR"),       # 6: above the scale
        ("e3", SKILL_SQL, "two", "2025-01-10", "self", "1", "", "HR"),     # 7: not a number
        ("e3", SKILL_SQL, "2", FUTURE, "self", "1", "", "HR"),           # 8: future date
        ("e3", SKILL_SQL, "2", "10-01-2025", "self", "1", "", "HR"),       # 9: not ISO
        ("e3", SKILL_SQL, "2", "2025-01-10", "rumour", "1", "", "HR"),     # 10: bad source
        ("e3", SKILL_SQL, "2", "2025-01-10", "self", "1.5", "", "HR"),     # 11: confidence
        ("e1", SKILL_SQL, "3", "2025-01-10", "manager", "0.9", "appraisal", "ICT"),  # repeat
    ], columns=["employee_id", "skill", "level", "observed", "source", "confidence",
                "evidence", "department"])


def test_every_row_is_accepted_or_rejected_with_its_reason(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    _export().to_csv(path, index=False)
    report = store.import_claims(path, actor="hr-sync", attribute_columns=["department"])
    assert (report.rows, report.accepted, report.duplicates) == (12, 3, 1)
    assert report.rejected["row"].tolist() == [4, 5, 6, 7, 8, 9, 10, 11]
    reasons = report.rejected["reason"].tolist()
    assert reasons[0] == "missing employee id"
    assert reasons[1].startswith("unknown skill: basket weaving is no ESCO skill")
    assert reasons[2].startswith("level outside the scale skilltwin 0-4 (0-4): 7")
    assert reasons[3] == "level is not a number: two"
    assert reasons[4] == f"observed date in the future: {FUTURE}"
    assert reasons[5].startswith("observed date missing or not an ISO date")
    assert reasons[6] == ("source is not one of self, manager, certificate, assessment, "
                          "inferred: rumour")
    assert reasons[7] == "confidence outside 0-1: 1.5"
    assert report.employees_added == 2  # e3 had no valid row
    assert "8 rejected" in str(report)

    claims = store.claims_frame()
    assert claims["skill"].tolist() == [SKILL_SQL, SKILL_PYTHON, SKILL_DATABASES]
    assert claims["source"].tolist() == ["manager", "self", "assessment"]
    assert claims["confidence"].tolist() == [0.9, 1.0, 1.0]
    assert store.attributes("e2") == {"department": "HR"}
    assert store.twin("e1").levels("2025-12-31") == {SKILL_SQL: 3.0, SKILL_PYTHON: 2.0}


def test_importing_the_same_file_twice_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    _export().to_csv(path, index=False)
    store.import_claims(path)
    again = store.import_claims(path)
    assert (again.accepted, again.duplicates, len(again.rejected)) == (0, 4, 8)
    assert len(store.claims_frame()) == 3
    imports = store.imports()
    assert imports["accepted"].tolist() == [3, 0]
    assert imports["content_hash"].nunique() == 1


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_excel_and_parquet_exports(store: Store, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"export{suffix}"
    frame = _export()
    frame["level"] = pd.to_numeric(frame["level"], errors="coerce")
    if suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    report = store.import_claims(path)
    assert report.accepted == 3
    assert report.rejected["row"].tolist() == [4, 5, 6, 7, 8, 9, 10, 11]


def test_bad_files_are_clear_errors(store: Store, tmp_path: Path, tiny_esco) -> None:
    with pytest.raises(ConfigurationError, match="no such file"):
        store.import_claims(tmp_path / "missing.csv")
    (tmp_path / "claims.txt").write_text("x")
    with pytest.raises(ConfigurationError, match="unknown file type"):
        store.import_claims(tmp_path / "claims.txt")
    with pytest.raises(ConfigurationError, match=r"lacks column\(s\) \['observed'\]"):
        store.import_claims(_export().drop(columns="observed"))
    bare = Store(store.engine.url.render_as_string(hide_password=False))
    with pytest.raises(ConfigurationError, match="needs a taxonomy"):
        bare.import_claims(_export())
    bare.close()


def test_an_import_that_fails_half_way_stores_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_module, "_BATCH", 1)
    calls = []
    real = import_module.insert_claims

    def failing(conn, rows):  # type: ignore[no-untyped-def]
        calls.append(len(rows))
        if len(calls) == 2:
            raise StoreError("connection lost")
        return real(conn, rows)

    monkeypatch.setattr(import_module, "insert_claims", failing)
    with pytest.raises(StoreError):
        store.import_claims(_export())
    assert len(store.claims_frame()) == 0 and len(store.imports()) == 0
    assert store.employees().empty
    monkeypatch.setattr(import_module, "insert_claims", real)
    assert store.import_claims(_export()).accepted == 3


def test_content_keys_are_the_same_one_by_one_and_vectorised() -> None:
    from skilltwin.store._keys import claim_key, claim_keys

    frame = pd.DataFrame({
        "employee_id": ["e1", "e2"], "skill_uri": [SKILL_SQL, SKILL_PYTHON], "level": [3, 2.5],
        "source": ["self", "manager"], "observed": ["2025-01-01", "2024-12-31"],
        "confidence": [1, 0.3], "evidence": ["", "CV: Python"],
    })
    one_by_one = [claim_key(*row) for row in frame.itertuples(index=False, name=None)]
    assert claim_keys(frame) == one_by_one
    assert len(set(one_by_one)) == 2
