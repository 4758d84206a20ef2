"""Human oversight: the tamper-evident audit log, pseudonymisation and erasure, the
workspace, and the roster of reviewers.

See ``docs/oversight.md``.
"""

from skilltwin.audit import (
    DEFAULT_FREE_TEXT_FIELDS,
    ERASURE_ACTION,
    AuditEntry,
    AuditLog,
    ChainHead,
    VerifyResult,
)
from skilltwin.errors import AuditLogDamagedError
from skilltwin.oversight.hooks import (
    Hook,
    HookContext,
    HookEffect,
    HookRejection,
    Hooks,
    flag_low_evidence,
    redact_fields,
    require_second_reviewer,
)
from skilltwin.oversight.purposes import DEFAULT_PURPOSES, Purpose
from skilltwin.oversight.results import Decision, OverriddenResult, Recorded
from skilltwin.oversight.roster import (
    Reviewer,
    Roster,
    UnregisteredReviewerWarning,
)
from skilltwin.oversight.workspace import Workspace

__all__ = [
    "DEFAULT_FREE_TEXT_FIELDS",
    "DEFAULT_PURPOSES",
    "ERASURE_ACTION",
    "AuditEntry",
    "AuditLog",
    "AuditLogDamagedError",
    "ChainHead",
    "Decision",
    "Hook",
    "HookContext",
    "HookEffect",
    "HookRejection",
    "Hooks",
    "OverriddenResult",
    "Purpose",
    "Recorded",
    "Reviewer",
    "Roster",
    "UnregisteredReviewerWarning",
    "VerifyResult",
    "Workspace",
    "flag_low_evidence",
    "redact_fields",
    "require_second_reviewer",
]
