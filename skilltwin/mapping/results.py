"""What the mapper returns: ranked concept matches and the mentions found in a document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from skilltwin.mapping.index import MappingKind, Role
from skilltwin.provenance import Provenance

__all__ = ["ConceptMatch", "Mention"]


class ConceptMatch(BaseModel):
    """One taxonomy concept matched to a text, with why it matched.

    Attributes:
        uri: The concept's URI.
        label: Its preferred label.
        kind: ``"skill"`` or ``"occupation"``.
        score: Confidence in [0, 1]: a weighted mean of the signals (see docs/mapping.md).
            Around 0.7 and above the text names the concept; below about 0.4 it rarely does.
        matched_label: The label of the concept that matched the text best.
        matched_role: Whether that label is the ``preferred``, an ``alternative`` or a
            ``hidden`` label.
        signals: Each signal's value in [0, 1] for this concept: ``semantic`` (embedding
            cosine with ``matched_label``), ``description`` (cosine with the concept's
            description), ``coverage`` (share of the label's words found in the text),
            ``word`` (word TF-IDF cosine with ``matched_label``; misspelt words count) and
            ``preferred`` (1 when ``matched_label`` is the preferred label); with a
            multilingual model also ``chars`` (character n-grams of words) and ``fallback`` (1
            when ``matched_label`` is in the taxonomy's fallback language); for a skill text
            made of several phrases also ``phrase`` (the best score among them).
        provenance: Library version, taxonomy release and model behind the score.
        confidence: Only on matches of :meth:`~skilltwin.SkillMapper.extract_skills`: the
            calibrated probability that the text names this concept (see docs/mapping.md,
            "Extraction"); ``None`` elsewhere. Unlike ``score`` it means the same for every
            concept: of the mentions with confidence 0.7, about 70 % are right.
    """

    model_config = ConfigDict(frozen=True)

    uri: str
    label: str
    kind: MappingKind
    score: float = Field(ge=0.0, le=1.0)
    matched_label: str
    matched_role: Role
    signals: dict[str, float]
    provenance: Provenance
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    def __str__(self) -> str:
        return f"{self.label} ({self.score:.2f}, via {self.matched_role} '{self.matched_label}')"


class Mention(BaseModel):
    """A stretch of a document that names one or more skills.

    Attributes:
        text: The stretch of text, ``document[start:end]``.
        start: Offset of its first character in the document.
        end: Offset just past its last character.
        matches: The concept it names first (never empty); from
            :meth:`~skilltwin.SkillMapper.extract_skills`, other concepts ranked for the same
            span follow as alternatives (each with its, lower, confidence).
        confidence: The calibrated probability that the text names ``best`` (``matches[0]``),
            or ``None`` when the mention was made without the learned step.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    matches: tuple[ConceptMatch, ...] = Field(min_length=1)
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    @property
    def best(self) -> ConceptMatch:
        """The highest-scoring match."""
        return self.matches[0]

    def __str__(self) -> str:
        sure = "" if self.confidence is None else f" [confidence {self.confidence:.2f}]"
        return f"[{self.start}:{self.end}] {self.text!r} → {self.best}{sure}"
