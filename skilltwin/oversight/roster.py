"""The roster of reviewers: the people who may override and decide, registered in the log.

A reviewer is added (``"reviewer_added"``) and deactivated (``"reviewer_deactivated"``) by
entries of the audit log itself, each with the actor who did it and the time: the roster is
part of the hash chain, so nobody can add, remove or rename a reviewer afterwards without
``verify`` failing. The roster is read back from those entries in chain order through the
log's public API (:meth:`AuditLog.record` and :meth:`AuditLog.entries`), so it works the same
on a log file and on a store's log.

Once a log holds a roster, a :class:`~skilltwin.oversight.workspace.Workspace` accepts
overrides and decisions only from its active reviewers, matched by
:func:`~skilltwin.oversight._names.person_key` (so ``"a.jansen"`` finds ``"A. Jansen"``); a
log without a roster falls back on the name rules alone, with an
:class:`UnregisteredReviewerWarning`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from skilltwin.audit import Action
from skilltwin.audit.reasons import kept_reason
from skilltwin.errors import ConfigurationError, OversightError
from skilltwin.oversight._names import (
    display_name,
    person_key,
    reason_text,
    reviewer_name,
    same_name,
    same_person,
)

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.audit import AuditEntry, AuditLog

__all__ = ["Reviewer", "Roster", "UnregisteredReviewerWarning"]

_MAX_NAME = 100
_MAX_ROLE = 100


class UnregisteredReviewerWarning(UserWarning):
    """A reviewer was accepted by the name rules alone because the log has no roster."""


class Reviewer(BaseModel):
    """A person on the roster.

    Attributes:
        name: The name as registered (display form); recorded on their overrides and
            decisions whatever spelling is typed later.
        key: The person key the name is matched by (see ``docs/oversight.md``).
        role: Their role, e.g. ``"HR business partner"``.
        active: ``False`` once deactivated.
        added_by: Who added them (the actor of the entry).
        added_at: When (UTC).
        added_entry: The ``entry_id`` of the entry that added them (last time).
        deactivated_by, deactivated_at, deactivation_reason: Who took them off the roster,
            when and why, if they are inactive.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    key: str
    role: str
    active: bool = True
    added_by: str
    added_at: dt.datetime
    added_entry: str
    deactivated_by: str | None = None
    deactivated_at: dt.datetime | None = None
    deactivation_reason: str | None = None


