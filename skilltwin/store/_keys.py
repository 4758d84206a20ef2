"""Content keys: the hash that makes a claim (or a whole import) recognisable when seen again."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

__all__ = ["claim_key", "claim_keys"]

_SEP = "\x1f"


def claim_key(employee_id: str, skill_uri: str, level: float, source: str, observed: str,
              confidence: float, evidence: str) -> str:
    """32 hex characters identifying a claim by its content (the same claim gives the same key)."""
    text = _SEP.join((employee_id, skill_uri, repr(float(level)), source, observed,
                      repr(float(confidence)), evidence))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def claim_keys(rows: Iterable[tuple[str, str, float, str, str, float, str]]) -> list[str]:
    """:func:`claim_key` of many rows."""
    return [claim_key(*row) for row in rows]
