"""What extraction returns: the mentions of skills found in a document.

Their ranked concepts are :class:`~skilltwin.taxonomy.results.ConceptMatch` objects, the type
every ranking of concepts returns (lexical search too).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from skilltwin.taxonomy.results import ConceptMatch

__all__ = ["Mention"]


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
