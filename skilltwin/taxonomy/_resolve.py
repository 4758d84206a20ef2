"""Resolving a skill key (ESCO URI or label, company skill id or label) to ESCO skills."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from skilltwin.errors import ConfigurationError, UnknownConceptError
from skilltwin.taxonomy.company import CompanySkill, Resolution
from skilltwin.taxonomy.models import Skill

if TYPE_CHECKING:
    from skilltwin.taxonomy.taxonomy import Taxonomy

__all__ = ["resolve_skill"]


def resolve_skill(taxonomy: Taxonomy, key: str) -> list[Resolution]:
    """See :meth:`Taxonomy.resolve_skill`."""
    if not isinstance(key, str):
        raise ConfigurationError(
            f"resolve skills by URI, label or company id (a str), not {type(key).__name__}."
        )
    stripped = key.strip()
    if stripped in taxonomy._concepts.index:
        return [Resolution(skill=cast(Skill, taxonomy.concept(stripped, "skill")),
                           relation="exact")]
    company = taxonomy.company
    by_id = company.find(stripped) if company is not None else None
    if by_id is not None and by_id.id.casefold() == stripped.casefold():
        return _company_resolutions(taxonomy, by_id)
    if taxonomy._find_uri(stripped, "skill") is not None:
        return [Resolution(skill=cast(Skill, taxonomy.concept(stripped, "skill")),
                           relation="exact")]
    by_label = company.find(key) if company is not None else None
    if by_label is not None:
        return _company_resolutions(taxonomy, by_label)
    message = taxonomy._unknown_message(key, "skill")
    if company is not None:
        message += f" No skill of {company.name} has this id or label either."
    raise UnknownConceptError(message)


def _company_resolutions(taxonomy: Taxonomy, skill: CompanySkill) -> list[Resolution]:
    return [
        Resolution(skill=cast(Skill, taxonomy._model(link.uri)), relation=link.relation,
                   company_skill=skill.id, note=link.note)
        for link in skill.ordered_links()
    ]
