"""What the audit log hands back: entries, verification results and chain heads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, field_serializer

from skilltwin.audit._chain import head_message
from skilltwin.audit._signature import signature_valid

__all__ = ["AuditEntry", "ChainHead", "SignedHead", "VerifyResult", "format_timestamp"]


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
        hash: SHA-256 of this entry's chained fields (anyone can recompute it).
        key_id: The public id of the pseudonym key the entry was written with (entries with a
            subject or data), chained; ``None`` for entries without a payload and in logs
            written before skilltwin recorded it.
        mac: The keyed chain value: HMAC-SHA256, under a key derived from the log key, of
            the entry's hash and the previous entry's MAC; only the key's holder can make
            or check it. ``None`` for entries written before the log was keyed.
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
    mac: str | None = None

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
        keyed: Whether the keyed chain was checked (with the log key). Without it, ``ok``
            means the log is consistent, not that it is authentic: anyone who can write the
            file can rewrite entries and recompute the plain hashes.
        keyed_from: The first entry of the keyed chain (entries before it were written
            before the log was keyed and are covered by the plain chain only); ``None``
            when no entry is keyed.
    """

    model_config = ConfigDict(frozen=True)

    ok: bool
    checked: int
    first_bad: int | None = None
    reason: str
    head: ChainHead
    keyed: bool = False
    keyed_from: int | None = None

    def __bool__(self) -> bool:
        return self.ok


class SignedHead(BaseModel):
    """A log's head signed with the Ed25519 key derived from the log key: an auditor who
    holds only the public key can check that the log still holds these entries unchanged.

    Written by :meth:`AuditLog.signed_head` (``skilltwin audit head --sign``) after a keyed
    verification; checked with :meth:`check` (``skilltwin audit check-head``). Keep it where
    the people who can write the log cannot change it, like any anchor.

    Attributes:
        format: ``"skilltwin-audit-signed-head/1"``.
        seq: The last entry's number when it was signed.
        hash: Its (plain) hash; it covers every earlier entry.
        keyed_from: The first entry of the keyed chain then.
        signed_at: When it was signed (UTC).
        public_key: The Ed25519 public key (hex) the signature claims; compare it with the
            key you were given, never trust it from the file alone.
        signature: Ed25519 signature (hex) of the other fields.
    """

    model_config = ConfigDict(frozen=True)

    format: str = "skilltwin-audit-signed-head/1"
    seq: int
    hash: str
    keyed_from: int | None = None
    signed_at: str
    public_key: str
    signature: str

    def anchor(self) -> ChainHead:
        """The head as an anchor for :meth:`AuditLog.verify`."""
        return ChainHead(seq=self.seq, hash=self.hash)

    def check(self, public_key: str) -> bool:
        """Whether the signature is valid and made with ``public_key`` (hex), the key you
        got from the log key's holder (``skilltwin audit public-key``)."""
        wanted = public_key.strip().lower()
        if wanted != self.public_key.lower():
            return False
        return signature_valid(wanted, head_message(self.model_dump(mode="json")),
                               self.signature)
