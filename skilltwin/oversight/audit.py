"""The audit log: an append-only, hash-chained record of scores, overrides and decisions.

Entries live in a SQLite file (WAL mode, ``synchronous=FULL``): once :meth:`AuditLog.record`
returns, the entry survives a crash, and several processes can write to one log at once.
Subjects are pseudonymised with a key kept outside the log, free text is redacted unless
configured otherwise, and a subject's personal payloads can be erased without breaking the
chain. See ``docs/oversight.md`` for the design and its limits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from skilltwin._version import __version__
from skilltwin.errors import ConfigurationError, OversightError
from skilltwin.oversight._chain import canonical_json, commitment, entry_hash, normalise_json
from skilltwin.oversight._export import ExportTarget, write_csv, write_jsonl
from skilltwin.oversight._freetext import DEFAULT_FREE_TEXT_FIELDS, redact_free_text
from skilltwin.oversight._models import AuditEntry, ChainHead, VerifyResult, format_timestamp
from skilltwin.oversight._pseudonym import KeySource, Pseudonymiser, load_key
from skilltwin.oversight._store import ENTRY_COLUMNS, connect, initialise, iter_rows
from skilltwin.oversight._verify import ERASURE_ACTION, verify_log
from skilltwin.provenance import Provenance

__all__ = [
    "DEFAULT_FREE_TEXT_FIELDS",
    "ERASURE_ACTION",
    "AuditEntry",
    "AuditLog",
    "ChainHead",
    "VerifyResult",
]

TimeBound = dt.datetime | dt.date | str


class AuditLog:
    """An append-only, hash-chained, tamper-evident audit log in a SQLite file.

    Args:
        path: The log file; created (with its folder) when missing and ``create`` is true.
        pseudonym_key: The key that pseudonymises subjects: ``bytes`` (the key) or the path
            of a key file. Default: ``$SKILLTWIN_AUDIT_KEY``, else ``audit.key`` in the user's
            skilltwin config folder (created, mode 0600, on first use). Only needed to write
            entries with a subject or data, or to look subjects up; verifying and exporting
            work without it. A log remembers the key's fingerprint and refuses another key.
        log_free_text: Keep free text (CVs, job ads, evidence) in entries' data. Default
            ``False``: such values are replaced by a keyed hash and their length.
        free_text_fields: The data keys (at any depth) holding free text.
        create: Create the log when ``path`` does not exist; with ``False`` a missing file is
            an error (use it to read existing logs).
        timeout: Seconds to wait for another process's write before giving up.

    Raises:
        ConfigurationError: ``path`` is missing (with ``create=False``) or not an audit log.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        pseudonym_key: KeySource = None,
        log_free_text: bool = False,
        free_text_fields: Collection[str] = DEFAULT_FREE_TEXT_FIELDS,
        create: bool = True,
        timeout: float = 30.0,
    ):
        self.path = Path(path)
        self.log_free_text = log_free_text
        self.free_text_fields = frozenset(free_text_fields)
        self._key_source = pseudonym_key
        self._timeout = timeout
        self._pseudonymiser: Pseudonymiser | None = None
        self._lock = threading.RLock()
        if not self.path.exists():
            if not create:
                raise ConfigurationError(
                    f"{self.path}: no audit log there; check the path (or create a log with "
                    "AuditLog(path))."
                )
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        initialise(self._connection(), self.path, create=create)

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r})"

    # -- connection -------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():  # reconnect in a forked child
            self._conn = connect(self.path, self._timeout)
            self._pid = os.getpid()
        return self._conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that holds the database's write lock from its first statement."""
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close the database connection (the log can be reopened with a new AuditLog)."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pseudonyms -------------------------------------------------------------------------

    def _keyed(self) -> Pseudonymiser:
        """The pseudonymiser, loading the key and checking it against the log's on first use."""
        if self._pseudonymiser is None:
            pseudonymiser = Pseudonymiser(load_key(self._key_source))
            fingerprint = pseudonymiser.fingerprint()
            with self._write() as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('key_fingerprint', ?)",
                    (fingerprint,),
                )
                stored = conn.execute(
                    "SELECT value FROM meta WHERE key = 'key_fingerprint'"
                ).fetchone()[0]
            if stored != fingerprint:
                raise ConfigurationError(
                    f"{self.path}: this log was written with a different pseudonym key; pass "
                    "the key it was written with (pseudonym_key=... or $SKILLTWIN_AUDIT_KEY), "
                    "or the pseudonyms would not match."
                )
            self._pseudonymiser = pseudonymiser
        return self._pseudonymiser

    def subject_id(self, raw_id: str) -> str:
        """The pseudonym under which ``raw_id``'s entries are stored (HMAC-SHA256, hex)."""
        return self._keyed().subject_id(raw_id)

    # -- writing ----------------------------------------------------------------------------

    def record(
        self,
        action: str,
        *,
        actor: str,
        subject: str | None = None,
        data: Mapping[str, Any] | None = None,
        inputs_hash: str | None = None,
        provenance: Provenance | None = None,
        library_version: str | None = None,
        taxonomy_release: str | None = None,
        model_name: str | None = None,
    ) -> AuditEntry:
        """Append an entry and return it; it is on disk when this returns.

        Args:
            action: What happened, e.g. ``"match"``, ``"override"``, ``"decision"``.
            actor: Who did it: a named person or a system name. Required: oversight needs
                to know who acted.
            subject: The employee's raw id; only its pseudonym is stored.
            data: A JSON-serialisable dict (dates, sets, pydantic models and numpy scalars
                are converted). Free-text fields are redacted unless ``log_free_text``.
            inputs_hash: A hash of the inputs the recorded output was computed from.
            provenance: The result's :class:`~skilltwin.Provenance`; fills the next three.
            library_version: The skilltwin version that produced the output (default: this
                one).
            taxonomy_release: The taxonomy release behind the output, e.g.
                ``"ESCO v1.1.1 (en)"``.
            model_name: The embedding model behind the output, if one was used.

        Raises:
            ConfigurationError: an empty action or actor, the reserved action ``"erasure"``,
                data that is not a JSON-serialisable dict, or ``provenance`` together with
                any of the three fields it fills.
        """
        _require_text(action, "action")
        if action == ERASURE_ACTION:
            raise ConfigurationError(
                f"the action {ERASURE_ACTION!r} is reserved; erase a subject's data with "
                "AuditLog.erase_subject(raw_id, actor=..., reason=...)."
            )
        if data is not None and not isinstance(data, Mapping):
            raise ConfigurationError(
                f"data must be a dict, not {type(data).__name__}; wrap values in a dict such "
                "as {'value': ...}."
            )
        versions = _versions(provenance, library_version, taxonomy_release, model_name)
        pseudonym = None if subject is None else self.subject_id(subject)
        payload = None if data is None else normalise_json(data)
        if payload is not None and not self.log_free_text:
            payload = redact_free_text(payload, self.free_text_fields, self._keyed().text_digest)
        with self._write() as conn:
            return self._append(
                conn, action, actor, pseudonym, payload, {"inputs_hash": inputs_hash, **versions}
            )

    def _append(
        self,
        conn: sqlite3.Connection,
        action: str,
        actor: str,
        subject: str | None,
        data: dict[str, Any] | None,
        context: Mapping[str, str | None],
    ) -> AuditEntry:
        """Insert one entry (and its payload) after the head; the caller holds the write lock."""
        _require_text(actor, "actor")
        head_seq, head_hash = conn.execute("SELECT seq, hash FROM head WHERE id = 1").fetchone()
        fields: dict[str, Any] = {
            "seq": head_seq + 1,
            "entry_id": str(uuid.uuid4()),
            "timestamp": format_timestamp(dt.datetime.now(dt.timezone.utc)),
            "actor": actor,
            "action": action,
            "inputs_hash": context.get("inputs_hash"),
            "library_version": context.get("library_version") or __version__,
            "taxonomy_release": context.get("taxonomy_release"),
            "model_name": context.get("model_name"),
            "payload_hash": None,
            "prev_hash": head_hash,
        }
        salt = None
        data_text = None if data is None else canonical_json(data).decode("utf-8")
        if subject is not None or data is not None:
            salt = secrets.token_hex(32)
            fields["payload_hash"] = commitment(salt, subject, data_text)
        fields["hash"] = entry_hash(fields)
        try:
            conn.execute(
                f"INSERT INTO entries ({', '.join(fields)}) VALUES "
                f"({', '.join('?' * len(fields))})",
                list(fields.values()),
            )
            if salt is not None:
                conn.execute(
                    "INSERT INTO payloads (seq, subject, data, salt) VALUES (?, ?, ?, ?)",
                    (fields["seq"], subject, data_text, salt),
                )
            conn.execute(
                "UPDATE head SET seq = ?, hash = ? WHERE id = 1", (fields["seq"], fields["hash"])
            )
        except sqlite3.IntegrityError as exc:
            raise OversightError(
                f"{self.path}: cannot append entry {fields['seq']} ({exc}); the log was changed "
                "outside skilltwin. Run `skilltwin audit verify --db FILE` to find where."
            ) from None
        return AuditEntry(**fields, subject=subject, data=data)

    def erase_subject(self, raw_id: str, *, actor: str, reason: str) -> AuditEntry:
        """Erase an employee's personal payloads (GDPR art. 17) and record the erasure.

        Every payload (pseudonym and data) of the subject's entries is deleted, with the salt
        that committed to it; the chained entries stay, so :meth:`verify` still passes, and
        the returned ``"erasure"`` entry lists the erased entries' numbers, the actor and the
        reason (do not put the person's name in the reason). The file is checkpointed so the
        deleted bytes do not linger in the write-ahead log.

        Raises:
            ConfigurationError: an empty actor or reason.
        """
        _require_text(reason, "reason")
        pseudonym = self.subject_id(raw_id)
        with self._write() as conn:
            seqs = [row[0] for row in conn.execute(
                "SELECT seq FROM payloads WHERE subject = ? ORDER BY seq", (pseudonym,)
            )]
            conn.execute("DELETE FROM payloads WHERE subject = ?", (pseudonym,))
            entry = self._append(
                conn, ERASURE_ACTION, actor, None,
                {"erased_entries": seqs, "reason": reason}, {},
            )
        with self._lock:
            self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return entry

    # -- reading ----------------------------------------------------------------------------

    def entries(
        self,
        *,
        subject: str | None = None,
        action: str | None = None,
        actor: str | None = None,
        since: TimeBound | None = None,
        until: TimeBound | None = None,
    ) -> list[AuditEntry]:
        """Entries in chain order, filtered by every argument given.

        Args:
            subject: An employee's raw id or its pseudonym (see :meth:`subject_id`).
            action: Only entries with this action.
            actor: Only entries by this actor.
            since: Only entries written at or after this time.
            until: Only entries written before this time. Times are datetimes, dates
                (midnight UTC) or ISO-8601 strings; without a time zone they are taken as UTC.
        """
        where: list[str] = []
        params: list[Any] = []
        if subject is not None:
            where.append("p.subject IN (?, ?)")
            params += [self.subject_id(subject), subject]
        for column, value in (("action", action), ("actor", actor)):
            if value is not None:
                where.append(f"e.{column} = ?")
                params.append(value)
        for op, bound in ((">=", since), ("<", until)):
            if bound is not None:
                where.append(f"e.timestamp {op} ?")
                params.append(format_timestamp(_as_utc(bound)))
        with self._lock:
            return [_entry(row) for row in iter_rows(self._connection(), where, params)]

    def __iter__(self) -> Iterator[AuditEntry]:
        """All entries in chain order."""
        return iter(self.entries())

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection().execute("SELECT count(*) FROM entries").fetchone()[0])

    def head(self) -> ChainHead:
        """The last entry's number and hash; keep a copy elsewhere to detect truncation later."""
        with self._lock:
            seq, hash_ = self._connection().execute(
                "SELECT seq, hash FROM head WHERE id = 1"
            ).fetchone()
        return ChainHead(seq=seq, hash=hash_)

    def verify(self, *, anchor: ChainHead | None = None) -> VerifyResult:
        """Check the whole log: every entry's hash and link, payload commitments and the head.

        Args:
            anchor: A :meth:`head` taken earlier and kept outside the log; the log must still
                contain that entry unchanged (detects truncation and rewriting before it).
        """
        with self._lock:
            return verify_log(self._connection(), anchor)

    def export_jsonl(self, target: ExportTarget) -> int:
        """Write every entry as JSON Lines to a path or text stream; returns the count."""
        return write_jsonl(self, target)

    def export_csv(self, target: ExportTarget) -> int:
        """Write every entry as CSV (``data`` as JSON text) to a path or text stream."""
        return write_csv(self, target)


