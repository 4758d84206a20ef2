"""The SQLite file behind an audit log: connection settings, schema, migration and row reading.

Tables:

* ``entries``: the hash chain (no personal data besides the actor);
* ``payloads``: per entry, the subject's pseudonym, the data and the commitment salt
  (deleted on erasure);
* ``head``: the last entry's sequence number and hash, updated in the same transaction as
  every append, so that removing the last entries is detected;
* ``meta``: format and schema version (logs of schema version 1 also hold the pseudonym
  key's fingerprint here; version 2 chains the key's id in the entries instead).

Triggers refuse updates to entries and payloads and deletions of entries, so that no tool
changes the log by mistake; they are no defence against someone who edits the file on
purpose, which is what :func:`~skilltwin.oversight.audit.AuditLog.verify` is for.

Readers open the file with SQLite's read-only URI (``mode=ro``), so verifying or exporting
never writes to the log, its ``-wal`` or its ``-shm`` file, and works on a read-only file.
Every SQLite error that means the file is not a readable log becomes
:class:`~skilltwin.errors.AuditLogDamagedError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from skilltwin._sqlite import connect_read_only
from skilltwin.errors import AuditLogDamagedError, ConfigurationError, OversightError
from skilltwin.oversight._chain import GENESIS_HASH, KEY_FIELD
from skilltwin.oversight._models import ChainHead, VerifyResult, format_timestamp
from skilltwin.oversight._verify import check_chain

__all__ = [
    "COMPANION_SUFFIXES",
    "ENTRY_COLUMNS",
    "FORMAT",
    "SCHEMA_VERSION",
    "check_path",
    "connect",
    "different_key",
    "first_key_id",
    "guarded",
    "initialise",
    "iter_rows",
    "legacy_fingerprint",
    "orphan_payloads",
    "own_files",
    "quick_check",
    "read_head",
    "truncate_wal",
    "verify_snapshot",
]

FORMAT = "skilltwin-audit"
SCHEMA_VERSION = "2"
READABLE_VERSIONS = ("1", "2")
PAGE_SIZE = 1000
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
"""SQLite's companion files of a database ``X``: ``X-wal``, ``X-shm``, ``X-journal``."""

_TABLES = ("meta", "entries", "payloads", "head")
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
        hash TEXT NOT NULL,
        key_id TEXT
    )""",
    "CREATE INDEX entries_action ON entries (action)",
    "CREATE INDEX entries_timestamp ON entries (timestamp)",
    "CREATE INDEX entries_entry_id ON entries (entry_id)",
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
# Schema version 1 -> 2: entries chain the pseudonym key's id; entries are found by entry_id.
_MIGRATION = (
    f"ALTER TABLE entries ADD COLUMN {KEY_FIELD} TEXT",
    "CREATE INDEX IF NOT EXISTS entries_entry_id ON entries (entry_id)",
    "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
)

ENTRY_COLUMNS = (
    "seq", "entry_id", "timestamp", "actor", "action", "inputs_hash", "library_version",
    "taxonomy_release", "model_name", "payload_hash", "prev_hash", "hash", KEY_FIELD,
)


def connect(path: Path, timeout: float, *, read_only: bool = False) -> sqlite3.Connection:
    """Open ``path``: for writing in WAL mode with full durability and secure deletion, or
    read-only (the file and its companions are never written)."""
    with guarded(path):
        if read_only:
            conn = connect_read_only(path, timeout)
        else:
            conn = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")
            # Truncate the write-ahead log after checkpoints: stale frames would keep copies
            # of erased payloads.
            conn.execute("PRAGMA journal_size_limit = 0")
    return conn


@contextlib.contextmanager
def guarded(path: Path) -> Iterator[None]:
    """Turn SQLite errors into skilltwin errors that name ``path`` and say what to do."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise OversightError(
                f"{path}: the audit log is busy ({text}); another process holds it. Try again "
                "when it has finished, or pass a longer timeout=."
            ) from None
        if "unable to open" in text:
            raise ConfigurationError(
                f"{path}: cannot open the audit log ({text}); check that the path names a "
                "file you may read (and, to write, a folder you may write to)."
            ) from None
        if "readonly" in text or "read-only" in text:
            raise ConfigurationError(
                f"{path}: the audit log is read-only ({text}); open it with "
                "AuditLog(path, read_only=True) to read it, or make it writable."
            ) from None
        raise _damaged(path, text) from None
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(exc)) from None


def _damaged(path: Path, detail: str) -> AuditLogDamagedError:
    return AuditLogDamagedError(
        f"{path}: the audit log is damaged, or not a skilltwin audit log ({detail}); nothing was "
        "changed. Restore it from a backup, or give the path of a log written by "
        "skilltwin.oversight.AuditLog."
    )


