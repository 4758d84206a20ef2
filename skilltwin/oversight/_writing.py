"""Appending one entry to the SQLite log: chained fields, payload commitment, signature."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import uuid
from collections.abc import Mapping
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

__all__ = ["append_entry"]


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
    """Insert one entry (and its payload, when it has a subject or data) after the head and
    move the head; the caller holds the write lock.

    ``keyed`` (needed for a payload) puts the key's id in the entry and signs erasures.
    """
    require_text(actor, "actor")
    head_seq, head_hash = conn.execute("SELECT seq, hash FROM head WHERE id = 1").fetchone()
    fields: dict[str, Any] = {
        "seq": head_seq + 1,
        "entry_id": str(uuid.uuid4()),
        "timestamp": format_timestamp(dt.datetime.now(dt.timezone.utc)),
        "actor": actor,
        "action": action,
        "inputs_hash": context.get("inputs_hash"),
        "library_version": context.get("library_version") or __version__,
        "taxonomy_release": context.get("taxonomy_release"),
        "model_name": context.get("model_name"),
        "payload_hash": None,
        "prev_hash": head_hash,
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
    try:
        conn.execute(
            f"INSERT INTO entries ({', '.join(fields)}) VALUES "
            f"({', '.join('?' * len(fields))})",
            list(fields.values()),
        )
        if salt is not None:
            conn.execute(
                "INSERT INTO payloads (seq, subject, data, salt) VALUES (?, ?, ?, ?)",
                (fields["seq"], subject, data_text, salt),
            )
        conn.execute(
            "UPDATE head SET seq = ?, hash = ? WHERE id = 1", (fields["seq"], fields["hash"])
        )
    except sqlite3.IntegrityError as exc:
        raise OversightError(
            f"{path}: cannot append entry {fields['seq']} ({exc}); the log was changed "
            "outside skilltwin. Run `skilltwin audit verify --db FILE` to find where."
        ) from None
    return AuditEntry(**fields, subject=subject, data=data)