class Roster:
    """The reviewers registered in an audit log.

    Args:
        audit_log: The log (an :class:`~skilltwin.audit.AuditLog`, or a store's
            ``store.audit_log()``). Adding and deactivating writes to it (with its pseudonym
            key, as every entry with data); reading needs no key.

    Example:
        >>> from skilltwin import AuditLog
        >>> roster = Roster(AuditLog("audit.db"))
        >>> roster.add("A. Jansen", role="HR business partner", actor="ciso@zuiderveen.nl").name
        'A. Jansen'
        >>> roster.find("jansen, a.").name
        'A. Jansen'
        >>> gone = roster.deactivate("A. Jansen", actor="ciso@zuiderveen.nl", reason="left")
        >>> gone.active
        False
    """

    def __init__(self, audit_log: AuditLog):
        self.audit_log = audit_log

    def __repr__(self) -> str:
        return f"Roster({self.audit_log!r})"

    # -- reading ------------------------------------------------------------------------------

    def reviewers(self, *, include_inactive: bool = False) -> list[Reviewer]:
        """The reviewers in the order they were first added (active ones only by default)."""
        found = self._read()
        return [r for r in found.values() if include_inactive or r.active]

    @property
    def exists(self) -> bool:
        """Whether the log holds a roster (a reviewer was ever added, even if all left)."""
        return bool(self._read())

    def find(self, name: str) -> Reviewer | None:
        """The reviewer (active or not) ``name`` refers to by its person key, or ``None``."""
        if not isinstance(name, str):
            return None
        return _lookup(self._read(), name)

    def __contains__(self, name: object) -> bool:
        found = self.find(name) if isinstance(name, str) else None
        return found is not None and found.active

    def __iter__(self) -> Iterator[Reviewer]:
        return iter(self.reviewers())

    def __len__(self) -> int:
        return len(self.reviewers())

    def to_frame(self, *, include_inactive: bool = True) -> pd.DataFrame:
        """The roster as a table, one row per reviewer (indexed by name)."""
        import pandas as pd

        rows = [r.model_dump(exclude={"key"}) for r in
                self.reviewers(include_inactive=include_inactive)]
        columns = [name for name in Reviewer.model_fields if name != "key"]
        return pd.DataFrame(rows, columns=columns).set_index("name")

    def _read(self) -> dict[str, Reviewer]:
        """The roster folded from its entries in chain order, by person key.

        Entries are checked again as they are read: an entry written around :meth:`add`
        (through ``AuditLog.record``) whose name breaks the name rules, or that registers its
        own actor, does not count. On a log that can be written (so its key is at hand) every
        entry must also pass the log's keyed check (``AuditLog.authenticate``): an entry
        forged by someone who can write to the log but holds no key does not count either,
        with a warning to run ``skilltwin audit verify --keyed``. (A log opened read-only is
        listed as it reads.)
        """
        entries = sorted(self.audit_log.entries(action=Action.REVIEWER_ADDED)
                         + self.audit_log.entries(action=Action.REVIEWER_DEACTIVATED),
                         key=lambda entry: entry.seq)
        if not self.audit_log.backend.read_only:
            entries = [entry for entry in entries if self._genuine(entry)]
        roster: dict[str, Reviewer] = {}
        for entry in entries:
            name = _entry_name(entry)
            if name is None:
                continue
            key = person_key(name)
            if key not in roster:  # another spelling of someone already on it
                known = _lookup(roster, name)
                key = known.key if known is not None else key
            current = roster.get(key)
            if entry.action == Action.REVIEWER_ADDED:
                role = (entry.data or {}).get("role")
                if not isinstance(role, str) or not role.strip():
                    continue
                roster[key] = Reviewer(
                    name=current.name if current is not None else name, key=key,
                    role=role, added_by=entry.actor, added_at=entry.timestamp,
                    added_entry=entry.entry_id)
            elif current is not None and current.active:
                reason = (entry.data or {}).get("reason")
                roster[key] = current.model_copy(update={
                    "active": False, "deactivated_by": entry.actor,
                    "deactivated_at": entry.timestamp,
                    "deactivation_reason": reason if isinstance(reason, str) else None})
        return roster

    def _genuine(self, entry: AuditEntry) -> bool:
        try:
            self.audit_log.authenticate(entry)
        except OversightError as exc:
            warnings.warn(f"a roster entry does not count: {exc}", stacklevel=4)
            return False
        return True

    # -- writing ------------------------------------------------------------------------------

    def add(self, name: str, *, role: str, actor: str) -> Reviewer:
        """Put a person on the roster (or back on it after a deactivation) and record it.

        Args:
            name: The person's name as it should be recorded, e.g. ``"A. Jansen"``. It must
                meet the name rules (a person's name, ordinary letters of one script, not a
                placeholder) and not be the same person as ``actor``.
            role: Their role, e.g. ``"HR business partner"``.
            actor: Who adds them (recorded as the entry's actor).

        Raises:
            OversightError: the name breaks a rule, or that person is already an active
                reviewer (perhaps under another spelling: the message names it).
            ConfigurationError: an empty or overlong role or actor.
        """
        who = _actor(actor)
        shown = _registrable(name)
        if same_person(shown, who):
            raise OversightError(
                f"{who!r} cannot add themselves to the roster; ask another person to add "
                f"{shown!r}, so that every reviewer was registered by someone else."
            )
        role_text = _role(role)
        current = _lookup(self._read(), shown)
        if current is not None and current.active:
            raise OversightError(
                f"{shown!r} is already on the roster as {current.name!r} ({current.role}), "
                f"added by {current.added_by} on {current.added_at:%Y-%m-%d}; names that "
                "differ only in case, spacing, punctuation, accents or word order are one "
                "person. Add a different person, or deactivate this one first."
            )
        recorded = current.name if current is not None else shown
        self.audit_log.record(Action.REVIEWER_ADDED, actor=who,
                          data={"name": recorded, "role": role_text})
        return self._reread(shown)

    def deactivate(self, name: str, *, actor: str, reason: str) -> Reviewer:
        """Take a reviewer off the roster and record it (they stay on record, inactive).

        Raises:
            OversightError: ``name`` is not an active reviewer (the message lists how to see
                the roster).
            ConfigurationError: an empty actor or reason.
        """
        who = _actor(actor)
        why = _reason(reason)
        current = self.find(name) if isinstance(name, str) else None
        if current is None or not current.active:
            state = "was already deactivated" if current is not None else "is not on the roster"
            raise OversightError(
                f"{name!r} {state} of {self.audit_log.path}; see the roster with `skilltwin "
                f"reviewers list --log {self.audit_log.path}` or Roster(log).reviewers()."
            )
        self.audit_log.record(Action.REVIEWER_DEACTIVATED, actor=who,
                          data={"name": current.name, "reason": why})
        return self._reread(current.name)

    def _reread(self, name: str) -> Reviewer:
        """The reviewer ``name`` as the log now holds them, after a change was recorded."""
        found = _lookup(self._read(), name)
        if found is None:  # the entry just written did not pass the keyed check
            raise OversightError(
                f"{self.audit_log.path}: the roster entry for {name!r} was written but does not "
                "read back; run `skilltwin audit verify --keyed` on the log.")
        return found

    # -- checking -----------------------------------------------------------------------------

    def confirm(self, name: object, *, actor: str, role: str = "reviewer") -> str:
        """The recorded name of the person ``name`` refers to; raise unless they may review.

        With a roster: ``name`` must meet the name rules and be an active reviewer (found by
        person key), other than ``actor``; their registered name is returned. Without a
        roster: the name rules alone, with an :class:`UnregisteredReviewerWarning`.

        Raises:
            OversightError: the name breaks a rule, is not on the roster, was deactivated,
                or is ``actor``.
        """
        [person], _ = self.confirm_people([(name, role)], actor=actor)
        return person

    def confirm_people(self, people: list[tuple[object, str]], *, actor: str
                       ) -> tuple[list[str], bool]:
        """:meth:`confirm` for several ``(name, role)`` pairs against one reading of the
        roster; also returns whether the log has a roster."""
        roster = self._read()
        confirmed = []
        for name, role in people:  # a loop, not a comprehension: warnings name the caller
            confirmed.append(self._confirmed(roster, name, role, actor))
        return confirmed, bool(roster)

    def _confirmed(self, roster: dict[str, Reviewer], name: object, role: str,
                   actor: str) -> str:
        shown = reviewer_name(name, role, actor)
        if not roster:
            warnings.warn(
                f"{self.audit_log.path} has no reviewer roster, so the {role} {shown!r} was "
                "accepted on the name rules alone; register the people who review with "
                f"`skilltwin reviewers add NAME --role ROLE --log {self.audit_log.path}` "
                "(or Roster(log).add(...)).",
                UnregisteredReviewerWarning, stacklevel=4)
            return shown
        found = _lookup(roster, shown)
        if found is None:
            raise OversightError(
                f"the {role} {shown!r} is not on the reviewer roster of {self.audit_log.path}; "
                f"add them first with `skilltwin reviewers add \"{shown}\" --role ROLE --log "
                f"{self.audit_log.path} --actor YOU` (or Roster(log).add(name, role=..., "
                "actor=...)), or name a registered reviewer."
            )
        if not found.active:
            raise OversightError(
                f"the {role} {found.name!r} was taken off the reviewer roster by "
                f"{found.deactivated_by} on {found.deactivated_at:%Y-%m-%d}; name an active "
                "reviewer, or add them again with `skilltwin reviewers add`."
            )
        if same_person(found.name, actor):
            raise OversightError(
                f"{found.name!r} is the workspace's automated actor; the {role} must be a "
                "named human reviewer other than the account that ran the automated steps."
            )
        return found.name


