"""Invariance checks: scores must not move when the twins' attributes change."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from skilltwin.errors import ConfigurationError, OversightError

__all__ = ["DEFAULT_PERTURBATIONS", "InvarianceResult", "check_invariance", "with_attributes"]

T = TypeVar("T")
Perturbation = Callable[[dict[str, Any]], Mapping[str, Any]]


def _other(current: Any, choices: Sequence[Any]) -> Any:
    return next(choice for choice in choices if choice != current)


DEFAULT_PERTURBATIONS: dict[str, Perturbation] = {
    "name": lambda a: {**a, "name": _other(a.get("name"), ["Alex Example", "Sam Sample"])},
    "age": lambda a: {**a, "age": _other(a.get("age"), [63, 24])},
    "gender": lambda a: {**a, "gender": _other(a.get("gender"), ["female", "male", "non-binary"])},
    "past_job_titles": lambda a: {
        **a, "past_job_titles": _other(a.get("past_job_titles"),
                                       [["Chief Executive Officer"], ["Warehouse assistant"]]),
    },
    "no_attributes": lambda a: {},
}
"""Changes a score must not notice: each sets one attribute to another value (whether or not
the twin had it), and ``no_attributes`` removes them all."""


def with_attributes(twin: T, attributes: Mapping[str, Any]) -> T:
    """A copy of ``twin`` with other ``attributes``; the original is left alone.

    Uses pydantic's ``model_copy(update=...)`` when the object has it, else a shallow copy.
    """
    if hasattr(twin, "model_copy"):
        copied: T = twin.model_copy(update={"attributes": dict(attributes)})
        return copied
    twin_copy = copy.copy(twin)
    twin_copy.attributes = dict(attributes)  # type: ignore[attr-defined]
    return twin_copy


@dataclass(frozen=True)
class InvarianceResult:
    """The outcome of :func:`check_invariance`.

    Attributes:
        perturbations: The names of the changes tried.
        changes: One row per score that moved: ``perturbation``, ``employee_id``,
            ``column``, ``before``, ``after`` (empty when nothing moved).
    """

    perturbations: tuple[str, ...]
    changes: pd.DataFrame

    @property
    def ok(self) -> bool:
        """``True`` when no score moved under any perturbation."""
        return self.changes.empty

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        """What was tried and what moved, in plain language."""
        tried = ", ".join(self.perturbations)
        if self.ok:
            return f"No score changed when these attributes were changed: {tried}."
        moved = self.changes.groupby("perturbation", sort=False).size()
        parts = [f"{name} ({count} score(s))" for name, count in moved.items()]
        return (f"Scores changed when attributes were changed, so the scorer uses them: "
                f"{', '.join(parts)}. Tried: {tried}.")

    def raise_if_changed(self) -> None:
        """Raise :class:`~skilltwin.OversightError` when any score moved."""
        if not self.ok:
            raise OversightError(
                self.summary() + " Remove these attributes from the scoring inputs."
            )


def check_invariance(
    score: Callable[[Sequence[T]], pd.DataFrame | pd.Series],
    twins: Sequence[T],
    *,
    perturb: Mapping[str, Perturbation] | None = None,
    copy_with: Callable[[T, Mapping[str, Any]], T] = with_attributes,
    atol: float = 1e-9,
) -> InvarianceResult:
    """Check that scores ignore the twins' attributes (name, age, gender, past job titles...).

    ``score`` is run on the twins as they are and once per perturbation on copies whose
    ``attributes`` were changed; every score that differs by more than ``atol`` is listed.

    Args:
        score: Scores twins, e.g. ``lambda t: skilltwin.match_frame(t, profiles, taxonomy=esco)``
            (rows: employees; columns: profiles; a Series is one column).
        twins: Objects with an ``attributes`` dict, such as :class:`~skilltwin.EmployeeTwin`.
        perturb: Named changes, each taking a twin's attributes (a copy) and returning new
            ones. Default: :data:`DEFAULT_PERTURBATIONS`.
        copy_with: Makes a twin copy with given attributes (default :func:`with_attributes`).
        atol: Largest difference still counted as unchanged.

    Raises:
        ConfigurationError: no twins, or twins without an ``attributes`` dict.
    """
    if not twins:
        raise ConfigurationError("check_invariance needs at least one twin.")
    for twin in twins:
        if not isinstance(getattr(twin, "attributes", None), Mapping):
            raise ConfigurationError(
                f"check_invariance needs objects with an `attributes` dict (like EmployeeTwin); "
                f"got a {type(twin).__name__} without one."
            )
    perturbations = dict(DEFAULT_PERTURBATIONS if perturb is None else perturb)
    before = _as_frame(score(twins))
    found = []
    for name, change in perturbations.items():
        changed = [copy_with(t, change(dict(t.attributes))) for t in twins]  # type: ignore[attr-defined]
        after = _as_frame(score(changed)).reindex(index=before.index, columns=before.columns)
        found.append(_moved(name, before, after, atol))
    return InvarianceResult(tuple(perturbations), pd.concat(found, ignore_index=True))


def _as_frame(scores: pd.DataFrame | pd.Series) -> pd.DataFrame:
    return scores.to_frame() if isinstance(scores, pd.Series) else scores


def _moved(name: str, before: pd.DataFrame, after: pd.DataFrame, atol: float) -> pd.DataFrame:
    old = before.to_numpy(dtype=float)
    new = after.to_numpy(dtype=float)
    same = np.isclose(old, new, rtol=0.0, atol=atol, equal_nan=True)
    rows, cols = np.nonzero(~same)
    return pd.DataFrame({
        "perturbation": [name] * len(rows),
        "employee_id": before.index[rows],
        "column": before.columns[cols],
        "before": old[rows, cols],
        "after": new[rows, cols],
    })
