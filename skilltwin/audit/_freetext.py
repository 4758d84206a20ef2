"""Keeping raw free text (CVs, job ads, evidence) out of the audit log.

Values under a free-text key, at any depth of an entry's data, are replaced by
``{"redacted": "free text", "hmac_sha256": ..., "chars": ...}``: a keyed hash (so the same
text can be recognised by whoever holds the pseudonym key, but not guessed from the log) and
its length.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from skilltwin._jsonio import canonical_json

__all__ = ["DEFAULT_FREE_TEXT_FIELDS", "redact_free_text"]

DEFAULT_FREE_TEXT_FIELDS: frozenset[str] = frozenset(
    {"cv", "cv_text", "resume", "free_text", "text", "job_ad", "job_ad_text", "evidence"}
)
"""Data keys treated as free text unless the log is told otherwise."""


def redact_free_text(
    data: Any, fields: Collection[str], digest: Callable[[Any], str]
) -> Any:
    """A copy of JSON ``data`` with the values under ``fields`` replaced by hash and length."""
    if isinstance(data, dict):
        return {
            key: _redacted(value, digest) if key in fields else
            redact_free_text(value, fields, digest)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact_free_text(item, fields, digest) for item in data]
    return data


def _redacted(value: Any, digest: Callable[[Any], str]) -> Any:
    if value is None:
        return None
    text = value if isinstance(value, str) else canonical_json(value).decode("utf-8")
    chars = len(text)
    return {"redacted": "free text", "hmac_sha256": digest(value), "chars": chars}
