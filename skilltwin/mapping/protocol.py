"""What the rest of the library needs from a skill mapper: the :class:`Mapper` protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from skilltwin.mapping.results import Mention
    from skilltwin.taxonomy import Taxonomy

__all__ = ["Mapper"]


class Mapper(Protocol):
    """Anything that finds ESCO skills in a document, as :class:`SkillMapper` does.

    Twins from CVs (:meth:`EmployeeTwin.from_cv`), profiles from job ads
    (:meth:`JobProfile.from_text`) and the workspace's recorded versions of both accept any
    such object: a :class:`SkillMapper`, or your own extractor.
    """

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy whose skills the mapper finds."""
        ...

    def extract_skills(self, document: str) -> Sequence[Mention]:
        """The skills ``document`` mentions, each with its matches best first."""
        ...
