"""What the workspace needs from a shared store: the :class:`ScoreStore` protocol.

:class:`skilltwin.store.Store` (a higher layer) is one; the workspace names only this seam,
so oversight never imports the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from skilltwin.audit import AuditLog
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.scoring.results import GapReport, MatchResult

__all__ = ["ScoreStore"]


class ScoreStore(Protocol):
    """A store that keeps the audit log, profile versions and recorded scores."""

    def audit_log(self) -> AuditLog:
        """The store's audit log."""
        ...

    def save_profile(self, profile: JobProfile, *, actor: str) -> int:
        """Store ``profile``; return its version."""
        ...

    def record_score(self, result: MatchResult | GapReport, *, actor: str,
                     profile_version: int | None = None) -> int:
        """Record a match or gap result against a stored profile version."""
        ...
