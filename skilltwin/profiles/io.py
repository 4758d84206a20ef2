"""Reading job profiles from JSON files (format: docs/scoring.md)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skilltwin._jsonio import read_documents
from skilltwin.errors import ConfigurationError
from skilltwin.profiles.profile import JobProfile, Requirement
from skilltwin.provenance import Provenance

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["profile_from_document", "read_profiles"]


def profile_from_document(document: Mapping[str, Any], taxonomy: Taxonomy) -> JobProfile:
    """A profile from one JSON object, in one of four forms.

    * a profile written by :meth:`JobProfile.to_json` (has ``requirements``);
    * ``{"occupation": label or URI, "profile_id"?, "title"?}``: an ESCO occupation;
    * ``{"profile_id", "title", "purpose"?, "skills": [{"skill", "importance"?,
      "min_level"?, "weight"?}]}``;
    * ``{"profile_id", "title", "from_skills": [...], "accept": [...]}``: a profile generated
      from skills, keeping only the suggestions a person listed under ``accept``.
    """
    if "requirements" in document:
        return JobProfile.model_validate(dict(document))
    overrides = {key: document[key] for key in ("title", "purpose") if key in document}
    if "occupation" in document:
        profile = JobProfile.from_occupation(taxonomy, document["occupation"],
                                             profile_id=document.get("profile_id"))
        return profile.model_copy(update=overrides)
    if "from_skills" in document:
        draft = JobProfile.from_skills(taxonomy, list(document["from_skills"]),
                                       title=document.get("title", "untitled profile"),
                                       profile_id=document.get("profile_id"))
        for accepted in document.get("accept", []):
            draft.accept(accepted)
        return draft.to_profile().model_copy(update=overrides)
    if "skills" in document:
        return JobProfile(
            profile_id=document.get("profile_id") or document.get("title", ""),
            title=document.get("title", ""),
            purpose=document.get("purpose", ""),
            requirements=tuple(_requirement(entry, taxonomy) for entry in document["skills"]),
            source="manual",
            provenance=Provenance(taxonomy_release=taxonomy.release),
        )
    raise ConfigurationError(
        "a profile needs 'requirements', 'occupation', 'skills' or 'from_skills'; see "
        "docs/scoring.md for the profile formats."
    )


def read_profiles(path: str | Path, taxonomy: Taxonomy) -> list[JobProfile]:
    """Every profile in a .json or .jsonl file."""
    return [profile_from_document(document, taxonomy) for document in read_documents(path)]


def _requirement(entry: Mapping[str, Any], taxonomy: Taxonomy) -> Requirement:
    skill = taxonomy.resolve_skill(entry["skill"])[0].skill
    options = {key: entry[key] for key in ("importance", "min_level", "weight") if key in entry}
    return Requirement(skill_uri=skill.uri, label=skill.label, **options)
