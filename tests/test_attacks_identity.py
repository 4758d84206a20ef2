"""Attacks on identity and on claim values: one person must be one id on every path, and the
three ways claims come in (``EmployeeTwin.add_skill``, ``Store.import_claims``, a claims table
as ``skilltwin match --claims`` reads it) must accept the same values and refuse the rest with
the same reasons. Stores run on SQLite and on a real PostgreSQL (tests/store_backends.py)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from esco_fixtures import SKILL_DATABASES, SKILL_PYTHON, SKILL_SQL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skilltwin import AuditLog, EmployeeTwin, InputValidationError
from skilltwin._identity import ID_MAX_LENGTH, identity_key, normalise_id
from skilltwin.errors import ConfigurationError, UnknownConceptError
from skilltwin.outofcore import claim_levels, read_claims
from skilltwin.store import Store

NFC = unicodedata.normalize("NFC", "josé.müller")
NFD = unicodedata.normalize("NFD", "josé.müller")
TODAY = dt.date.today()
KEY = b"k" * 32


def _claims(*rows: tuple[Any, ...]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["employee_id", "skill", "level", "observed"])


def _table_reason(frame: pd.DataFrame, taxonomy) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationError) as caught:
        claim_levels(frame, taxonomy)
    return str(getattr(caught.value, "reason", caught.value))


def _twin_reason(taxonomy, employee_id: object, **claim: Any) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InputValidationError) as caught:
        EmployeeTwin(employee_id, taxonomy=taxonomy).add_skill(  # type: ignore[arg-type]
            claim.pop("skill", "SQL"), **claim)
    return caught.value.detail


# -- one person, one id ------------------------------------------------------------------------
def test_nfc_nfd_case_and_space_spellings_have_one_identity_and_one_pseudonym(
        tmp_path: Path) -> None:
    assert NFC != NFD
    assert normalise_id(NFD) == NFC
    assert normalise_id(" Emp-7 ") == "Emp-7"  # kept as written ...
    assert identity_key("Emp-7 ") == identity_key("emp-7") == identity_key("EMP-7")  # ... one key
    with AuditLog(tmp_path / "audit.db", pseudonym_key=KEY) as log:
        assert log.subject_id(NFC) == log.subject_id(NFD) == log.subject_id(NFC.upper())
        assert log.subject_id("Emp-7 ") == log.subject_id("emp-7")
        assert log.subject_id("emp-7") != log.subject_id("emp-8")


def test_spellings_of_one_id_are_one_employee_in_the_claims_table(tiny_esco) -> None:
    frame = _claims(("Emp-7 ", SKILL_SQL, 3, "2024-01-01"),
                    ("emp-7", SKILL_PYTHON, 2, "2024-01-01"),
                    (NFC, SKILL_SQL, 1, "2024-01-01"), (NFD, SKILL_PYTHON, 4, "2024-01-01"))
    levels = claim_levels(frame, tiny_esco)
    assert sorted(set(levels["employee_id"])) == sorted({"Emp-7", NFC})  # first spelling shown
    assert len(levels) == 4
    twins = EmployeeTwin.from_frame(frame, taxonomy=tiny_esco)
    assert [t.employee_id for t in twins] == ["Emp-7", NFC]
    assert {(identity_key(e), u): v for e, u, v in levels.itertuples(index=False)} == {
        (identity_key(t.employee_id), u): v for t in twins for u, v in t.levels().items()}


def test_spellings_of_one_id_are_one_employee_in_the_store(store: Store) -> None:
    report = store.import_claims(_claims(("Emp-7 ", SKILL_SQL, 3, "2024-01-01"),
                                         ("emp-7", SKILL_PYTHON, 2, "2024-01-01"),
                                         (NFD, SKILL_SQL, 1, "2024-01-01")))
    assert (report.accepted, report.employees_added) == (3, 2)
    assert sorted(store.employees()["employee_id"]) == sorted(["Emp-7", NFC])
    assert store.twin("EMP-7").levels("2024-06-01") == {SKILL_SQL: 3.0, SKILL_PYTHON: 2.0}
    assert store.twin(NFC.upper()).employee_id == NFC
    store.import_claims(_claims(("EMP-7", SKILL_DATABASES, 4, "2024-02-01")))  # a later file
    assert len(store.employees()) == 2
    assert len(store.claims_frame(employee_ids=["emp-7"])) == 3
    twin = EmployeeTwin(" emp-7", taxonomy=store.taxonomy)
    twin.add_skill("SQL", level=1, observed="2024-03-01")
    store.save_twin(twin)
    assert len(store.employees()) == 2 and len(store.twin("Emp-7").claims) == 4


def test_erasing_one_spelling_erases_every_spelling(store: Store) -> None:
    store.import_claims(_claims(("Emp-7", SKILL_SQL, 3, "2024-01-01"),
                                ("e8", SKILL_SQL, 3, "2024-01-01")))
    log = store.audit_log(pseudonym_key=KEY)
    log.record("match", actor="hr", subject=" emp-7", data={"score": 0.5})
    log.record("match", actor="hr", subject="EMP-7", data={"score": 0.6})
    log.record("match", actor="hr", subject="e8", data={"score": 0.7})
    counts = store.erase_employee("emp-7 ", actor="dpo", reason="art. 17", audit_log=log)
    assert counts == {"claims": 1, "scores": 0, "log_payloads": 2}
    assert list(store.employees()["employee_id"]) == ["e8"]
    assert [e.data for e in log.entries(subject="e8") if e.action == "match"] == [{"score": 0.7}]
    assert all(e.data is None for e in log.entries(action="match")[:2])
    assert log.verify().ok


def test_entries_of_a_log_written_before_the_rule_are_still_erased(tmp_path: Path,
                                                                    monkeypatch) -> None:
    from skilltwin.audit.pseudonym import Pseudonymiser

    with AuditLog(tmp_path / "audit.db", pseudonym_key=KEY) as log:
        with monkeypatch.context() as patch:  # the pseudonym of the release before the rule
            patch.setattr(Pseudonymiser, "subject_id", Pseudonymiser.legacy_subject_id)
            log.record("match", actor="hr", subject="Emp-7", data={"score": 0.5})
        assert [e.data for e in log.entries(subject="Emp-7")] == [{"score": 0.5}]
        entry = log.erase_subject("emp-7", actor="dpo", reason="art. 17", aliases=["Emp-7"])
        assert entry.data["erased_entries"] == [1]
        assert log.verify().ok


@pytest.mark.parametrize(("bad", "words"), [
    ("E\x00", "control or invisible character U+0000"),
    ("E\n1", "control or invisible character U+000A"),
    ("E\u200b1", "control or invisible character U+200B"),
    ("E" * (ID_MAX_LENGTH + 1), f"longer than {ID_MAX_LENGTH} characters"),
    ("   ", "missing employee id"),
    (True, "expected text for the employee id, got bool"),
    (1.5, "expected text for the employee id, got float"),
])
def test_control_characters_blank_and_overlong_ids_are_refused_everywhere(
        bad: object, words: str, store: Store, tmp_path: Path) -> None:
    taxonomy = store.taxonomy
    assert words in _twin_reason(taxonomy, bad)
    assert words in _table_reason(_claims((bad, SKILL_SQL, 3, "2024-01-01")), taxonomy)
    report = store.import_claims(_claims((bad, SKILL_SQL, 3, "2024-01-01"),
                                         ("ok", SKILL_SQL, 3, "2024-01-01")))
    assert report.accepted == 1  # the other row still goes in: no raw database error
    assert report.rejected["row"].tolist() == [1] and words in report.rejected["reason"][0]
    with pytest.raises(ConfigurationError, match="employee"):
        store.twin(bad)  # type: ignore[arg-type]
    with AuditLog(tmp_path / "audit.db", pseudonym_key=KEY) as log, \
            pytest.raises(ConfigurationError):
        log.subject_id(bad)  # type: ignore[arg-type]


def test_an_id_of_200_characters_fits_every_backend(store: Store) -> None:
    longest = "é" * ID_MAX_LENGTH
    report = store.import_claims(_claims((longest, SKILL_SQL, 3, "2024-01-01")))
    assert report.accepted == 1
    assert store.twin(longest.upper()).employee_id == longest


def test_a_nul_byte_in_evidence_or_skill_is_a_rejected_row(store: Store) -> None:
    frame = _claims(("e1", "SQL\x00", 3, "2024-01-01"), ("e1", SKILL_SQL, 3, "2024-01-01"),
                    ("e1", SKILL_PYTHON, 3, "2024-01-01"))
    frame["evidence"] = ["", "CV\x00", "CV:\nPython\tdaily"]
    report = store.import_claims(frame)
    assert report.accepted == 1
    assert report.rejected["reason"].tolist() == [
        "skill holds the control or invisible character U+0000; remove it: 'SQL\\x00'",
        "evidence holds the control character U+0000; remove it"]


# -- claim values: the same on all three paths ----------------------------------------------------
@pytest.mark.parametrize(("column", "value", "reason"), [
    ("observed", "9999-01-01", "observed date in the future: 9999-01-01"),
    ("observed", "2205-06-01", "observed date in the future: 2205-06-01"),
    ("observed", "1816-01-01", "observed date before 1900: 1816-01-01"),
    ("observed", "1899-12-31T23:00:00-02:00", None),  # UTC 1900-01-01: accepted
    ("observed", "1900-01-01T01:00:00+02:00", "observed date before 1900: 1899-12-31"),
    ("observed", "2024-02-30", "observed date missing or not an ISO date (YYYY-MM-DD): "
                               "2024-02-30"),
    ("observed", "", "observed date missing or not an ISO date (YYYY-MM-DD)"),
    ("level", "N/A", "level is not a number: N/A"),
    ("level", "", "level is blank or not a finite number"),
    ("level", None, "level is blank or not a finite number"),
    ("level", True, "level is a yes/no value, not a number: True"),
    ("level", "inf", "level is not a finite number: inf"),
    ("confidence", "N/A", "confidence is not a number: N/A"),
    ("confidence", False, "confidence is a yes/no value, not a number: False"),
    ("source", "boss", "source is not one of self, manager, certificate, assessment, inferred: "
                       "boss"),
])
def test_the_three_paths_give_the_same_reason(column: str, value: object, reason: str | None,
                                              store: Store) -> None:
    taxonomy = store.taxonomy
    frame = _claims(("e1", SKILL_SQL, 3, "2024-01-01"))
    frame[column] = pd.Series([value], dtype=object)
    report = store.import_claims(frame)
    claim = {"level": 3, "observed": "2024-01-01", column: value}
    if reason is None:
        assert report.accepted == 1
        assert store.claims_frame()["observed"].tolist() == [dt.date(1900, 1, 1)]
        EmployeeTwin("e1", taxonomy=taxonomy).add_skill("SQL", **claim)
        assert len(claim_levels(frame, taxonomy, as_of=TODAY)) == 1
        return
    assert report.rejected["reason"].tolist() == [reason]
    assert _twin_reason(taxonomy, "e1", **claim) == reason
    assert _table_reason(frame, taxonomy) == reason


def test_mixed_time_zones_in_one_column_count_on_their_utc_date(store: Store) -> None:
    observed = ["2024-03-01T23:30:00+02:00", "2024-03-01T23:30:00-05:00",
                pd.Timestamp("2024-03-01T22:00", tz="Asia/Tokyo"), dt.date(2024, 3, 1),
                "2024-03-01T12:00:00Z", "2024-03-01"]
    frame = pd.DataFrame({"employee_id": [f"e{i}" for i in range(6)], "skill": SKILL_SQL,
                          "level": 3, "observed": pd.Series(observed, dtype=object)})
    report = store.import_claims(frame)
    assert (report.accepted, len(report.rejected)) == (6, 0)
    days = dict(zip(store.claims_frame()["employee_id"], store.claims_frame()["observed"],
                    strict=True))
    assert days["e1"] == dt.date(2024, 3, 2) and days["e2"] == dt.date(2024, 3, 1)
    assert days["e0"] == dt.date(2024, 3, 1)
    twin = EmployeeTwin("e1", taxonomy=store.taxonomy)
    assert twin.add_skill("SQL", observed=observed[1]).observed == dt.date(2024, 3, 2)


def test_a_claims_csv_reads_n_a_as_a_value_not_a_default(tmp_path: Path, tiny_esco) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("employee_id,skill,level,confidence,observed\n"
                    f"e1,{SKILL_SQL},3,1,2024-01-01\ne2,{SKILL_SQL},N/A,1,2024-01-01\n",
                    encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"claims row 2 .*rejected: level is not a "
                                                 r"number: N/A"):
        claim_levels(read_claims(path), tiny_esco)
    path.write_text("employee_id,skill,level,confidence,observed\n"
                    f"e1,{SKILL_SQL},3,N/A,2024-01-01\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="confidence is not a number: N/A"):
        claim_levels(read_claims(path), tiny_esco)


# -- property: the same random rows through all three paths ---------------------------------------
_GOOD = {
    "employee_id": ["Emp-7", "emp-7 ", " EMP-7", NFC, NFD, NFC.upper(), "e1", 1001],
    "skill": ["SQL", " sql ", SKILL_SQL, "Python", "use databases"],
    "level": [0, 1, 2.5, 4, "3", " 2 ", "4.0"],
    "observed": ["2024-05-01", "2024-05-01T23:30:00+02:00", "2024-05-01T23:30:00-05:00",
                 "2024-05-01T10:00:00Z", "1900-01-01", TODAY.isoformat(), dt.date(2024, 1, 1),
                 dt.datetime(2024, 1, 1, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3))),
                 pd.Timestamp("2024-01-01T23:00", tz="America/New_York")],
    "source": ["self", "Manager", "", None],
    "confidence": [1, 0.5, "0.7", "", None],
    "evidence": ["", "CV", "line\nbreak", None],
}
_BAD = {
    "employee_id": ["", None, "E\x00", "x" * (ID_MAX_LENGTH + 1), "E\u200b1", True],
    "skill": ["", None, "SQL\x00", "s" * (ID_MAX_LENGTH + 1), 7],
    "level": ["N/A", "", None, True, False, float("nan"), float("inf"), -1, 5, "high"],
    "observed": ["9999-01-01", "2205-06-01", "1816-01-01", "1899-12-31",
                 (TODAY + dt.timedelta(days=1)).isoformat(), "", "yesterday", "2024-02-30"],
    "source": ["boss", 3],
    "confidence": ["N/A", True, 1.5, -0.1],
    "evidence": ["nul\x00", 42],
}


@st.composite
def _row(draw: st.DrawFn) -> dict[str, Any]:
    """A valid row, often with one or two fields replaced by a value to refuse."""
    row = {name: draw(st.sampled_from(values)) for name, values in _GOOD.items()}
    for name in draw(st.lists(st.sampled_from(list(_BAD)), max_size=2)):
        row[name] = draw(st.sampled_from(_BAD[name]))
    return row


_ROWS = st.lists(_row(), min_size=1, max_size=6)


def _twin_outcome(row: dict[str, Any], taxonomy) -> tuple[str, Any]:  # type: ignore[no-untyped-def]
    try:
        twin = EmployeeTwin(row["employee_id"], taxonomy=taxonomy)
        claim = twin.add_skill(row["skill"], level=row["level"], source=row["source"],
                               evidence=row["evidence"], observed=row["observed"],
                               confidence=row["confidence"])
    except InputValidationError as exc:
        return exc.detail, None
    except UnknownConceptError as exc:  # the generator names known skills only
        raise AssertionError(f"{row['skill']!r} unknown: {exc}") from None
    return "", (identity_key(twin.employee_id), claim.skill_uri, claim.level,
                claim.observed, claim.source, claim.confidence, twin)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(rows=_ROWS)
def test_random_rows_give_identical_levels_or_reasons_on_all_three_paths(
        rows: list[dict[str, Any]], store: Store) -> None:
    taxonomy = store.taxonomy
    frame = pd.DataFrame(rows, columns=list(rows[0]), dtype=object)  # ints stay ints
    twin = [_twin_outcome(row, taxonomy) for row in rows]

    # the claims table, one row at a time: the same reason, or the twin's level
    for position, (reason, claim) in enumerate(twin):
        single = frame.iloc[[position]].reset_index(drop=True)
        if reason:
            assert _table_reason(single, taxonomy) == reason, rows[position]
            continue
        table = claim_levels(single, taxonomy, as_of=TODAY)
        expected = claim[-1].levels(TODAY)
        assert {u: v for _, u, v in table.itertuples(index=False)} == expected, rows[position]

    # the store import, all rows at once: the same rejections, the same stored claims
    with store.engine.begin() as conn:
        for table_name in ("claims", "employees", "imports"):
            conn.exec_driver_sql(f"DELETE FROM {table_name}")
    report = store.import_claims(frame)
    rejected = dict(zip(report.rejected["row"], report.rejected["reason"], strict=True))
    assert rejected == {n: reason for n, (reason, _) in enumerate(twin, start=1) if reason}
    stored = {(identity_key(r.employee_id), r.skill, r.level, r.observed, r.source,
               r.confidence) for r in store.claims_frame().itertuples(index=False)}
    assert stored == {claim[:6] for reason, claim in twin if not reason}


@pytest.mark.parametrize("name", ["A. Jansen\x00", "A.\x07Jansen", "A. " + "J" * ID_MAX_LENGTH])
def test_reviewer_names_with_control_characters_or_over_the_id_limit_are_refused(
        name: str) -> None:
    from skilltwin.errors import OversightError
    from skilltwin.oversight._names import reviewer_name

    with pytest.raises(OversightError, match=r"control character|longer than 200"):
        reviewer_name(name, "reviewer", "skilltwin")
    assert reviewer_name(" A.  Jansen ", "reviewer", "skilltwin") == "A. Jansen"
