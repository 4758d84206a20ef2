"""The PostgreSQL backend: an audit log's rows in tables of a PostgreSQL database.

The tables, triggers and chain are those of the SQLite file (see :mod:`skilltwin.audit.sqlite`),
reached through a SQLAlchemy engine (psycopg 3). Appends are serialised by locking the head
row, so any number of processes and machines can write to one log; readers run in read-only
transactions (``REPEATABLE READ`` for one consistent snapshot when verifying).
:meth:`PostgresBackend.purge` vacuums the payloads table, so that erased payloads do not
linger in dead row versions.

Needs the ``store`` extra (SQLAlchemy 2 and psycopg 3); ``import skilltwin.audit`` does not
load it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa

from skilltwin.audit._chain import GENESIS_HASH
from skilltwin.audit._sql import FORMAT, SCHEMA_VERSION, SQLTransaction, sql_name
from skilltwin.errors import ConfigurationError, OversightError, StoreError

__all__ = ["SCHEMA", "PostgresBackend", "create_tables"]

SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE entries (
        seq BIGINT PRIMARY KEY, entry_id TEXT NOT NULL, timestamp TEXT NOT NULL,
        actor TEXT NOT NULL, action TEXT NOT NULL, inputs_hash TEXT,
        library_version TEXT NOT NULL, taxonomy_release TEXT, model_name TEXT,
        payload_hash TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, key_id TEXT,
        mac TEXT)""",
    "CREATE INDEX entries_action ON entries (action)",
    "CREATE INDEX entries_timestamp ON entries (timestamp)",
    "CREATE INDEX entries_entry_id ON entries (entry_id)",
    """CREATE TABLE payloads (seq BIGINT PRIMARY KEY, subject TEXT, data TEXT,
        salt TEXT NOT NULL)""",
    "CREATE INDEX payloads_subject ON payloads (subject)",
    """CREATE TABLE head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL,
        hash TEXT NOT NULL, mac TEXT)""",
    """CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_ARGV[0]; END $$""",
    """CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries FOR EACH ROW
       EXECUTE FUNCTION audit_refuse('audit entries are append-only')""",
    """CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries FOR EACH ROW
       EXECUTE FUNCTION audit_refuse('audit entries are append-only')""",
    """CREATE TRIGGER payloads_no_update BEFORE UPDATE ON payloads FOR EACH ROW
       EXECUTE FUNCTION audit_refuse('audit payloads can only be erased, not changed')""",
)
"""The statements that create an empty log (schema version 3) on PostgreSQL."""

_MIGRATION = (
    "LOCK TABLE head IN ACCESS EXCLUSIVE MODE",
    "ALTER TABLE entries ADD COLUMN IF NOT EXISTS key_id TEXT",
    "ALTER TABLE entries ADD COLUMN IF NOT EXISTS mac TEXT",
    "ALTER TABLE head ADD COLUMN IF NOT EXISTS mac TEXT",
    f"UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema_version'",
)


def create_tables(conn: sa.Connection, created: str) -> None:
    """Create an empty audit log's tables inside the caller's transaction (a store's)."""
    for statement in SCHEMA:
        conn.exec_driver_sql(statement)
    insert_meta(conn, created)


def insert_meta(conn: sa.Connection, created: str) -> None:
    """The meta rows and the empty head of a new log (either database)."""
    conn.execute(sa.text("INSERT INTO meta (key, value) VALUES (:k, :v)"), [
        {"k": "format", "v": FORMAT},
        {"k": "schema_version", "v": SCHEMA_VERSION},
        {"k": "created", "v": created},
    ])
    conn.execute(sa.text("INSERT INTO head (id, seq, hash) VALUES (1, 0, :h)"),
                 {"h": GENESIS_HASH})


def describe(engine: sa.Engine) -> str:
    """The engine's URL without its password."""
    return engine.url.render_as_string(hide_password=True)


