"""The parsed tables behind a :class:`~skilltwin.Taxonomy`: what the on-disk cache stores."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["CONCEPT_COLUMNS", "RELATION_COLUMNS", "TaxonomyData"]

CONCEPT_COLUMNS = (
    "uri", "kind", "label", "alt_labels", "hidden_labels", "description", "skill_type",
    "reuse_level", "code", "isco_group", "collections",
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
    """

    version: str
    language: str
    concepts: pd.DataFrame
    relations: pd.DataFrame
    undescribed: dict[str, str] = field(default_factory=dict)
    source: str = ""
    label_index: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
