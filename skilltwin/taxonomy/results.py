"""Ranked concepts: :class:`ConceptMatch`, what every search and mapping of text returns.

Lexical search (:meth:`skilltwin.Taxonomy.search`) and the skill mapper
(:class:`skilltwin.SkillMapper`) both rank concepts for a text, best first, as this one type.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from skilltwin.provenance import Provenance

__all__ = ["ROLES", "ConceptMatch", "MatchKind", "Role"]

#: The kinds of concept a text is matched to.
MatchKind = Literal["skill", "occupation"]
#: Which of a concept's texts matched: a label of one of three roles, or the description.
Role = Literal["preferred", "alternative", "hidden", "description"]
ROLES: tuple[Role, ...] = ("preferred", "alternative", "hidden", "description")


class ConceptMatch(BaseModel):
    """One taxonomy concept matched to a text, with why it matched.

    Attributes:
        uri: The concept's URI.
        label: Its preferred label.
        kind: ``"skill"`` or ``"occupation"``.
        score: How well the concept matches the text, in [0, 1]; not a probability. From the
            mapper, a weighted mean of the signals (see docs/mapping.md): around 0.7 and above
            the text names the concept, below about 0.4 it rarely does. From lexical search,
            the TF-IDF cosine of the text and ``matched_label`` (1 for an exact label).
        matched_label: The label of the concept that matched the text best.
        matched_role: Whether that label is the ``preferred``, an ``alternative`` or a
            ``hidden`` label (labels in the taxonomy's fallback language count as
            alternative).
        signals: Each signal's value in [0, 1] for this concept. Lexical search has one,
            ``word`` (the score). The mapper's: ``semantic`` (embedding cosine with
            ``matched_label``), ``description`` (cosine with the concept's description),
            ``coverage`` (share of the label's words found in the text), ``word`` (word
            TF-IDF cosine with ``matched_label``; misspelt words count) and ``preferred`` (1
            when ``matched_label`` is the preferred label); with a multilingual model also
            ``chars`` (character n-grams of words) and ``fallback`` (1 when ``matched_label``
            is in the taxonomy's fallback language); for a skill text made of several phrases
            also ``phrase`` (the best score among them).
        provenance: Library version, taxonomy release and model behind the score (no model
            for lexical search).
        confidence: Only on matches of :meth:`~skilltwin.SkillMapper.extract_skills`: the
            calibrated probability that the text names this concept (see docs/mapping.md,
            "Extraction"); ``None`` elsewhere. Unlike ``score`` it means the same for every
            concept: of the mentions with confidence 0.7, about 70 % are right.
    """

    model_config = ConfigDict(frozen=True)

    uri: str
    label: str
    kind: MatchKind
    score: float = Field(ge=0.0, le=1.0)
    matched_label: str
    matched_role: Role
    signals: dict[str, float]
    provenance: Provenance
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    def __str__(self) -> str:
        return f"{self.label} ({self.score:.2f}, via {self.matched_role} '{self.matched_label}')"
