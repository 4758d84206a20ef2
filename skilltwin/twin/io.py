"""Reading twins from JSON / JSON Lines files (format: docs/scoring.md)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skilltwin._jsonio import read_documents
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
    claims = document.get("claims", [])
    if claims and all(isinstance(c, Mapping) and "skill_uri" in c for c in claims):
        return EmployeeTwin.from_dict(document, taxonomy=taxonomy)
    return EmployeeTwin.from_records(
        str(document.get("employee_id", "")), claims, taxonomy=taxonomy,
        attributes=document.get("attributes"),
    )


def read_twins(path: str | Path, taxonomy: Taxonomy) -> list[EmployeeTwin]:
    """Every twin in a .json or .jsonl file."""
    return [twin_from_document(document, taxonomy) for document in read_documents(path)]
