"""skilltwin: skills-based workforce intelligence on ESCO, with humans in charge.

Employees become *digital twins* (skills mapped to ESCO, with levels, evidence and history);
job profiles are built from skills and compared with twins into gap and match scores that
explain themselves. Every automated output can be overridden, and every score, override and
decision can be written to a tamper-evident audit log.

Importing skilltwin is light: PyTorch and sentence-transformers load only when an embedding
model is first needed, and SQLAlchemy only when ``skilltwin.Store`` (the shared store,
``skilltwin.store``) is first used.
"""

from skilltwin._version import __version__
from skilltwin.errors import (
    ConfigurationError,
    EscoApiError,
    InputValidationError,
    OversightError,
    SkilltwinError,
    TaxonomyLoadError,
    UnknownConceptError,
)
from skilltwin.mapping import (
    CombinedEncoder,
    ConceptMatch,
    EmbeddingIndex,
    Encoder,
    Mention,
    SentenceTransformerEncoder,
    SkillMapper,
    UniversalSentenceEncoder,
)
from skilltwin.oversight import (
    AuditEntry,
    AuditLog,
    Decision,
    HookRejection,
    Hooks,
    OverriddenResult,
    Recorded,
    VerifyResult,
    Workspace,
    flag_low_evidence,
    redact_fields,
    require_second_reviewer,
)
from skilltwin.planning import (
    EffortModel,
    ReskillingPath,
    Scenario,
    WorkforcePlan,
    adjacent_roles,
    reskilling_path,
)
from skilltwin.profiles import JobProfile, ProfileDraft, Requirement, Suggestion
from skilltwin.provenance import Provenance
from skilltwin.scoring import (
    CreditPolicy,
    GapReport,
    MatchResult,
    ScoringPolicy,
    best_candidates,
    best_profiles,
    gap,
    match,
    match_frame,
)
from skilltwin.taxonomy import (
    CompanySkill,
    CompanySkillGroup,
    CompanyTaxonomy,
    Concept,
    CrosswalkLink,
    ISCOGroup,
    Occupation,
    Resolution,
    Skill,
    SkillGroup,
    Taxonomy,
    load_company_taxonomy,
    load_esco,
)
from skilltwin.twin import EmployeeTwin, LevelPolicy, ProficiencyScale, SkillClaim, load_scale

__all__ = [
    "AuditEntry",
    "AuditLog",
    "CombinedEncoder",
    "CompanySkill",
    "CompanySkillGroup",
    "CompanyTaxonomy",
    "Concept",
    "ConceptMatch",
    "ConfigurationError",
    "CreditPolicy",
    "CrosswalkLink",
    "Decision",
    "EffortModel",
    "EmbeddingIndex",
    "EmployeeTwin",
    "Encoder",
    "EscoApiError",
    "GapReport",
    "HookRejection",
    "Hooks",
    "ISCOGroup",
    "InputValidationError",
    "JobProfile",
    "LevelPolicy",
    "MatchResult",
    "Mention",
    "Occupation",
    "OverriddenResult",
    "OversightError",
    "ProficiencyScale",
    "ProfileDraft",
    "Provenance",
    "Recorded",
    "Requirement",
    "ReskillingPath",
    "Resolution",
    "Scenario",
    "ScoringPolicy",
    "SentenceTransformerEncoder",
    "Skill",
    "SkillClaim",
    "SkillGroup",
    "SkillMapper",
    "SkilltwinError",
    "Suggestion",
    "Taxonomy",
    "TaxonomyLoadError",
    "UniversalSentenceEncoder",
    "UnknownConceptError",
    "VerifyResult",
    "WorkforcePlan",
    "Workspace",
    "__version__",
    "adjacent_roles",
    "best_candidates",
    "best_profiles",
    "flag_low_evidence",
    "gap",
    "load_company_taxonomy",
    "load_esco",
    "load_scale",
    "match",
    "match_frame",
    "redact_fields",
    "require_second_reviewer",
    "reskilling_path",
]


def __getattr__(name: str) -> object:
    """``skilltwin.Store`` imports the store (and SQLAlchemy) on first use."""
    if name == "Store":
        from skilltwin.store import Store

        return Store
    raise AttributeError(f"module 'skilltwin' has no attribute {name!r}")
