"""What the rest of the library needs from a skill mapper: the :class:`Mapper` protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from skilltwin.provenance import Provenance

if TYPE_CHECKING:
    from skilltwin.mapping.results import Mention
    from skilltwin.taxonomy import Taxonomy

__all__ = ["Mapper", "provenance_of"]


class Mapper(Protocol):
    """Anything that finds ESCO skills in a document, as :class:`SkillMapper` does.

    Twins from CVs (:meth:`EmployeeTwin.from_cv`), profiles from job ads
    (:meth:`JobProfile.from_text`) and the workspace's recorded versions of both accept any
    such object: a :class:`SkillMapper`, or your own extractor. It needs ``taxonomy`` and
    ``extract_skills``; it may also have a ``provenance`` (a
    :class:`~skilltwin.provenance.Provenance` naming the model behind its results, as
    :attr:`SkillMapper.provenance` does), which profiles and recorded results then keep.
    Without one they record the taxonomy's release and no model (:func:`provenance_of`).
    """

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy whose skills the mapper finds."""
        ...

    def extract_skills(self, document: str) -> Sequence[Mention]:
        """The skills ``document`` mentions, each with its matches best first."""
        ...


@runtime_checkable
class _WithProvenance(Protocol):
    """A mapper that says what produced its results."""

    @property
    def provenance(self) -> Provenance:
        """Library version, taxonomy release and model behind the mapper's results."""
        ...


def provenance_of(mapper: Mapper) -> Provenance:
    """What produced ``mapper``'s results: its ``provenance`` when it declares one, else the
    taxonomy's release and language with no model name."""
    if isinstance(mapper, _WithProvenance) and isinstance(mapper.provenance, Provenance):
        return mapper.provenance
    taxonomy = mapper.taxonomy
    return Provenance(taxonomy_release=taxonomy.release, language=taxonomy.language)
