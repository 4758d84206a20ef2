"""Content keys: the hash that makes a claim (or a whole import) recognisable when seen again."""

from __future__ import annotations

import hashlib

import pandas as pd

__all__ = ["claim_key", "claim_keys"]

_SEP = "\x1f"


def claim_key(employee_id: str, skill_uri: str, level: float, source: str, observed: str,
              confidence: float, evidence: str) -> str:
    """32 hex characters identifying a claim by its content (the same claim gives the same key)."""
    text = _SEP.join((employee_id, skill_uri, repr(float(level)), source, observed,
                      repr(float(confidence)), evidence))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def claim_keys(claims: pd.DataFrame) -> list[str]:
    """:func:`claim_key` of every row of a frame with the claim columns (vectorised joins)."""
    text = claims["employee_id"].astype(str)
    for column in ("skill_uri", "level", "source", "observed", "confidence", "evidence"):
        values = claims[column]
        if column in ("level", "confidence"):
            values = pd.Series([repr(v) for v in values.astype(float).tolist()],
                               index=claims.index)
        text = text + _SEP + values.astype(str)
    blake = hashlib.blake2b
    return [blake(t.encode("utf-8"), digest_size=16).hexdigest() for t in text.tolist()]
