"""The SQL both shipped backends share: the audit tables and the queries of a transaction.

:class:`SQLTransaction` implements :class:`~skilltwin.audit.backend.AuditTransaction` on top
of three primitives a backend supplies (run a query, run a statement, list a table's
columns); statements are written with ``?`` placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from skilltwin.audit.backend import ENTRY_COLUMNS, Payload, RowQuery
from skilltwin.errors import ConfigurationError

__all__ = ["FORMAT", "PAGE_SIZE", "READABLE_VERSIONS", "SCHEMA_VERSION", "SQLTransaction",
           "sql_name"]

FORMAT = "skilltwin-audit"
SCHEMA_VERSION = "3"
"""3: entries and head carry the keyed chain's MAC (``mac``). 2: entries chain the key id."""
READABLE_VERSIONS = ("1", "2", "3")
PAGE_SIZE = 1000
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class SQLTransaction:
    """The queries of one transaction; subclasses run them on their connection."""

    read_only: bool = False

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        raise NotImplementedError

    def _columns(self, table: str) -> set[str]:
        raise NotImplementedError

    def _refuse_write(self) -> None:
        raise NotImplementedError

    # -- reading ----------------------------------------------------------------------------

    def _select(self) -> str:
        present = self._columns("entries")
        chosen = [f"e.{c}" if c in present else f"NULL AS {c}" for c in ENTRY_COLUMNS]
        return ("SELECT " + ", ".join(chosen)
                + ", p.seq IS NOT NULL AS has_payload, p.subject, p.data, p.salt"
                + " FROM entries e LEFT JOIN payloads p ON p.seq = e.seq")

    def rows(self, query: RowQuery | None = None) -> Iterator[Mapping[str, Any]]:
        query = query or RowQuery()
        select = self._select()
        where, params = _where(query)
        order = "DESC" if query.newest_first else "ASC"
        remaining = query.max_rows
        last: int | None = None
        while remaining is None or remaining > 0:
            page = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
            clauses = list(where)
            extra: list[Any] = []
            if last is not None:
                clauses.append("e.seq < ?" if query.newest_first else "e.seq > ?")
                extra.append(last)
            sql = select + (" WHERE " + " AND ".join(clauses) if clauses else "")
            rows = self._query(f"{sql} ORDER BY e.seq {order} LIMIT {page}", [*params, *extra])
            for row in rows:
                row["has_payload"] = bool(row["has_payload"])
                yield row
            if len(rows) < page:
                return
            last = rows[-1]["seq"]
            if remaining is not None:
                remaining -= len(rows)

    def head(self) -> tuple[Any, Any, Any] | None:
        mac = "mac" if "mac" in self._columns("head") else "NULL AS mac"
        rows = self._query(f"SELECT seq, hash, {mac} FROM head WHERE id = 1")
        return None if not rows else (rows[0]["seq"], rows[0]["hash"], rows[0]["mac"])

    def count(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM entries")[0]["n"])

    def orphan_payloads(self) -> list[int]:
        rows = self._query("SELECT seq FROM payloads WHERE seq NOT IN (SELECT seq FROM entries)")
        return [int(row["seq"]) for row in rows]

    def meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", [key])
        return None if not rows else str(rows[0]["value"])

    def damage(self) -> str | None:
        return None

    # -- writing ----------------------------------------------------------------------------

    def append(self, entry: Mapping[str, Any], payload: Payload | None,
               head: tuple[int, str, str | None]) -> None:
        if self.read_only:
            self._refuse_write()
        columns = [c for c in ENTRY_COLUMNS if c in entry]
        self._run(f"INSERT INTO entries ({', '.join(columns)}) VALUES "
                  f"({', '.join('?' * len(columns))})", [entry[c] for c in columns])
        if payload is not None:
            self._run("INSERT INTO payloads (seq, subject, data, salt) VALUES (?, ?, ?, ?)",
                      [entry["seq"], payload.subject, payload.data, payload.salt])
        self._run("UPDATE head SET seq = ?, hash = ?, mac = ? WHERE id = 1", list(head))

    def delete_payloads(self, seqs: Sequence[int]) -> int:
        if self.read_only:
            self._refuse_write()
        deleted = 0
        for start in range(0, len(seqs), PAGE_SIZE):
            chunk = list(seqs[start:start + PAGE_SIZE])
            deleted += self._run(
                f"DELETE FROM payloads WHERE seq IN ({', '.join('?' * len(chunk))})", chunk)
        return deleted

    def delete_rows(self, table: str, column: str, values: Sequence[Any]) -> int:
        if self.read_only:
            self._refuse_write()
        table, column = sql_name(table), sql_name(column)
        deleted = 0
        for start in range(0, len(values), PAGE_SIZE):
            chunk = list(values[start:start + PAGE_SIZE])
            deleted += self._run(f"DELETE FROM {table} WHERE {column} IN "
                                 f"({', '.join('?' * len(chunk))})", chunk)
        return deleted


def sql_name(name: str) -> str:
    """``name`` when it is a plain SQL name (letters, digits, underscores), else an error."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ConfigurationError(f"{name!r} is not a plain SQL name (letters, digits and "
                                 "underscores); name a table or column of the database.")
    return name


def _where(query: RowQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.subjects:
        where.append(f"p.subject IN ({', '.join('?' * len(query.subjects))})")
        params += list(query.subjects)
    if query.actions:
        where.append(f"e.action IN ({', '.join('?' * len(query.actions))})")
        params += [str(a) for a in query.actions]
    for clause, value in (("e.actor = ?", query.actor), ("e.timestamp >= ?", query.since),
                          ("e.timestamp < ?", query.until), ("e.entry_id = ?", query.entry_id),
                          ("e.seq >= ?", query.from_seq), ("e.seq <= ?", query.to_seq)):
        if value is not None:
            where.append(clause)
            params.append(value)
    if query.has_payload:
        where.append("p.seq IS NOT NULL")
    return where, params
