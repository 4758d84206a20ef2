"""Building twins from records, DataFrames and CV text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from skilltwin._validation import (
    check_count,
    check_instance,
    check_list,
    check_mapping,
    check_number,
    located,
)
from skilltwin.errors import InputValidationError
from skilltwin.twin.claims import LevelPolicy
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.mapping.protocol import Mapper
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["CLAIM_FROM", "add_extracted", "add_records", "twins_from_frame"]

#: Extracted mentions with a confidence of at least this become ``inferred`` claims; the
#: others the extractor keeps become pending suggestions a person accepts or rejects. From 0.5
#: a mention is more likely right than wrong (the confidence is calibrated on the dev sets,
#: docs/benchmarks.md); below it, it is more likely wrong, and a person decides.
CLAIM_FROM = 0.5

_CLAIM_KEYS = ("level", "source", "evidence", "observed", "confidence")
_RECORDS_HINT = 'Give claims as a list of objects like {"skill": "SQL", "level": 3}.'


def add_records(twin: EmployeeTwin, records: Iterable[Mapping[str, Any]], *,
                from_frame: bool = False) -> None:
    """Add one claim per record (keys: ``skill`` plus any of the add_skill arguments).

    A key that is no claim field is refused (it is usually a typo that would lose data), and a
    missing value is ``None``. Rows of a DataFrame (``from_frame``) may carry other columns, and
    their empty cells (NaN) count as not given. In records from JSON only ``None`` (null) is
    not given: a NaN level is an error, never the default level.
    """
    for number, record in enumerate(check_list(records, "claims", hint=_RECORDS_HINT)):
        with located(field=f"claims[{number}]"):
            check_mapping(record, "claim", hint=_RECORDS_HINT)
            if not from_frame:
                unknown = sorted(set(record) - {"skill", *_CLAIM_KEYS})
                if unknown:
                    raise InputValidationError(
                        f"unknown field(s) {', '.join(map(repr, unknown))}; a claim has "
                        f"'skill' and optionally {', '.join(map(repr, _CLAIM_KEYS))}.",
                    )
            if not _present(record.get("skill"), from_frame):
                raise InputValidationError(
                    f"the claim of {twin.employee_id} has no 'skill'; give an ESCO URI or "
                    "label, or a company skill id.",
                )
            options = {key: record[key] for key in _CLAIM_KEYS
                       if _present(record.get(key), from_frame)}
            twin.add_skill(record["skill"], **options)


def twins_from_frame(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    attribute_columns: Iterable[str] = (),
    scale: ProficiencyScale | None = None,
    policy: LevelPolicy | None = None,
) -> list[EmployeeTwin]:
    """One twin per ``employee_id`` from a frame with one row per claim.

    Required columns: ``employee_id``, ``skill``. Optional: ``level``, ``source``,
    ``evidence``, ``observed``, ``confidence``, and the ``attribute_columns`` (taken from each
    employee's first row).
    """
    import pandas as pd

    from skilltwin.twin.twin import EmployeeTwin

    check_instance(frame, pd.DataFrame, "frame", hint="Pass a pandas DataFrame of claims.")
    attributes = list(attribute_columns)
    missing = {"employee_id", "skill"} - set(frame.columns)
    missing |= set(attributes) - set(frame.columns)
    if missing:
        raise InputValidationError(
            f"lacks column(s) {sorted(missing)}; it needs one row per claim with employee_id "
            "and skill (and the attribute columns named).",
            path="claims frame",
        )
    no_id = frame["employee_id"].isna().to_numpy()
    if no_id.any():
        raise InputValidationError(
            f"{int(no_id.sum())} row(s) have no employee_id (first: row {frame.index[no_id][0]!r});"
            " every claim needs the id of its employee.",
            path="claims frame", field="employee_id",
        )
    twins = []
    for employee_id, rows in frame.groupby("employee_id", sort=False):
        records = cast("list[dict[str, Any]]", rows.to_dict("records"))
        first = records[0]
        with located(path=f"claims frame, employee {employee_id!r}"):
            twin = EmployeeTwin(str(employee_id), taxonomy=taxonomy, scale=scale, policy=policy,
                                attributes={name: first[name] for name in attributes})
            add_records(twin, records, from_frame=True)
        twins.append(twin)
    return twins


def add_extracted(
    twin: EmployeeTwin,
    mapper: Mapper,
    text: str,
    *,
    level: float,
    confidence: float,
    observed: dt.date | str | None,
    limit: int,
    claim_from: float = CLAIM_FROM,
) -> None:
    """Claims and suggestions from the skills ``mapper.extract_skills(text)`` finds.

    A mention whose calibrated ``confidence`` reaches ``claim_from`` becomes an ``inferred``
    claim with that confidence, its span as evidence. A mention below it becomes a pending
    suggestion on ``twin.suggestions`` for a person to accept or reject: never a silent claim.
    A mention without a confidence (your own mapper, without the learned step) keeps the
    earlier rule: an ``inferred`` claim with ``confidence`` times its match score. At most
    ``limit`` mentions, most confident first.
    """
    check_number(confidence, "confidence", minimum=0, maximum=1,
                 hint="Give how sure the extraction is, from 0 to 1.")
    check_number(claim_from, "claim_from", minimum=0, maximum=1,
                 hint="Give the confidence from which a mention becomes a claim, from 0 to 1.")
    check_count(limit, "limit")
    mentions = list(mapper.extract_skills(text))
    sure = sorted(mentions, key=lambda m: -(getattr(m, "confidence", None) or 0.0))[:limit]
    for mention in sorted(sure, key=lambda m: (m.start, m.end)):
        best = mention.best
        calibrated = getattr(mention, "confidence", None)
        evidence = mention.text or "extracted from CV text"
        if calibrated is None:
            twin.add_skill(best.uri, level=level, source="inferred", evidence=evidence,
                           observed=observed,
                           confidence=max(0.0, min(1.0, confidence * best.score)))
        elif calibrated >= claim_from:
            twin.add_skill(best.uri, level=level, source="inferred", evidence=evidence,
                           observed=observed, confidence=float(calibrated))
        else:
            twin.suggest_skill(best.uri, level=level, evidence=evidence, start=mention.start,
                               end=mention.end, observed=observed,
                               confidence=float(calibrated))


def _present(value: Any, from_frame: bool) -> bool:
    """Whether a record gives ``value``: ``None`` never does, nor an empty cell of a frame
    (NaN). Elsewhere NaN is a value, and refused as a level or confidence."""
    if value is None:
        return False
    if not from_frame:
        return True
    try:
        import pandas as pd

        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True
