"""The SQLite backend: an audit log in a SQLite file (what ``AuditLog(path)`` opens).

Tables:

* ``entries``: the hash chain (no personal data besides the actor);
* ``payloads``: per entry, the subject's pseudonym, the data and the commitment salt
  (deleted on erasure);
* ``head``: the last entry's sequence number and hash and the head's MAC, updated in the same
  transaction as every append, so that removing the last entries is detected;
* ``meta``: format and schema version (logs of schema version 1 also hold the pseudonym
  key's fingerprint here; version 2 chains the key's id in the entries instead; version 3
  adds the keyed chain's MAC to entries and head).

Triggers refuse updates to entries and payloads and deletions of entries, so that no tool
changes the log by mistake; they are no defence against someone who edits the file on
purpose, which is what :meth:`~skilltwin.audit.AuditLog.verify` is for.

The file runs in WAL mode with ``synchronous=FULL``; a write transaction starts with
``BEGIN IMMEDIATE``, so reading the head and appending after it is atomic across processes.
Readers open the file with SQLite's read-only URI (``mode=ro``), so verifying or exporting
never writes to the log, its ``-wal`` or its ``-shm`` file, and works on a read-only file.
Every SQLite error that means the file is not a readable log becomes
:class:`~skilltwin.errors.AuditLogDamagedError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from skilltwin._sqlite import connect_read_only
from skilltwin.audit._chain import GENESIS_HASH
from skilltwin.audit._sql import FORMAT, READABLE_VERSIONS, SCHEMA_VERSION, SQLTransaction
from skilltwin.audit.models import format_timestamp
from skilltwin.errors import AuditLogDamagedError, ConfigurationError, OversightError

__all__ = ["COMPANION_SUFFIXES", "SCHEMA", "SQLiteBackend", "check_path", "connect",
           "guarded", "own_files"]

COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
"""SQLite's companion files of a database ``X``: ``X-wal``, ``X-shm``, ``X-journal``."""

