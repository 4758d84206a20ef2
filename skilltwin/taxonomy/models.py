"""Pydantic models of taxonomy concepts.

The same models come out of the CSV loader (:func:`skilltwin.load_esco`) and the ESCO Web API
client (:class:`skilltwin.esco.EscoClient`), so concepts from either source mix freely.
Skills of an occupation are referred to by URI; resolve them with ``taxonomy.skill(uri)``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["Concept", "ConceptKind", "ISCOGroup", "Occupation", "Skill", "SkillGroup"]

ConceptKind = Literal["skill", "occupation", "isco_group", "skill_group"]


class Concept(BaseModel):
    """A taxonomy concept: anything with a URI and a preferred label.

    ``language`` is the language of its label, alternative labels and description (``"nl"``,
    ``"en"``, ...): the taxonomy's language, or its fallback language where the download has
    no label in the taxonomy's language; ``None`` when the source does not say. It describes
    the texts rather than the concept, so equality and hashing ignore it: concepts from the CSV
    download, the Web API and hand-built models compare equal on their content.
    """

    model_config = ConfigDict(frozen=True)

    uri: str
    label: str
    kind: ConceptKind
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    description: str = ""
    language: str | None = None

    def _content(self) -> tuple[Any, ...]:
        return tuple(value for name, value in self.__dict__.items() if name != "language")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Concept):
            return NotImplemented
        return type(self) is type(other) and self._content() == other._content()

    def __hash__(self) -> int:
        return hash((type(self), self._content()))

    @property
    def labels(self) -> tuple[str, ...]:
        """Preferred label first, then alternative and hidden labels."""
        return (self.label, *self.alt_labels, *self.hidden_labels)

    def __str__(self) -> str:
        return f"{self.label} <{self.uri}>"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label!r}, uri={self.uri!r})"


class Skill(Concept):
    """An ESCO skill or knowledge concept.

    Attributes:
        skill_type: ``"skill/competence"``, ``"knowledge"`` or ``None`` when ESCO gives none.
        reuse_level: ``"transversal"``, ``"cross-sector"``, ``"sector-specific"`` or
            ``"occupation-specific"``.
        collections: ESCO collections the skill belongs to (``"digital"``, ``"green"``,
            ``"transversal"``, ``"language"``, ``"research"``, ``"digcomp"``).
    """

    kind: Literal["skill"] = "skill"
    skill_type: str | None = None
    reuse_level: str | None = None
    collections: frozenset[str] = frozenset()


class Occupation(Concept):
    """An ESCO occupation with the skills it requires.

    Attributes:
        isco_group: URI of the ISCO-08 unit group the occupation belongs to.
        code: ESCO occupation code (e.g. ``"2512.4"``); ``isco_code`` is its ISCO prefix.
        essential_skills: URIs of the skills ESCO marks essential for the occupation.
        optional_skills: URIs of the skills ESCO marks optional.
    """

    kind: Literal["occupation"] = "occupation"
    isco_group: str | None = None
    code: str | None = None
    essential_skills: tuple[str, ...] = ()
    optional_skills: tuple[str, ...] = ()

    @property
    def isco_code(self) -> str | None:
        """The four-digit ISCO-08 code the occupation code starts with."""
        return self.code.split(".", 1)[0] if self.code else None


class ISCOGroup(Concept):
    """A group of the ISCO-08 classification (the occupation pillar's hierarchy)."""

    kind: Literal["isco_group"] = "isco_group"
    code: str | None = None


class SkillGroup(Concept):
    """A group of the skill pillar's hierarchy (e.g. ``"communication, collaboration ..."``)."""

    kind: Literal["skill_group"] = "skill_group"
    code: str | None = None
