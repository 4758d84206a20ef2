"""The SQLite file behind an audit log: connection settings, schema and row reading.

Tables:

* ``entries``: the hash chain (no personal data besides the actor);
* ``payloads``: per entry, the subject's pseudonym, the data and the commitment salt
  (deleted on erasure);
* ``head``: the last entry's sequence number and hash, updated in the same transaction as
  every append, so that removing the last entries is detected;
* ``meta``: format, schema version and the pseudonym key's fingerprint.

Triggers refuse updates to entries and payloads and deletions of entries, so that no tool
changes the log by mistake; they are no defence against someone who edits the file on
purpose, which is what :func:`~skilltwin.oversight.audit.AuditLog.verify` is for.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from skilltwin.errors import ConfigurationError
from skilltwin.oversight._chain import GENESIS_HASH
from skilltwin.oversight._models import format_timestamp

__all__ = ["ENTRY_COLUMNS", "FORMAT", "SCHEMA_VERSION", "connect", "initialise", "iter_rows"]

FORMAT = "skilltwin-audit"
SCHEMA_VERSION = "1"
PAGE_SIZE = 1000

_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        inputs_hash TEXT,
        library_version TEXT NOT NULL,
        taxonomy_release TEXT,
        model_name TEXT,
        payload_hash TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX entries_action ON entries (action)",
    "CREATE INDEX entries_timestamp ON entries (timestamp)",
    """CREATE TABLE payloads (
        seq INTEGER PRIMARY KEY,
        subject TEXT,
        data TEXT,
        salt TEXT NOT NULL
    )""",
    "CREATE INDEX payloads_subject ON payloads (subject)",
    """CREATE TABLE head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
    )""",
    """CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER payloads_no_update BEFORE UPDATE ON payloads
       BEGIN SELECT RAISE(ABORT, 'audit payloads can only be erased, not changed'); END""",
)

ENTRY_COLUMNS = (
    "seq", "entry_id", "timestamp", "actor", "action", "inputs_hash", "library_version",
    "taxonomy_release", "model_name", "payload_hash", "prev_hash", "hash",
)
_SELECT = (
    "SELECT " + ", ".join(f"e.{c}" for c in ENTRY_COLUMNS)
    + ", p.seq IS NOT NULL AS has_payload, p.subject, p.data, p.salt"
    + " FROM entries e LEFT JOIN payloads p ON p.seq = e.seq"
)


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    """Open ``path`` in WAL mode with full durability and secure deletion."""
    try:
        conn = sqlite3.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
    except sqlite3.DatabaseError as exc:
        raise ConfigurationError(
            f"{path}: cannot open as an audit log ({exc}); check that the path names a "
            "skilltwin audit log (SQLite file)."
        ) from None
    return conn


def initialise(conn: sqlite3.Connection, path: Path, *, create: bool) -> None:
    """Create the schema in an empty file, or check that the file is a log this version reads.

    Opening an existing log only reads it (and checks its format and schema version).
    """
    try:
        if not _is_log(conn):
            if not create:
                raise _not_a_log(path)
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not _is_log(conn):  # another process may have created it meanwhile
                    if _has_tables(conn):
                        raise _not_a_log(path)
                    _create(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        _check_meta(conn, path)
    except sqlite3.DatabaseError as exc:
        raise ConfigurationError(
            f"{path}: cannot read the audit log ({exc}); check that it is a skilltwin audit log."
        ) from None


def _is_log(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
    return found.fetchone() is not None


def _not_a_log(path: Path) -> ConfigurationError:
    return ConfigurationError(
        f"{path}: not a skilltwin audit log; give the path of a log written by "
        "skilltwin.oversight.AuditLog."
    )


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def _create(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA:
        conn.execute(statement)
    now = format_timestamp(dt.datetime.now(dt.timezone.utc))
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [("format", FORMAT), ("schema_version", SCHEMA_VERSION), ("created", now)],
    )
    conn.execute("INSERT INTO head (id, seq, hash) VALUES (1, 0, ?)", (GENESIS_HASH,))


def _check_meta(conn: sqlite3.Connection, path: Path) -> None:
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("format") != FORMAT:
        raise _not_a_log(path)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise ConfigurationError(
            f"{path}: audit log schema version {meta.get('schema_version')!r}, but this "
            f"skilltwin reads version {SCHEMA_VERSION}; use the skilltwin version that wrote it."
        )


def iter_rows(
    conn: sqlite3.Connection, where: Sequence[str] = (), params: Sequence[Any] = ()
) -> Iterator[sqlite3.Row]:
    """Entries joined with their payloads, in chain order, read a page at a time."""
    last = 0
    while True:
        clauses = ["e.seq > ?", *where]
        rows = conn.execute(
            f"{_SELECT} WHERE {' AND '.join(clauses)} ORDER BY e.seq LIMIT {PAGE_SIZE}",
            [last, *params],
        ).fetchall()
        yield from rows
        if len(rows) < PAGE_SIZE:
            return
        last = rows[-1]["seq"]
