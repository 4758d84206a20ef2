"""A shared store on SQLite or PostgreSQL: twins with their full history, versioned job
profiles, recorded scores and the audit log in one database (see ``docs/store.md``).

Needs the ``store`` extra (SQLAlchemy 2 and psycopg 3): ``pip install skilltwin[store]``.
``import skilltwin`` does not load it.
"""

from skilltwin.store._claims import STORED_CLAIM_COLUMNS
from skilltwin.store._schema import SCHEMA_VERSION
from skilltwin.store.audit_log import PostgresAuditLog
from skilltwin.store.claims_import import ImportReport
from skilltwin.store.notice import worker_notice
from skilltwin.store.store import Store
from skilltwin.store.works_council import works_council_request

__all__ = ["SCHEMA_VERSION", "STORED_CLAIM_COLUMNS", "ImportReport", "PostgresAuditLog", "Store",
           "worker_notice", "works_council_request"]
