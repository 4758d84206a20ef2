"""The parsed tables behind a :class:`~skilltwin.Taxonomy`: what the on-disk cache stores."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["CONCEPT_COLUMNS", "RELATION_COLUMNS", "TaxonomyData"]

CONCEPT_COLUMNS = (
    "uri", "kind", "label", "alt_labels", "hidden_labels", "description", "skill_type",
    "reuse_level", "code", "isco_group", "collections", "language", "fallback_labels",
)
RELATION_COLUMNS = ("source", "target", "relation", "kind")


@dataclass
class TaxonomyData:
    """Concepts (one row per URI) and typed relations between them.

    ``relations.kind`` is one of ``occupation_skill`` and ``skill_skill`` (``relation`` is
    ``essential`` or ``optional``), ``broader_skill`` and ``broader_occupation`` (``relation``
    is ``broader``: ``source`` is the narrower concept, ``target`` the broader one).
    ``undescribed`` maps URIs that relations use but no concept file of the language describes
    to their pillar (``"skill"`` or ``"occupation"``).

    ``concepts.language`` is the language a concept's label, alternative labels and description
    are in: ``language`` where the download has them, otherwise ``fallback``.
    ``concepts.fallback_labels`` holds the fallback-language labels (preferred first) of the
    concepts labelled in ``language``, so that look-up works in both languages.
    """

    version: str
    language: str
    concepts: pd.DataFrame
    relations: pd.DataFrame
    undescribed: dict[str, str] = field(default_factory=dict)
    source: str = ""
    label_index: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    fallback: str = ""

    @property
    def fallback_language(self) -> str:
        """The language used where ``language`` has no label (``language`` itself if none)."""
        return self.fallback or self.language
