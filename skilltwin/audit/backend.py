"""The storage interface of the audit log: :class:`AuditBackend`.

The log's logic — entries, the hash chain and the keyed chain, verification, export, erasure
and retention — lives once, in :class:`~skilltwin.audit.AuditLog`. Where the rows are kept
is a backend's job, and a backend does nothing else: it stores and returns rows exactly as
given, in transactions. A backend is passed in (``AuditLog(backend=...)``), never
subclassed, in the spirit of an HTTP client's transport. Two come with skilltwin:

* :class:`~skilltwin.audit.SQLiteBackend` — a SQLite file (what ``AuditLog(path)`` opens);
* :class:`~skilltwin.audit.PostgresBackend` — tables in a PostgreSQL database, through a
  SQLAlchemy engine (what a PostgreSQL :class:`~skilltwin.store.Store` uses).

A backend for another database implements the two protocols below; ``tests/test_audit_backend.py``
runs the same checks on both shipped backends and is a template for a third.

Rows
----
A *row* is a mapping with the stored entry columns (:data:`ENTRY_COLUMNS`) and its payload
columns (:data:`PAYLOAD_COLUMNS`: ``has_payload``, ``subject``, ``data``, ``salt``; ``None``
and ``False`` when the entry has no payload or it was erased). Values are handed back exactly
as they were stored (text stays text, numbers stay integers); the log, not the backend,
decides whether they are genuine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "ENTRY_COLUMNS",
    "HEAD_COLUMNS",
    "PAYLOAD_COLUMNS",
    "AuditBackend",
    "AuditTransaction",
    "Payload",
    "RowQuery",
]

ENTRY_COLUMNS: tuple[str, ...] = (
    "seq", "entry_id", "timestamp", "actor", "action", "inputs_hash", "library_version",
    "taxonomy_release", "model_name", "payload_hash", "prev_hash", "hash", "key_id", "mac",
)
"""The columns of an entry, in this order (``key_id`` and ``mac`` may be ``None``)."""

PAYLOAD_COLUMNS: tuple[str, ...] = ("has_payload", "subject", "data", "salt")
"""The payload columns joined to each row (``has_payload`` is a bool)."""

HEAD_COLUMNS: tuple[str, ...] = ("seq", "hash", "mac")
"""The head record: the last entry's number and hash, and the head's MAC."""


@dataclass(frozen=True)
class Payload:
    """An entry's erasable personal payload, stored apart from the chained entry."""

    subject: str | None
    data: str | None
    salt: str


@dataclass(frozen=True)
class RowQuery:
    """Which rows to read. Every field given narrows the selection; rows come in chain order
    (or newest first), joined with their payloads.

    Attributes:
        subjects: Only rows whose payload's subject is one of these.
        actions: Only rows with one of these actions.
        actor: Only rows by this actor.
        since: Only rows with ``timestamp >= since`` (compared as stored text: ISO-8601 UTC
            with microseconds sorts in time order).
        until: Only rows with ``timestamp < until``.
        entry_id: Only the row with this entry id.
        from_seq: Only rows with ``seq >= from_seq``.
        to_seq: Only rows with ``seq <= to_seq``.
        has_payload: Only rows that still hold a payload.
        newest_first: Highest sequence number first.
        max_rows: At most this many rows.
    """

    subjects: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    entry_id: str | None = None
    from_seq: int | None = None
    to_seq: int | None = None
    has_payload: bool = False
    newest_first: bool = False
    max_rows: int | None = None


@runtime_checkable
class AuditTransaction(Protocol):
    """One transaction on a backend: a consistent view for readers; for writers, also the
    chain's lock (no other writer appends until it ends)."""

    def rows(self, query: RowQuery | None = None) -> Iterator[Mapping[str, Any]]:
        """Entries joined with their payloads (see the module docstring), as selected
        (all of them without a query)."""
        ...

    def head(self) -> tuple[Any, Any, Any] | None:
        """The head record as stored (:data:`HEAD_COLUMNS`), or ``None`` when missing."""
        ...

    def count(self) -> int:
        """How many entries are stored."""
        ...

    def orphan_payloads(self) -> list[int]:
        """Sequence numbers of stored payloads whose entry is not stored."""
        ...

    def meta(self, key: str) -> str | None:
        """A value of the log's (unchained) meta table."""
        ...

    def damage(self) -> str | None:
        """A structural problem of the storage (e.g. a damaged page), or ``None``."""
        ...

    def append(self, entry: Mapping[str, Any], payload: Payload | None,
               head: tuple[int, str, str | None]) -> None:
        """Store ``entry`` (:data:`ENTRY_COLUMNS`) and its payload, and set the head record.

        Raises:
            OversightError: the entry's number is taken (the log was changed outside the
                log's code), or the transaction is read-only.
        """
        ...

    def delete_payloads(self, seqs: Sequence[int]) -> int:
        """Delete the payloads of these entries; return how many were deleted."""
        ...

    def delete_rows(self, table: str, column: str, values: Sequence[Any]) -> int:
        """Delete the rows of ``table``, another table of the same database (a store's
        ``claims``, say), whose ``column`` is one of ``values``; return how many were deleted.

        It runs inside this transaction, so that a store's erasure of a person and the log's
        erasure of their payloads commit together or not at all.

        Raises:
            ConfigurationError: ``table`` or ``column`` is not a plain SQL name.
        """
        ...


@runtime_checkable
class AuditBackend(Protocol):
    """Where an audit log's rows live (see the module docstring).

    Attributes:
        name: How messages name the log (a file path, or a database URL without password).
        path: The log's file, for backends that keep one (``None`` otherwise).
        read_only: Nothing can be written through this backend.
    """

    name: str
    path: Path | None
    read_only: bool

    def read(self, *, snapshot: bool = False) -> AbstractContextManager[AuditTransaction]:
        """A read transaction; with ``snapshot``, every read inside sees one moment."""
        ...

    def write(self) -> AbstractContextManager[AuditTransaction]:
        """A write transaction holding the chain's lock; committed when the block ends
        without an exception, rolled back otherwise."""
        ...

    def purge(self, tables: Sequence[str] = ()) -> bool:
        """Make deleted payloads, and rows deleted from ``tables`` of the same database,
        unrecoverable from the storage's files (checkpoint a write-ahead log, vacuum the
        tables); ``False`` when a reader kept it from finishing."""
        ...

    def protected_files(self) -> list[Path]:
        """Files an export must never overwrite (the log's own files)."""
        ...

    def close(self) -> None:
        """Release connections; the backend may be used again afterwards."""
        ...
