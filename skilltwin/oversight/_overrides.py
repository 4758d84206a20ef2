"""What a person may change in an automated output, and reading scores off outputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from skilltwin._jsonio import normalise_json
from skilltwin.errors import ConfigurationError

__all__ = ["IDENTITY_FIELDS", "check_changes", "score_of"]

IDENTITY_FIELDS = frozenset({"employee_id", "profile_id", "provenance"})
"""Fields that say whose and what a result is; a person corrects values, not identities."""


def score_of(value: Any) -> float | None:
    """``value``'s score (a result's ``score`` or a mapping's ``"score"``), when it has one."""
    score = value.get("score") if isinstance(value, Mapping) else getattr(value, "score", None)
    return float(score) if isinstance(score, (int, float)) and \
        not isinstance(score, bool) else None


def check_changes(value: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The automated values of the fields in ``changes``; raise when a change is invalid."""
    if not changes:
        raise ConfigurationError(
            "override needs at least one field to replace, e.g. score=0.8."
        )
    if not isinstance(value, BaseModel):
        raise ConfigurationError(
            f"a {type(value).__name__} cannot be overridden field by field; record a new "
            "result instead."
        )
    known = type(value).model_fields
    unknown = sorted(set(changes) - set(known))
    if unknown:
        raise ConfigurationError(
            f"{type(value).__name__} has no field {', '.join(unknown)}; fields that can be "
            f"overridden: {', '.join(sorted(set(known) - IDENTITY_FIELDS))}."
        )
    fixed = sorted(set(changes) & IDENTITY_FIELDS)
    if fixed:
        raise ConfigurationError(
            f"{', '.join(fixed)} say whose and what the result is and cannot be overridden; "
            "score the right employee or profile instead."
        )
    if "score" in changes:
        score = changes["score"]
        if isinstance(score, bool) or not isinstance(score, (int, float)) \
                or not 0.0 <= score <= 1.0:
            raise ConfigurationError(f"score must be a number between 0 and 1, not {score!r}.")
    normalise_json(dict(changes), "override")
    return {name: normalise_json(getattr(value, name), name) for name in changes}
