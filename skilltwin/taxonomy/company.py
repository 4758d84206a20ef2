"""Company taxonomies: an organisation's own skill framework, crosswalked to ESCO.

The file format (YAML) is documented in ``taxonomies/company/FORMAT.md`` and ``docs/taxonomy.md``.
Load a file with :func:`load_company_taxonomy`, then attach it to ESCO with
:meth:`skilltwin.Taxonomy.with_company` so that company skill ids and labels resolve to ESCO
concepts (:meth:`skilltwin.Taxonomy.resolve_skill`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from skilltwin._text import normalize_label
from skilltwin._validation import NonEmptyText
from skilltwin.errors import UnknownConceptError
from skilltwin.taxonomy.models import Skill

if TYPE_CHECKING:
    from skilltwin.taxonomy.taxonomy import Taxonomy

__all__ = [
    "RELATION_ORDER",
    "CompanySkill",
    "CompanySkillGroup",
    "CompanyTaxonomy",
    "CrosswalkLink",
    "CrosswalkRelation",
    "Resolution",
    "load_company_taxonomy",
]

CrosswalkRelation = Literal["exact", "narrower", "broader", "related"]
# Order in which resolutions are returned: the closest meaning first. An ESCO concept narrower
# than the company skill is part of it (someone with the company skill has it); a broader one is
# only partly covered; a related one merely touches it.
RELATION_ORDER: tuple[CrosswalkRelation, ...] = ("exact", "narrower", "broader", "related")


class CrosswalkLink(BaseModel):
    """One link from a company skill to an ESCO skill.

    Attributes:
        uri: URI of the ESCO skill or knowledge concept.
        relation: How the ESCO concept relates to the company skill (SKOS mapping semantics):
            ``exact`` — the same skill; ``broader`` — the ESCO concept is broader (the company
            skill is a part or specialisation of it); ``narrower`` — the ESCO concept is
            narrower (it is a part of the company skill); ``related`` — associated, neither
            contains the other.
        note: Why the link was made, for the people who maintain the crosswalk.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    uri: NonEmptyText
    relation: CrosswalkRelation
    note: str = ""


class CompanySkillGroup(BaseModel):
    """A group of company skills (a domain, department or competence cluster)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: NonEmptyText
    label: NonEmptyText
    description: str = ""


class CompanySkill(BaseModel):
    """A skill of the organisation's own framework, with its crosswalk to ESCO."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: NonEmptyText
    label: NonEmptyText
    description: str = ""
    group: str | None = None
    alt_labels: tuple[str, ...] = ()
    esco: tuple[CrosswalkLink, ...] = ()

    @property
    def exact_links(self) -> tuple[CrosswalkLink, ...]:
        """The crosswalk links with relation ``exact``."""
        return tuple(link for link in self.esco if link.relation == "exact")

    def ordered_links(self) -> list[CrosswalkLink]:
        """The crosswalk links, closest meaning first (see :data:`RELATION_ORDER`)."""
        return sorted(self.esco, key=lambda link: RELATION_ORDER.index(link.relation))


class Resolution(BaseModel):
    """An ESCO skill a key resolved to, and how.

    Attributes:
        skill: The ESCO skill.
        relation: ``exact`` for an ESCO URI or label, else the crosswalk relation.
        company_skill: The id of the company skill the key named, if it named one.
        note: The crosswalk note, if any.
    """

    model_config = ConfigDict(frozen=True)

    skill: Skill
    relation: CrosswalkRelation
    company_skill: str | None = None
    note: str = ""


