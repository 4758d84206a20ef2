"""Checking that a result handed to an override or decision is one the log recorded, as
recorded: same entry, inputs, subject and values. The log, not the object, is the record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skilltwin._jsonio import normalise_json
from skilltwin.audit.actions import STEP_ACTIONS, Action
from skilltwin.audit.models import AuditEntry
from skilltwin.errors import OversightError
from skilltwin.oversight._records import pseudonymised, value_record
from skilltwin.oversight.results import OverriddenResult, Recorded

if TYPE_CHECKING:
    from skilltwin.audit import AuditLog

__all__ = ["employee_id", "logged_form", "recorded_entry", "recorded_override"]


def employee_id(value: Any) -> str | None:
    """The raw employee id a result is about, when it has one."""
    found = getattr(value, "employee_id", None)
    return found if isinstance(found, str) else None


def logged_form(audit_log: AuditLog, data: dict[str, Any], raw_id: str | None) -> dict[str, Any]:
    """``data`` as the workspace writes it: plain JSON, with the raw id replaced by the
    pseudonym in every text."""
    plain = normalise_json(data)
    if raw_id is not None:
        plain = pseudonymised(plain, raw_id, audit_log.subject_id(raw_id))
    return dict(plain)


def _refuse(audit_log: AuditLog, audit_id: object, why: str) -> OversightError:
    return OversightError(
        f"the result with audit id {audit_id!r} {why}; overrides and decisions are taken only "
        f"on results this workspace's audit log ({audit_log.path}) recorded, as recorded. Run "
        "the step again with the workspace (ws.match, ws.gap...) and use ws.override to change it."
    )


def _authentic(audit_log: AuditLog, entry: AuditEntry, audit_id: str) -> AuditEntry:
    """The entry after the keyed check: forged or rewritten entries are refused."""
    try:
        return audit_log.authenticate(entry)
    except OversightError as exc:
        raise _refuse(audit_log, audit_id, f"rests on an entry that fails the keyed check ({exc})"
                      ) from None


def recorded_entry(audit_log: AuditLog, original: Recorded[Any]) -> AuditEntry:
    """The log's entry for ``original``; raise unless it records exactly this result."""
    entry = audit_log.entry(original.audit_id)
    if entry is None:
        raise _refuse(audit_log, original.audit_id, "was not recorded in this log")
    entry = _authentic(audit_log, entry, original.audit_id)
    if entry.action != STEP_ACTIONS.get(original.step) or \
            entry.inputs_hash != original.inputs_hash:
        raise _refuse(audit_log, original.audit_id, f"is not the {original.step} result that "
                      f"entry {entry.seq} records")
    if entry.erased or entry.data is None:
        raise _refuse(audit_log, original.audit_id, f"rests on entry {entry.seq}, whose data was "
                      "erased")
    raw = employee_id(original.value)
    if entry.subject != (None if raw is None else audit_log.subject_id(raw)):
        raise _refuse(audit_log, original.audit_id, f"is about another employee than entry "
                      f"{entry.seq}")
    expected = audit_log.stored_form(logged_form(
        audit_log, {"purpose": original.purpose, **value_record(original.step, original.value),
                "flags": list(original.flags)},
        raw))
    if any(entry.data.get(key) != value for key, value in expected.items()):
        raise _refuse(audit_log, original.audit_id, f"differs from what entry {entry.seq} "
                      "recorded: it was changed after it was recorded")
    return entry


def recorded_override(audit_log: AuditLog, result: OverriddenResult[Any]) -> AuditEntry:
    """The log's override entry for ``result``; raise unless it records exactly it."""
    entry = audit_log.entry(result.audit_id)
    if entry is None or entry.action != Action.OVERRIDE:
        raise _refuse(audit_log, result.audit_id, "is not an override this log recorded")
    entry = _authentic(audit_log, entry, result.audit_id)
    if entry.erased or entry.data is None:
        raise _refuse(audit_log, result.audit_id, f"rests on entry {entry.seq}, whose data was "
                      "erased")
    raw = employee_id(result.original.value)
    expected = audit_log.stored_form(logged_form(
        audit_log, {"human": dict(result.changes), "flags": list(result.flags),
                "reason": result.reason}, raw))
    if entry.data.get("result_audit_id") != result.original.audit_id or \
            entry.actor != result.reviewer or \
            any(entry.data.get(key) != value for key, value in expected.items()):
        raise _refuse(audit_log, result.audit_id, f"differs from the override entry {entry.seq} "
                      "recorded: it was changed after it was recorded")
    return entry


def logged_score(data: dict[str, Any] | None, key: str) -> float | None:
    """A score as the log holds it under ``data[key]["score"]``, when there is one."""
    inner = (data or {}).get(key)
    score = inner.get("score") if isinstance(inner, dict) else None
    return float(score) if isinstance(score, (int, float)) and \
        not isinstance(score, bool) else None
