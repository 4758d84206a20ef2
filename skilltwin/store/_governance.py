"""The governance side of a store: its audit log, erasure, retention and settings."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from skilltwin._validation import check_actor, check_reason, check_text
from skilltwin.audit import DEFAULT_FREE_TEXT_FIELDS, Action, AuditEntry, AuditLog
from skilltwin.audit.pseudonym import KeySource
from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.oversight.purposes import purpose_key, purpose_name, registry
from skilltwin.store._engine import read, write
from skilltwin.store._schema import tables
from skilltwin.store.audit_log import open_audit_log

if TYPE_CHECKING:
    from skilltwin.fairness import FairnessReport, InvarianceResult

__all__ = ["SETTINGS", "StoreGovernance"]

SETTINGS = ("organisation", "decision_maker", "reviewer_roles", "contact", "retention_months",
            "purposes")
"""The settings :meth:`StoreGovernance.configure` accepts."""


class StoreGovernance:
    """Audit log, erasure, retention and settings of a :class:`~skilltwin.store.Store`."""

    engine: sa.Engine
    read_only: bool

    # -- audit log and erasure ----------------------------------------------------------------
    def audit_log(
        self,
        *,
        pseudonym_key: KeySource = None,
        log_free_text: bool = False,
        free_text_fields: Collection[str] = DEFAULT_FREE_TEXT_FIELDS,
        read_only: bool = False,
    ) -> AuditLog:
        """The audit log kept in the store's database, with every guarantee of
        :class:`~skilltwin.oversight.AuditLog` (hash chain, pseudonymised subjects, signed
        erasure, verify, export, anchors). The arguments are those of ``AuditLog``; the log
        of a store opened with ``read_only=True`` is always read-only too."""
        return open_audit_log(self.engine, self.engine.url.database,
                              pseudonym_key=pseudonym_key, log_free_text=log_free_text,
                              free_text_fields=free_text_fields,
                              read_only=read_only or self.read_only)

    def _check_writable(self, what: str) -> None:
        """Refuse a write (``what``) on a store opened read-only, before anything runs."""
        if self.read_only:
            raise ConfigurationError(
                f"{what}: the store was opened read-only (Store(url, read_only=True)); open "
                "it with Store(url) to change it. Nothing was changed.")

    def erase_employee(self, employee_id: str, *, actor: str, reason: str,
                       audit_log: AuditLog | None = None) -> dict[str, int]:
        """Erase an employee (GDPR art. 17): their claims, attributes and recorded scores, and
        the personal payloads of their audit-log entries; the chain stays valid. The id is
        read by the identity rule (``skilltwin/_identity.py``): every spelling of it that
        differs only in case, Unicode normal form or surrounding white space is erased.

        Everything is checked before anything is deleted — the arguments, the key (the log
        refuses a key other than its own), that the log is the store's own, that no other
        process keeps erased data in SQLite's write-ahead log, and that the person exists —
        and then the store's rows, the log's payloads and the signed erasure entry (see
        :meth:`~skilltwin.audit.AuditLog.erase_subject`) go in one transaction: after a crash
        at any point there is the whole erasure or none of it. On PostgreSQL the tables it
        touched are then rewritten (``VACUUM FULL``) so that the erased rows leave no copy in
        the table files. Returns how many claims, scores and log payloads were removed.

        Args:
            audit_log: The store's audit log opened with the pseudonym key (default:
                :meth:`audit_log` with the default key).

        Raises:
            InputValidationError: no employee with this id in the store or its log (also
                when they were erased already).
            ConfigurationError: an empty actor or reason, a log that is not the store's, or
                a key that is not the log's.
            OversightError: another process keeps reading the store; nothing was erased.
        """
        from skilltwin._identity import normalise_id
        from skilltwin.store._claims import spellings_of

        self._check_writable("erase_employee")
        employee_id = normalise_id(employee_id)
        check_actor(actor)
        check_reason(reason)
        log = audit_log if audit_log is not None else self.audit_log()
        try:
            self._check_own_log(log)
            spellings: dict[str, list[str]] = {}
            with read(self.engine) as conn:
                for name in ("claims", "scores", "employees"):
                    spellings[name] = spellings_of(conn, tables[name], employee_id)
            found = sorted({spelling for names in spellings.values() for spelling in names})
            logged = any(log.entries(subject=spelling) for spelling in {employee_id, *found})
            if not found and not logged:
                raise InputValidationError(
                    f"no employee {employee_id!r} in the store or its audit log (or their "
                    "data was erased already); check the id. Nothing was erased.",
                    field="employee_id")
            entry = log.erase_subject(
                employee_id, actor=actor, reason=reason,
                aliases=[spelling for spelling in found if spelling != employee_id],
                rows={(name, "employee_id"): names for name, names in spellings.items()
                      if names})
        finally:
            if audit_log is None:
                log.close()
        deleted = (entry.data or {}).get("deleted_rows", {})
        return {"claims": int(deleted.get("claims", 0)), "scores": int(deleted.get("scores", 0)),
                "log_payloads": len((entry.data or {}).get("erased_entries", []))}

    def _check_own_log(self, log: AuditLog) -> None:
        """Refuse a log kept outside this store's database: the store's rows and the log's
        payloads could not be erased in one transaction."""
        backend = log.backend
        if backend.path is not None:
            database = self.engine.url.database
            same = database is not None and Path(database).expanduser().resolve() == \
                backend.path.resolve()
        else:
            engine = getattr(backend, "engine", None)
            same = engine is not None and engine.url == self.engine.url
        if not same:
            store = self.engine.url.render_as_string(hide_password=True)
            raise ConfigurationError(
                f"the audit log {backend.name} is not this store's ({store}); erase "
                "through the store's own log "
                "(store.audit_log(pseudonym_key=...)), so that both erasures are one "
                "transaction.")

    def apply_retention(self, keep_months: int, *, actor: str,
                        audit_log: AuditLog | None = None,
                        now: dt.datetime | None = None) -> dict[str, int]:
        """Remove personal data older than ``keep_months`` months (at least 6): the personal
        payloads of older audit-log entries and older recorded scores.

        The chained entries stay and the chain stays valid: the removal is recorded as one
        signed ``erasure`` entry listing the emptied entries. Claims (the HR record) are kept.
        As with :meth:`erase_employee`, everything is checked first (period, actor, key, the
        store's own log, readers), and the payloads and scores go in one transaction. The
        period is saved in the store's settings (the worker notice states it) once the
        removal has run, never before.

        Args:
            keep_months: Months to keep; fewer than 6 is refused (EU AI Act art. 26(6)).
            actor: Who applies the retention.
            audit_log: The store's audit log opened with the pseudonym key (default:
                :meth:`audit_log` with the default key).
            now: The moment the period is counted back from (default: now).

        Returns:
            How many log payloads and scores were removed.

        Raises:
            ConfigurationError: ``keep_months`` below 6 or not a whole number, a log that is
                not the store's, or a key that is not the log's.
            OversightError: another process keeps reading the store; nothing was removed.
        """
        from skilltwin.store._retention import cutoff, remove_old_payloads

        self._check_writable("apply_retention")
        check_actor(actor)
        before = cutoff(keep_months, now or dt.datetime.now(dt.timezone.utc))
        log = audit_log if audit_log is not None else self.audit_log()
        try:
            self._check_own_log(log)
            scores = tables["scores"]
            stamp = before.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
            with read(self.engine) as conn:
                old = [int(row[0]) for row in conn.execute(
                    sa.select(scores.c.score_id).where(scores.c.recorded < stamp))]
            emptied = remove_old_payloads(log, before, actor=actor, keep_months=keep_months,
                                          rows={("scores", "score_id"): old} if old else None)
        finally:
            if audit_log is None:
                log.close()
        self.configure(retention_months=keep_months)  # once the retention has run
        return {"log_payloads": len(emptied), "scores": len(old)}

    # -- settings ---------------------------------------------------------------------------
    def configure(self, **settings: Any) -> dict[str, Any]:
        """Save settings the store's worker notice reads (see ``skilltwin notice``):
        ``organisation``, ``decision_maker`` (the named person who decides),
        ``reviewer_roles`` (list), ``contact`` (where to ask for an explanation or erasure),
        ``retention_months``, ``purposes`` (list of short names: the purposes workspace
        steps on this store may name, besides :data:`~skilltwin.oversight.DEFAULT_PURPOSES`;
        the notices list them). Returns all settings.

        ``None`` clears a setting (the notices then say it is not set).

        Raises:
            ConfigurationError: an unknown setting; ``organisation``, ``decision_maker`` or
                ``contact`` not a non-empty string; ``reviewer_roles`` not a list of them;
                ``retention_months`` not a whole number of at least 6 (as
                :meth:`apply_retention` requires); or a purpose that is not a short name
                (letters, digits, spaces and ``- ' ( ) , . / &``, one line). Nothing is saved.
        """
        if settings:
            self._check_writable("configure")
        unknown = sorted(set(settings) - set(SETTINGS))
        if unknown:
            raise ConfigurationError(
                f"unknown store setting(s) {unknown}; use {', '.join(SETTINGS)}.")
        settings = {key: _checked_setting(key, value) for key, value in settings.items()}
        if settings.get("purposes") is not None:
            self._refuse_ids_in(settings["purposes"])
        meta = tables["store_meta"]
        with write(self.engine) as conn:
            for key, value in settings.items():
                text = json.dumps(value, ensure_ascii=False)
                conn.execute(meta.delete().where(meta.c.key == f"setting.{key}"))
                conn.execute(meta.insert().values(key=f"setting.{key}", value=text))
        return self.settings()

    def settings(self) -> dict[str, Any]:
        """The settings saved with :meth:`configure`."""
        meta = tables["store_meta"]
        with read(self.engine) as conn:
            rows = conn.execute(sa.select(meta.c.key, meta.c.value)
                                .where(meta.c.key.like("setting.%"))).all()
        return {key.removeprefix("setting."): json.loads(value) for key, value in rows}

    def _refuse_ids_in(self, purposes: list[str]) -> None:
        """A purpose naming an employee of the store is refused: it would be logged in
        clear on entries no erasure reaches."""
        employees = tables["employees"]
        with read(self.engine) as conn:
            ids = [str(i) for i in conn.execute(sa.select(employees.c.employee_id)).scalars()]
        for name in purposes:
            key = purpose_key(name)
            for raw in ids:
                token = purpose_key(raw)
                if len(token) >= 3 and re.search(
                        r"(?<!\w)" + re.escape(token) + r"(?!\w)", key):
                    raise ConfigurationError(
                        "a purpose may not name an employee: purposes are logged in clear on "
                        "entries that erasure does not reach. Name the purpose only, and put "
                        "details in a note: Purpose('internal mobility', note='...').")

    def purposes(self) -> tuple[str, ...]:
        """The purposes a workspace step on this store may name: the defaults and those
        registered with ``configure(purposes=[...])``."""
        stored = self.settings().get("purposes") or []
        return registry(name for name in stored if _valid_purpose(name))

    # -- fairness checks --------------------------------------------------------------------
    def record_fairness_check(self, check: FairnessReport | InvarianceResult, *, actor: str,
                              audit_log: AuditLog | None = None) -> AuditEntry:
        """Record a fairness check's outcome on the store's audit log (action
        ``"fairness_check"``), for the works council request (``skilltwin notice
        --works-council``) to report.

        Only the kind of check, the attributes compared and the outcome in numbers are kept
        (employees, groups, groups too small to judge, groups below the four-fifths
        guideline, the lowest ratio; for an invariance check the changes tried and how many
        scores moved); never group labels or a person's data.

        Args:
            check: A :class:`~skilltwin.fairness.FairnessReport` or the
                :class:`~skilltwin.fairness.InvarianceResult` of
                :func:`~skilltwin.fairness.check_invariance`.
            actor: Who ran the check.
            audit_log: The store's audit log opened with the pseudonym key (default:
                :meth:`audit_log` with the default key).
        """
        self._check_writable("record_fairness_check")
        from skilltwin.store._fairness import fairness_record

        check_actor(actor)
        data = fairness_record(check)
        log = audit_log if audit_log is not None else self.audit_log()
        try:
            return log.record(Action.FAIRNESS_CHECK, actor=actor, data=data)
        finally:
            if audit_log is None:
                log.close()



def _checked_setting(key: str, value: Any) -> Any:
    """A setting's value as it is saved, or a :class:`ConfigurationError` saying what it must
    be."""
    if value is None:
        return None
    if key == "retention_months":
        from skilltwin.store._retention import check_months

        return check_months(value, key)
    if key == "purposes":
        return _purpose_list(value)
    if key == "reviewer_roles":
        if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
            raise ConfigurationError(
                f"reviewer_roles must be a list of roles, e.g. ['HR business partner', "
                f"'team lead'], not {type(value).__name__}.")
        for position, role in enumerate(value):
            check_text(role, f"reviewer_roles[{position}]", empty=False,
                       hint="Name the role, e.g. 'team lead'.")
        return list(value)
    return check_text(value, key, empty=False, hint=f"Give the {key.replace('_', ' ')}.")


def _purpose_list(value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ConfigurationError(
            f"purposes must be a list of short names, e.g. ['internal mobility', "
            f"'succession planning'], not {type(value).__name__}.")
    names: dict[str, str] = {}
    for item in value:
        name = purpose_name(item)
        names.setdefault(purpose_key(name), name)
    return list(names.values())


def _valid_purpose(name: object) -> bool:
    """A purpose saved by an earlier version may be free text: such a one is left out."""
    try:
        purpose_name(name)
    except ConfigurationError:
        return False
    return True