_TABLES = ("meta", "entries", "payloads", "head")
SCHEMA = (
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
        key_id TEXT,
        mac TEXT
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
        hash TEXT NOT NULL,
        mac TEXT
    )""",
    """CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER payloads_no_update BEFORE UPDATE ON payloads
       BEGIN SELECT RAISE(ABORT, 'audit payloads can only be erased, not changed'); END""",
)
"""The statements that create an empty log (schema version 3)."""


def migration(entry_columns: set[str], head_columns: set[str]) -> list[str]:
    """The statements that bring a log of schema version 1 or 2 to version 3 without changing
    any stored value (and so any hash): new columns and an index."""
    statements = []
    if "key_id" not in entry_columns:  # 1 -> 2: entries chain the pseudonym key's id
        statements.append("ALTER TABLE entries ADD COLUMN key_id TEXT")
    if "mac" not in entry_columns:  # 2 -> 3: the keyed chain
        statements.append("ALTER TABLE entries ADD COLUMN mac TEXT")
    if "mac" not in head_columns:
        statements.append("ALTER TABLE head ADD COLUMN mac TEXT")
    statements += ["CREATE INDEX IF NOT EXISTS entries_entry_id ON entries (entry_id)",
                   f"UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema_version'"]
    return statements


class SQLiteBackend:
    """An audit log's rows in a SQLite file (see the module docstring).

    Args:
        path: The file; created (with its folder) when missing and ``create`` is true.
        create: Create the log when ``path`` does not exist.
        read_only: Open with SQLite's read-only mode; a file or folder that cannot be written
            is always opened this way.
        timeout: Seconds to wait for another process's write.

    Raises:
        ConfigurationError: ``path`` is missing (with ``create=False``), a folder, or another
            database's companion file.
        AuditLogDamagedError: the file is not a readable audit log; it is left as it is.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True,
                 read_only: bool = False, timeout: float = 30.0):
        self.path: Path | None = Path(path)
        self._file = Path(path)
        self.name = str(self._file)
        if not read_only and self._file.is_file() and not (
                os.access(self._file, os.W_OK) and os.access(self._file.parent, os.W_OK)):
            read_only = True  # a read-only file or mount: read it; writing says why not
        self.read_only = read_only
        self._timeout = timeout
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        create = create and not read_only
        check_path(self._file, create=create)
        if self._file.exists() and not read_only and (self._file.stat().st_size or not create):
            # Check it is a log without writing a byte before opening it for writing.
            probe = connect(self._file, timeout, read_only=True)
            try:
                initialise(probe, self._file, create=False, read_only=True)
            finally:
                probe.close()
        elif not self._file.exists():
            try:
                self._file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigurationError(
                    f"{self._file}: cannot create the log's folder ({exc.strerror}); choose a "
                    "folder you may write to."
                ) from None
        initialise(self._connection(), self._file, create=create, read_only=read_only)

    def __repr__(self) -> str:
        return f"SQLiteBackend({self.name!r})"

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():  # reconnect in a forked child
            self._conn = connect(self._file, self._timeout, read_only=self.read_only)
            self._pid = os.getpid()
        return self._conn

    @contextlib.contextmanager
    def read(self, *, snapshot: bool = False) -> Iterator[_SQLiteTransaction]:
        with self._lock, guarded(self._file):
            conn = self._connection()
            if not snapshot:
                yield _SQLiteTransaction(conn, self._file, read_only=True)
                return
            conn.execute("BEGIN")
            try:
                yield _SQLiteTransaction(conn, self._file, read_only=True)
            finally:
                conn.execute("COMMIT")

    @contextlib.contextmanager
    def write(self) -> Iterator[_SQLiteTransaction]:
        if self.read_only:
            raise ConfigurationError(
                f"{self._file} is open read-only (read_only=True, or the file or its folder "
                "cannot be written); open a writable log with AuditLog(path) to write."
            )
        with self._lock, guarded(self._file):
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteTransaction(conn, self._file, read_only=False)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def purge(self, tables: Sequence[str] = ()) -> bool:
        """Checkpoint the write-ahead log and truncate it to zero bytes (waiting up to the
        timeout for readers): stale frames would keep copies of erased payloads. Deleted rows
        leave nothing in the main file (``secure_delete`` is on), whichever ``tables``."""
        if self.read_only:
            return True
        for _ in range(2):
            with self._lock, guarded(self._file):
                busy, frames, done = self._connection().execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy and frames == done:
                return True
        return False

    def protected_files(self) -> list[Path]:
        return own_files(self._file)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None


class _SQLiteTransaction(SQLTransaction):
    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool):
        self._conn = conn
        self._path = path
        self.read_only = read_only
        self._known: dict[str, set[str]] = {}

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self._conn.execute(sql, list(params)).fetchall()]

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            return int(self._conn.execute(sql, list(params)).rowcount)
        except sqlite3.IntegrityError as exc:
            raise OversightError(
                f"{self._path}: cannot append to the log ({exc}); the log was changed outside "
                f"skilltwin. Run `skilltwin audit verify --log {self._path}` to find where."
            ) from None

    def _columns(self, table: str) -> set[str]:
        if table not in self._known:
            self._known[table] = {row[1] for row in
                                  self._conn.execute(f"PRAGMA table_info({table})")}
        return self._known[table]

    def _refuse_write(self) -> NoReturn:
        raise ConfigurationError(f"{self._path}: a read transaction cannot write.")

    def damage(self) -> str | None:
        rows = self._conn.execute("PRAGMA quick_check(1)").fetchall()
        result = str(rows[0][0]) if rows else "no answer"
        return None if result == "ok" else result


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


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a log of schema version 1 or 2 to version 3 (columns and an index; every stored
    value, and so every hash, stays as it was)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] \
                != SCHEMA_VERSION:  # another process may have migrated it meanwhile
            entry_columns = {row[1] for row in conn.execute("PRAGMA table_info(entries)")}
            head_columns = {row[1] for row in conn.execute("PRAGMA table_info(head)")}
            for statement in migration(entry_columns, head_columns):
                conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


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
    for statement in SCHEMA:
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


def own_files(path: Path) -> list[Path]:
    """The log's file and its SQLite companion files."""
    return [path] + [path.with_name(path.name + suffix) for suffix in COMPANION_SUFFIXES]
