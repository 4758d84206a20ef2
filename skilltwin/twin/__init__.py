"""Employee twins: skill claims on a proficiency scale, with history and evidence."""

from skilltwin.twin.claims import (
    CLAIM_COLUMNS,
    ClaimSource,
    ClaimSuggestion,
    LevelPolicy,
    SkillClaim,
    derive_level,
)
from skilltwin.twin.europass import (
    EuropassCV,
    EuropassEducation,
    EuropassExperience,
    EuropassLanguage,
    EuropassSkill,
    read_europass,
)
from skilltwin.twin.europass_import import EuropassImport, EuropassWarning, ImportItem
from skilltwin.twin.io import read_twins
from skilltwin.twin.scale import DEFAULT_LEVEL, ProficiencyScale, ScaleLevel, load_scale
from skilltwin.twin.twin import EmployeeTwin

__all__ = [
    "CLAIM_COLUMNS",
    "DEFAULT_LEVEL",
    "ClaimSource",
    "ClaimSuggestion",
    "EmployeeTwin",
    "EuropassCV",
    "EuropassEducation",
    "EuropassExperience",
    "EuropassImport",
    "EuropassLanguage",
    "EuropassSkill",
    "EuropassWarning",
    "ImportItem",
    "LevelPolicy",
    "ProficiencyScale",
    "ScaleLevel",
    "SkillClaim",
    "derive_level",
    "load_scale",
    "read_europass",
    "read_twins",
]
