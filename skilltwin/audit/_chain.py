"""The hashes that chain audit entries together.

An entry's hash is the SHA-256 of the canonical JSON of its chained fields, which include the
previous entry's hash; the first entry links to :data:`GENESIS_HASH`. Personal payloads are
not chained directly: the entry carries a salted *commitment* to them, so they can be erased
later without breaking the chain. Entries written with the pseudonym key also chain the
key's id (:data:`KEY_FIELD`); entries without one (and every entry of logs written before
skilltwin recorded it) hash without that field.

These are pure functions of an entry's values: the storage (SQLite here, another database
elsewhere) only has to hand the values back exactly as stored.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from skilltwin._jsonio import canonical_json

__all__ = [
    "CHAINED_FIELDS",
    "GENESIS_HASH",
    "KEY_FIELD",
    "commitment",
    "entry_hash",
    "entry_mac",
    "erasure_message",
    "head_mac",
    "head_message",
]

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry of every log."""

CHAINED_FIELDS = (
    "seq",
    "entry_id",
    "timestamp",
    "actor",
    "action",
    "inputs_hash",
    "library_version",
    "taxonomy_release",
    "model_name",
    "payload_hash",
    "prev_hash",
)
"""The stored fields every entry's hash covers."""

KEY_FIELD = "key_id"
"""Chained too when not ``None``: the public id of the pseudonym key the entry was written with."""


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry's :data:`CHAINED_FIELDS` (and its
    :data:`KEY_FIELD` when it has one)."""
    chained = {k: fields[k] for k in CHAINED_FIELDS}
    if fields.get(KEY_FIELD) is not None:
        chained[KEY_FIELD] = fields[KEY_FIELD]
    return hashlib.sha256(canonical_json(chained)).hexdigest()


def entry_mac(chain_key: bytes, seq: int, hash_: str, prev_mac: str | None) -> str:
    """The keyed chain value of an entry: HMAC-SHA256 under the chain key of the entry's
    number, its hash (which covers its fields and the previous entry's hash) and the previous
    entry's MAC (``None`` for the entry that starts the keyed chain)."""
    message = canonical_json({"purpose": "skilltwin-audit entry", "seq": seq, "hash": hash_,
                              "prev_mac": prev_mac})
    return hmac.new(chain_key, message, hashlib.sha256).hexdigest()


def head_mac(chain_key: bytes, seq: int, hash_: str, mac: str | None) -> str:
    """The head record's MAC: which entry is the last one, under the chain key, so that
    nobody without the key can cut entries off the end and move the head back."""
    message = canonical_json({"purpose": "skilltwin-audit head", "seq": seq, "hash": hash_,
                              "mac": mac})
    return hmac.new(chain_key, message, hashlib.sha256).hexdigest()


def head_message(fields: Mapping[str, Any]) -> bytes:
    """What a signed head's signature covers (canonical JSON of its fields but the
    signature)."""
    return canonical_json({"purpose": "skilltwin-audit signed head",
                           **{k: v for k, v in fields.items() if k != "signature"}})


def erasure_message(fields: Mapping[str, Any], erased: list[int], reason: str) -> bytes:
    """What an erasure entry's signature covers: its chained fields but the payload
    commitment (which covers the signature), the erased entries and the reason."""
    signed = {k: fields[k] for k in CHAINED_FIELDS if k != "payload_hash"}
    signed[KEY_FIELD] = fields.get(KEY_FIELD)
    return canonical_json({"purpose": "skilltwin-audit erasure", "entry": signed,
                           "erased_entries": erased, "reason": reason})


def commitment(salt: str, subject: str | None, data_text: str | None) -> str:
    """HMAC-SHA256 (hex), keyed by the per-entry ``salt``, of an entry's personal payload.

    ``data_text`` is the data exactly as stored (canonical JSON), so any change to the stored
    text shows. The random salt keeps the commitment from confirming guesses of a short
    payload; once the payload and its salt are erased, the commitment reveals nothing.
    """
    message = canonical_json({"data": data_text, "subject": subject})
    return hmac.new(bytes.fromhex(salt), message, hashlib.sha256).hexdigest()
