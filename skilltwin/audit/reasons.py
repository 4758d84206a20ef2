"""Reasons written to entries that are kept after every erasure (an erasure, a reviewer's
deactivation): the log and the reviewer roster check them with one rule."""

from __future__ import annotations

import re
from collections.abc import Iterable

from skilltwin._identity import key_of_normalised
from skilltwin._validation import check_reason
from skilltwin.errors import ConfigurationError

__all__ = ["kept_reason"]

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
