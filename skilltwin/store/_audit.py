"""The store's audit log: the same hash chain, in the store's own database.

On SQLite the store's file holds the audit log's tables exactly as an
:class:`~skilltwin.oversight.AuditLog` file does, so the store's log *is* an ``AuditLog`` on
that file (and ``skilltwin audit verify --db store.db`` checks it). On PostgreSQL,
:class:`PostgresAuditLog` keeps the same tables, triggers and chain: it reuses every rule of
``AuditLog`` (hashing, commitments, pseudonyms, signed erasures, the verifier) and only
replaces how rows are read and written. Appends are serialised by locking the head row, so
any number of processes and machines can write to one log.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa

from skilltwin.errors import ConfigurationError, OversightError, StoreError
from skilltwin.oversight import _store as sqlite_log
from skilltwin.oversight._chain import GENESIS_HASH, KEY_FIELD
from skilltwin.oversight._freetext import DEFAULT_FREE_TEXT_FIELDS
from skilltwin.oversight._models import AuditEntry, ChainHead, VerifyResult
from skilltwin.oversight._pseudonym import KeySource, Pseudonymiser
from skilltwin.oversight._verify import check_chain
from skilltwin.oversight.audit import AuditLog
from skilltwin.store._engine import describe

__all__ = ["PostgresAuditLog", "create_audit_tables", "open_audit_log"]

_POSTGRES_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"""CREATE TABLE entries (
        seq BIGINT PRIMARY KEY, entry_id TEXT NOT NULL, timestamp TEXT NOT NULL,
        actor TEXT NOT NULL, action TEXT NOT NULL, inputs_hash TEXT,
        library_version TEXT NOT NULL, taxonomy_release TEXT, model_name TEXT,
        payload_hash TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, {KEY_FIELD} TEXT)""",
    "CREATE INDEX entries_action ON entries (action)",
    "CREATE INDEX entries_timestamp ON entries (timestamp)",
    "CREATE INDEX entries_entry_id ON entries (entry_id)",
    """CREATE TABLE payloads (seq BIGINT PRIMARY KEY, subject TEXT, data TEXT,
        salt TEXT NOT NULL)""",
    "CREATE INDEX payloads_subject ON payloads (subject)",
    """CREATE TABLE head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL,
        hash TEXT NOT NULL)""",
    """CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_ARGV[0]; END $$""",
    """CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries FOR EACH ROW
       EXECUTE FUNCTION audit_refuse('audit entries are append-only')""",
    """CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries FOR EACH ROW
       EXECUTE FUNCTION audit_refuse('audit entries are append-only')""",
    """CREATE TRIGGER payloads_no_update BEFORE UPDATE ON payloads FOR EACH ROW
       EXECUTE FUNCTION audit_refuse('audit payloads can only be erased, not changed')""",
)


def create_audit_tables(conn: sa.Connection, created: str) -> None:
    """Create an empty audit log's tables inside the store's transaction."""
    if conn.dialect.name == "postgresql":
        for statement in _POSTGRES_SCHEMA:
            conn.exec_driver_sql(statement)
    else:
        for statement in sqlite_log._SCHEMA:
            conn.exec_driver_sql(statement)
    conn.execute(sa.text("INSERT INTO meta (key, value) VALUES (:k, :v)"), [
        {"k": "format", "v": sqlite_log.FORMAT},
        {"k": "schema_version", "v": sqlite_log.SCHEMA_VERSION},
        {"k": "created", "v": created},
    ])
    conn.execute(sa.text("INSERT INTO head (id, seq, hash) VALUES (1, 0, :h)"),
                 {"h": GENESIS_HASH})


class _Row(tuple):
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> _Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


class _Result:
    def __init__(self, result: sa.CursorResult[Any]):
        self._result = result
        self._names = {name: i for i, name in enumerate(result.keys())} if result.returns_rows \
            else {}

    def fetchone(self) -> _Row | None:
        row = self._result.fetchone()
        return None if row is None else _Row(tuple(row), self._names)

    def fetchall(self) -> list[_Row]:
        return [_Row(tuple(row), self._names) for row in self._result.fetchall()]

    def __iter__(self) -> Iterator[_Row]:
        return iter(self.fetchall())


class _Connection:
    """The few ``sqlite3.Connection`` calls the audit log makes, on a PostgreSQL connection
    (``?`` placeholders become psycopg's ``%s``)."""

    def __init__(self, conn: sa.Connection):
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Result:
        statement = sql.replace("?", "%s")
        result = self._conn.exec_driver_sql(statement, tuple(params)) if params \
            else self._conn.exec_driver_sql(statement)
        return _Result(result)


class PostgresAuditLog(AuditLog):
    """An :class:`~skilltwin.oversight.AuditLog` kept in a PostgreSQL database (the store's).

    Open it with :meth:`skilltwin.store.Store.audit_log`. Everything an ``AuditLog`` does
    works the same; ``checkpoint`` vacuums the payloads table so that erased payloads do not
    linger in dead row versions.
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        pseudonym_key: KeySource = None,
        log_free_text: bool = False,
        free_text_fields: Collection[str] = DEFAULT_FREE_TEXT_FIELDS,
        read_only: bool = False,
    ):
        self.engine = engine
        self.path = Path(describe(engine))  # named in messages, as a log file's path is
        self.log_free_text = log_free_text
        self.free_text_fields = frozenset(free_text_fields)
        self.read_only = read_only
        self._key_source = pseudonym_key
        self._pseudonymiser: Pseudonymiser | None = None
        self._key_confirmed = False
        self._lock = threading.RLock()
        self._pid = os.getpid()

    def __repr__(self) -> str:
        return f"PostgresAuditLog({describe(self.engine)!r})"

    @contextlib.contextmanager
    def _session(self, *, write: bool, isolation: str = "READ COMMITTED"
                 ) -> Iterator[sqlite3.Connection]:
        try:
            with self._lock, self.engine.connect().execution_options(
                    isolation_level=isolation) as conn, conn.begin():
                if write:  # one appender at a time: the head row is the chain's lock
                    conn.exec_driver_sql("SELECT seq FROM head WHERE id = 1 FOR UPDATE")
                else:  # readers (verify, export, queries) cannot change anything
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield cast(sqlite3.Connection, _Connection(conn))
        except sa.exc.OperationalError as exc:
            detail = str(exc.orig or exc).strip().splitlines()[0]
            raise StoreError(
                f"{describe(self.engine)}: the audit log's database failed ({detail}); nothing "
                "of this step was written. Check that the database is reachable and retry."
            ) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise ConfigurationError(
                f"{self.path} was opened read-only; open it with store.audit_log() to write."
            )
        with self._session(write=True) as conn:
            yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._session(write=False) as conn:
            yield conn

    def close(self) -> None:
        """Nothing to close: connections come from the store's pool."""

    def checkpoint(self) -> None:
        """Vacuum the payloads table, so that erased payloads leave no dead row versions."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM payloads")

    def verify(self, *, anchor: ChainHead | None = None) -> VerifyResult:
        """Check the whole log in one consistent snapshot (see :meth:`AuditLog.verify`)."""
        with self._session(write=False, isolation="REPEATABLE READ") as conn:
            rows = cast(Iterable[Mapping[str, Any]], self._rows(conn))
            return check_chain(rows, sqlite_log.read_head(conn),
                               sqlite_log.orphan_payloads(conn), anchor)

    def _append(self, conn: sqlite3.Connection, action: str, actor: str, subject: str | None,
                data: dict[str, Any] | None, context: Mapping[str, str | None]) -> AuditEntry:
        try:
            return super()._append(conn, action, actor, subject, data, context)
        except sa.exc.IntegrityError as exc:
            detail = str(exc.orig or exc).strip().splitlines()[0]
            raise OversightError(
                f"{self.path}: cannot append an entry ({detail}); the log was changed outside "
                "skilltwin. Run `skilltwin audit verify --store URL` to find where."
            ) from None

    def _own_files(self) -> list[Path]:
        return []

    def _rows(self, conn: sqlite3.Connection, where: Sequence[str] = (),
              params: Sequence[Any] = ()) -> Iterator[sqlite3.Row]:
        select = ("SELECT " + ", ".join(f"e.{c}" for c in sqlite_log.ENTRY_COLUMNS)
                  + ", p.seq IS NOT NULL AS has_payload, p.subject, p.data, p.salt"
                  + " FROM entries e LEFT JOIN payloads p ON p.seq = e.seq")
        last = 0
        while True:
            clauses = " AND ".join(["e.seq > ?", *where])
            rows = conn.execute(f"{select} WHERE {clauses} ORDER BY e.seq "
                                f"LIMIT {sqlite_log.PAGE_SIZE}", [last, *params]).fetchall()
            yield from rows
            if len(rows) < sqlite_log.PAGE_SIZE:
                return
            last = rows[-1]["seq"]

    def _first_key_id(self, conn: sqlite3.Connection) -> str | None:
        row = conn.execute(f"SELECT {KEY_FIELD} FROM entries WHERE {KEY_FIELD} IS NOT NULL "
                           "ORDER BY seq LIMIT 1").fetchone()
        return None if row is None else str(row[0])


def open_audit_log(engine: sa.Engine, database: str | None, **options: Any) -> AuditLog:
    """The store's audit log: an AuditLog on the SQLite file, or a PostgresAuditLog."""
    if engine.dialect.name == "postgresql":
        return PostgresAuditLog(engine, **options)
    if not database or database == ":memory:":
        raise ConfigurationError("an in-memory store has no audit log; use a SQLite file.")
    return AuditLog(database, create=False, **options)


