"""What the workspace writes to the log for each step's output, and how raw ids are kept out.

:func:`value_record` gives, per step, the part of an entry's data that records the output
itself; the workspace writes it after each step and recomputes it when a result comes back
for an override or a decision, to check that the result is the one the log recorded.
:func:`pseudonymised` replaces an employee's raw id in every text of a record by the
pseudonym (explanations and summaries are built from the raw id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from skilltwin.audit.actions import STEP_ACTIONS
from skilltwin.profiles.profile import JobProfile

__all__ = ["STEP_ACTIONS", "pseudonymised", "value_record"]



def pseudonymised(value: Any, raw_id: str, pseudonym: str) -> Any:
    """A copy of JSON ``value`` with ``raw_id`` replaced by ``pseudonym`` in every string
    (where it stands as a token, not inside a longer word or number)."""
    pattern = re.compile(r"(?<![\w.,])" + re.escape(raw_id) + r"(?!\w)")

    def swap(item: Any) -> Any:
        if isinstance(item, str):
            return pattern.sub(pseudonym, item)
        if isinstance(item, dict):
            return {swap(key): swap(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [swap(inner) for inner in item]
        return item

    return swap(value)


def value_record(step: str, value: Any) -> dict[str, Any]:
    """The entry data that records ``value``, the output of ``step``."""
    return _RECORDS[step](value)


def _scored(value: Any) -> dict[str, Any]:
    return {"output": value.model_dump(mode="json", exclude={"employee_id"})}


def _frame_summary(frame: Any) -> dict[str, Any]:
    return {
        "employees": len(frame),
        "profiles": {
            str(pid): {"best": rounded(frame[pid].max()), "mean": rounded(frame[pid].mean())}
            for pid in frame.columns
        },
    }


def _claims(claims: Any) -> dict[str, Any]:
    return {"claims": [claim.model_dump(mode="json", exclude={"evidence"}) for claim in claims]}


def _draft(draft: Any) -> dict[str, Any]:
    return {"profile": profile_record(draft.profile),
            "suggestions": [s.model_dump(mode="json") for s in draft.suggestions],
            "occupations": [[o.uri, o.label, o.score] for o in draft.occupations]}


def _profile(profile: Any) -> dict[str, Any]:
    return {"profile": profile_record(profile)}


def profile_record(profile: JobProfile) -> dict[str, Any]:
    """A generated profile as logged: everything but its free-text description."""
    return profile.model_dump(mode="json", exclude={"purpose"})


def rounded(value: Any) -> float:
    """A score as logged (6 decimals)."""
    return round(float(value), 6)


_RECORDS: Mapping[str, Callable[[Any], dict[str, Any]]] = {
    "match": _scored,
    "gap": _scored,
    "match_frame": _frame_summary,
    "infer_skills": _claims,
    "profile_from_skills": _draft,
    "profile_from_text": _profile,
}
