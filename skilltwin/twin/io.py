"""Reading twins from JSON / JSON Lines files (format: docs/scoring.md)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skilltwin._identity import key_of_normalised
from skilltwin._jsonio import read_documents
from skilltwin._validation import check_id, check_mapping, check_unique, located
from skilltwin.errors import InputValidationError
from skilltwin.twin.twin import EmployeeTwin

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["read_twins", "twin_from_document"]


def twin_from_document(document: Mapping[str, Any], taxonomy: Taxonomy) -> EmployeeTwin:
    """A twin from one JSON object.

    Either a twin written by :meth:`EmployeeTwin.to_dict` (claims with ``skill_uri``), or
    input records: ``{"employee_id", "attributes"?, "claims": [{"skill", "level"?, "source"?,
    "evidence"?, "observed"?, "confidence"?}]}`` where ``skill`` is an ESCO URI or label or a
    company skill.
    """
    check_mapping(document, "twin", hint="Give one JSON object per employee.")
    claims = document.get("claims", [])
    written = {"scale", "level_policy", "policy"} & set(document) or (
        isinstance(claims, list) and claims
        and all(isinstance(c, Mapping) and "skill_uri" in c for c in claims))
    if written:  # written by EmployeeTwin.to_dict()
        return EmployeeTwin.from_dict(document, taxonomy=taxonomy)
    unknown = sorted(set(document) - {"employee_id", "attributes", "claims"})
    if unknown:
        raise InputValidationError(
            f"unknown field(s) {', '.join(map(repr, unknown))}; an employee record has "
            "'employee_id', 'attributes' and 'claims' (see docs/scoring.md)."
        )
    if "employee_id" not in document:
        raise InputValidationError("has no 'employee_id'; give every employee a pseudonymous id.")
    return EmployeeTwin.from_records(
        check_id(document["employee_id"], "employee_id"), claims, taxonomy=taxonomy,
        attributes=document.get("attributes"),
    )


def read_twins(path: str | Path, taxonomy: Taxonomy) -> list[EmployeeTwin]:
    """Every twin in a .json or .jsonl file.

    Raises:
        InputValidationError: the file or a record in it is not valid; the message names the
            file, the record (1-based) and the field.
    """
    twins = []
    for number, document in enumerate(read_documents(path, what="employees file"), start=1):
        with located(path=path, row=number):
            twins.append(twin_from_document(document, taxonomy))
    with located(path=path):
        check_unique([key_of_normalised(twin.employee_id) for twin in twins], "employee_id",
                     hint="Give each employee one record (merge the claims); ids that differ "
                     "only in case, Unicode form or white space name one employee.")
    return twins
