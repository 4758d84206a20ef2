"""Schema versions: create a new store, or upgrade one written by an earlier skilltwin.

Each step upgrades from one version to the next inside the same transaction as the version
change, so an interrupted upgrade leaves the previous version intact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from skilltwin.errors import ConfigurationError
from skilltwin.store._engine import describe, is_postgresql, read, write
from skilltwin.store._keys import claim_key
from skilltwin.store._schema import FORMAT, SCHEMA_VERSION, metadata, tables
from skilltwin.store.audit_log import create_audit_tables

__all__ = ["open_schema"]

_LOCK_ID = 0x5E11_7517  # PostgreSQL advisory lock taken while creating or upgrading


def open_schema(engine: sa.Engine, *, create: bool, read_only: bool = False) -> int:
    """Make sure the database holds a store at :data:`SCHEMA_VERSION`; return the version found.

    With ``read_only`` nothing is created or upgraded: a store of an older schema is refused
    (reading commands never change a store), so that a check of a store leaves it as it was.

    Raises:
        ConfigurationError: no store there (and ``create`` is false), a newer skilltwin wrote
            the store, or (``read_only``) an older one did.
    """
    if read_only:
        with read(engine) as conn:
            if not sa.inspect(conn).has_table("store_meta"):
                raise _no_store(engine)
            found = _version(conn, engine)
        if found < SCHEMA_VERSION:
            raise ConfigurationError(
                f"{describe(engine)}: the store has schema version {found}, written by an "
                f"earlier skilltwin (this one uses {SCHEMA_VERSION}); reading never upgrades a "
                "store. Open it once for writing (Store(url), or any command that writes to "
                "it) to upgrade it, or read it with the skilltwin that wrote it."
            )
        return found
    with write(engine) as conn:
        if is_postgresql(conn):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        if not sa.inspect(conn).has_table("store_meta"):
            if not create:
                raise _no_store(engine)
            _create(conn)
            return SCHEMA_VERSION
        found = _version(conn, engine)
        for version in range(found, SCHEMA_VERSION):
            _STEPS[version](conn)
            _set(conn, "schema_version", str(version + 1))
        return found


def _no_store(engine: sa.Engine) -> ConfigurationError:
    return ConfigurationError(
        f"{describe(engine)}: no skilltwin store there; check the URL, or create one with "
        "Store(url)."
    )


def _create(conn: sa.Connection) -> None:
    metadata.create_all(conn)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
    create_audit_tables(conn, now)
    conn.execute(tables["store_meta"].insert(), [
        {"key": "format", "value": FORMAT},
        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
        {"key": "created", "value": now},
    ])


def _version(conn: sa.Connection, engine: sa.Engine) -> int:
    rows = conn.execute(sa.text("SELECT key, value FROM store_meta")).all()
    meta: dict[str, str] = {str(key): str(value) for key, value in rows}
    if meta.get("format") != FORMAT:
        raise ConfigurationError(
            f"{describe(engine)}: the database has a store_meta table that skilltwin did not "
            "write; use another database for the store."
        )
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise ConfigurationError(
            f"{describe(engine)}: store schema version {version}, but this skilltwin reads up "
            f"to version {SCHEMA_VERSION}; upgrade skilltwin (pip install -U skilltwin)."
        )
    return version


def _set(conn: sa.Connection, key: str, value: str) -> None:
    conn.execute(tables["store_meta"].update().where(tables["store_meta"].c.key == key),
                 {"value": value})


def _v1_to_v2(conn: sa.Connection) -> None:
    """Version 2 adds the imports and scores tables, a content key per claim and the audit
    log's tables.

    The claims table is rebuilt (read, dropped, created anew and refilled in the same
    transaction); a claim that version 1 held twice with identical content is kept once.
    """
    tables["imports"].create(conn)
    tables["scores"].create(conn)
    create_audit_tables(conn, dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"))
    old = conn.execute(sa.text(
        "SELECT claim_id, employee_id, skill_uri, skill_label, level, source, evidence, "
        "observed, confidence, company_skill, recorded FROM claims ORDER BY claim_id"
    )).mappings().all()
    rows, seen = [], set()
    for row in old:
        key = claim_key(row["employee_id"], row["skill_uri"], row["level"], row["source"],
                        row["observed"], row["confidence"], row["evidence"])
        if key not in seen:
            seen.add(key)
            rows.append({**row, "import_id": None, "row_key": key})
    conn.execute(sa.text("DROP TABLE claims"))
    tables["claims"].create(conn)
    if rows:
        conn.execute(tables["claims"].insert(), rows)
        if is_postgresql(conn):
            conn.execute(sa.text(
                "SELECT setval(pg_get_serial_sequence('claims', 'claim_id'), "
                "(SELECT max(claim_id) FROM claims))"
            ))


_STEPS: dict[int, Callable[[sa.Connection], None]] = {1: _v1_to_v2}
