"""What a :class:`~skilltwin.oversight.workspace.Workspace` hands back.

* :class:`Recorded` wraps an automated output (a match, a gap report, inferred claims, a
  generated profile) with the id of the audit entry that records it.
* :class:`OverriddenResult` is an automated output a person replaced: it shows the human
  values and keeps the original.
* :class:`Decision` is a decision a named reviewer took on a result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = ["Decision", "OverriddenResult", "Recorded"]

T = TypeVar("T")


@dataclass(frozen=True)
class Recorded(Generic[T]):
    """An automated output together with its audit record.

    Attribute access falls through to the output, so ``recorded.score`` is
    ``recorded.value.score``. It satisfies the ``skilltwin._excel.AuditedResult`` protocol
    (``value``, ``audit_id``, ``step``), through which :func:`~skilltwin.to_excel` writes it.

    Attributes:
        value: The output itself (e.g. a :class:`~skilltwin.MatchResult`), after hooks ran.
        audit_id: The ``entry_id`` of the audit entry recording it.
        step: What produced it: ``"match"``, ``"gap"``, ``"infer_skills"``...
        purpose: Why it was produced (e.g. ``"internal mobility"``).
        inputs_hash: HMAC-SHA256, keyed with the log's pseudonym key, of the canonical JSON of
            the inputs (see :meth:`AuditLog.inputs_hash`).
        flags: Warnings hooks attached (e.g. low evidence).
    """

    value: T
    audit_id: str
    step: str
    purpose: str
    inputs_hash: str
    flags: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or "value" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.value, name)

    def __repr__(self) -> str:
        flags = f", flags={list(self.flags)}" if self.flags else ""
        score = getattr(self.value, "score", None)
        shown = type(self.value).__name__ + (f"(score={score!r})" if score is not None else "")
        return f"Recorded({self.step}, {shown}, audit_id={self.audit_id!r}{flags})"

    def _repr_html_(self) -> str:
        from skilltwin._html import bullets, card, escape

        inner = getattr(self.value, "_repr_html_", None)
        body = inner() if callable(inner) else f"<pre>{escape(repr(self.value))}</pre>"
        return card(f"{self.step} for {self.purpose}", f"audit entry {self.audit_id}",
                    bullets(self.flags) + body)


@dataclass(frozen=True)
class OverriddenResult(Generic[T]):
    """An automated output a person replaced; both versions stay visible.

    Attribute access returns the human value for overridden fields and the automated value
    for the rest, so ``overridden.score`` is the reviewer's score and
    ``overridden.original.score`` the automated one.

    Attributes:
        original: The automated output as it was recorded.
        changes: The fields the reviewer replaced, with the human values.
        automated: The same fields with the automated values.
        reviewer: Who replaced them.
        reason: Why.
        audit_id: The ``entry_id`` of the audit entry recording the override.
        flags: Flags from the original output and from ``on_override`` hooks.
    """

    original: Recorded[T]
    changes: dict[str, Any]
    automated: dict[str, Any]
    reviewer: str
    reason: str
    audit_id: str
    flags: tuple[str, ...] = field(default=())

    @property
    def value(self) -> T:
        """The output with the human values in place (a copy; the original is unchanged)."""
        value = self.original.value
        if isinstance(value, BaseModel):
            return value.model_copy(update=self.changes)
        return value

    @property
    def original_audit_id(self) -> str:
        """The audit entry of the automated output."""
        return self.original.audit_id

    @property
    def purpose(self) -> str:
        """The purpose the automated output was produced for."""
        return self.original.purpose

    @property
    def inputs_hash(self) -> str:
        """The hash of the inputs the automated output was computed from."""
        return self.original.inputs_hash

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or "original" not in self.__dict__:
            raise AttributeError(name)
        if name in self.changes:
            return self.changes[name]
        return getattr(self.original, name)

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}: {self.automated[name]!r} -> {value!r}" for name, value in self.changes.items()
        )
        return (f"OverriddenResult({fields}; reviewer={self.reviewer!r}, "
                f"reason={self.reason!r}, audit_id={self.audit_id!r})")

    def _repr_html_(self) -> str:
        import pandas as pd

        from skilltwin._html import card, escape, rows, table

        changes = pd.DataFrame(
            [(name, repr(self.automated[name]), repr(value))
             for name, value in self.changes.items()],
            columns=["field", "automated", "human"],
        ).set_index("field")
        return card("Overridden by a person",
                    f"override entry {self.audit_id}, original entry {self.original.audit_id}",
                    table(changes) + rows([("Reviewer", escape(self.reviewer)),
                                           ("Reason", escape(self.reason))]))


class Decision(BaseModel):
    """A decision a named person took on a (possibly overridden) result.

    Attributes:
        audit_id: The ``entry_id`` of the audit entry recording the decision.
        outcome: What was decided, e.g. ``"shortlist"``, ``"promote"``, ``"offer training"``.
        reviewer: The person who decided.
        second_reviewer: A second person, when a rule required one.
        result_audit_id: The audit entry of the result decided on.
        overridden: Whether the result had been overridden by a person.
        employee_id, profile_id: Who and what the result was about, when known.
        purpose: Why.
        decided_at: When (UTC).
        flags: Flags hooks attached.
    """

    model_config = ConfigDict(frozen=True)

    audit_id: str
    outcome: str
    reviewer: str
    second_reviewer: str | None = None
    result_audit_id: str
    overridden: bool
    employee_id: str | None = None
    profile_id: str | None = None
    purpose: str
    decided_at: dt.datetime
    flags: tuple[str, ...] = ()
