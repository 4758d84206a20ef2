"""Small conversions shared by the audit log: argument checks, times and rows to entries."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from skilltwin._identity import key_of_normalised
from skilltwin._validation import check_reason
from skilltwin.audit._models import AuditEntry
from skilltwin.audit.backend import ENTRY_COLUMNS
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


# Six digits in a row, or three groups of three (a Dutch citizen service number, 123 456 782);
# a year or a ticket such as 2026-014 passes.
_LONG_NUMBER = re.compile(r"\d{6,}|(?<!\d)\d{3}[ .-]\d{3}[ .-]\d{3}(?!\d)")


def kept_reason(reason: object, name: str, ids: Iterable[str] = ()) -> str:
    """``reason`` for an entry that is kept after every erasure (an erasure, a reviewer's
    deactivation): refused when it holds one of ``ids`` (any spelling by the identity rule)
    or a long number (a personnel or citizen service number, a phone number), which would
    then outlive the erasure. Names cannot be recognised: the docs ask for none."""
    reason = check_reason(reason, name)
    folded = key_of_normalised(reason)
    held = next((raw for raw in ids if raw and re.search(
        rf"(?<!\w){re.escape(key_of_normalised(raw))}(?!\w)", folded)), None)
    if held is not None or _LONG_NUMBER.search(reason):
        what = "the employee's id" if held is not None else "a long number (an id?)"
        raise ConfigurationError(
            f"the {name} holds {what}; this entry is kept after every erasure, so give the "
            "ground only (e.g. 'GDPR art. 17 request 2026-014'), never a person's id, name "
            "or other personal data.")
    return reason


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
