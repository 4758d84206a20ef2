"""Employees and their claim history: writing claims, reading twins and the long claims table."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from skilltwin._identity import key_of_normalised
from skilltwin._jsonio import normalise_json
from skilltwin.store._keys import claim_key
from skilltwin.store._schema import tables
from skilltwin.twin.claims import SkillClaim

__all__ = [
    "STORED_CLAIM_COLUMNS",
    "claim_rows",
    "ensure_employees",
    "insert_claims",
    "now_text",
    "select_claims",
    "set_attributes",
    "spellings_of",
    "stored_spellings",
]

STORED_CLAIM_COLUMNS = ("employee_id", "skill", "skill_label", "level", "source", "observed",
                        "confidence", "evidence", "company_skill")
"""The columns of :meth:`Store.claims_frame`: those of a claims table
(:data:`~skilltwin.twin.claims.CLAIM_COLUMNS`, ``skill`` being the ESCO URI the store
resolved it to) plus the skill's ``skill_label`` and the ``company_skill`` it was given as."""

_CLAIMS = tables["claims"]
_EMPLOYEES = tables["employees"]


def now_text() -> str:
    """The current UTC time as stored (ISO-8601 with microseconds)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _insert(conn: sa.Connection, table: sa.Table) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def stored_spellings(conn: sa.Connection, employee_ids: Iterable[str]) -> dict[str, str]:
    """Each id (already normalised) mapped to the spelling the store holds for its identity
    key (the id rule of ``skilltwin/_identity.py``: compared ignoring case), or, for a new
    employee, to the first of ``employee_ids`` with that key."""
    ids = list(dict.fromkeys(employee_ids))
    if not ids:
        return {}
    found = {row[0] for row in conn.execute(
        sa.select(_EMPLOYEES.c.employee_id).where(_EMPLOYEES.c.employee_id.in_(ids[:1000])))}
    if len(ids) == 1 and ids[0] in found:
        return {ids[0]: ids[0]}  # the common look-up: the id as stored
    by_key: dict[str, str] = {}
    for (stored,) in conn.execute(sa.select(_EMPLOYEES.c.employee_id)
                                  .order_by(_EMPLOYEES.c.created, _EMPLOYEES.c.employee_id)):
        by_key.setdefault(key_of_normalised(stored), stored)
    mapping = {}
    for employee_id in ids:
        mapping[employee_id] = by_key.setdefault(key_of_normalised(employee_id), employee_id)
    return mapping


def spellings_of(conn: sa.Connection, table: sa.Table, employee_id: str) -> list[str]:
    """Every spelling of ``employee_id``'s identity key in ``table`` (a store written before
    the identity rule may hold ``"Emp-7"`` and ``"emp-7"`` apart)."""
    key = key_of_normalised(employee_id)
    column = table.c.employee_id
    return [row[0] for row in conn.execute(sa.select(column).distinct())
            if key_of_normalised(row[0]) == key]


def ensure_employees(conn: sa.Connection, employee_ids: Iterable[str], now: str) -> int:
    """Add the employees not yet in the store (without attributes); return how many."""
    ids = sorted(set(employee_ids))
    if not ids:
        return 0
    before = conn.execute(sa.select(sa.func.count()).select_from(_EMPLOYEES)).scalar_one()
    rows = [{"employee_id": i, "attributes": "{}", "created": now, "updated": now} for i in ids]
    conn.execute(_insert(conn, _EMPLOYEES).on_conflict_do_nothing(), rows)
    after = conn.execute(sa.select(sa.func.count()).select_from(_EMPLOYEES)).scalar_one()
    return int(after - before)


def set_attributes(conn: sa.Connection, employee_id: str, attributes: Mapping[str, Any],
                   now: str, *, replace: bool = False) -> dict[str, Any]:
    """Merge (or with ``replace`` set) an employee's attributes; returns the new attributes."""
    ensure_employees(conn, [employee_id], now)
    current = conn.execute(sa.select(_EMPLOYEES.c.attributes)
                           .where(_EMPLOYEES.c.employee_id == employee_id)).scalar_one()
    merged = {} if replace else json.loads(current)
    merged.update(normalise_json(dict(attributes), "attributes"))
    conn.execute(_EMPLOYEES.update().where(_EMPLOYEES.c.employee_id == employee_id),
                 {"attributes": json.dumps(merged, ensure_ascii=False, sort_keys=True),
                  "updated": now})
    return merged


