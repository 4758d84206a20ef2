"""What the audit log hands back: entries, verification results and chain heads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, field_serializer

__all__ = ["AuditEntry", "ChainHead", "VerifyResult", "format_timestamp"]


class AuditEntry(BaseModel):
    """One record of the audit log.

    Attributes:
        seq: Position in the chain, from 1 without gaps.
        entry_id: A random UUID, unique across logs.
        timestamp: When the entry was written (UTC).
        actor: Who acted: a named person (e.g. an HR analyst's e-mail) or a system name.
        action: What happened, e.g. ``"match"``, ``"override"``, ``"decision"``.
        subject: The employee's pseudonym (HMAC-SHA256 of the id), or ``None``.
        data: The JSON payload (free text redacted unless configured), or ``None``.
        inputs_hash: A hash of the inputs the output was computed from, when given.
        library_version: skilltwin's version when the entry was written.
        taxonomy_release: The taxonomy release behind the output, when given.
        model_name: The embedding model behind the output, when one was used.
        payload_hash: Salted commitment to ``subject`` and ``data`` (``None`` if both empty).
        erased: ``True`` once the subject and data were erased (GDPR art. 17).
        prev_hash: The previous entry's hash (64 zeros for the first entry).
        hash: SHA-256 of this entry's chained fields.
        key_id: The public id of the pseudonym key the entry was written with (entries with a
            subject or data), chained; ``None`` for entries without a payload and in logs
            written before skilltwin recorded it.
    """

    model_config = ConfigDict(frozen=True)

    seq: int
    entry_id: str
    timestamp: dt.datetime
    actor: str
    action: str
    subject: str | None = None
    data: dict[str, Any] | None = None
    inputs_hash: str | None = None
    library_version: str
    taxonomy_release: str | None = None
    model_name: str | None = None
    payload_hash: str | None = None
    erased: bool = False
    prev_hash: str
    hash: str
    key_id: str | None = None

    @field_serializer("timestamp")
    def _timestamp_as_stored(self, value: dt.datetime) -> str:
        return format_timestamp(value)


def format_timestamp(value: dt.datetime) -> str:
    """ISO-8601 in UTC with microseconds, e.g. ``2026-03-01T09:30:00.000000+00:00``."""
    return value.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


class ChainHead(BaseModel):
    """The last entry of a log at some moment: keep a copy outside the log to detect truncation.

    Attributes:
        seq: The last entry's sequence number (0 for an empty log).
        hash: Its hash (the genesis value for an empty log).
    """

    model_config = ConfigDict(frozen=True)

    seq: int
    hash: str


class VerifyResult(BaseModel):
    """The outcome of :meth:`AuditLog.verify`.

    Attributes:
        ok: ``True`` when the chain, the payload commitments and the head are intact.
        checked: How many entries were read.
        first_bad: Sequence number of the first entry found damaged, missing or out of place.
        reason: What is wrong, in words (``"intact"`` when ok).
        head: The log's last entry (sequence number and hash) as read; write it down somewhere
            else and pass it to a later ``verify(anchor=...)`` to detect truncation.
    """

    model_config = ConfigDict(frozen=True)

    ok: bool
    checked: int
    first_bad: int | None = None
    reason: str
    head: ChainHead

    def __bool__(self) -> bool:
        return self.ok
