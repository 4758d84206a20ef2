"""The audit log, as it was imported before it moved to :mod:`skilltwin.audit`.

``from skilltwin.oversight.audit import AuditLog`` keeps working; new code imports from
``skilltwin.audit`` (or ``skilltwin``).
"""

from skilltwin.audit import (
    DEFAULT_FREE_TEXT_FIELDS,
    ERASURE_ACTION,
    AuditEntry,
    AuditLog,
    ChainHead,
    SignedHead,
    VerifyResult,
)

__all__ = ["DEFAULT_FREE_TEXT_FIELDS", "ERASURE_ACTION", "AuditEntry", "AuditLog", "ChainHead",
           "SignedHead", "VerifyResult"]
