"""Building twins from records, DataFrames and CV text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from skilltwin.errors import ConfigurationError
from skilltwin.twin.claims import LevelPolicy
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["add_extracted", "add_records", "twins_from_frame"]

_CLAIM_KEYS = ("level", "source", "evidence", "observed", "confidence")


def add_records(twin: EmployeeTwin, records: Iterable[Mapping[str, Any]]) -> None:
    """Add one claim per record (keys: ``skill`` plus any of the add_skill arguments)."""
    for number, record in enumerate(records, start=1):
        if "skill" not in record:
            raise ConfigurationError(
                f"claim record {number} of {twin.employee_id} has no 'skill' key; give an ESCO "
                "URI or label, or a company skill id."
            )
        options = {key: record[key] for key in _CLAIM_KEYS if _present(record.get(key))}
        twin.add_skill(record["skill"], **options)


def twins_from_frame(
    frame: pd.DataFrame,
    *,
    taxonomy: Taxonomy,
    attribute_columns: Iterable[str] = (),
    scale: ProficiencyScale | None = None,
    policy: LevelPolicy | None = None,
) -> list[EmployeeTwin]:
    """One twin per ``employee_id`` from a frame with one row per claim.

    Required columns: ``employee_id``, ``skill``. Optional: ``level``, ``source``,
    ``evidence``, ``observed``, ``confidence``, and the ``attribute_columns`` (taken from each
    employee's first row).
    """
    from skilltwin.twin.twin import EmployeeTwin

    missing = {"employee_id", "skill"} - set(frame.columns)
    if missing:
        raise ConfigurationError(
            f"claims frame lacks column(s) {sorted(missing)}; it needs one row per claim with "
            "employee_id and skill."
        )
    attributes = list(attribute_columns)
    twins = []
    for employee_id, rows in frame.groupby("employee_id", sort=False):
        records = cast("list[dict[str, Any]]", rows.to_dict("records"))
        first = records[0]
        twin = EmployeeTwin(str(employee_id), taxonomy=taxonomy, scale=scale, policy=policy,
                            attributes={name: first[name] for name in attributes})
        add_records(twin, records)
        twins.append(twin)
    return twins


def add_extracted(
    twin: EmployeeTwin,
    mapper: Any,
    text: str,
    *,
    level: float,
    confidence: float,
    observed: dt.date | str | None,
    limit: int,
) -> None:
    """Add an ``inferred`` claim for each skill ``mapper.extract_skills(text)`` finds.

    The extracted skill's match score (when the mapper gives one) scales the confidence.
    """
    for mention in list(mapper.extract_skills(text))[:limit]:
        best = mention.best
        twin.add_skill(best.uri, level=level, source="inferred",
                       evidence=mention.text or "extracted from CV text",
                       observed=observed, confidence=max(0.0, min(1.0, confidence * best.score)))


def _present(value: Any) -> bool:
    if value is None:
        return False
    try:
        import pandas as pd

        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True
