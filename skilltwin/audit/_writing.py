"""Appending one entry: :func:`seal_entry` computes everything an entry stores (pure, any
backend can store it); :func:`store_entry` hands it to a backend's write transaction."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skilltwin._jsonio import canonical_json
from skilltwin._validation import check_actor
from skilltwin._version import __version__
from skilltwin.audit._chain import (
    KEY_FIELD,
    commitment,
    entry_hash,
    entry_mac,
    erasure_message,
    head_mac,
)
from skilltwin.audit.actions import Action
from skilltwin.audit.backend import AuditTransaction, Payload
from skilltwin.audit.models import AuditEntry, format_timestamp
from skilltwin.audit.pseudonym import Pseudonymiser

__all__ = ["SealedEntry", "seal_entry", "store_entry"]


@dataclass(frozen=True)
class SealedEntry:
    """An entry ready to store: its stored fields (with its hash and MAC), and its payload."""

    fields: dict[str, Any]
    subject: str | None
    data: dict[str, Any] | None
    data_text: str | None
    salt: str | None

    def entry(self) -> AuditEntry:
        """The entry as :meth:`AuditLog.record` returns it."""
        return AuditEntry(**self.fields, subject=self.subject, data=self.data)


def seal_entry(
    head: tuple[int, str],
    prev_mac: str | None,
    keyed: Pseudonymiser,
    chain_key: bytes,
    action: str,
    actor: str,
    subject: str | None,
    data: dict[str, Any] | None,
    context: Mapping[str, str | None],
) -> SealedEntry:
    """The entry that follows ``head`` (sequence number and hash of the last entry).

    Every entry carries the key's id and its MAC under ``chain_key`` (chained to
    ``prev_mac``); an entry with a subject or data also a random salt and the commitment to
    its payload; an erasure is signed with the key.
    """
    check_actor(actor)
    fields: dict[str, Any] = {
        "seq": head[0] + 1,
        "entry_id": str(uuid.uuid4()),
        "timestamp": format_timestamp(dt.datetime.now(dt.timezone.utc)),
        "actor": actor,
        "action": str(action),
        "inputs_hash": context.get("inputs_hash"),
        "library_version": context.get("library_version") or __version__,
        "taxonomy_release": context.get("taxonomy_release"),
        "model_name": context.get("model_name"),
        "payload_hash": None,
        "prev_hash": head[1],
        KEY_FIELD: keyed.key_id(),
    }
    if action == Action.ERASURE and data is not None:
        message = erasure_message(fields, data["erased_entries"], data["reason"])
        data = {**data, "signature": keyed.sign(message)}
    salt = None
    data_text = None if data is None else canonical_json(data).decode("utf-8")
    if subject is not None or data is not None:
        salt = secrets.token_hex(32)
        fields["payload_hash"] = commitment(salt, subject, data_text)
    fields["hash"] = entry_hash(fields)
    fields["mac"] = entry_mac(chain_key, fields["seq"], fields["hash"], prev_mac)
    return SealedEntry(fields=fields, subject=subject, data=data, data_text=data_text,
                       salt=salt)


def store_entry(tx: AuditTransaction, sealed: SealedEntry, chain_key: bytes) -> AuditEntry:
    """Store ``sealed`` and move the head (with its MAC) to it; the caller holds the write
    transaction."""
    fields = sealed.fields
    payload = None if sealed.salt is None else Payload(
        subject=sealed.subject, data=sealed.data_text, salt=sealed.salt)
    tx.append(fields, payload, (fields["seq"], fields["hash"],
                                head_mac(chain_key, fields["seq"], fields["hash"], fields["mac"])))
    return sealed.entry()
