"""What produced a result: recorded with every score, override and decision."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from skilltwin._version import __version__

__all__ = ["Provenance"]


class Provenance(BaseModel):
    """The versions behind an automated output.

    Attributes:
        library_version: skilltwin's version.
        taxonomy_release: e.g. ``"ESCO v1.1.1 (en)"`` (:attr:`skilltwin.Taxonomy.release`).
        model_name: the embedding model used, or ``None`` when no model was involved.
    """

    model_config = ConfigDict(frozen=True)

    library_version: str = __version__
    taxonomy_release: str
    model_name: str | None = None
