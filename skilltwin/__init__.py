"""skilltwin: skills-based workforce intelligence on ESCO, with humans in charge.

Employees become *digital twins* (skills mapped to ESCO, with levels, evidence and history);
job profiles are built from skills and compared with twins into gap and match scores that
explain themselves. Every automated output can be overridden, and every score, override and
decision can be written to a tamper-evident audit log.

Importing skilltwin is light: PyTorch and sentence-transformers load only when an embedding
model is first needed.
"""

from skilltwin._version import __version__
from skilltwin.errors import (
    ConfigurationError,
    EscoApiError,
    OversightError,
    SkilltwinError,
    TaxonomyLoadError,
    UnknownConceptError,
)
from skilltwin.provenance import Provenance
from skilltwin.taxonomy import Concept, ISCOGroup, Occupation, Skill, SkillGroup, Taxonomy, load_esco

__all__ = [
    "Concept",
    "ConfigurationError",
    "EscoApiError",
    "ISCOGroup",
    "Occupation",
    "OversightError",
    "Provenance",
    "Skill",
    "SkillGroup",
    "SkilltwinError",
    "Taxonomy",
    "TaxonomyLoadError",
    "UnknownConceptError",
    "__version__",
    "load_esco",
]
