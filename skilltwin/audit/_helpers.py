"""Small conversions shared by the audit log: argument checks, times and rows to entries."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skilltwin.audit.backend import ENTRY_COLUMNS
from skilltwin.audit.models import AuditEntry
from skilltwin.errors import AuditLogDamagedError, ConfigurationError
from skilltwin.provenance import Provenance

__all__ = ["TimeBound", "as_utc", "different_key", "row_entry", "versions"]

TimeBound = dt.datetime | dt.date | str


def versions(
    provenance: Provenance | None,
    library_version: str | None,
    taxonomy_release: str | None,
    model_name: str | None,
) -> dict[str, str | None]:
    """The three version fields, from a provenance or one by one (not both)."""
    if provenance is None:
        return {"library_version": library_version, "taxonomy_release": taxonomy_release,
                "model_name": model_name}
    if (library_version, taxonomy_release, model_name) != (None, None, None):
        raise ConfigurationError(
            "give either provenance=... or library_version/taxonomy_release/model_name, "
            "not both."
        )
    # the log keeps these three; the language is part of taxonomy_release
    return provenance.model_dump(include={"library_version", "taxonomy_release", "model_name"})




def as_utc(bound: TimeBound) -> dt.datetime:
    """A time bound as an aware UTC datetime (naive values are taken as UTC)."""
    if isinstance(bound, str):
        try:
            bound = dt.datetime.fromisoformat(bound.replace("Z", "+00:00"))
        except ValueError:
            raise ConfigurationError(
                f"cannot read {bound!r} as a time; use ISO-8601 such as 2026-03-01 or "
                "2026-03-01T09:30:00+01:00."
            ) from None
    if not isinstance(bound, dt.datetime):
        bound = dt.datetime(bound.year, bound.month, bound.day)
    if bound.tzinfo is None:
        bound = bound.replace(tzinfo=dt.timezone.utc)
    return bound


def row_entry(row: Mapping[str, Any], path: Path | str) -> AuditEntry:
    """An :class:`AuditEntry` from a row of entries joined with payloads.

    Raises:
        AuditLogDamagedError: the row holds values skilltwin never writes.
    """
    fields = {key: row[key] for key in (*ENTRY_COLUMNS, "subject")}
    try:
        return AuditEntry(
            **fields,
            data=None if row["data"] is None else json.loads(row["data"]),
            erased=row["payload_hash"] is not None and not row["has_payload"],
        )
    except (TypeError, ValueError) as exc:
        detail = str(exc).splitlines()[0]
        raise AuditLogDamagedError(
            f"{path}: entry {row['seq']} cannot be read ({detail}); the log was changed outside "
            f"skilltwin or is damaged. Run `skilltwin audit verify --log {path}`."
        ) from None


def different_key(name: Path | str) -> ConfigurationError:
    """The error for a key other than the one the log was written with."""
    return ConfigurationError(
        f"{name}: this log was written with a different pseudonym key; pass the key it was "
        "written with (pseudonym_key=... or $SKILLTWIN_AUDIT_KEY), or the pseudonyms would "
        "not match."
    )
