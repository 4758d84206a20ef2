"""Canonical JSON and the hashes that chain audit entries together.

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

import datetime as dt
import hashlib
import hmac
import json
import math
from collections.abc import Mapping
from typing import Any

from skilltwin.errors import ConfigurationError

__all__ = [
    "CHAINED_FIELDS",
    "GENESIS_HASH",
    "KEY_FIELD",
    "canonical_json",
    "commitment",
    "entry_hash",
    "entry_mac",
    "erasure_message",
    "head_mac",
    "head_message",
    "normalise_json",
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


def canonical_json(value: Any) -> bytes:
    """``value`` as UTF-8 JSON with sorted keys and no optional whitespace."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


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


def normalise_json(value: Any, where: str = "data") -> Any:
    """A plain-JSON copy of ``value`` (dicts with str keys, lists, str, int, float, bool, None).

    Dates and datetimes become ISO-8601 strings, tuples and sets become lists (sets sorted),
    pydantic models are dumped, and numpy scalars become Python numbers, so that what is hashed
    is exactly what is stored and read back.

    Raises:
        ConfigurationError: a value cannot be represented in JSON (the message names where).
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigurationError(
                f"{where} is {value}, which JSON cannot hold; log a finite number or None."
            )
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ConfigurationError(
                    f"{where} has the non-string key {key!r}; audit data keys must be strings."
                )
            out[key] = normalise_json(item, f"{where}[{key!r}]")
        return out
    if isinstance(value, (list, tuple)):
        return [normalise_json(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        items = [normalise_json(item, f"{where}[...]") for item in value]
        return sorted(items, key=canonical_json)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "model_dump"):  # pydantic models
        return normalise_json(value.model_dump(mode="json"), where)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return normalise_json(value.item(), where)
    raise ConfigurationError(
        f"{where} is a {type(value).__name__}, which cannot be written to the audit log; "
        "convert it to JSON types (dict, list, str, number, bool, None) first."
    )
