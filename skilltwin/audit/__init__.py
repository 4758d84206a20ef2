"""The audit log: a tamper-evident, keyed record of every automated step and human decision.

One package holds the log's logic — entries, the plain and the keyed chain, verification,
signed heads, export, erasure and retention — over a small storage interface,
:class:`AuditBackend`, with two implementations: :class:`SQLiteBackend` (a file; what
``AuditLog(path)`` opens) and :class:`PostgresBackend` (a PostgreSQL database through
SQLAlchemy; loaded only when used). Step names are one enum, :class:`Action`.

See ``docs/oversight.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skilltwin.audit._freetext import DEFAULT_FREE_TEXT_FIELDS
from skilltwin.audit._verify import ERASURE_ACTION
from skilltwin.audit.actions import Action
from skilltwin.audit.backend import AuditBackend, AuditTransaction, Payload, RowQuery
from skilltwin.audit.heads import check_head, read_signed_head, write_signed_head
from skilltwin.audit.log import AuditLog
from skilltwin.audit.models import AuditEntry, ChainHead, SignedHead, VerifyResult
from skilltwin.audit.sqlite import SQLiteBackend
from skilltwin.errors import AuditLogDamagedError

if TYPE_CHECKING:
    from skilltwin.audit.postgres import PostgresBackend

__all__ = [
    "DEFAULT_FREE_TEXT_FIELDS",
    "ERASURE_ACTION",
    "Action",
    "AuditBackend",
    "AuditEntry",
    "AuditLog",
    "AuditLogDamagedError",
    "AuditTransaction",
    "ChainHead",
    "Payload",
    "PostgresBackend",
    "RowQuery",
    "SQLiteBackend",
    "SignedHead",
    "VerifyResult",
    "check_head",
    "read_signed_head",
    "write_signed_head",
]


def __getattr__(name: str) -> Any:
    if name == "PostgresBackend":  # needs SQLAlchemy: imported on first use
        from skilltwin.audit.postgres import PostgresBackend

        return PostgresBackend
    raise AttributeError(f"module 'skilltwin.audit' has no attribute {name!r}")
