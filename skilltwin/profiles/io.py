"""Reading job profiles from JSON files (format: docs/scoring.md)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from skilltwin._jsonio import read_documents
from skilltwin._validation import (
    check_choice,
    check_id,
    check_level,
    check_list,
    check_mapping,
    check_number,
    check_text,
    check_unique,
    located,
    validate_model,
)
from skilltwin.errors import InputValidationError
from skilltwin.profiles.profile import Importance, JobProfile, Requirement
from skilltwin.provenance import Provenance
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["check_profile_levels", "profile_from_document", "read_profiles"]

_FORMAT = "See docs/scoring.md for the profile formats."
_FORMS: dict[str, tuple[str, ...]] = {  # the form's key -> the other keys it may have
    "requirements": tuple(JobProfile.model_fields),
    "occupation": ("profile_id", "title", "purpose"),
    "from_skills": ("profile_id", "title", "purpose", "accept"),
    "skills": ("profile_id", "title", "purpose"),
}
_SKILL_KEYS = ("skill", "importance", "min_level", "weight")


def profile_from_document(document: Mapping[str, Any], taxonomy: Taxonomy, *,
                          scale: ProficiencyScale | None = None) -> JobProfile:
    """A profile from one JSON object, in one of four forms.

    * a profile written by :meth:`JobProfile.to_json` (has ``requirements``);
    * ``{"occupation": label or URI, "profile_id"?, "title"?}``: an ESCO occupation;
    * ``{"profile_id", "title", "purpose"?, "skills": [{"skill", "importance"?,
      "min_level"?, "weight"?}]}``;
    * ``{"profile_id", "title", "from_skills": [...], "accept": [...]}``: a profile generated
      from skills, keeping only the suggestions a person listed under ``accept``.

    Minimum levels must lie on ``scale`` (default: the 0-4 scale).

    Raises:
        InputValidationError: a field is missing, unknown or of the wrong type or value; the
            message names the field (``skills[2].min_level``) and says what to do.
    """
    check_mapping(document, "profile", hint="Give one JSON object per profile.")
    scale = scale or ProficiencyScale.default()
    form = _form_of(document)
    if "profile_id" in document:
        document = {**document, "profile_id": check_id(document["profile_id"], "profile_id")}
    for key in ("title", "purpose"):
        if key in document:
            check_text(document[key], key)
    overrides = {key: document[key] for key in ("title", "purpose") if key in document}
    if form == "requirements":
        check_list(document["requirements"], "requirements",
                   hint="Give requirements as a list of objects with skill_uri and label.")
        profile = validate_model(JobProfile, dict(document), what="job profile", hint=_FORMAT)
    elif form == "occupation":
        check_text(document["occupation"], "occupation", empty=False,
                   hint="Give an ESCO occupation label or URI.")
        profile = JobProfile.from_occupation(taxonomy, document["occupation"],
                                             profile_id=document.get("profile_id"))
        profile = profile.model_copy(update=overrides)
    elif form == "from_skills":
        skills = [check_text(s, f"from_skills[{i}]", empty=False)
                  for i, s in enumerate(check_list(document["from_skills"], "from_skills"))]
        draft = JobProfile.from_skills(taxonomy, skills,
                                       title=document.get("title", "untitled profile"),
                                       profile_id=document.get("profile_id"))
        for i, accepted in enumerate(check_list(document.get("accept", []), "accept")):
            with located(field=f"accept[{i}]"):
                draft.accept(check_text(accepted, "skill", empty=False))
        profile = draft.to_profile().model_copy(update=overrides)
    else:
        profile = _from_skills_list(document, taxonomy, scale)
    check_profile_levels(profile, scale)
    return profile


def read_profiles(path: str | Path, taxonomy: Taxonomy, *,
                  scale: ProficiencyScale | None = None) -> list[JobProfile]:
    """Every profile in a .json or .jsonl file (minimum levels on ``scale``, default 0-4).

    Raises:
        InputValidationError: the file or a record in it is not valid; the message names the
            file, the record (1-based) and the field.
    """
    profiles = []
    for number, document in enumerate(read_documents(path, what="profiles file"), start=1):
        with located(path=path, row=number):
            profiles.append(profile_from_document(document, taxonomy, scale=scale))
    with located(path=path):
        check_unique([p.profile_id for p in profiles], "profile_id",
                     hint="Give each profile its own profile_id.")
    return profiles


def check_profile_levels(profile: JobProfile, scale: ProficiencyScale) -> None:
    """Refuse a minimum level above ``scale`` (no one could meet it)."""
    for position, requirement in enumerate(profile.requirements):
        check_level(requirement.min_level, f"requirements[{position}].min_level",
                    scale=scale.name, maximum=scale.maximum,
                    hint=f"No one could meet it ({requirement.label}, profile "
                    f"{profile.profile_id!r}); give a level within the scale.")


def _form_of(document: Mapping[str, Any]) -> str:
    forms = [key for key in _FORMS if key in document]
    if not forms:
        raise InputValidationError(
            f"a profile needs 'requirements', 'occupation', 'skills' or 'from_skills'. {_FORMAT}"
        )
    if len(forms) > 1:
        raise InputValidationError(
            f"has both {forms[0]!r} and {forms[1]!r}; a profile uses one form. {_FORMAT}"
        )
    unknown = sorted(set(document) - {forms[0], *_FORMS[forms[0]]})
    if unknown:
        raise InputValidationError(
            f"unknown field(s) {', '.join(map(repr, unknown))} in a {forms[0]!r} profile; "
            f"it may have {', '.join(map(repr, (forms[0], *_FORMS[forms[0]])))}. {_FORMAT}"
        )
    return forms[0]


def _from_skills_list(document: Mapping[str, Any], taxonomy: Taxonomy,
                      scale: ProficiencyScale) -> JobProfile:
    entries = check_list(document["skills"], "skills",
                         hint='Give skills as a list of objects like {"skill": "SQL"}.')
    if not entries:
        raise InputValidationError("is empty; list at least one skill.", field="skills")
    requirements = []
    for position, entry in enumerate(entries):
        with located(field=f"skills[{position}]"):
            requirements.append(_requirement(entry, taxonomy, scale))
    check_unique([r.skill_uri for r in requirements], "skills",
                 hint="Two entries name the same ESCO skill; keep one requirement per skill.")
    profile_id = document.get("profile_id") or document.get("title", "")
    if not profile_id.strip():
        raise InputValidationError("a profile needs a 'profile_id' or a 'title'.")
    return JobProfile(
        profile_id=profile_id,
        title=document.get("title", ""),
        purpose=document.get("purpose", ""),
        requirements=tuple(requirements),
        source="manual",
        provenance=Provenance(taxonomy_release=taxonomy.release),
    )


def _requirement(raw: object, taxonomy: Taxonomy, scale: ProficiencyScale) -> Requirement:
    entry = check_mapping(raw, "skill entry", hint='Write each entry as {"skill": "SQL", ...}.')
    unknown = sorted(set(entry) - set(_SKILL_KEYS))
    if unknown:
        raise InputValidationError(
            f"unknown field(s) {', '.join(map(repr, unknown))}; an entry has 'skill' and "
            "optionally 'importance', 'min_level', 'weight'."
        )
    if "skill" not in entry:
        raise InputValidationError("has no 'skill'; give an ESCO URI or label, or a company "
                                   "skill id.")
    check_text(entry["skill"], "skill", empty=False)
    options: dict[str, Any] = {}
    if "importance" in entry:
        options["importance"] = check_choice(entry["importance"], "importance",
                                             get_args(Importance))
    if "min_level" in entry:
        options["min_level"] = scale.validate_level(entry["min_level"], "min_level")
    if "weight" in entry:
        options["weight"] = check_number(entry["weight"], "weight", minimum=0,
                                         exclusive_minimum=True,
                                         hint="Give a positive relative weight (default 1).")
    skill = taxonomy.resolve_skill(entry["skill"])[0].skill
    return Requirement(skill_uri=skill.uri, label=skill.label, **options)
