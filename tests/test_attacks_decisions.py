"""Attacks on decisions: made-up or altered results, results from another log, reviewers
that are not named people, reasons that say nothing."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest

from skilltwin import EmployeeTwin, JobProfile, OversightError
from skilltwin.oversight import AuditLog, Workspace, require_second_reviewer
from skilltwin.oversight.results import Recorded

KEY = b"decision-attack-key-0123456789abcdef"
ACTOR = "hr-analyst@zuiderveen.nl"


@pytest.fixture
def ws(esco, tmp_path: Path) -> Workspace:
    return Workspace(esco, audit_log=AuditLog(tmp_path / "audit.db", pseudonym_key=KEY),
                     actor=ACTOR, purpose="internal mobility")


@pytest.fixture
def twin(esco) -> EmployeeTwin:
    twin = EmployeeTwin("ZV-0042", taxonomy=esco)
    twin.add_skill("SQL", level=3, source="manager", observed="2025-01-10")
    twin.add_skill("manage budgets", level=1, observed="2025-01-10")
    return twin


@pytest.fixture
def profile(esco) -> JobProfile:
    return JobProfile.from_occupation(esco, "data analyst", profile_id="ZV-DATA")


def _no_decision(ws: Workspace) -> None:
    assert ws.audit_log.entries(action="decision") == []
    assert ws.audit_log.entries(action="override") == []


def _forgeries(ws: Workspace, result: Recorded, tmp_path: Path, esco, twin, profile):
    real = result.value
    other_ws = Workspace(esco, audit_log=AuditLog(tmp_path / "other.db", pseudonym_key=KEY),
                         actor=ACTOR, purpose="internal mobility")
    return {
        "made-up audit id": dataclasses.replace(result, audit_id=str(uuid.uuid4())),
        "score changed in memory": dataclasses.replace(
            result, value=real.model_copy(update={"score": 0.99})),
        "explanation changed in memory": dataclasses.replace(
            result, value=real.model_copy(update={"explanation": "Perfect candidate."})),
        "another employee's result": dataclasses.replace(
            result, value=real.model_copy(update={"employee_id": "ZV-0001"})),
        "another step": dataclasses.replace(result, step="gap"),
        "another inputs hash": dataclasses.replace(result, inputs_hash="0" * 64),
        "another purpose": dataclasses.replace(result, purpose="promotion"),
        "a warning removed": dataclasses.replace(result, flags=()),
        "from another log": other_ws.match(twin, profile),
    }


@pytest.mark.parametrize("forgery", [
    "made-up audit id", "score changed in memory", "explanation changed in memory",
    "another employee's result", "another step", "another inputs hash", "another purpose",
    "a warning removed", "from another log",
])
def test_decide_and_override_refuse_results_this_log_did_not_record(
        ws, twin, profile, esco, tmp_path, forgery):
    ws.hooks.register("after_step", lambda ctx: ctx.flag("low evidence"), name="warn")
    result = ws.match(twin, profile)
    forged = _forgeries(ws, result, tmp_path, esco, twin, profile)[forgery]

    with pytest.raises(OversightError, match="recorded"):
        ws.decide(forged, outcome="shortlist", reviewer="A. Jansen")
    with pytest.raises(OversightError, match="recorded"):
        ws.override(forged, score=0.9, reviewer="A. Jansen", reason="portfolio reviewed")
    _no_decision(ws)
    ws.decide(result, outcome="shortlist", reviewer="A. Jansen")  # the real one still works


def test_an_altered_override_is_refused(ws, twin, profile):
    result = ws.match(twin, profile)
    fixed = ws.override(result, score=0.7, reviewer="A. Jansen", reason="portfolio reviewed")
    for forged in (dataclasses.replace(fixed, changes={"score": 1.0}),
                   dataclasses.replace(fixed, audit_id=str(uuid.uuid4())),
                   dataclasses.replace(fixed, audit_id=result.audit_id),
                   dataclasses.replace(fixed, reviewer="B. de Vries"),
                   dataclasses.replace(fixed, reason="another reason")):
        with pytest.raises(OversightError, match="recorded"):
            ws.decide(forged, outcome="promote", reviewer="C. Peeters")
    assert ws.audit_log.entries(action="decision") == []


def test_the_logged_scores_come_from_the_log(ws, twin, profile):
    result = ws.match(twin, profile)
    fixed = ws.override(result, score=0.7, reviewer="A. Jansen", reason="portfolio reviewed")
    ws.decide(fixed, outcome="shortlist", reviewer="B. de Vries")
    [match] = ws.audit_log.entries(action="match")
    [decision] = ws.audit_log.entries(action="decision")
    assert decision.data["automated_score"] == match.data["output"]["score"] == result.score
    assert decision.data["score"] == 0.7


def test_a_result_whose_entry_was_erased_cannot_be_decided_on(ws, twin, profile):
    result = ws.match(twin, profile)
    ws.audit_log.erase_subject("ZV-0042", actor="dpo@zuiderveen.nl", reason="request 2026-020")
    with pytest.raises(OversightError, match="erased"):
        ws.decide(result, outcome="shortlist", reviewer="A. Jansen")


@pytest.mark.parametrize("reviewer", [
    "\u200b", ".", "-", "—", "...", "123", "system", "System", " SYSTEM ", "s.y.s.t.e.m",
    "\u200bsystem\u200b", "automated", "skilltwin", ACTOR, ACTOR.upper(), f" {ACTOR}\u200b",
    "\u2060\ufeff", "\u00a0\u00a0", "J", "a.", "\u200bx\u200b",
    "S\u0443stem",  # Cyrillic u: looks like "System"
    "\u0410. Jansen",  # Cyrillic A: looks like "A. Jansen"
    "J\u03bfhn",  # Greek omicron
])
def test_reviewers_must_be_named_people(ws, twin, profile, reviewer):
    refused = r"named human reviewer|not a person|automated|look alike"
    result = ws.match(twin, profile)
    with pytest.raises(OversightError, match=refused):
        ws.decide(result, outcome="shortlist", reviewer=reviewer)
    with pytest.raises(OversightError, match=refused):
        ws.override(result, score=0.9, reviewer=reviewer, reason="portfolio reviewed")
    _no_decision(ws)
    refusals = ws.audit_log.entries(action="decision_refused") + \
        ws.audit_log.entries(action="override_refused")
    assert len(refusals) == 2 and {r.actor for r in refusals} == {ACTOR}


@pytest.mark.parametrize("name", [
    "\u041e\u043b\u044c\u0433\u0430 \u041f\u0435\u0442\u0440\u043e\u0432\u0430",  # in Cyrillic only
    "Ng", "\u00c9. de Vri\u00ebs-\u00d6zt\u00fcrk",
])
def test_names_in_one_alphabet_are_accepted(ws, twin, profile, name):
    result = ws.match(twin, profile)
    decision = ws.decide(result, outcome="shortlist", reviewer=name)
    assert decision.reviewer == name


@pytest.mark.parametrize("second", ["A.  Jansen", "A. Jansen\u200b", "a. jansen", "A.Jansen",
                                     "\uff21. Jansen", " A. Jansen "])
def test_a_second_reviewer_must_be_another_person(ws, twin, profile, second):
    ws.hooks.register(require_second_reviewer(0.0))
    result = ws.match(twin, profile)
    with pytest.raises(OversightError, match="second reviewer"):
        ws.decide(result, outcome="promote", reviewer="A. Jansen", second_reviewer=second)
    assert ws.audit_log.entries(action="decision") == []


@pytest.mark.parametrize("second", ["system", ".", "\u200b\u200b", ACTOR])
def test_a_second_reviewer_must_be_a_named_person(ws, twin, profile, second):
    result = ws.match(twin, profile)
    with pytest.raises(OversightError):
        ws.decide(result, outcome="promote", reviewer="A. Jansen", second_reviewer=second)
    assert ws.audit_log.entries(action="decision") == []


@pytest.mark.parametrize("reason", [".", "-", "!!!", "\u200b", "123", "?!", "\u200b.\u200b"])
def test_an_override_reason_must_say_something(ws, twin, profile, reason):
    result = ws.match(twin, profile)
    with pytest.raises(OversightError, match="reason"):
        ws.override(result, score=0.9, reviewer="A. Jansen", reason=reason)
    assert ws.audit_log.entries(action="override") == []
    assert len(ws.audit_log.entries(action="override_refused")) == 1


def test_names_are_recorded_in_their_normal_form(ws, twin, profile):
    result = ws.match(twin, profile)
    fixed = ws.override(result, score=0.6, reviewer="A.\u00a0 Jansen\u200b",
                        reason="  portfolio\u200b reviewed ")
    decision = ws.decide(fixed, outcome="shortlist", reviewer="B.\u2060 de  Vries")
    assert fixed.reviewer == "A. Jansen" and fixed.reason == "portfolio reviewed"
    assert decision.reviewer == "B. de Vries"
    assert [e.actor for e in ws.audit_log.entries(action="override")] == ["A. Jansen"]
    assert [e.actor for e in ws.audit_log.entries(action="decision")] == ["B. de Vries"]


def test_identity_fields_cannot_be_overridden(ws, twin, profile):
    from skilltwin.errors import ConfigurationError

    result = ws.match(twin, profile)
    with pytest.raises(ConfigurationError, match="employee_id"):
        ws.override(result, employee_id="ZV-0001", reviewer="A. Jansen", reason="wrong person")
