"""The audit log: an append-only, hash-chained record of scores, overrides and decisions.

Entries live in a SQLite file (WAL mode, ``synchronous=FULL``): once :meth:`AuditLog.record`
returns, the entry survives a crash, and several processes can write to one log at once.
Subjects are pseudonymised with a key kept outside the log, free text is redacted unless
configured otherwise, and a subject's personal payloads can be erased (by the key's holder
only) without breaking the chain. See ``docs/oversight.md`` for the design and its limits.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from skilltwin.errors import AuditLogDamagedError, ConfigurationError, OversightError
from skilltwin.oversight import _store
from skilltwin.oversight._chain import normalise_json
from skilltwin.oversight._export import ExportTarget, write_csv, write_jsonl
from skilltwin.oversight._freetext import DEFAULT_FREE_TEXT_FIELDS, redact_free_text
from skilltwin.oversight._helpers import TimeBound, as_utc, require_text, row_entry, versions
from skilltwin.oversight._models import AuditEntry, ChainHead, VerifyResult, format_timestamp
from skilltwin.oversight._pseudonym import KeySource, Pseudonymiser, load_key
from skilltwin.oversight._store import guarded, iter_rows
from skilltwin.oversight._verify import ERASURE_ACTION
from skilltwin.oversight._writing import append_entry
from skilltwin.provenance import Provenance

__all__ = [
    "DEFAULT_FREE_TEXT_FIELDS",
    "ERASURE_ACTION",
    "AuditEntry",
    "AuditLog",
    "ChainHead",
    "VerifyResult",
]


class AuditLog:
    """An append-only, hash-chained, tamper-evident audit log in a SQLite file.

    Args:
        path: The log file; created (with its folder) when missing and ``create`` is true.
        pseudonym_key: The key that pseudonymises subjects: ``bytes`` (the key) or the path
            of a key file. Default: ``$SKILLTWIN_AUDIT_KEY``, else ``audit.key`` in the user's
            skilltwin config folder (created, mode 0600, on first use). Only needed to write
            entries with a subject or data, to erase, or to look subjects up; verifying and
            exporting work without it. A log chains the key's id and refuses another key.
        log_free_text: Keep free text (CVs, job ads, evidence) in entries' data. Default
            ``False``: such values are replaced by a keyed hash and their length.
        free_text_fields: The data keys (at any depth) holding free text.
        create: Create the log when ``path`` does not exist; with ``False`` a missing file is
            an error (use it to read existing logs).
        read_only: Open with SQLite's read-only mode: nothing is ever written to the log or
            its companion files; implies ``create=False``. Verifying, exporting and queries
            work; writing raises. A log whose file or folder cannot be written (a read-only
            file or mount) is always opened this way.
        timeout: Seconds to wait for another process's write before giving up.

    Raises:
        ConfigurationError: ``path`` is missing (with ``create=False``), a folder, or another
            database's companion file.
        AuditLogDamagedError: the file is not a readable audit log (not SQLite, empty, a table
            missing, a damaged page); the file is left as it is.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        pseudonym_key: KeySource = None,
        log_free_text: bool = False,
        free_text_fields: Collection[str] = DEFAULT_FREE_TEXT_FIELDS,
        create: bool = True,
        read_only: bool = False,
        timeout: float = 30.0,
    ):
        self.path = Path(path)
        self.log_free_text = log_free_text
        self.free_text_fields = frozenset(free_text_fields)
        if not read_only and self.path.is_file() and not (
                os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
            read_only = True  # a read-only file or mount: read it; writing says why not
        self.read_only = read_only
        self._key_source = pseudonym_key
        self._timeout = timeout
        self._pseudonymiser: Pseudonymiser | None = None
        self._key_confirmed = False
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        create = create and not read_only
        _store.check_path(self.path, create=create)
        if self.path.exists() and not read_only and (self.path.stat().st_size or not create):
            # Check it is a log without writing a byte before opening it for writing.
            probe = _store.connect(self.path, timeout, read_only=True)
            try:
                _store.initialise(probe, self.path, create=False, read_only=True)
            finally:
                probe.close()
        elif not self.path.exists():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigurationError(
                    f"{self.path}: cannot create the log's folder ({exc.strerror}); choose a "
                    "folder you may write to."
                ) from None
        _store.initialise(self._connection(), self.path, create=create, read_only=read_only)

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r})"

    # -- connection -------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():  # reconnect in a forked child
            self._conn = _store.connect(self.path, self._timeout, read_only=self.read_only)
            self._pid = os.getpid()
        return self._conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that holds the database's write lock from its first statement."""
        if self.read_only:
            raise ConfigurationError(
                f"{self.path} is open read-only (read_only=True, or the file or its folder "
                "cannot be written); open a writable log with AuditLog(path) to write."
            )
        with self._lock, guarded(self.path):
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, guarded(self.path):
            yield self._connection()

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
            with self._read() as conn:
                chained = self._first_key_id(conn)
                legacy = _store.legacy_fingerprint(conn)
            if (chained is not None and chained != pseudonymiser.key_id()) or (
                    chained is None and legacy is not None
                    and legacy != pseudonymiser.fingerprint()):
                raise _store.different_key(self.path)
            self._pseudonymiser = pseudonymiser
        return self._pseudonymiser

    def subject_id(self, raw_id: str) -> str:
        """The pseudonym under which ``raw_id``'s entries are stored (HMAC-SHA256, hex)."""
        return self._keyed().subject_id(raw_id)

    def inputs_hash(self, inputs: Mapping[str, Any]) -> str:
        """Keyed hash (HMAC-SHA256 with the pseudonym key, hex) of the canonical JSON of
        ``inputs``: what :class:`~skilltwin.oversight.Workspace` records as an entry's
        ``inputs_hash``. Without the key nobody can tell which inputs it was computed from."""
        return self._keyed().inputs_digest(normalise_json(dict(inputs), "inputs"))

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
            inputs_hash: A hash of the inputs the recorded output was computed from (see
                :meth:`inputs_hash`); never a hash anyone could recompute from personal data.
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
        require_text(action, "action")
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
        context = {"inputs_hash": inputs_hash,
                   **versions(provenance, library_version, taxonomy_release, model_name)}
        pseudonym = None if subject is None else self.subject_id(subject)
        payload = None if data is None else self._stored_form(data)
        with self._write() as conn:
            return self._append(conn, action, actor, pseudonym, payload, context)

    def _stored_form(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """``data`` as :meth:`record` stores it: plain JSON, free text redacted."""
        payload = normalise_json(dict(data))
        if not self.log_free_text:
            payload = redact_free_text(payload, self.free_text_fields, self._keyed().text_digest)
        return dict(payload)

    def _append(
        self,
        conn: sqlite3.Connection,
        action: str,
        actor: str,
        subject: str | None,
        data: dict[str, Any] | None,
        context: Mapping[str, str | None],
    ) -> AuditEntry:
        """Insert one entry after the head (the caller holds the write lock); entries with a
        payload carry the key's id, which must be the log's."""
        keyed = None
        if subject is not None or data is not None:
            keyed = self._keyed()
            self._confirm_key(conn, keyed)
        return append_entry(conn, self.path, keyed, action, actor, subject, data, context)

    # -- storage seam: a log in another database overrides these (see skilltwin.store) -------

    def _rows(self, conn: sqlite3.Connection, where: Sequence[str] = (),
              params: Sequence[Any] = ()) -> Iterator[sqlite3.Row]:
        """Entries joined with their payloads, in chain order (``?`` placeholders)."""
        return iter_rows(conn, where, params)

    def _first_key_id(self, conn: sqlite3.Connection) -> str | None:
        """The key id chained in the log's first entry written with the pseudonym key."""
        return _store.first_key_id(conn)

    def _confirm_key(self, conn: sqlite3.Connection, keyed: Pseudonymiser) -> None:
        """Under the write lock: the log's chained key (if any) is ours."""
        if not self._key_confirmed:
            chained = self._first_key_id(conn)
            if chained is not None and chained != keyed.key_id():
                raise _store.different_key(self.path)
            self._key_confirmed = True

    def erase_subject(self, raw_id: str, *, actor: str, reason: str,
                      aliases: Iterable[str] = ()) -> AuditEntry:
        """Erase an employee's personal payloads (GDPR art. 17) and record the erasure.

        The id is read by the identity rule (``skilltwin/_identity.py``): every spelling of it
        (case, NFC/NFD, white space) is erased, and so are entries of logs written before the
        rule under ``raw_id``'s or an ``aliases`` spelling.

        Every payload (pseudonym and data) of the subject's entries is deleted, with the salt
        that committed to it; the chained entries stay, so :meth:`verify` still passes, and
        the returned ``"erasure"`` entry lists the erased entries' numbers, the actor and the
        reason (do not put the person's name in the reason), signed with a key derived from
        the pseudonym key so that nobody without it can pass off a deletion as an erasure.
        The write-ahead log is then checkpointed and truncated so that no copy of the erased
        data stays in the files.

        Raises:
            ConfigurationError: an empty actor or reason.
            OversightError: the erasure is recorded, but another process kept reading the log
                for longer than ``timeout``, so copies remain in the ``-wal`` file: close
                other readers and call :meth:`checkpoint`.
        """
        require_text(reason, "reason")
        require_text(actor, "actor")
        pseudonyms = self._keyed().subject_ids(raw_id, aliases)  # the identity rule
        marks = ", ".join("?" * len(pseudonyms))
        with self._write() as conn:
            seqs = [row[0] for row in conn.execute(
                f"SELECT seq FROM payloads WHERE subject IN ({marks}) ORDER BY seq", pseudonyms
            )]
            conn.execute(f"DELETE FROM payloads WHERE subject IN ({marks})", pseudonyms)
            entry = self._append(
                conn, ERASURE_ACTION, actor, None,
                {"erased_entries": seqs, "reason": reason}, {},
            )
        self.checkpoint()
        return entry

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database and truncate it to zero bytes.

        Raises:
            OversightError: another connection kept a read transaction open for longer than
                ``timeout`` seconds (twice), so the ``-wal`` file could not be emptied.
        """
        for _ in range(2):
            with self._read() as conn:
                if _store.truncate_wal(conn):
                    return
        raise OversightError(
            f"{self.path}: another connection is reading the log, so its -wal file still "
            "holds older copies of erased data (the erasure itself is recorded). Close the "
            "other programs that read the log, then call AuditLog.checkpoint()."
        )

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
            where.append("p.subject IN (?, ?, ?)")
            params += [self.subject_id(subject), self._keyed().legacy_subject_id(subject),
                       subject]
        for column, value in (("action", action), ("actor", actor)):
            if value is not None:
                where.append(f"e.{column} = ?")
                params.append(value)
        for op, bound in ((">=", since), ("<", until)):
            if bound is not None:
                where.append(f"e.timestamp {op} ?")
                params.append(format_timestamp(as_utc(bound)))
        with self._read() as conn:
            return [row_entry(row, self.path) for row in self._rows(conn, where, params)]

    def entry(self, entry_id: str) -> AuditEntry | None:
        """The entry with this ``entry_id`` (e.g. a result's ``audit_id``), or ``None``."""
        if not isinstance(entry_id, str):
            return None
        with self._read() as conn:
            found = [row_entry(row, self.path)
                     for row in self._rows(conn, ["e.entry_id = ?"], [entry_id])]
        return found[0] if len(found) == 1 else None

    def __iter__(self) -> Iterator[AuditEntry]:
        """All entries in chain order."""
        return iter(self.entries())

    def __len__(self) -> int:
        with self._read() as conn:
            return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])

    def head(self) -> ChainHead:
        """The last entry's number and hash; keep a copy elsewhere to detect truncation later."""
        with self._read() as conn:
            head = _store.read_head(conn)
        if head is None or not isinstance(head[0], int) or not isinstance(head[1], str):
            raise AuditLogDamagedError(
                f"{self.path}: the log's head record is missing or unreadable; run `skilltwin "
                f"audit verify --db {self.path}` and restore the log from a backup."
            )
        return ChainHead(seq=head[0], hash=head[1])

    def verify(self, *, anchor: ChainHead | None = None) -> VerifyResult:
        """Check the whole log: every entry's hash and link, payload commitments, erasure
        signatures, the key and the head.

        Args:
            anchor: A :meth:`head` taken earlier and kept outside the log; the log must still
                contain that entry unchanged (detects truncation and rewriting before it).

        Raises:
            AuditLogDamagedError: the file itself is damaged (SQLite cannot read it as a
                whole), which is not the same as entries having been changed.
        """
        with self._read() as conn:
            return _store.verify_snapshot(conn, self.path, anchor)

    def export_jsonl(self, target: ExportTarget) -> int:
        """Write every entry as JSON Lines to a path or text stream; returns the count.

        A path is written through a temporary file; the log's own files are refused."""
        return write_jsonl(self, target, _store.own_files(self.path))

    def export_csv(self, target: ExportTarget) -> int:
        """Write every entry as CSV (``data`` as JSON text) to a path or text stream."""
        return write_csv(self, target, _store.own_files(self.path))