def claim_rows(employee_id: str, claims: Iterable[SkillClaim], now: str) -> list[dict[str, Any]]:
    """Table rows for ``claims`` (content key included)."""
    rows = []
    for claim in claims:
        observed = claim.observed.isoformat()
        rows.append({
            "employee_id": employee_id, "skill_uri": claim.skill_uri,
            "skill_label": claim.skill_label, "level": float(claim.level),
            "source": claim.source, "evidence": claim.evidence, "observed": observed,
            "confidence": float(claim.confidence), "company_skill": claim.company_skill,
            "recorded": now, "import_id": None,
            "row_key": claim_key(employee_id, claim.skill_uri, claim.level, claim.source,
                                 observed, claim.confidence, claim.evidence),
        })
    return rows


_INSERT_COLUMNS = ("employee_id", "skill_uri", "skill_label", "level", "source", "evidence",
                   "observed", "confidence", "company_skill", "recorded", "import_id", "row_key")


def insert_claims(conn: sa.Connection, rows: pd.DataFrame | Sequence[dict[str, Any]]) -> int:
    """Insert claim rows, skipping any already stored; return how many were new.

    The rows go to the database driver's ``executemany`` as plain tuples (no per-row
    SQLAlchemy processing), which keeps a million-row import within a minute.
    """
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if frame.empty:
        return 0
    frame = frame.loc[:, list(_INSERT_COLUMNS)].astype(object)
    frame = frame.where(frame.notna(), None)
    marker = "%s" if conn.dialect.name == "postgresql" else "?"
    sql = (f"INSERT INTO claims ({', '.join(_INSERT_COLUMNS)}) VALUES "
           f"({', '.join([marker] * len(_INSERT_COLUMNS))}) ON CONFLICT (row_key) DO NOTHING")
    # both drivers report the rows an executemany inserted (skipped conflicts not counted)
    result = conn.exec_driver_sql(sql, list(frame.itertuples(index=False, name=None)))
    return int(result.rowcount)


def select_claims(
    conn: sa.Connection,
    *,
    employee_ids: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    known_at: dt.datetime | None = None,
) -> pd.DataFrame:
    """The long claims table (:data:`STORED_CLAIM_COLUMNS`), in the order the claims were stored."""
    c = _CLAIMS.c
    query = sa.select(
        c.employee_id, c.skill_uri.label("skill"), c.skill_label, c.level, c.source,
        c.observed, c.confidence, c.evidence, c.company_skill,
    ).order_by(c.claim_id)
    if employee_ids is not None:
        query = query.where(c.employee_id.in_(list(employee_ids)))
    if as_of is not None:
        query = query.where(c.observed <= as_of.isoformat())
    if known_at is not None:
        moment = known_at if known_at.tzinfo else known_at.replace(tzinfo=dt.timezone.utc)
        stamp = moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
        query = query.where(c.recorded <= stamp)
    rows = [tuple(row) for row in conn.execute(query)]  # plain tuples: fast for pandas
    frame = pd.DataFrame.from_records(rows, columns=list(STORED_CLAIM_COLUMNS))
    frame["level"] = frame["level"].astype(float)
    frame["confidence"] = frame["confidence"].astype(float)
    days = frame["observed"].to_numpy(dtype=str).astype("datetime64[D]")
    frame["observed"] = days.astype(object)  # datetime.date values
    return frame


def frame_claims(rows: pd.DataFrame) -> list[SkillClaim]:
    """SkillClaims from rows of :func:`select_claims`."""
    records = rows.rename(columns={"skill": "skill_uri"}).to_dict("records")
    return [SkillClaim.model_validate(record) for record in records]
