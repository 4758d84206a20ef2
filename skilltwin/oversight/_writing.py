"""Appending one entry: :func:`seal_entry` computes everything an entry stores (pure, any
storage can use it); :func:`append_entry` writes it to the SQLite log after its head."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skilltwin._version import __version__
from skilltwin.errors import OversightError
from skilltwin.oversight._chain import (
    KEY_FIELD,
    canonical_json,
    commitment,
    entry_hash,
    erasure_message,
)
from skilltwin.oversight._helpers import require_text
from skilltwin.oversight._models import AuditEntry, format_timestamp
from skilltwin.oversight._pseudonym import Pseudonymiser
from skilltwin.oversight._verify import ERASURE_ACTION

__all__ = ["SealedEntry", "append_entry", "seal_entry"]


@dataclass(frozen=True)
class SealedEntry:
    """An entry ready to store: its chained fields (with its hash), and its payload row."""

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
    keyed: Pseudonymiser | None,
    action: str,
    actor: str,
    subject: str | None,
    data: dict[str, Any] | None,
    context: Mapping[str, str | None],
) -> SealedEntry:
    """The entry that follows ``head`` (sequence number and hash of the last entry).

    An entry with a subject or data needs ``keyed``: it carries the key's id, a random salt
    and the commitment to its payload; an erasure is also signed with the key.
    """
    require_text(actor, "actor")
    fields: dict[str, Any] = {
        "seq": head[0] + 1,
        "entry_id": str(uuid.uuid4()),
        "timestamp": format_timestamp(dt.datetime.now(dt.timezone.utc)),
        "actor": actor,
        "action": action,
        "inputs_hash": context.get("inputs_hash"),
        "library_version": context.get("library_version") or __version__,
        "taxonomy_release": context.get("taxonomy_release"),
        "model_name": context.get("model_name"),
        "payload_hash": None,
        "prev_hash": head[1],
        KEY_FIELD: None,
    }
    salt = None
    if keyed is not None:
        fields[KEY_FIELD] = keyed.key_id()
        if action == ERASURE_ACTION and data is not None:
            message = erasure_message(fields, data["erased_entries"], data["reason"])
            data = {**data, "signature": keyed.sign(message)}
        salt = secrets.token_hex(32)
    data_text = None if data is None else canonical_json(data).decode("utf-8")
    if salt is not None:
        fields["payload_hash"] = commitment(salt, subject, data_text)
    fields["hash"] = entry_hash(fields)
    return SealedEntry(fields=fields, subject=subject, data=data, data_text=data_text,
                       salt=salt)


def append_entry(
    conn: sqlite3.Connection,
    path: Path,
    keyed: Pseudonymiser | None,
    action: str,
    actor: str,
    subject: str | None,
    data: dict[str, Any] | None,
    context: Mapping[str, str | None],
) -> AuditEntry:
    """Insert one entry (and its payload, when it has one) after the head and move the head;
    the caller holds the write lock."""
    head = conn.execute("SELECT seq, hash FROM head WHERE id = 1").fetchone()
    sealed = seal_entry((head[0], head[1]), keyed, action, actor, subject, data, context)
    fields = sealed.fields
    try:
        conn.execute(
            f"INSERT INTO entries ({', '.join(fields)}) VALUES "
            f"({', '.join('?' * len(fields))})",
            list(fields.values()),
        )
        if sealed.salt is not None:
            conn.execute(
                "INSERT INTO payloads (seq, subject, data, salt) VALUES (?, ?, ?, ?)",
                (fields["seq"], subject, sealed.data_text, sealed.salt),
            )
        conn.execute(
            "UPDATE head SET seq = ?, hash = ? WHERE id = 1", (fields["seq"], fields["hash"])
        )
    except sqlite3.IntegrityError as exc:
        raise OversightError(
            f"{path}: cannot append entry {fields['seq']} ({exc}); the log was changed "
            "outside skilltwin. Run `skilltwin audit verify --db FILE` to find where."
        ) from None
    return sealed.entry()
