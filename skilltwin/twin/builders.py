"""Building twins from records, DataFrames and CV text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from skilltwin._validation import (
    check_instance,
    check_list,
    check_mapping,
    check_number,
    check_top_k,
    located,
)
from skilltwin.documents import Document
from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.twin.claims import LevelPolicy
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.mapping.protocol import Mapper
    from skilltwin.mapping.results import Mention
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["CLAIM_FROM", "add_extracted", "add_records", "cited_evidence", "twins_from_frame"]

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

    A key that is no claim field is refused (it is usually a typo that would lose data). Rows
    of a DataFrame (``from_frame``) may carry other columns. Every row passes the one claim
    check (``skilltwin/twin/rows.py``): a key that is missing takes the default of
    :meth:`~skilltwin.EmployeeTwin.add_skill`, but a blank level or date (``None``, an empty
    cell, NaN) is refused, never replaced by a default.
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
            row = {key: record[key] for key in ("skill", *_CLAIM_KEYS) if key in record}
            twin.add_row(row)


def twins_from_frame(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    attribute_columns: Iterable[str] = (),
    scale: ProficiencyScale | None = None,
    level_policy: LevelPolicy | None = None,
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
    keys, shown_ids = employee_keys(frame["employee_id"], path="claims frame")
    twins = []
    for key, rows in frame.groupby(keys, sort=False):
        records = cast("list[dict[str, Any]]", rows.to_dict("records"))
        first = records[0]
        employee_id = shown_ids[key]
        with located(path=f"claims frame, employee {employee_id!r}"):
            twin = EmployeeTwin(employee_id, taxonomy=taxonomy, scale=scale,
                                level_policy=level_policy,
                                attributes={name: first[name] for name in attributes})
            add_records(twin, records, from_frame=True)
        twins.append(twin)
    return twins


def employee_keys(ids: pd.Series, *, path: str) -> tuple[pd.Series, dict[str, str]]:
    """The identity key of every row's employee id and, per key, the spelling shown (the first
    one met); an id that breaks the identity rule is refused with its row."""
    import numpy as np
    import pandas as pd

    from skilltwin._identity import key_of_normalised
    from skilltwin.twin.rows import check_column, check_employee_id

    values, reasons = check_column(ids, check_employee_id)
    bad = np.flatnonzero(reasons != "")
    if len(bad):
        raise InputValidationError(f"row {ids.index[bad[0]]!r}: {reasons[bad[0]]}", path=path,
                                   field="employee_id")
    distinct = {value: key_of_normalised(value) for value in dict.fromkeys(values)}
    keys = pd.Series([distinct[value] for value in values], index=ids.index, dtype=object)
    shown_ids: dict[str, str] = {}
    for value, key in zip(values, keys, strict=True):
        shown_ids.setdefault(key, value)
    return keys, shown_ids


def add_extracted(
    twin: EmployeeTwin,
    mapper: Mapper,
    text: str | Document,
    *,
    level: float,
    confidence: float,
    observed: dt.date | str | None,
    top_k: int,
    claim_from: float = CLAIM_FROM,
) -> None:
    """Claims and suggestions from the skills ``mapper.extract_skills(text)`` finds.

    ``text`` is the CV's text or a :class:`~skilltwin.documents.Document`. A mention whose
    calibrated ``confidence`` reaches ``claim_from`` becomes an ``inferred`` claim with that
    confidence, its span and where it is as evidence (see :func:`cited_evidence`). A mention
    below it becomes a pending suggestion on ``twin.suggestions`` for a person to accept or
    reject: never a silent claim.
    A mention without a confidence (your own mapper, without the learned step) keeps the
    earlier rule: an ``inferred`` claim with ``confidence`` times its match score. At most
    ``top_k`` mentions, most confident first.
    """
    check_number(confidence, "confidence", minimum=0, maximum=1,
                 hint="Give how sure the extraction is, from 0 to 1.")
    check_number(claim_from, "claim_from", minimum=0, maximum=1,
                 hint="Give the confidence from which a mention becomes a claim, from 0 to 1.")
    check_top_k(top_k)
    document = text if isinstance(text, Document) else _text_document(text)
    mentions = list(mapper.extract_skills(document.text))
    sure = sorted(mentions, key=lambda m: -(m.confidence or 0.0))[:top_k]
    for mention in sorted(sure, key=lambda m: (m.start, m.end)):
        best = mention.best
        calibrated = mention.confidence
        evidence = cited_evidence(document, mention, "extracted from CV text")
        if calibrated is None:
            twin.add_skill(best.uri, level=level, source="inferred", evidence=evidence,
                           observed=observed,
                           confidence=max(0.0, min(1.0, confidence * best.score)))
        elif calibrated >= claim_from:
            twin.add_skill(best.uri, level=level, source="inferred", evidence=evidence,
                           observed=observed, confidence=float(calibrated))
        else:
            twin.suggest_skill(best.uri, level=level, evidence=mention.text, start=mention.start,
                               end=mention.end, observed=observed,
                               confidence=float(calibrated))


def cited_evidence(document: Document, mention: Mention, default: str) -> str:
    """The evidence of an extracted skill: the mention's text and where it is in the document,
    ``SQL and Python (page 2, paragraph 3, characters 120-134)``. The file name is not
    kept (it often holds the person's name). A mention whose span is not in the document (an
    extractor of your own may give other offsets) keeps its text alone."""
    text, start, end = mention.text, mention.start, mention.end
    if not (0 <= start <= end <= len(document.text) and document.parts
            and document.text[start:end] == text):
        return text or default
    return f"{text or default} ({document.cite(start, end)})"


def _text_document(text: object) -> Document:
    if not isinstance(text, str):
        raise ConfigurationError(f"the CV must be text (str) here, not {type(text).__name__}.")
    return Document.from_text(text)


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
