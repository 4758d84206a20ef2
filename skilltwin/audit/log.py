"""The audit log: an append-only, hash-chained and keyed record of scores, overrides and
decisions, over any :class:`~skilltwin.audit.backend.AuditBackend`.

Every entry is chained twice: by a plain SHA-256 hash anyone can recompute, and by a MAC
(HMAC-SHA256) under a key derived from the log key that only its holder can compute, so that
nobody without the key can forge, reorder, re-chain or cut and re-head the log unnoticed.
Subjects are pseudonymised with the same key kept outside the log, free text is redacted
unless configured otherwise, and a subject's personal payloads can be erased (by the key's
holder only) without breaking either chain. See ``docs/oversight.md`` for the design and
its limits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from skilltwin._jsonio import normalise_json
from skilltwin._validation import check_actor, check_reason, check_text
from skilltwin.audit._chain import (
    commitment,
    entry_hash,
    head_mac,
    head_message,
)
from skilltwin.audit._export import ExportTarget, write_csv, write_jsonl
from skilltwin.audit._freetext import DEFAULT_FREE_TEXT_FIELDS, redact_free_text
from skilltwin.audit._helpers import (
    TimeBound,
    as_utc,
    different_key,
    row_entry,
    versions,
)
from skilltwin.audit._verify import (
    ERASURE_ACTION,
    INITIAL_NONCE,
    check_chain,
    keyed_start_allowed,
    switch_nonce,
)
from skilltwin.audit._writing import seal_entry, store_entry
from skilltwin.audit.actions import RESERVED_ACTIONS, Action
from skilltwin.audit.backend import AuditBackend, AuditTransaction, RowQuery
from skilltwin.audit.models import (
    AuditEntry,
    ChainHead,
    SignedHead,
    VerifyResult,
    format_timestamp,
)
from skilltwin.audit.pseudonym import KeySource, Pseudonymiser, load_key
from skilltwin.audit.reasons import kept_reason
from skilltwin.errors import (
    AuditLogDamagedError,
    ConfigurationError,
    InputValidationError,
    OversightError,
)
from skilltwin.provenance import Provenance

__all__ = [
    "DEFAULT_FREE_TEXT_FIELDS",
    "ERASURE_ACTION",
    "AuditEntry",
    "AuditLog",
    "ChainHead",
    "SignedHead",
    "VerifyResult",
]


class AuditLog:
    """An append-only, hash-chained and keyed, tamper-evident audit log.

    Args:
        path: The log's SQLite file; created (with its folder) when missing and ``create``
            is true. Give either ``path`` or ``backend``.
        backend: Where the rows live (an :class:`~skilltwin.audit.backend.AuditBackend`, e.g.
            :class:`~skilltwin.audit.PostgresBackend`); ``path`` is short for
            ``backend=SQLiteBackend(path, create=..., read_only=..., timeout=...)``.
        pseudonym_key: The log key: ``bytes`` (the key) or the path of a key file. Default:
            ``$SKILLTWIN_AUDIT_KEY``, else ``audit.key`` in the user's skilltwin config
            folder (created, mode 0600, on first use). It pseudonymises subjects and keys the
            chain, so it is needed to write, erase, look subjects up and for the keyed check;
            the plain check and exports work without it. A log refuses another key.
        log_free_text: Keep free text (CVs, job ads, evidence) in entries' data. Default
            ``False``: such values are replaced by a keyed hash and their length.
        free_text_fields: The data keys (at any depth) holding free text.
        create: Create the log when ``path`` does not exist; with ``False`` a missing file is
            an error (use it to read existing logs).
        read_only: Never write to the log or its companion files; implies ``create=False``.
            A log whose file or folder cannot be written is always opened this way.
        timeout: Seconds to wait for another process's write before giving up (SQLite).

    Raises:
        ConfigurationError: ``path`` is missing (with ``create=False``), a folder, or another
            database's companion file; or both or neither of ``path`` and ``backend``.
        AuditLogDamagedError: the file is not a readable audit log (not SQLite, empty, a table
            missing, a damaged page); the file is left as it is.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        backend: AuditBackend | None = None,
        pseudonym_key: KeySource = None,
        log_free_text: bool = False,
        free_text_fields: Collection[str] = DEFAULT_FREE_TEXT_FIELDS,
        create: bool = True,
        read_only: bool = False,
        timeout: float = 30.0,
    ):
        if (path is None) == (backend is None):
            raise ConfigurationError(
                "give an audit log either a path (AuditLog('audit.sqlite')) or a backend "
                "(AuditLog(backend=...)), not both or neither."
            )
        if backend is None:
            from skilltwin.audit.sqlite import SQLiteBackend

            backend = SQLiteBackend(path, create=create, read_only=read_only,  # type: ignore[arg-type]
                                    timeout=timeout)
        self.backend: AuditBackend = backend
        self.path = backend.path if backend.path is not None else Path(backend.name)
        """The log's file (or, for a database, its URL as a path) named in messages."""
        self.log_free_text = log_free_text
        self.free_text_fields = frozenset(free_text_fields)
        self._key_source = pseudonym_key
        self._pseudonymiser: Pseudonymiser | None = None
        self._key_confirmed = False

    def __repr__(self) -> str:
        return f"AuditLog({self.backend.name!r})"

    @property
    def read_only(self) -> bool:
        """Whether the log was opened read-only."""
        return bool(self.backend.read_only)

    # -- transactions -----------------------------------------------------------------------

    def _write(self) -> contextlib.AbstractContextManager[AuditTransaction]:
        """A write transaction holding the chain's lock."""
        return self.backend.write()

    def _read(self, *, snapshot: bool = False
              ) -> contextlib.AbstractContextManager[AuditTransaction]:
        return self.backend.read(snapshot=snapshot)

    def close(self) -> None:
        """Close the backend's connection (the log can be used again afterwards)."""
        self.backend.close()

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the key ----------------------------------------------------------------------------

    def _keyed(self) -> Pseudonymiser:
        """The pseudonymiser, loading the key and checking it against the log's on first use."""
        if self._pseudonymiser is None:
            pseudonymiser = Pseudonymiser(load_key(self._key_source))
            with self._read() as tx:
                chained = _first_key_id(tx)
                legacy = tx.meta("key_fingerprint")
            if (chained is not None and chained != pseudonymiser.key_id()) or (
                    chained is None and legacy is not None
                    and legacy != pseudonymiser.fingerprint()):
                raise different_key(self.path)
            self._pseudonymiser = pseudonymiser
        return self._pseudonymiser

    def _confirm_key(self, tx: AuditTransaction, keyed: Pseudonymiser) -> None:
        """Under the write lock: the log's chained key (if any) is ours."""
        if not self._key_confirmed:
            chained = _first_key_id(tx)
            if chained is not None and chained != keyed.key_id():
                raise different_key(self.path)
            self._key_confirmed = True

    def subject_id(self, raw_id: str) -> str:
        """The pseudonym under which ``raw_id``'s entries are stored (HMAC-SHA256, hex)."""
        return self._keyed().subject_id(raw_id)

    def inputs_hash(self, inputs: Mapping[str, Any]) -> str:
        """Keyed hash (HMAC-SHA256 with the pseudonym key, hex) of the canonical JSON of
        ``inputs``: what :class:`~skilltwin.oversight.Workspace` records as an entry's
        ``inputs_hash``. Without the key nobody can tell which inputs it was computed from."""
        return self._keyed().inputs_digest(normalise_json(dict(inputs), "inputs"))

    def text_digest(self, text: str) -> str:
        """Keyed hash (HMAC-SHA256 with the pseudonym key, hex) of ``text``: what the log
        stores in place of free text it does not keep."""
        return self._keyed().text_digest(text)

    def public_key(self) -> str:
        """The log key's public key (Ed25519, hex): give it to auditors, through a channel
        the log's writers do not control, to check signed heads and erasures. It reveals
        nothing about the key."""
        return self._keyed().key_id()

    # -- writing ----------------------------------------------------------------------------

    def record(
        self,
        action: str | Action,
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
        """Append an entry and return it; it is stored when this returns.

        Args:
            action: What happened: an :class:`~skilltwin.audit.Action` (e.g.
                ``Action.MATCH``) or a custom name.
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
            ConfigurationError: an empty action or actor, a reserved action (``erasure``,
                ``keyed_chain``, ``chain_key_rotation``), data that is not a
                JSON-serialisable dict, or ``provenance`` together with any of the three
                fields it fills.
        """
        action = action.value if isinstance(action, Action) else action
        check_text(action, "action", empty=False,
                   hint="Give the name of the step, e.g. 'score'.")
        if action in RESERVED_ACTIONS:
            raise ConfigurationError(
                f"the action {action!r} is reserved: the log writes it itself (erase a "
                "subject's data with AuditLog.erase_subject(raw_id, actor=..., reason=...), "
                "rotate the chain key with AuditLog.rotate_chain_key(...))."
            )
        if data is not None and not isinstance(data, Mapping):
            raise ConfigurationError(
                f"data must be a dict, not {type(data).__name__}; wrap values in a dict such "
                "as {'value': ...}."
            )
        context = {"inputs_hash": inputs_hash,
                   **versions(provenance, library_version, taxonomy_release, model_name)}
        pseudonym = None if subject is None else self.subject_id(subject)
        payload = None if data is None else self.stored_form(data)
        with self._write() as tx:
            return self._append(tx, action, actor, pseudonym, payload, context)

    def stored_form(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """``data`` as :meth:`record` stores it: plain JSON, free text redacted (unless the
        log keeps free text). Compare it with an entry's ``data`` to check what was logged."""
        payload = normalise_json(dict(data))
        if not self.log_free_text:
            payload = redact_free_text(payload, self.free_text_fields, self._keyed().text_digest)
        return dict(payload)

    def _append(
        self,
        tx: AuditTransaction,
        action: str,
        actor: str,
        subject: str | None,
        data: dict[str, Any] | None,
        context: Mapping[str, str | None],
    ) -> AuditEntry:
        """Insert one entry after the head (the caller holds the write transaction). The
        first entry this version writes to a log starts the keyed chain."""
        check_actor(actor)
        keyed = self._keyed()
        self._confirm_key(tx, keyed)
        head, chain_key, prev_mac = self._chain_state(tx, keyed)
        if chain_key is None:
            head, chain_key, prev_mac = _start_chain(tx, keyed, head, actor)
        sealed = seal_entry(head, prev_mac, keyed, chain_key, action, actor, subject, data,
                            context)
        return store_entry(tx, sealed, chain_key)

    def _chain_state(self, tx: AuditTransaction, keyed: Pseudonymiser
                     ) -> tuple[tuple[int, str], bytes | None, str | None]:
        """The head, the chain key in force and the last entry's MAC (key ``None`` for a log
        written before the keyed chain that has not switched to it yet)."""
        stored = tx.head()
        if stored is None or not isinstance(stored[0], int):
            raise self._changed("its head record is missing or unreadable")
        head = (int(stored[0]), str(stored[1]))
        if head[0] == 0:  # a new log: keyed from its first entry
            return head, keyed.chain_key(INITIAL_NONCE), None
        last = next(iter(tx.rows(RowQuery(newest_first=True, max_rows=1))), None)
        if last is None or last["seq"] != head[0]:
            raise self._changed("its last entry is not the one its head records")
        if last["mac"] is None:
            first = next(iter(tx.rows(RowQuery(to_seq=1))), None)
            marker = next(iter(tx.rows(RowQuery(actions=(Action.KEYED_CHAIN.value,),
                                                max_rows=1))), None)
            if marker is not None or (first is not None and first["mac"] is not None):
                raise self._changed("its last entry carries no MAC although the log is keyed")
            return head, None, None
        rotation = next(iter(tx.rows(RowQuery(actions=(Action.CHAIN_KEY_ROTATION.value,),
                                              newest_first=True, max_rows=1))), None)
        nonce = INITIAL_NONCE if rotation is None else switch_nonce(rotation)
        if nonce is None:
            raise self._changed("its last chain-key rotation is unreadable")
        chain_key = keyed.chain_key(nonce)
        # An append must not launder a cut tail: the head must be the one the key wrote.
        if stored[2] != head_mac(chain_key, head[0], head[1], str(last["mac"])):
            raise self._changed("its head record fails the keyed check (entries may have been "
                                "cut off the end)")
        return head, chain_key, str(last["mac"])

    def _changed(self, what: str) -> OversightError:
        return OversightError(
            f"{self.path}: cannot append: {what}; the log was changed outside skilltwin. "
            f"Run `skilltwin audit verify` on it to find where."
        )

    def rotate_chain_key(self, *, actor: str, reason: str) -> AuditEntry:
        """Start a new chain key (derived from the log key and a fresh nonce) from the next
        entry on, and record it as a ``chain_key_rotation`` entry, MACed with the previous
        chain key so that only the key's holder can rotate.

        The log key itself stays (pseudonyms must stay comparable). Rotate when a derived
        chain key may have been exposed, or on a schedule; every rotation is on the log.
        """
        check_reason(reason)
        check_actor(actor)
        keyed = self._keyed()
        with self._write() as tx:
            self._confirm_key(tx, keyed)
            head, old_key, prev_mac = self._chain_state(tx, keyed)
            if old_key is None:  # not keyed yet: start the chain, then rotate
                head, old_key, prev_mac = _start_chain(tx, keyed, head, actor)
            nonce = secrets.token_hex(16)
            sealed = seal_entry(head, prev_mac, keyed, old_key, Action.CHAIN_KEY_ROTATION,
                                actor, None, {"nonce": nonce, "reason": reason}, {})
            return store_entry(tx, sealed, keyed.chain_key(nonce))

    def erase_subject(self, raw_id: str, *, actor: str, reason: str,
                      aliases: Iterable[str] = (),
                      rows: Mapping[tuple[str, str], Sequence[Any]] | None = None) -> AuditEntry:
        """Erase an employee's personal payloads (GDPR art. 17) and record the erasure.

        The id is read by the identity rule (``skilltwin/_identity.py``): every spelling of it
        (case, NFC/NFD, white space) is erased, and so are entries of logs written before the
        rule under ``raw_id``'s or an ``aliases`` spelling.

        Every payload (pseudonym and data) of the subject's entries is deleted, with the salt
        that committed to it; the chained entries stay, so :meth:`verify` still passes, and
        the returned ``"erasure"`` entry lists the erased entries' numbers, the actor and the
        reason (do not put the person's name in the reason), signed with a key derived from
        the pseudonym key so that nobody without it can pass off a deletion as an erasure.
        The backend then purges its files (SQLite: the write-ahead log is checkpointed and
        truncated; PostgreSQL: the tables touched are rewritten) so that no copy of the erased
        data stays.

        Everything that can fail is checked before anything is deleted: the arguments, the
        key (a log refuses a key other than its own), and (SQLite) that no other process
        keeps the write-ahead log from being emptied. The deletions and the erasure entry are
        then one transaction: after a crash there is the whole erasure or none of it.

        Args:
            rows: Rows of other tables of the same database to delete in the same
                transaction, as ``{(table, column): values}`` (a store's claims, scores and
                employee record); the entry records how many rows each table lost.

        Raises:
            InputValidationError: no entry of the employee holds data and there are no
                ``rows`` to delete: an unknown id (or one erased already) is not an erasure.
            ConfigurationError: an empty actor or reason, a key that is not the log's, a
                read-only log, or a table or column that is not a plain SQL name.
            OversightError: another process keeps reading the log, so its erased data would
                stay in the ``-wal`` file; nothing was erased. Close it and retry.
        """
        aliases = list(aliases)
        kept_reason(reason, "reason", [raw_id, *aliases] if isinstance(raw_id, str) else [])
        check_actor(actor)
        pseudonyms = tuple(self._keyed().subject_ids(raw_id, aliases))  # the identity rule
        self._check_purgeable()
        with self._write() as tx:
            seqs = [int(row["seq"]) for row in
                    tx.rows(RowQuery(subjects=pseudonyms, has_payload=True))]
            if not seqs and not any(rows or {}):
                raise InputValidationError(
                    "no entry of this employee holds data in the log (or their data was "
                    "erased already); check the id. Nothing was erased.", field="employee_id")
            deleted = {table: tx.delete_rows(table, column, values)
                       for (table, column), values in (rows or {}).items()}
            tx.delete_payloads(seqs)
            data: dict[str, Any] = {"erased_entries": seqs, "reason": reason}
            if deleted:
                data["deleted_rows"] = deleted
            entry = self._append(tx, ERASURE_ACTION, actor, None, data, {})
        self.checkpoint(tables=[table for table, _ in (rows or {})])
        return entry

    def erase_before(self, before: TimeBound, *, actor: str, reason: str,
                     rows: Mapping[tuple[str, str], Sequence[Any]] | None = None) -> list[int]:
        """Erase the personal payloads (those with a subject) of every entry written before
        ``before`` (retention), as one signed ``erasure`` entry; returns the emptied entries'
        numbers (none: nothing is recorded). Checks and transaction as in
        :meth:`erase_subject`, whose ``rows`` this takes too (a store's older scores)."""
        check_reason(reason)
        check_actor(actor)
        stamp = format_timestamp(as_utc(before))
        self._keyed()
        self._check_purgeable()
        with self._write() as tx:
            seqs = [int(row["seq"]) for row in
                    tx.rows(RowQuery(until=stamp, has_payload=True))
                    if row["subject"] is not None and row["action"] != ERASURE_ACTION]
            deleted = {table: tx.delete_rows(table, column, values)
                       for (table, column), values in (rows or {}).items()}
            if not seqs and not any(deleted.values()):
                return []
            tx.delete_payloads(seqs)
            data: dict[str, Any] = {"erased_entries": seqs, "reason": reason}
            if deleted:
                data["deleted_rows"] = deleted
            self._append(tx, ERASURE_ACTION, actor, None, data, {})
        self.checkpoint(tables=[table for table, _ in (rows or {})])
        return seqs

    def checkpoint(self, *, tables: Sequence[str] = ()) -> None:
        """Make erased payloads, and rows deleted from ``tables`` of the same database,
        unrecoverable from the backend's files (SQLite: copy the write-ahead log into the
        database and truncate it; PostgreSQL: rewrite the tables).

        Raises:
            OversightError: another connection kept a read transaction open for longer than
                ``timeout`` seconds (twice), so the ``-wal`` file could not be emptied.
        """
        if not self.backend.purge(tables):
            raise OversightError(
                f"{self.path}: another connection is reading the log, so its -wal file still "
                "holds older copies of erased data (the erasure itself is recorded). Close the "
                "other programs that read the log, then call AuditLog.checkpoint()."
            )

    def _check_purgeable(self) -> None:
        """Before a destructive step: a file-backed log whose write-ahead log another process
        keeps from being emptied is refused before anything is erased."""
        if self.backend.path is not None and not self.backend.read_only \
                and not self.backend.purge():
            raise OversightError(
                f"{self.path}: another process is reading the log, so erased data would stay "
                "in its -wal file; nothing was erased. Close the other programs that read it "
                "and retry."
            )

    # -- reading ----------------------------------------------------------------------------

    def entries(
        self,
        *,
        subject: str | None = None,
        action: str | Action | None = None,
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
        query = RowQuery(
            subjects=() if subject is None else (
                self.subject_id(subject), self._keyed().legacy_subject_id(subject), subject),
            actions=() if action is None else (str(action),),
            actor=actor,
            since=None if since is None else format_timestamp(as_utc(since)),
            until=None if until is None else format_timestamp(as_utc(until)),
        )
        with self._read() as tx:
            return [row_entry(row, self.path) for row in tx.rows(query)]

    def entry(self, entry_id: str) -> AuditEntry | None:
        """The entry with this ``entry_id`` (e.g. a result's ``audit_id``), or ``None``."""
        if not isinstance(entry_id, str):
            return None
        with self._read() as tx:
            found = [row_entry(row, self.path) for row in tx.rows(RowQuery(entry_id=entry_id))]
        return found[0] if len(found) == 1 else None

    def authenticate(self, entry: AuditEntry) -> AuditEntry:
        """``entry`` as stored, after the keyed check of that one entry: its values match its
        hash, its payload its commitment, and its MAC is the one only the log key's holder
        can make. This is how the workspace makes sure that a score it takes "from the log"
        was written by skilltwin, not forged by someone who can merely write to the log.

        Raises:
            OversightError: the entry fails the check (it was forged, changed or moved, or
                written before the log was keyed).
        """
        keyed = self._keyed()
        with self._read(snapshot=True) as tx:
            rows = list(tx.rows(RowQuery(entry_id=entry.entry_id)))
            problem = "is not in the log" if len(rows) != 1 else \
                _entry_problem(tx, rows[0], keyed)
        if problem:
            raise OversightError(
                f"{self.path}: entry {entry.seq} ({entry.action}) {problem}; it cannot be taken "
                "as a record of skilltwin. Run `skilltwin audit verify --keyed` on the log."
            )
        return row_entry(rows[0], self.path)

    def __iter__(self) -> Iterator[AuditEntry]:
        """All entries in chain order."""
        return iter(self.entries())

    def __len__(self) -> int:
        with self._read() as tx:
            return tx.count()

    def head(self) -> ChainHead:
        """The last entry's number and hash; keep a copy elsewhere to detect truncation later."""
        with self._read() as tx:
            head = tx.head()
        if head is None or not isinstance(head[0], int) or not isinstance(head[1], str):
            raise AuditLogDamagedError(
                f"{self.path}: the log's head record is missing or unreadable; run `skilltwin "
                f"audit verify` on it and restore the log from a backup."
            )
        return ChainHead(seq=head[0], hash=head[1])

    def verify(self, *, anchor: ChainHead | None = None, keyed: bool | None = None
               ) -> VerifyResult:
        """Check the whole log: every entry's hash and link, payload commitments, erasure
        signatures, the key and the head — and, with the key, the keyed chain.

        Args:
            anchor: A :meth:`head` (or a signed head's ``anchor()``) taken earlier and kept
                outside the log; the log must still contain that entry unchanged (detects
                truncation and rewriting before it).
            keyed: Check the keyed chain (every entry's MAC and the head's) with the log key.
                Default: when the log has loaded its key, or was opened with a
                ``pseudonym_key=`` that can be read. Without it, ``ok`` means *consistent*:
                anyone who can write the file can rewrite entries and recompute the plain
                hashes (see ``docs/oversight.md``).

        Raises:
            AuditLogDamagedError: the storage itself is damaged (SQLite cannot read the file
                as a whole), which is not the same as entries having been changed.
        """
        if keyed is None:
            keyed = self._pseudonymiser is not None or (
                self._key_source is not None and _loads(self._key_source))
        chain_keys = self._keyed().chain_key if keyed else None
        with self._read(snapshot=True) as tx:
            problem = tx.damage()
            if problem is not None:
                raise AuditLogDamagedError(
                    f"{self.path}: the audit log file is damaged ({problem}); restore it from a "
                    "backup."
                )
            return check_chain(tx.rows(), tx.head(), tx.orphan_payloads(), anchor, chain_keys)

    def signed_head(self) -> SignedHead:
        """Verify the log with the key and sign its head (Ed25519, the key of
        :meth:`public_key`), for an auditor who holds only the public key.

        Raises:
            OversightError: the log is not intact (nothing is signed).
        """
        result = self.verify(keyed=True)
        if not result.ok:
            where = f"entry {result.first_bad}: " if result.first_bad is not None else ""
            raise OversightError(
                f"{self.path}: the log is not intact ({where}{result.reason}); no head was "
                "signed. Investigate first."
            )
        keyed = self._keyed()
        fields: dict[str, Any] = {
            "format": "skilltwin-audit-signed-head/1", "seq": result.head.seq,
            "hash": result.head.hash, "keyed_from": result.keyed_from,
            "signed_at": format_timestamp(dt.datetime.now(dt.timezone.utc)),
            "public_key": keyed.key_id(),
        }
        return SignedHead(**fields, signature=keyed.sign(head_message(fields)))

    def own_files(self) -> list[Path]:
        """The files no output may replace: the log's own (a SQLite file and its companions)
        and the key file it was opened with."""
        key = self._key_source
        key_file = [Path(os.fspath(key))] if isinstance(key, (str, os.PathLike)) else []
        return [*self.backend.protected_files(), *key_file]

    def export_jsonl(self, target: ExportTarget) -> int:
        """Write every entry as JSON Lines to a path or text stream; returns the count.

        A path goes through the guarded writer: the log's own files and its key file (and
        any database) are refused, and the file is written through a temporary file."""
        return write_jsonl(self, target, self.own_files())

    def export_csv(self, target: ExportTarget) -> int:
        """Write every entry as CSV (``data`` as JSON text) to a path or text stream."""
        return write_csv(self, target, self.own_files())


def _start_chain(tx: AuditTransaction, keyed: Pseudonymiser, head: tuple[int, str], actor: str
                 ) -> tuple[tuple[int, str], bytes, str]:
    """Write the marked entry from which an older log is keyed; return the new head, key
    and MAC."""
    chain_key = keyed.chain_key(INITIAL_NONCE)
    start = seal_entry(head, None, keyed, chain_key, Action.KEYED_CHAIN, actor, None,
                       {"chain": "hmac-sha256"}, {})
    store_entry(tx, start, chain_key)
    return (start.fields["seq"], start.fields["hash"]), chain_key, start.fields["mac"]


def _loads(source: KeySource) -> bool:
    """Whether a key can be read from ``source``."""
    try:
        load_key(source)
    except ConfigurationError:
        return False
    return True


def _first_key_id(tx: AuditTransaction) -> str | None:
    """The key id chained in the log's first entry written with the pseudonym key."""
    for row in tx.rows():
        if row["key_id"] is not None:
            return str(row["key_id"])
    return None


def _entry_problem(tx: AuditTransaction, row: Mapping[str, Any], keyed: Pseudonymiser
                   ) -> str | None:
    """What is wrong with one stored entry under the keyed check, or ``None``."""
    from skilltwin.audit._chain import CHAINED_FIELDS, KEY_FIELD, entry_mac

    seq = int(row["seq"])
    try:
        if entry_hash({k: row[k] for k in (*CHAINED_FIELDS, KEY_FIELD)}) != row["hash"]:
            return "does not match its hash: it was changed"
        if row["has_payload"] and row["payload_hash"] is not None and commitment(
                row["salt"], row["subject"], row["data"]) != row["payload_hash"]:
            return "has a payload that does not match its commitment: it was changed"
    except (TypeError, ValueError):
        return "holds values skilltwin never writes"
    if row["mac"] is None:
        return ("carries no MAC: it was written before the log was keyed, or by someone "
                "without the log key")
    rotations = list(tx.rows(RowQuery(actions=(Action.CHAIN_KEY_ROTATION.value,),
                                      to_seq=seq - 1, newest_first=True, max_rows=1)))
    nonce = switch_nonce(rotations[0]) if rotations else INITIAL_NONCE
    prev_mac = None
    if not keyed_start_allowed(row):
        prev = next(iter(tx.rows(RowQuery(from_seq=seq - 1, to_seq=seq - 1))), None)
        prev_mac = None if prev is None else prev["mac"]
    if nonce is None or entry_mac(keyed.chain_key(nonce), seq, str(row["hash"]),
                                  prev_mac) != row["mac"]:
        return "fails the keyed check (its MAC does not match): it was forged or moved"
    return None