def _versions(
    provenance: Provenance | None,
    library_version: str | None,
    taxonomy_release: str | None,
    model_name: str | None,
) -> dict[str, str | None]:
    if provenance is None:
        return {"library_version": library_version, "taxonomy_release": taxonomy_release,
                "model_name": model_name}
    if (library_version, taxonomy_release, model_name) != (None, None, None):
        raise ConfigurationError(
            "give either provenance=... or library_version/taxonomy_release/model_name, "
            "not both."
        )
    # the log keeps these three; the language is part of taxonomy_release
    return provenance.model_dump(include={"library_version", "taxonomy_release", "model_name"})


def _require_text(value: object, name: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string, not {value!r}.")


def _as_utc(bound: TimeBound) -> dt.datetime:
    if isinstance(bound, str):
        try:
            bound = dt.datetime.fromisoformat(bound.replace("Z", "+00:00"))
        except ValueError:
            raise ConfigurationError(
                f"cannot read {bound!r} as a time; use ISO-8601 such as 2026-03-01 or "
                "2026-03-01T09:30:00+01:00."
            ) from None
    if not isinstance(bound, dt.datetime):
        bound = dt.datetime(bound.year, bound.month, bound.day)
    if bound.tzinfo is None:
        bound = bound.replace(tzinfo=dt.timezone.utc)
    return bound


def _entry(row: sqlite3.Row) -> AuditEntry:
    fields = {key: row[key] for key in (*ENTRY_COLUMNS, "subject")}
    return AuditEntry(
        **fields,
        data=None if row["data"] is None else json.loads(row["data"]),
        erased=row["payload_hash"] is not None and not row["has_payload"],
    )