class PostgresBackend:
    """An audit log's rows in a PostgreSQL database reached through ``engine``.

    The tables must exist (a :class:`~skilltwin.store.Store` creates them; or call
    :func:`create_tables`). A log written before the keyed chain is brought to the current
    schema on its first write (two columns added; no stored value changes); reading never
    changes the schema.

    Args:
        engine: A SQLAlchemy engine (``postgresql+psycopg://...``).
        read_only: Refuse every write.
    """

    def __init__(self, engine: sa.Engine, *, read_only: bool = False):
        self.engine = engine
        self.name = describe(engine)
        self.path: Path | None = None
        self.read_only = read_only
        self._lock = threading.RLock()
        self._migrated = False

    def __repr__(self) -> str:
        return f"PostgresBackend({self.name!r})"

    @contextlib.contextmanager
    def _session(self, *, write: bool, snapshot: bool = False) -> Iterator[_PostgresTransaction]:
        isolation = "REPEATABLE READ" if snapshot else "READ COMMITTED"
        try:
            with self._lock, self.engine.connect().execution_options(
                    isolation_level=isolation) as conn, conn.begin():
                if write:  # one appender at a time: the head row is the chain's lock
                    conn.exec_driver_sql("SELECT seq FROM head WHERE id = 1 FOR UPDATE")
                else:  # readers (verify, export, queries) cannot change anything
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield _PostgresTransaction(conn, self.name, read_only=not write)
        except sa.exc.OperationalError as exc:
            detail = str(exc.orig or exc).strip().splitlines()[0]
            raise StoreError(
                f"{self.name}: the audit log's database failed ({detail}); nothing of this "
                "step was written. Check that the database is reachable and retry."
            ) from None

    def read(self, *, snapshot: bool = False) -> contextlib.AbstractContextManager[
            _PostgresTransaction]:
        return self._session(write=False, snapshot=snapshot)

    @contextlib.contextmanager
    def write(self) -> Iterator[_PostgresTransaction]:
        if self.read_only:
            raise ConfigurationError(
                f"{self.name} was opened read-only; open it with store.audit_log() to write."
            )
        self._migrate()
        with self._session(write=True) as transaction:
            yield transaction

    def _migrate(self) -> None:
        """Bring an older log's tables to the current schema (once per backend object)."""
        if self._migrated:
            return
        with self.engine.begin() as conn:
            version = conn.exec_driver_sql(
                "SELECT value FROM meta WHERE key = 'schema_version'").scalar()
            if version != SCHEMA_VERSION:
                for statement in _MIGRATION:
                    conn.exec_driver_sql(statement)
        self._migrated = True

    def purge(self, tables: Sequence[str] = ()) -> bool:
        """Rewrite the payloads table and ``tables`` (``VACUUM FULL``), so that erased rows
        leave no dead row versions in the table or index files. A plain ``VACUUM`` only marks
        their space free: their bytes stay in the files until overwritten."""
        if self.read_only:
            return True
        names = ", ".join(["payloads", *(sql_name(table) for table in tables)])
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM FULL {names}")
        return True

    def protected_files(self) -> list[Path]:
        return []

    def close(self) -> None:
        """Nothing to close: connections come from the engine's pool."""


class _PostgresTransaction(SQLTransaction):
    def __init__(self, conn: sa.Connection, name: str, *, read_only: bool):
        self._conn = conn
        self._name = name
        self.read_only = read_only
        self._known: dict[str, set[str]] = {}

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        result = self._execute(sql, params)
        return [dict(row) for row in result.mappings().all()]

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            return int(self._execute(sql, params).rowcount)
        except sa.exc.IntegrityError as exc:
            detail = str(exc.orig or exc).strip().splitlines()[0]
            raise OversightError(
                f"{self._name}: cannot append to the log ({detail}); the log was changed "
                "outside skilltwin. Run `skilltwin audit verify --store URL` to find where."
            ) from None

    def _execute(self, sql: str, params: Sequence[Any]) -> sa.CursorResult[Any]:
        statement = sql.replace("?", "%s")
        return self._conn.exec_driver_sql(statement, tuple(params)) if params \
            else self._conn.exec_driver_sql(statement)

    def _columns(self, table: str) -> set[str]:
        if table not in self._known:
            rows = self._conn.exec_driver_sql(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema()", (table,)).all()
            self._known[table] = {str(row[0]) for row in rows}
        return self._known[table]

    def _refuse_write(self) -> NoReturn:
        raise ConfigurationError(f"{self._name}: a read transaction cannot write.")
