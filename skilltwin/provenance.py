"""What produced a result: recorded with every score, override and decision."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from skilltwin._version import __version__

__all__ = ["Provenance"]

_RELEASE_LANGUAGE = re.compile(r"\(([a-z]{2,3}(?:-[A-Za-z]+)?)\)\s*$")


class Provenance(BaseModel):
    """The versions behind an automated output.

    Attributes:
        library_version: skilltwin's version.
        taxonomy_release: e.g. ``"ESCO v1.1.1 (en)"`` (:attr:`skilltwin.Taxonomy.release`).
        model_name: the embedding model used, or ``None`` when no model was involved.
        language: the taxonomy language the result's labels are in (``"en"``, ``"nl"``, ...).
            When not given it is read from ``taxonomy_release`` (which names it in brackets),
            so provenance serialised before this field existed reads back with it.
    """

    model_config = ConfigDict(frozen=True)

    library_version: str = __version__
    taxonomy_release: str
    model_name: str | None = None
    language: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _language_from_release(cls, values: Any) -> Any:
        if isinstance(values, dict) and values.get("language") is None:
            match = _RELEASE_LANGUAGE.search(str(values.get("taxonomy_release", "")))
            if match:
                values = {**values, "language": match.group(1)}
        return values
