"""Retention: personal payloads older than the retention period leave the audit log.

The EU AI Act (art. 26(6)) makes deployers of high-risk systems keep the logs for at least six
months; the GDPR (art. 5(1)(e)) asks that personal data be kept no longer than needed. So a
store keeps the chained entries for good, and removes, after ``keep_months`` (at least 6),
the personal payloads (the subject's pseudonym and the entry's data) of entries written before
then, together with the recorded scores of that age. The removal is one signed ``erasure``
entry that lists the entries it emptied, so the chain still verifies and the retention run
is itself on the log.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from skilltwin.audit import AuditLog
from skilltwin.audit.models import format_timestamp
from skilltwin.errors import ConfigurationError

__all__ = ["MAX_MONTHS", "MIN_MONTHS", "check_months", "cutoff", "remove_old_payloads"]

MIN_MONTHS = 6
"""EU AI Act art. 26(6): logs are kept for at least six months."""
MAX_MONTHS = 12 * 100
"""A century: a longer period is a typing error, not a retention policy."""


def check_months(value: object, name: str) -> int:
    """``value`` as a retention period in months: a whole number from six to a century.

    Raises:
        ConfigurationError: ``value`` is not a whole number (a bool, a float, text), is
            below six, or above :data:`MAX_MONTHS`.
    """
    if isinstance(value, bool) or not isinstance(value, int) \
            or not MIN_MONTHS <= value <= MAX_MONTHS:
        raise ConfigurationError(
            f"{name}={str(value)[:40]}: logs must be kept at least {MIN_MONTHS} months (EU AI "
            f"Act art. 26(6)); give a whole number of months of 6 or more (at most "
            f"{MAX_MONTHS})."
        )
    return value


def cutoff(keep_months: int, now: dt.datetime) -> dt.datetime:
    """``now`` minus ``keep_months`` calendar months (the day clipped to the month's end).

    Raises:
        ConfigurationError: ``keep_months`` is not a whole number of at least six.
    """
    check_months(keep_months, "keep_months")
    months = now.year * 12 + now.month - 1 - keep_months
    year, month = divmod(months, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def remove_old_payloads(log: AuditLog, before: dt.datetime, *, actor: str,
                        keep_months: int,
                        rows: Mapping[tuple[str, str], Sequence[Any]] | None = None) -> list[int]:
    """Delete the personal payloads of entries written before ``before`` (and ``rows`` of
    the store, in the same transaction) and record it; returns the emptied entries' numbers
    (none: nothing is recorded)."""
    stamp = format_timestamp(before)
    return log.erase_before(
        before, actor=actor, rows=rows,
        reason=f"retention: personal payloads of entries written before {stamp} "
               f"(kept {keep_months} months; EU AI Act art. 26(6), GDPR art. 5(1)(e))")
