"""skilltwin: skills-based workforce intelligence on ESCO, with humans in charge.

Employees become *digital twins* (skills mapped to ESCO, with levels, evidence and history);
job profiles are built from skills and compared with twins into gap and match scores that
explain themselves. Every automated output can be overridden, and every score, override and
decision can be written to a tamper-evident audit log.

Importing skilltwin is light: each subpackage (and its pydantic models) loads on first use of
one of its names (``skilltwin.match`` imports :mod:`skilltwin.scoring`); PyTorch and
sentence-transformers load only when an embedding model is first needed, and SQLAlchemy only
when ``skilltwin.Store`` (the shared store, ``skilltwin.store``) is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from skilltwin._version import __version__
from skilltwin.errors import (
    ConfigurationError,
    DocumentError,
    EscoApiError,
    EuropassError,
    InputValidationError,
    JobPostingError,
    OutputError,
    OversightError,
    SkilltwinError,
    TaxonomyLoadError,
    UnknownConceptError,
)

# Public names loaded on first access, by the module that defines them. To export a new name,
# add it here and to the ``TYPE_CHECKING`` imports below (tests/test_lazy_import.py checks that
# the two agree with ``__all__``).
_LAZY_EXPORTS: dict[str, tuple[str, ...]] = {
    "skilltwin._excel": ("to_excel",),
    "skilltwin.documents": ("Document", "DocumentWarning", "Location", "read_document"),
    "skilltwin.mapping": (
    "CombinedEncoder",
        "ConceptMatch",
        "CosineScale",
        "EmbeddingIndex",
        "Encoder",
        "Mapper",
        "Mention",
        "MultilingualE5Encoder",
        "SentenceTransformerEncoder",
        "SkillMapper",
        "UniversalSentenceEncoder",
    ),
    "skilltwin.audit": ("Action", "AuditEntry", "AuditLog", "SignedHead", "VerifyResult"),
    "skilltwin.oversight": (
        "Decision",
        "HookRejection",
        "Hooks",
        "OverriddenResult",
        "Purpose",
        "Recorded",
        "Reviewer",
        "Roster",
        "Workspace",
        "flag_low_evidence",
        "redact_fields",
        "require_second_reviewer",
    ),
    "skilltwin.planning": (
        "EffortModel",
        "ReskillingPath",
        "Scenario",
        "WorkforcePlan",
        "adjacent_roles",
        "reskilling_path",
    ),
    "skilltwin.profiles": (
        "JobPosting",
        "JobProfile",
        "ProfileDraft",
        "Requirement",
        "Suggestion",
        "read_job_posting",
        "read_profiles",
    ),
    "skilltwin.provenance": ("Provenance",),
    "skilltwin.store": ("Store",),
    "skilltwin.scoring": (
        "CreditPolicy",
        "GapReport",
        "MatchResult",
        "ScoringPolicy",
        "best_candidates",
        "best_profiles",
        "gap",
        "match",
        "match_frame",
        "scores_by_group",
    ),
    "skilltwin.taxonomy": (
        "CompanySkill",
        "CompanySkillGroup",
        "CompanyTaxonomy",
        "Concept",
        "CrosswalkLink",
        "ISCOGroup",
        "Occupation",
        "Resolution",
        "Skill",
        "SkillGroup",
        "Taxonomy",
        "isco_group",
        "load_company_taxonomy",
        "load_esco",
    ),
    "skilltwin.twin": (
        "CLAIM_COLUMNS",
        "DEFAULT_LEVEL",
        "ClaimSuggestion",
        "EmployeeTwin",
        "EuropassCV",
        "EuropassImport",
        "EuropassWarning",
        "LevelPolicy",
        "ProficiencyScale",
        "SkillClaim",
        "load_scale",
        "read_europass",
        "read_twins",
    ),
}

# Subpackages and modules reachable as attributes (``skilltwin.fairness``) without an import.
_LAZY_SUBMODULES = frozenset(
    {
        "audit",
        "cli",
        "config",
        "demo",
        "documents",
        "esco",
        "fairness",
        "mapping",
        "oversight",
        "planning",
        "profiles",
        "provenance",
        "outofcore",
        "scoring",
        "store",
        "taxonomy",
        "twin",
    }
)

_MODULE_OF = {name: module for module, names in _LAZY_EXPORTS.items() for name in names}

if TYPE_CHECKING:
    from skilltwin._excel import to_excel
    from skilltwin.audit import Action, AuditEntry, AuditLog, SignedHead, VerifyResult
    from skilltwin.documents import Document, DocumentWarning, Location, read_document
    from skilltwin.mapping import (
        CombinedEncoder,
        ConceptMatch,
        CosineScale,
        EmbeddingIndex,
        Encoder,
        Mapper,
        Mention,
        MultilingualE5Encoder,
        SentenceTransformerEncoder,
        SkillMapper,
        UniversalSentenceEncoder,
    )
    from skilltwin.oversight import (
        Decision,
        HookRejection,
        Hooks,
        OverriddenResult,
        Purpose,
        Recorded,
        Reviewer,
        Roster,
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
    from skilltwin.profiles import (
        JobPosting,
        JobProfile,
        ProfileDraft,
        Requirement,
        Suggestion,
        read_job_posting,
        read_profiles,
    )
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
        scores_by_group,
    )
    from skilltwin.store import Store
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
        isco_group,
        load_company_taxonomy,
        load_esco,
    )
    from skilltwin.twin import (
        CLAIM_COLUMNS,
        DEFAULT_LEVEL,
        ClaimSuggestion,
        EmployeeTwin,
        EuropassCV,
        EuropassImport,
        EuropassWarning,
        LevelPolicy,
        ProficiencyScale,
        SkillClaim,
        load_scale,
        read_europass,
        read_twins,
    )
else:

    def __getattr__(name: str) -> Any:
        """Import the subpackage behind a public name on first access (PEP 562)."""
        module = _MODULE_OF.get(name)
        if module is not None:
            value = getattr(importlib.import_module(module), name)
            globals()[name] = value  # later lookups skip this function
            return value
        if name in _LAZY_SUBMODULES:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    dunders = {name for name in globals() if name.startswith("__")}
    return sorted(dunders | set(__all__) | _LAZY_SUBMODULES)


__all__ = [
    "CLAIM_COLUMNS",
    "DEFAULT_LEVEL",
    "Action",
    "AuditEntry",
    "AuditLog",
    "ClaimSuggestion",
    "CombinedEncoder",
    "CompanySkill",
    "CompanySkillGroup",
    "CompanyTaxonomy",
    "Concept",
    "ConceptMatch",
    "ConfigurationError",
    "CosineScale",
    "CreditPolicy",
    "CrosswalkLink",
    "Decision",
    "Document",
    "DocumentError",
    "DocumentWarning",
    "EffortModel",
    "EmbeddingIndex",
    "EmployeeTwin",
    "Encoder",
    "EscoApiError",
    "EuropassCV",
    "EuropassError",
    "EuropassImport",
    "EuropassWarning",
    "GapReport",
    "HookRejection",
    "Hooks",
    "ISCOGroup",
    "InputValidationError",
    "JobPosting",
    "JobPostingError",
    "JobProfile",
    "LevelPolicy",
    "Location",
    "Mapper",
    "MatchResult",
    "Mention",
    "MultilingualE5Encoder",
    "Occupation",
    "OutputError",
    "OverriddenResult",
    "OversightError",
    "ProficiencyScale",
    "ProfileDraft",
    "Provenance",
    "Purpose",
    "Recorded",
    "Requirement",
    "ReskillingPath",
    "Resolution",
    "Reviewer",
    "Roster",
    "Scenario",
    "ScoringPolicy",
    "SentenceTransformerEncoder",
    "SignedHead",
    "Skill",
    "SkillClaim",
    "SkillGroup",
    "SkillMapper",
    "SkilltwinError",
    "Store",
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
    "isco_group",
    "load_company_taxonomy",
    "load_esco",
    "load_scale",
    "match",
    "match_frame",
    "read_document",
    "read_europass",
    "read_job_posting",
    "read_profiles",
    "read_twins",
    "redact_fields",
    "require_second_reviewer",
    "reskilling_path",
    "scores_by_group",
    "to_excel",
]
