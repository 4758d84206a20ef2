"""Generating job profiles from skills: a draft with suggestions a person reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from skilltwin._i18n import message
from skilltwin._validation import check_count, check_list, check_text
from skilltwin.errors import InputValidationError
from skilltwin.profiles._ranked import ranked_occupation
from skilltwin.profiles.profile import JobProfile, Requirement
from skilltwin.provenance import Provenance
from skilltwin.taxonomy.matrices import SkillIndex, occupation_matrix
from skilltwin.twin.scale import DEFAULT_LEVEL

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.taxonomy.results import ConceptMatch

__all__ = ["ProfileDraft", "Suggestion", "draft_from_skills"]

Decision = Literal["pending", "accepted", "rejected"]


class Suggestion(BaseModel):
    """A skill the library proposes to add to a draft profile.

    Attributes:
        skill_uri, label: The proposed ESCO skill.
        importance: ``essential`` when most supporting occupations mark it essential.
        score: How strongly the closest occupations ask for it (0-1).
        reason: The occupations that require it.
        decision: ``pending`` until a person accepts or rejects it.
    """

    model_config = ConfigDict(frozen=True)

    skill_uri: str
    label: str
    importance: Literal["essential", "optional"]
    score: float
    reason: str
    decision: Decision = "pending"


class ProfileDraft:
    """A profile under construction: the given skills plus suggestions to accept or reject.

    Attributes:
        profile: The profile from the given skills alone.
        suggestions: Proposed skills, best first, each with its decision.
        occupations: The closest ESCO occupations, best first, as ranked concepts
            (:class:`~skilltwin.ConceptMatch`: ``score`` is the similarity of the skills,
            its one signal ``skills``. From a job posting: its occupational category with
            score 1 (signal ``category``), or the occupations of its ISCO group scored by
            ``overlap``, the share of the posting's skills the occupation asks too).
        isco_code: The ISCO-08 code the draft was made for (a job posting's occupational
            category, or its ESCO occupation's ISCO group), if any.
        notes: What a person should know and the library could not settle: a skill or
            category of the source that matches nothing in the taxonomy, and why.
    """

    def __init__(self, profile: JobProfile, suggestions: list[Suggestion],
                 occupations: list[ConceptMatch], *,
                 taxonomy: Taxonomy | None = None, isco_code: str | None = None,
                 notes: list[str] | None = None):
        self.profile = profile
        self.suggestions = suggestions
        self.occupations = occupations
        self.isco_code = isco_code
        self.notes = list(notes or [])
        self._taxonomy = taxonomy

    def __repr__(self) -> str:
        pending = sum(s.decision == "pending" for s in self.suggestions)
        return (f"ProfileDraft({self.profile.title!r}, skills={len(self.profile.requirements)}, "
                f"suggestions={len(self.suggestions)}, pending={pending})")

    def _repr_html_(self) -> str:
        return _draft_card(self)

    def accept(self, skill: str) -> None:
        """Accept a suggestion (by skill URI or label, in the taxonomy's language or its
        fallback language): it becomes a requirement."""
        self._decide(skill, "accepted")

    def reject(self, skill: str) -> None:
        """Reject a suggestion: it stays out of the profile."""
        self._decide(skill, "rejected")

    def _decide(self, key: str, decision: Decision) -> None:
        from skilltwin._validation import check_text

        key = check_text(key, "suggestion", empty=False,
                         hint="Give the skill URI or label of a suggestion.")
        wanted = {key.strip().casefold()}
        if self._taxonomy is not None:
            wanted.update(c.uri.casefold() for c in self._taxonomy.lookup(key, "skill"))
        for position, suggestion in enumerate(self.suggestions):
            if wanted & {suggestion.skill_uri.casefold(), suggestion.label.casefold()}:
                self.suggestions[position] = suggestion.model_copy(update={"decision": decision})
                return
        raise InputValidationError(
            f"{key!r} is not among this draft's suggestions; see draft.suggestions.",
            field="suggestion")

    def to_profile(self, *, min_level: float = DEFAULT_LEVEL, optional_level: float = 1
                   ) -> JobProfile:
        """The approved profile: the given skills plus the accepted suggestions.

        Pending suggestions are left out: only what a person accepted enters the profile.
        """
        added = [
            Requirement(skill_uri=s.skill_uri, label=s.label, importance=s.importance,
                        min_level=min_level if s.importance == "essential" else optional_level)
            for s in self.suggestions if s.decision == "accepted"
        ]
        return self.profile.model_copy(
            update={"requirements": self.profile.requirements + tuple(added)}
        )


def draft_from_skills(
    taxonomy: Taxonomy,
    skills: list[str],
    *,
    title: str,
    profile_id: str | None = None,
    max_occupations: int = 3,
    max_suggestions: int = 15,
    min_level: float = DEFAULT_LEVEL,
) -> ProfileDraft:
    """See :meth:`JobProfile.from_skills`.

    Occupations are ranked by cosine similarity between the skill list and their skills
    (essential 1, optional 0.5). A skill the list lacks is scored by the similarity-weighted
    share of those occupations that require it.
    """
    check_text(title, "title", empty=False, hint="Give the role's title.")
    skills = check_list(skills, "skills", empty=False,
                        hint="Give at least one skill (an ESCO URI or label).")
    check_count(max_occupations, "max_occupations")
    check_count(max_suggestions, "max_suggestions")
    resolved = list({taxonomy.resolve_skill(s)[0].skill.uri: None for s in skills})
    index = SkillIndex.of(taxonomy)
    uris, matrix = occupation_matrix(taxonomy)
    query = np.zeros(len(index))
    query[[index.column(uri) for uri in resolved]] = 1.0
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    similarity = (matrix @ query) / np.where(norms > 0, norms, 1.0) / np.sqrt(len(resolved))
    top = np.argsort(-similarity, kind="stable")[:max_occupations]
    top = top[similarity[top] > 0]
    chosen = matrix[top]
    weights = similarity[top]
    support = weights @ chosen.toarray() / max(weights.sum(), 1e-12)
    essential_support = weights @ (chosen == 1.0).toarray() / max(weights.sum(), 1e-12)
    support[query > 0] = 0
    order = np.argsort(-support, kind="stable")[:max_suggestions]
    closest = [ranked_occupation(taxonomy, uris[i], similarity[i], "skills") for i in top]
    proposed = []
    for col in order:
        if support[col] <= 0:
            break
        uri = index.uris[col]
        needing = [match.label for row, match in enumerate(closest) if chosen[row, col] > 0]
        proposed.append(Suggestion(
            skill_uri=uri, label=taxonomy.skill(uri).label,
            importance="essential" if essential_support[col] >= support[col] / 2 else "optional",
            score=round(float(support[col]), 4),
            reason=message("draft.reason", taxonomy.language, occupations=", ".join(needing)),
        ))
    profile = JobProfile(
        profile_id=title if profile_id is None else profile_id,
        title=title,
        requirements=tuple(Requirement(skill_uri=uri, label=taxonomy.skill(uri).label,
                                       min_level=min_level) for uri in resolved),
        purpose="",
        source="from skills",
        provenance=Provenance(taxonomy_release=taxonomy.release),
    )
    return ProfileDraft(profile, proposed, closest, taxonomy=taxonomy)


def _draft_card(draft: ProfileDraft, *, max_rows: int = 20) -> str:
    """A profile draft as HTML: the given skills and the suggestions with their decisions."""
    import pandas as pd

    from skilltwin._html import card, column_names, escape, table

    given = ", ".join(escape(r.label) for r in draft.profile.requirements)
    language = draft.profile.provenance.language if draft.profile.provenance else None
    frame = pd.DataFrame(
        [(s.label, message(f"importance.{s.importance}", language), s.score,
          message(f"decision.{s.decision}", language), s.reason) for s in draft.suggestions],
        columns=column_names(language, "suggested_skill", "importance", "score", "decision",
                         "reason"),
    ).set_index(message("column.suggested_skill", language))
    closest = ", ".join(f"{match.label} ({match.score:.2f})" for match in draft.occupations)
    pending = sum(s.decision == "pending" for s in draft.suggestions)
    given_line = escape(message("draft.given", language, skills="")) + given
    return card(message("draft.card", language, title=draft.profile.title),
                message("draft.subtitle", language, pending=pending,
                        total=len(draft.suggestions), occupations=closest),
                f"<p>{given_line}</p>" + table(frame, max_rows=max_rows))