def initialise(conn: sqlite3.Connection, path: Path, *, create: bool, read_only: bool) -> None:
    """Create the schema in an empty file, migrate an older log, or check that the file is a
    log this version reads. A read-only connection never changes anything."""
    with guarded(path):
        if not _tables(conn):
            if not create or read_only:
                raise _damaged(path, "the file is empty or holds no audit tables")
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not _tables(conn):  # another process may have created it meanwhile
                    _create(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        _check_tables(conn, path)
        version = _check_meta(conn, path)
        if version != SCHEMA_VERSION and not read_only:
            _migrate(conn)


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


def _check_tables(conn: sqlite3.Connection, path: Path) -> None:
    present = _tables(conn)
    if "meta" not in present and not present & set(_TABLES[1:]):
        raise _damaged(path, "a SQLite file without the audit log's tables")
    missing = [name for name in _TABLES if name not in present]
    if missing:
        raise _damaged(path, f"table {', '.join(missing)} missing")


def _create(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA:
        conn.execute(statement)
    now = format_timestamp(dt.datetime.now(dt.timezone.utc))
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [("format", FORMAT), ("schema_version", SCHEMA_VERSION), ("created", now)],
    )
    conn.execute("INSERT INTO head (id, seq, hash) VALUES (1, 0, ?)", (GENESIS_HASH,))


def _check_meta(conn: sqlite3.Connection, path: Path) -> str:
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("format") != FORMAT:
        raise _damaged(path, "its meta table does not name the skilltwin-audit format")
    version = meta.get("schema_version")
    if version not in READABLE_VERSIONS:
        raise ConfigurationError(
            f"{path}: audit log schema version {version!r}, but this skilltwin reads versions "
            f"{', '.join(READABLE_VERSIONS)}; use the skilltwin version that wrote it."
        )
    return str(version)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a schema version 1 log to version 2 (adds columns and an index; keeps hashes)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] \
                != SCHEMA_VERSION:  # another process may have migrated it meanwhile
            for statement in _MIGRATION:
                conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _select(conn: sqlite3.Connection) -> str:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(entries)")}
    chosen = [f"e.{c}" if c in columns else f"NULL AS {c}" for c in ENTRY_COLUMNS]
    return ("SELECT " + ", ".join(chosen)
            + ", p.seq IS NOT NULL AS has_payload, p.subject, p.data, p.salt"
            + " FROM entries e LEFT JOIN payloads p ON p.seq = e.seq")


def iter_rows(
    conn: sqlite3.Connection, where: Sequence[str] = (), params: Sequence[Any] = ()
) -> Iterator[sqlite3.Row]:
    """Entries joined with their payloads, in chain order, read a page at a time."""
    select = _select(conn)
    last = 0
    while True:
        clauses = ["e.seq > ?", *where]
        rows = conn.execute(
            f"{select} WHERE {' AND '.join(clauses)} ORDER BY e.seq LIMIT {PAGE_SIZE}",
            [last, *params],
        ).fetchall()
        yield from rows
        if len(rows) < PAGE_SIZE:
            return
        last = rows[-1]["seq"]


def read_head(conn: sqlite3.Connection) -> tuple[Any, Any] | None:
    """The head record (last sequence number and hash) as stored, or ``None`` when missing."""
    row = conn.execute("SELECT seq, hash FROM head WHERE id = 1").fetchone()
    return None if row is None else (row[0], row[1])


def orphan_payloads(conn: sqlite3.Connection) -> list[int]:
    """Sequence numbers of payloads whose entry is not in the chain."""
    rows = conn.execute("SELECT seq FROM payloads WHERE seq NOT IN (SELECT seq FROM entries)")
    return [int(row[0]) for row in rows]


def first_key_id(conn: sqlite3.Connection) -> str | None:
    """The key id chained in the log's first entry written with the pseudonym key."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(entries)")}
    if KEY_FIELD not in columns:
        return None
    row = conn.execute(
        f"SELECT {KEY_FIELD} FROM entries WHERE {KEY_FIELD} IS NOT NULL ORDER BY seq LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def legacy_fingerprint(conn: sqlite3.Connection) -> str | None:
    """The key fingerprint a schema version 1 log kept in its (unchained) meta table."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'key_fingerprint'").fetchone()
    return None if row is None else str(row[0])


def quick_check(conn: sqlite3.Connection) -> str | None:
    """SQLite's structural check of the file: ``None`` when fine, else the first problem."""
    rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    result = str(rows[0][0]) if rows else "no answer"
    return None if result == "ok" else result


def check_path(path: Path, *, create: bool) -> None:
    """Refuse a folder, another database's companion file, or (unless creating) no file."""
    if path.is_dir():
        raise ConfigurationError(f"{path} is a folder; give the path of the audit log file.")
    for suffix in COMPANION_SUFFIXES:
        stem = path.name[: -len(suffix)]
        if not path.name.endswith(suffix) or not stem:
            continue
        base = path.with_name(stem)
        if base.is_file():
            raise ConfigurationError(
                f"{path} is the {suffix[1:]} file of the database {base.name}; give the path of "
                f"the log itself ({base})."
            )
    if not path.exists() and not create:
        raise ConfigurationError(
            f"{path}: no audit log there; check the path (or create a log with "
            "AuditLog(path))."
        )


def different_key(path: Path) -> ConfigurationError:
    """The error for a key other than the one the log was written with."""
    return ConfigurationError(
        f"{path}: this log was written with a different pseudonym key; pass the key it was "
        "written with (pseudonym_key=... or $SKILLTWIN_AUDIT_KEY), or the pseudonyms would "
        "not match."
    )


def own_files(path: Path) -> list[Path]:
    """The log's file and its SQLite companion files."""
    return [path] + [path.with_name(path.name + suffix) for suffix in COMPANION_SUFFIXES]


def truncate_wal(conn: sqlite3.Connection) -> bool:
    """Checkpoint the write-ahead log and truncate it to zero bytes (waiting up to the busy
    timeout for readers); ``False`` when a reader kept it from completing."""
    busy, frames, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy and frames == done


def verify_snapshot(conn: sqlite3.Connection, path: Path,
                    anchor: ChainHead | None) -> VerifyResult:
    """Check the file's structure, then the chain, in one consistent read snapshot.

    Raises:
        AuditLogDamagedError: SQLite finds the file itself damaged.
    """
    conn.execute("BEGIN")
    try:
        problem = quick_check(conn)
        if problem is not None:
            raise AuditLogDamagedError(
                f"{path}: the audit log file is damaged ({problem}); restore it from a backup."
            )
        return check_chain(iter_rows(conn), read_head(conn), orphan_payloads(conn), anchor)
    finally:
        conn.execute("COMMIT")
