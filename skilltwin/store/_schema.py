"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

* ``store_meta``: format, schema version and the store's configuration (key/value);
* ``employees``: one row per employee with their attributes (JSON); attributes never enter
  a score;
* ``claims``: the append-only history of skill claims; ``row_key`` (a hash of the claim's
  content) is unique, so the same claim is never stored twice;
* ``imports``: one row per call of ``Store.import_claims`` (file, hash, counts);
* ``profiles``: every version of every job profile (a change adds a version);
* ``scores``: recorded scores, each naming the profile version it used;
* ``meta``, ``entries``, ``payloads``, ``head``: the audit log, laid out as in an
  :class:`~skilltwin.oversight.AuditLog` file (see ``skilltwin/store/audit_log.py``).
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["FORMAT", "SCHEMA_VERSION", "metadata", "tables"]

FORMAT = "skilltwin-store"
SCHEMA_VERSION = 2
"""Version 1 had no ``imports`` and ``scores`` tables, no claim ``row_key`` and no audit log."""

metadata = sa.MetaData()

store_meta = sa.Table(
    "store_meta", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

employees = sa.Table(
    "employees", metadata,
    sa.Column("employee_id", sa.String(200), primary_key=True),
    sa.Column("attributes", sa.Text, nullable=False, default="{}"),
    sa.Column("created", sa.String(40), nullable=False),
    sa.Column("updated", sa.String(40), nullable=False),
)

imports = sa.Table(
    "imports", metadata,
    sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("started", sa.String(40), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("accepted", sa.Integer, nullable=False),
    sa.Column("duplicates", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
)

claims = sa.Table(
    "claims", metadata,
    sa.Column("claim_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("employee_id", sa.String(200),
              sa.ForeignKey("employees.employee_id", ondelete="CASCADE"), nullable=False),
    sa.Column("skill_uri", sa.String(300), nullable=False),
    sa.Column("skill_label", sa.Text, nullable=False),
    sa.Column("level", sa.Float, nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("observed", sa.String(10), nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("company_skill", sa.String(200)),
    sa.Column("recorded", sa.String(40), nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.import_id")),
    sa.Column("row_key", sa.String(32), nullable=False, unique=True),
)
sa.Index("claims_employee", claims.c.employee_id, claims.c.observed)

profiles = sa.Table(
    "profiles", metadata,
    sa.Column("profile_id", sa.String(300), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("saved", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
)

scores = sa.Table(
    "scores", metadata,
    sa.Column("score_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("employee_id", sa.String(200), nullable=False, index=True),
    sa.Column("profile_id", sa.String(300), nullable=False),
    sa.Column("profile_version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("result", sa.Text, nullable=False),
    sa.Column("recorded", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.ForeignKeyConstraint(["profile_id", "profile_version"],
                            ["profiles.profile_id", "profiles.version"]),
)

tables = {table.name: table for table in metadata.sorted_tables}
