"""Occupations ranked by their skills, as :class:`~skilltwin.taxonomy.results.ConceptMatch`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skilltwin.provenance import Provenance
from skilltwin.taxonomy.results import ConceptMatch

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["ranked_occupation"]


def ranked_occupation(taxonomy: Taxonomy, uri: str, score: float, signal: str
                      ) -> ConceptMatch:
    """Occupation ``uri`` ranked by ``score`` (in [0, 1]), which ``signal`` names.

    Nothing textual matched, so ``matched_label`` is the preferred label.
    """
    occupation = taxonomy.occupation(uri)
    value = min(1.0, max(0.0, float(score)))
    return ConceptMatch(uri=uri, label=occupation.label, kind="occupation", score=value,
                        matched_label=occupation.label, matched_role="preferred",
                        signals={signal: value},
                        provenance=Provenance(taxonomy_release=taxonomy.release))