class CompanyTaxonomy(BaseModel):
    """An organisation's skill framework, validated against an ESCO release.

    Build one with :func:`load_company_taxonomy`. Skills are looked up by id (exactly, ignoring
    case) or by label / alternative label (case- and white-space-insensitive); :meth:`skills`
    iterates over them, as :meth:`Taxonomy.skills` does over ESCO's.

    Attributes:
        company_skills: The company skills, in file order.
        groups: The skill groups, in file order.
    """

    model_config = ConfigDict(frozen=True)

    organisation: str
    version: str
    language: str | None = None
    description: str = ""
    groups: tuple[CompanySkillGroup, ...] = ()
    company_skills: tuple[CompanySkill, ...] = ()
    esco_release: str = Field(description="The ESCO release the crosswalk was validated against.")
    source: str = ""
    _by_id: dict[str, CompanySkill] = PrivateAttr(default_factory=dict)
    _by_label: dict[str, CompanySkill] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        for skill in self.company_skills:
            self._by_id[skill.id.casefold()] = skill
        # labels first, so a label beats another skill's alt label
        for skill in self.company_skills:
            self._by_label.setdefault(normalize_label(skill.label), skill)
        for skill in self.company_skills:
            for alt in skill.alt_labels:
                self._by_label.setdefault(normalize_label(alt), skill)

    @property
    def name(self) -> str:
        """``"<organisation> <version>"``, e.g. ``"Gemeente Zuiderveen 2025.1"``."""
        return f"{self.organisation} {self.version}"

    def __len__(self) -> int:
        return len(self.company_skills)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.find(key) is not None

    def skills(self) -> Iterator[CompanySkill]:
        """Iterate over the company skills in file order."""
        return iter(self.company_skills)

    def find(self, key: str) -> CompanySkill | None:
        """The company skill with this id or label, or ``None``."""
        stripped = key.strip()
        return self._by_id.get(stripped.casefold()) or self._by_label.get(normalize_label(stripped))

    def skill(self, key: str) -> CompanySkill:
        """The company skill with this id or label.

        Raises:
            UnknownConceptError: no company skill has this id or label.
        """
        found = self.find(key)
        if found is None:
            raise UnknownConceptError(
                f"no skill with id or label {key!r} in the company taxonomy {self.name}. "
                "Check the spelling, or list the skills with company.skills_frame()."
            )
        return found

    def skills_frame(self) -> pd.DataFrame:
        """One row per company skill (index: id): label, group, alt labels, description and the
        number of crosswalk links."""
        return pd.DataFrame(
            {
                "id": [s.id for s in self.company_skills],
                "label": [s.label for s in self.company_skills],
                "group": [s.group for s in self.company_skills],
                "alt_labels": [s.alt_labels for s in self.company_skills],
                "description": [s.description for s in self.company_skills],
                "esco_links": [len(s.esco) for s in self.company_skills],
            }
        ).set_index("id")

    def crosswalk_frame(self) -> pd.DataFrame:
        """One row per crosswalk link: ``company_id``, ``company_label``, ``esco_uri``,
        ``relation`` and ``note``."""
        rows = [
            (skill.id, skill.label, link.uri, link.relation, link.note)
            for skill in self.company_skills
            for link in skill.esco
        ]
        return pd.DataFrame(
            rows, columns=["company_id", "company_label", "esco_uri", "relation", "note"]
        )


def load_company_taxonomy(path: str | Path, taxonomy: Taxonomy) -> CompanyTaxonomy:
    """Read a company taxonomy (YAML) and check its crosswalk against ``taxonomy``.

    Args:
        path: The YAML file (format: ``taxonomies/company/FORMAT.md``).
        taxonomy: The ESCO taxonomy the crosswalk refers to; every linked URI must be one of its
            skills.

    Raises:
        TaxonomyLoadError: the file is missing or not valid YAML, a field is missing or has a bad
            value, an id is duplicated, a skill names an unknown group, or a crosswalk link names
            a URI that is not an ESCO skill of ``taxonomy``. The message names the file, the entry
            (and its line) and says what to do.
    """
    from skilltwin._validation import check_instance, check_path
    from skilltwin.taxonomy._company_yaml import read_company_file
    from skilltwin.taxonomy.taxonomy import Taxonomy

    file = check_path(path, what="company taxonomy YAML file")
    check_instance(taxonomy, Taxonomy, "taxonomy", hint="Load it with skilltwin.load_esco().")
    return read_company_file(file, taxonomy)
