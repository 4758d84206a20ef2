"""Job profiles: the skills a role requires, with importance and minimum level."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)

from skilltwin._validation import (
    CheckedModel,
    NonEmptyText,
    check_unique,
    describe_validation_error,
)
from skilltwin.errors import InputValidationError
from skilltwin.provenance import Provenance
from skilltwin.twin.scale import DEFAULT_LEVEL

if TYPE_CHECKING:
    from pathlib import Path

    from skilltwin.documents import Document
    from skilltwin.mapping.protocol import Mapper
    from skilltwin.profiles.draft import ProfileDraft
    from skilltwin.profiles.job_posting import JobPosting
    from skilltwin.taxonomy import Taxonomy

__all__ = ["Importance", "JobProfile", "Requirement"]

Importance = Literal["essential", "optional"]


class Requirement(CheckedModel):
    """One skill a profile asks for.

    Attributes:
        skill_uri: The ESCO skill.
        label: Its preferred label.
        importance: ``essential`` or ``optional``.
        weight: Relative weight within its importance group (default 1).
        min_level: The level the role needs, on the 0-4 scale (0: holding it at all is enough).
        confidence: For a requirement extracted from text (:meth:`JobProfile.from_text`): the
            extraction's calibrated confidence; ``None`` otherwise (and then left out of the
            profile's JSON).
        evidence: For a requirement found in a job ad (:meth:`JobProfile.from_text`), the text
            that names it and where it is: ``SQL (page 1, paragraph 4, characters 210-213)``.
            Empty otherwise, and then left out of the profile's JSON.
    """

    model_config = ConfigDict(frozen=True)

    skill_uri: NonEmptyText
    label: str
    importance: Importance = "essential"
    weight: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    min_level: float = Field(default=DEFAULT_LEVEL, ge=0, allow_inf_nan=False)
    confidence: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    evidence: str = ""

    @model_serializer(mode="wrap")
    def _without_empty_extraction(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Profiles not made from text keep the JSON (and so the stored content hash) they had.
        data = handler(self)
        if isinstance(data, dict):
            if not data.get("evidence"):
                data.pop("evidence", None)
            if data.get("confidence") is None:
                data.pop("confidence", None)
        return data


class JobProfile(CheckedModel):
    """A role described by the skills it requires.

    Build one with :meth:`from_occupation`, :meth:`from_skills` or :meth:`from_job_posting`
    (drafts a person approves), :meth:`from_text`, or directly from requirements.
    """

    model_config = ConfigDict(frozen=True)

    profile_id: NonEmptyText
    title: NonEmptyText
    requirements: tuple[Requirement, ...]
    purpose: str = ""
    source: str = "manual"
    occupation_uri: str | None = None
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _one_requirement_per_skill(self) -> JobProfile:
        check_unique([requirement.skill_uri for requirement in self.requirements],
                     "requirements", hint="Keep one requirement per skill.")
        return self

    @property
    def essential(self) -> list[Requirement]:
        """The essential requirements."""
        return [r for r in self.requirements if r.importance == "essential"]

    @property
    def optional(self) -> list[Requirement]:
        """The optional requirements."""
        return [r for r in self.requirements if r.importance == "optional"]

    def _repr_html_(self) -> str:
        return _profile_card(self)

    @classmethod
    def from_occupation(
        cls,
        taxonomy: Taxonomy,
        occupation: str,
        *,
        profile_id: str | None = None,
        min_level: float = DEFAULT_LEVEL,
        optional_level: float = 1,
    ) -> JobProfile:
        """The profile of ``occupation`` (an ESCO occupation's URI or label): its essential
        and optional skills.

        ``profile_id`` defaults to the occupation URI; essential skills get ``min_level``
        ("Working"), optional ones ``optional_level`` ("Awareness").
        """
        concept = taxonomy.occupation(occupation)
        groups: tuple[tuple[tuple[str, ...], Importance, float], ...] = (
            (concept.essential_skills, "essential", min_level),
            (concept.optional_skills, "optional", optional_level),
        )
        requirements = [
            Requirement(skill_uri=uri, label=taxonomy.skill(uri).label, importance=importance,
                        min_level=level)
            for uris, importance, level in groups
            for uri in dict.fromkeys(uris)
            if uri in taxonomy
        ]
        return cls(
            profile_id=concept.uri if profile_id is None else profile_id,
            title=concept.label,
            purpose=concept.description,
            requirements=tuple(requirements),
            source="ESCO occupation",
            occupation_uri=concept.uri,
            provenance=Provenance(taxonomy_release=taxonomy.release),
        )

    @classmethod
    def from_skills(
        cls,
        taxonomy: Taxonomy,
        skills: list[str],
        *,
        title: str,
        profile_id: str | None = None,
        max_occupations: int = 3,
        max_suggestions: int = 15,
    ) -> ProfileDraft:
        """A draft profile from a list of skills, with suggestions for a person to review.

        The library finds the ``max_occupations`` ESCO occupations whose skills overlap most
        with the list, and proposes up to ``max_suggestions`` skills those occupations usually
        require that the list lacks. Accept or reject them on the draft, then call ``to_profile()``.
        """
        from skilltwin.profiles.draft import draft_from_skills

        return draft_from_skills(taxonomy, skills, title=title, profile_id=profile_id,
                                 max_occupations=max_occupations,
                                 max_suggestions=max_suggestions)

    @classmethod
    def from_job_posting(
        cls,
        taxonomy: Taxonomy,
        posting: JobPosting | str | Path,
        *,
        mapper: Mapper | None = None,
        profile_id: str | None = None,
        max_suggestions: int = 25,
        min_level: float = DEFAULT_LEVEL,
    ) -> ProfileDraft:
        """A draft profile from a schema.org ``JobPosting``, for a person to complete.

        ``posting`` is a :class:`~skilltwin.profiles.JobPosting`, or a vacancy page or
        JSON-LD file (path or text) holding exactly one (see
        :func:`~skilltwin.profiles.read_job_posting`). The skills it names as ESCO skills (a
        known ESCO URI, or an ESCO label) become requirements at ``min_level``; the skills of
        its occupation (an ESCO occupation, or the ESCO occupations of its ISCO-08 code) are
        suggested, and with a ``mapper`` so are the skills found in its other skill names and
        its description. Accept or reject the suggestions, then call ``to_profile()``. The
        occupation and ISCO code are kept (``draft.profile.occupation_uri``,
        ``draft.isco_code``); what matched nothing is listed in ``draft.notes``.

        Raises:
            JobPostingError: the source holds no JobPosting, or several.
        """
        from skilltwin.profiles._posting_draft import draft_from_job_posting
        from skilltwin.profiles.job_posting import JobPosting, read_job_posting

        if not isinstance(posting, JobPosting):
            posting = read_job_posting(posting)
        return draft_from_job_posting(taxonomy, posting, mapper=mapper, profile_id=profile_id,
                                      max_suggestions=max_suggestions, min_level=min_level)

    @classmethod
    def from_text(
        cls,
        mapper: Mapper,
        text: str | os.PathLike[str] | Document,
        *,
        title: str,
        profile_id: str | None = None,
        top_k: int = 25,
        require_from: float | None = None,
    ) -> JobProfile:
        """A profile from a job ad via ``mapper.extract_skills``.

        ``text`` is the job ad: its text, or a file (PDF, Word .docx, HTML, plain text; see
        :func:`~skilltwin.documents.read_document`), or a
        :class:`~skilltwin.documents.Document` already read. A ``pathlib.Path`` is always a
        file; a ``str`` is a file name only when it is one line ending in a document extension
        (``"vacancy.pdf"``), and that file must exist; any other ``str`` is the ad's text.

        Each skill extracted with a calibrated confidence of at least ``require_from`` (default
        0.5) becomes an essential requirement at :data:`~skilltwin.DEFAULT_LEVEL` that keeps its
        confidence and its :attr:`~Requirement.evidence` (the text naming it, with page and
        paragraph). Less confident skills are left out, never added silently:
        :meth:`draft_from_text` returns them as suggestions to accept or reject. Review the
        requirements before use.

        Raises:
            DocumentError: the file cannot be read (missing, unsupported type, encrypted, a
                scan without text, over the page limit, empty...), or the text given is
                empty or only white space.
        """
        return cls.draft_from_text(mapper, text, title=title, profile_id=profile_id,
                                   top_k=top_k, require_from=require_from).profile

    @classmethod
    def draft_from_text(
        cls,
        mapper: Mapper,
        text: str | os.PathLike[str] | Document,
        *,
        title: str,
        profile_id: str | None = None,
        top_k: int = 25,
        require_from: float | None = None,
    ) -> ProfileDraft:
        """:meth:`from_text` as a draft: the confident skills as requirements, the others the
        extractor found as pending suggestions (score: the confidence; reason: the span), for
        a person to :meth:`~skilltwin.ProfileDraft.accept` or
        :meth:`~skilltwin.ProfileDraft.reject`."""
        from skilltwin.profiles._text_draft import REQUIRE_FROM, draft_from_text

        return draft_from_text(mapper, text, title=title, profile_id=profile_id, top_k=top_k,
                               require_from=REQUIRE_FROM if require_from is None
                               else require_from)

    def render(self, language: str | None = None) -> str:
        """A Markdown profile an HR person can paste into a vacancy, in ``language`` (default:
        the language of the taxonomy it was made from)."""
        from skilltwin.profiles._render import render_profile

        return render_profile(self, language=language)

    def to_json(self, **dumps: Any) -> str:
        """The profile as JSON."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, **dumps)

    @classmethod
    def from_json(cls, text: str | bytes) -> JobProfile:
        """Read a profile written by :meth:`to_json` (or any JSON of the same shape)."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise InputValidationError(
                f"not a job profile: {describe_validation_error(exc)}; see docs/scoring.md for "
                "the profile format."
            ) from None


def _profile_card(profile: JobProfile, *, max_rows: int = 25) -> str:
    """A job profile as HTML: essential skills then optional ones, with minimum levels."""
    import pandas as pd

    from skilltwin._html import card, column_names, escape, table
    from skilltwin._i18n import message

    language = profile.provenance.language if profile.provenance else None
    frame = pd.DataFrame(
        [(r.label, message(f"importance.{r.importance}", language), r.min_level, r.weight)
         for r in sorted(profile.requirements,
                         key=lambda r: (r.importance != "essential", r.label))],
        columns=column_names(language, "skill", "importance", "min_level", "weight"),
    ).set_index(message("column.skill", language))
    release = (profile.provenance.taxonomy_release if profile.provenance
               else message("profile.unknown_release", language))
    subtitle = message("profile.card", language, profile_id=profile.profile_id,
                       essential=len(profile.essential), optional=len(profile.optional),
                       source=message(f"source.{profile.source}", language,
                                      default=profile.source), release=release)
    purpose = f"<p>{escape(profile.purpose)}</p>" if profile.purpose else ""
    return card(profile.title, subtitle, purpose + table(frame, max_rows=max_rows))
