"""The store's audit log: the same log, in the store's own database.

On SQLite the store's file holds the audit log's tables exactly as an
:class:`~skilltwin.audit.AuditLog` file does, so the store's log *is* an ``AuditLog`` on that
file (and ``skilltwin audit verify --log store.db`` checks it). On PostgreSQL it is an
``AuditLog`` over a :class:`~skilltwin.audit.PostgresBackend` on the store's engine: the log's
logic is the same object, only the backend differs.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa

from skilltwin.audit import DEFAULT_FREE_TEXT_FIELDS, AuditLog
from skilltwin.audit.postgres import PostgresBackend, create_tables, insert_meta
from skilltwin.audit.pseudonym import KeySource
from skilltwin.audit.sqlite import SCHEMA as SQLITE_SCHEMA
from skilltwin.errors import ConfigurationError

__all__ = ["PostgresAuditLog", "create_audit_tables", "open_audit_log"]


def create_audit_tables(conn: sa.Connection, created: str) -> None:
    """Create an empty audit log's tables inside the store's transaction."""
    if conn.dialect.name == "postgresql":
        create_tables(conn, created)
        return
    for statement in SQLITE_SCHEMA:
        conn.exec_driver_sql(statement)
    insert_meta(conn, created)


class PostgresAuditLog(AuditLog):
    """An :class:`~skilltwin.audit.AuditLog` kept in a PostgreSQL database (the store's):
    ``AuditLog(backend=PostgresBackend(engine, read_only=...), ...)``.

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
        super().__init__(backend=PostgresBackend(engine, read_only=read_only),
                         pseudonym_key=pseudonym_key, log_free_text=log_free_text,
                         free_text_fields=free_text_fields)
        self.engine = engine

    def __repr__(self) -> str:
        return f"PostgresAuditLog({self.backend.name!r})"


def open_audit_log(engine: sa.Engine, database: str | None, **options: Any) -> AuditLog:
    """The store's audit log: an AuditLog on the SQLite file, or a PostgresAuditLog."""
    if engine.dialect.name == "postgresql":
        return PostgresAuditLog(engine, **options)
    if not database or database == ":memory:":
        raise ConfigurationError("an in-memory store has no audit log; use a SQLite file.")
    return AuditLog(database, create=False, **options)
