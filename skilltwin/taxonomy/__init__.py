"""Layer 1: taxonomies. ESCO from its official CSV download, as a graph, plus company taxonomies."""

from skilltwin.taxonomy.loader import load_esco
from skilltwin.taxonomy.models import Concept, ISCOGroup, Occupation, Skill, SkillGroup
from skilltwin.taxonomy.taxonomy import Taxonomy

__all__ = ["Concept", "ISCOGroup", "Occupation", "Skill", "SkillGroup", "Taxonomy", "load_esco"]
