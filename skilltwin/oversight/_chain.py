"""Canonical JSON and the hashes that chain audit entries together.

An entry's hash is the SHA-256 of the canonical JSON of its chained fields, which include the
previous entry's hash; the first entry links to :data:`GENESIS_HASH`. Personal payloads are
not chained directly: the entry carries a salted *commitment* to them, so they can be erased
later without breaking the chain.
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
    "canonical_json",
    "commitment",
    "entry_hash",
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
"""The stored fields an entry's hash covers (everything but the hash itself)."""


def canonical_json(value: Any) -> bytes:
    """``value`` as UTF-8 JSON with sorted keys and no optional whitespace."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry's :data:`CHAINED_FIELDS`."""
    return hashlib.sha256(canonical_json({k: fields[k] for k in CHAINED_FIELDS})).hexdigest()


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