def _entry_name(entry: AuditEntry) -> str | None:
    """The registered name in a roster entry, when it is one the rules accept."""
    name = (entry.data or {}).get("name")
    if not isinstance(name, str):
        return None
    try:
        shown = _registrable(name)
    except OversightError:
        return None
    return None if same_person(shown, entry.actor) else shown


def _registrable(name: object) -> str:
    if not isinstance(name, str) or len(name) > 4 * _MAX_NAME:
        raise OversightError(f"a reviewer's name must be text, not {name!r}.")
    shown = display_name(name)
    if len(shown) > _MAX_NAME:
        raise OversightError(
            f"a reviewer's name has at most {_MAX_NAME} characters, not {len(shown)}.")
    return reviewer_name(name, "reviewer", "")


def _role(role: object) -> str:
    shown = display_name(role) if isinstance(role, str) else ""
    if not any(char.isalpha() for char in shown) or len(shown) > _MAX_ROLE:
        raise ConfigurationError(
            f"a reviewer needs a role in words (at most {_MAX_ROLE} characters), not "
            f"{role!r}; e.g. role='HR business partner'."
        )
    return shown


def _actor(actor: object) -> str:
    shown = display_name(actor) if isinstance(actor, str) else ""
    if not shown or len(shown) > 200:
        raise ConfigurationError(
            f"actor must name who changes the roster (a person's e-mail or name), not "
            f"{actor!r}."
        )
    return shown


def _reason(reason: object) -> str:
    try:
        return kept_reason(reason_text(reason), "deactivation reason")
    except OversightError:
        raise ConfigurationError(
            f"a deactivation needs a reason in words, not {reason!r}; e.g. "
            "reason='left the company'."
        ) from None


def _lookup(roster: dict[str, Reviewer], name: str) -> Reviewer | None:
    """The reviewer ``name`` refers to: by person key, else by spelling key."""
    found = roster.get(person_key(name))
    if found is None:
        found = next((r for r in roster.values() if same_name(r.name, name)), None)
    return found
