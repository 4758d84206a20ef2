"""Opening a database: the SQLAlchemy engine, SQLite settings and write transactions.

SQLite runs in WAL mode with ``synchronous=FULL`` (a committed transaction survives a crash)
and write transactions start with ``BEGIN IMMEDIATE``, so that two writers queue instead of
failing half-way. On PostgreSQL, writers that must be serialised (profile versions, the
audit chain) take a row or table lock inside their transaction.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from skilltwin._sqlite import connect_read_only
from skilltwin.errors import ConfigurationError, StoreError

__all__ = ["create_engine", "describe", "is_postgresql", "write"]

_WRITE = "skilltwin_write"


def create_engine(url: str | os.PathLike[str], *, timeout: float = 30.0,
                  must_exist: bool = False, read_only: bool = False) -> sa.Engine:
    """An engine for ``url``: ``sqlite:///path`` or ``postgresql+psycopg://...``.

    A plain path (no ``://``) means a SQLite file. The SQLite file's folder is created, unless
    ``must_exist`` is set, in which case a missing file is an error. With ``read_only`` (which
    implies ``must_exist``) nothing is ever written: SQLite opens the file read-only and leaves
    its journal mode as it is; PostgreSQL runs every transaction read-only.
    """
    must_exist = must_exist or read_only
    text = str(url)
    if "://" not in text:
        text = f"sqlite:///{Path(text)}"
    try:
        parsed = make_url(text)
    except sa.exc.ArgumentError:
        raise ConfigurationError(
            f"{text!r} is not a database URL; use sqlite:///path/to/store.db or "
            "postgresql+psycopg://user@host:5432/dbname."
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ":memory:"
        if must_exist and database != ":memory:" and not Path(database).expanduser().is_file():
            raise ConfigurationError(
                f"{database}: no skilltwin store there; check the path, or create one with "
                "Store(url)."
            )
        if read_only and database != ":memory:":
            return _sqlite_read_only_engine(Path(database).expanduser(), timeout)
        return _sqlite_engine(parsed, timeout)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if read_only:  # added to the URL's own server options (a search_path, say)
            given = parsed.query.get("options", "")
            given = given if isinstance(given, str) else " ".join(given)
            parsed = parsed.update_query_dict(
                {"options": f"{given} -c default_transaction_read_only=on".strip()})
        return sa.create_engine(parsed, pool_pre_ping=True,
                                connect_args={"connect_timeout": max(1, int(timeout))})
    raise ConfigurationError(
        f"{describe(parsed)}: skilltwin stores data in SQLite or PostgreSQL, not {backend}; "
        "use sqlite:///path or postgresql+psycopg://..."
    )


def _sqlite_engine(url: sa.URL, timeout: float) -> sa.Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        for pragma in (f"busy_timeout = {int(timeout * 1000)}", "journal_mode = WAL",
                       "synchronous = FULL", "secure_delete = ON", "foreign_keys = ON",
                       "cache_size = -65536"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE)
                             else "BEGIN")

    return engine


def _sqlite_read_only_engine(path: Path, timeout: float) -> sa.Engine:
    engine = sa.create_engine(sa.URL.create("sqlite", database=str(path)),
                              creator=lambda: connect_read_only(path, timeout))

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def is_postgresql(engine: sa.Engine | sa.Connection) -> bool:
    """True for a PostgreSQL database."""
    return engine.dialect.name == "postgresql"


def describe(url: sa.URL | sa.Engine) -> str:
    """The URL without its password, for messages."""
    if isinstance(url, sa.Engine):
        url = url.url
    return url.render_as_string(hide_password=True)


def _connect(engine: sa.Engine) -> sa.Connection:
    """A connection, or a clear error when the database cannot be reached at all, or the file
    is not a database."""
    try:
        return engine.connect()
    except sa.exc.DatabaseError as exc:
        if _not_a_database(exc):
            raise _not_a_database_error(engine, exc) from None
        if not isinstance(exc, sa.exc.OperationalError):
            raise
        raise StoreError(
            f"{describe(engine)}: cannot connect to the database ({_first_line(exc)}); check "
            "that the server is running and reachable at this address. Nothing was read or "
            "saved."
        ) from None


def _not_a_database(exc: sa.exc.DatabaseError) -> bool:
    """Whether the error says the file is not a (sound) database: SQLite's "file is not a
    database" and "database disk image is malformed", raised as the plain ``DatabaseError``
    (an integrity or programming error is another matter, for the caller)."""
    return type(exc) is sa.exc.DatabaseError


def _not_a_database_error(engine: sa.Engine, exc: sa.exc.DatabaseError) -> StoreError:
    return StoreError(
        f"{describe(engine)}: is not a skilltwin store, or is damaged ({_first_line(exc)}); "
        "check the path (a store is the SQLite file Store(...) created), or restore the store "
        "from a backup. Nothing was read or saved."
    )


@contextlib.contextmanager
def write(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One write transaction: committed when the block ends, rolled back on any error."""
    connection = _connect(engine)
    try:
        with connection.execution_options(**{_WRITE: True}) as conn, conn.begin():
            yield conn
    except sa.exc.DatabaseError as exc:
        if _not_a_database(exc):
            raise _not_a_database_error(engine, exc) from None
        if not isinstance(exc, sa.exc.OperationalError):
            raise
        raise StoreError(
            f"{describe(engine)}: the database failed during a write "
            f"({_first_line(exc)}); nothing of this step was saved. Check that the "
            "database is reachable and retry."
        ) from None


@contextlib.contextmanager
def read(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A read-only snapshot (one transaction, rolled back at the end)."""
    connection = _connect(engine)
    try:
        with connection as conn, conn.begin():
            yield conn
    except sa.exc.DatabaseError as exc:
        if _not_a_database(exc):
            raise _not_a_database_error(engine, exc) from None
        if not isinstance(exc, sa.exc.OperationalError):
            raise
        raise StoreError(
            f"{describe(engine)}: cannot read the database ({_first_line(exc)}); check that "
            "it is reachable."
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
