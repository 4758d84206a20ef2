"""Layer 1: taxonomies. ESCO from its official CSV download, as a graph, plus company taxonomies."""

from skilltwin.taxonomy.company import (
    CompanySkill,
    CompanySkillGroup,
    CompanyTaxonomy,
    CrosswalkLink,
    Resolution,
    load_company_taxonomy,
)
from skilltwin.taxonomy.isco import ISCO_DIGITS, IscoDigits, isco_group
from skilltwin.taxonomy.loader import load_esco
from skilltwin.taxonomy.models import Concept, ISCOGroup, Occupation, Skill, SkillGroup
from skilltwin.taxonomy.results import ConceptMatch
from skilltwin.taxonomy.taxonomy import Taxonomy

__all__ = [
    "ISCO_DIGITS",
    "CompanySkill",
    "CompanySkillGroup",
    "CompanyTaxonomy",
    "Concept",
    "ConceptMatch",
    "CrosswalkLink",
    "ISCOGroup",
    "IscoDigits",
    "Occupation",
    "Resolution",
    "Skill",
    "SkillGroup",
    "Taxonomy",
    "isco_group",
    "load_company_taxonomy",
    "load_esco",
]
