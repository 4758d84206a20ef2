"""A draft profile from a schema.org job posting, for a person to complete.

* **Requirements** (the draft's profile) are the skills the posting names that are ESCO
  skills without doubt: a ``DefinedTerm`` with a known ESCO skill URI, or a name equal to an
  ESCO skill label.
* **Suggestions** (pending until a person accepts or rejects them) come from the posting's
  occupation: an ESCO occupation's essential (score 1) and optional (score 0.5) skills, or,
  for an ISCO-08 code, the share of the group's ESCO occupations that require each skill
  (optional ones counting half); without an occupational category, from the ESCO
  occupations closest to the requirements (as :meth:`JobProfile.from_skills`). With a
  mapper, the skills it finds in the other skill names and in the description are suggested
  too (score: the match score). A skill with several sources adds their scores (at most 1).
* Whatever matches nothing (an unknown URI or ISCO code, a skill name without a mapper) is
  listed in ``draft.notes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skilltwin._i18n import message
from skilltwin._validation import check_count, check_instance, check_top_k
from skilltwin.errors import SkilltwinError
from skilltwin.profiles._ranked import ranked_occupation
from skilltwin.profiles.draft import ProfileDraft, Suggestion, draft_from_skills
from skilltwin.profiles.job_posting import JobPosting, PostingCategory
from skilltwin.profiles.profile import JobProfile, Requirement
from skilltwin.provenance import Provenance
from skilltwin.twin.scale import DEFAULT_LEVEL

if TYPE_CHECKING:
    from skilltwin.mapping.protocol import Mapper
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.taxonomy.models import Occupation
    from skilltwin.taxonomy.results import ConceptMatch

__all__ = ["draft_from_job_posting"]

_ISCO_URI = "http://data.europa.eu/esco/isco/C{code}"
_SHOWN_OCCUPATIONS = 3


class _Proposals:
    """Suggested skills gathered from several sources, their scores added (at most 1)."""

    def __init__(self) -> None:
        self.score: dict[str, float] = {}
        self.essential: set[str] = set()
        self.reasons: dict[str, list[str]] = {}

    def add(self, uri: str, score: float, essential: bool, reason: str) -> None:
        self.score[uri] = min(1.0, self.score.get(uri, 0.0) + score)
        if essential:
            self.essential.add(uri)
        reasons = self.reasons.setdefault(uri, [])
        if reason not in reasons:
            reasons.append(reason)

    def suggestions(self, taxonomy: Taxonomy, given: set[str], max_suggestions: int
                    ) -> list[Suggestion]:
        ranked = sorted((uri for uri in self.score if uri not in given),
                        key=lambda uri: (-self.score[uri], taxonomy.skill(uri).label))
        return [Suggestion(skill_uri=uri, label=taxonomy.skill(uri).label,
                           importance="essential" if uri in self.essential else "optional",
                           score=round(self.score[uri], 4), reason="; ".join(self.reasons[uri]))
                for uri in ranked[:max_suggestions]]


def draft_from_job_posting(
    taxonomy: Taxonomy,
    posting: JobPosting,
    *,
    mapper: Mapper | None = None,
    profile_id: str | None = None,
    max_suggestions: int = 25,
    min_level: float = DEFAULT_LEVEL,
    top_k: int = 25,
) -> ProfileDraft:
    """See :meth:`JobProfile.from_job_posting`."""
    check_instance(posting, JobPosting, "posting",
                   hint="Read one with skilltwin.profiles.read_job_posting(path).")
    check_count(max_suggestions, "max_suggestions")
    check_top_k(top_k)
    language = taxonomy.language
    notes: list[str] = []
    proposals = _Proposals()
    required: dict[str, None] = {}
    unresolved: list[str] = []
    for skill in posting.skills:
        uri = _skill_uri(taxonomy, skill.esco_uri, skill.name, notes)
        if uri is not None:
            required[uri] = None
        elif skill.name:
            unresolved.append(skill.name)
    occupation, isco_code = _occupation(taxonomy, posting.occupational_categories, notes)
    occupations: list[ConceptMatch] = []
    if occupation is not None:
        occupations = [ranked_occupation(taxonomy, occupation.uri, 1.0, "category")]
        _from_occupations(taxonomy, [occupation], proposals, None, language)
    elif isco_code is not None:
        members = _isco_occupations(taxonomy, isco_code)
        overlap = {member.uri: _overlap(member, required) for member in members}
        members.sort(key=lambda member: -overlap[member.uri])
        occupations = [ranked_occupation(taxonomy, member.uri, overlap[member.uri], "overlap")
                       for member in members]
        _from_occupations(taxonomy, members, proposals, isco_code, language,
                          weights={uri: 1 + share for uri, share in overlap.items()})
    elif required:
        closest = draft_from_skills(taxonomy, list(required), title=posting.title,
                                    max_suggestions=max_suggestions)
        occupations = closest.occupations
        for suggestion in closest.suggestions:
            proposals.add(suggestion.skill_uri, suggestion.score,
                          suggestion.importance == "essential", suggestion.reason)
    if mapper is not None:
        for text in [*unresolved, posting.text]:
            for mention in list(mapper.extract_skills(text))[:top_k] if text else []:
                if _is_skill(taxonomy, mention.best.uri):
                    proposals.add(mention.best.uri, mention.best.score, True,
                                  message("draft.reason_posting", language,
                                          text=repr(mention.text)))
    elif unresolved:
        notes.append(f"{len(unresolved)} skill name(s) of the posting are no ESCO skill label "
                     f"({', '.join(map(repr, unresolved[:5]))}); pass mapper= to map them, "
                     "or add the skills by hand.")
    profile = JobProfile(
        profile_id=(posting.identifier or posting.title) if profile_id is None else profile_id,
        title=posting.title,
        requirements=tuple(Requirement(skill_uri=uri, label=taxonomy.skill(uri).label,
                                       min_level=min_level) for uri in required),
        purpose=posting.description.split("\n", 1)[0][:300],
        source="job posting",
        occupation_uri=occupation.uri if occupation is not None else None,
        provenance=Provenance(taxonomy_release=taxonomy.release,
                              model_name=_model_name(mapper)),
    )
    return ProfileDraft(profile, proposals.suggestions(taxonomy, set(required), max_suggestions),
                        occupations, taxonomy=taxonomy, isco_code=isco_code, notes=notes)


def _model_name(mapper: Mapper | None) -> str | None:
    """The model behind ``mapper``'s results, as its provenance names it."""
    if mapper is None:
        return None
    from skilltwin.mapping.protocol import provenance_of

    return provenance_of(mapper).model_name


def _is_skill(taxonomy: Taxonomy, uri: str) -> bool:
    if uri not in taxonomy:
        return False
    try:
        concept = taxonomy.concept(uri)
    except SkilltwinError:
        return False
    return concept.uri == uri and concept.kind == "skill"


def _skill_uri(taxonomy: Taxonomy, uri: str | None, name: str, notes: list[str]) -> str | None:
    """The ESCO skill a posting's skill names without doubt: its known URI, or a label."""
    if uri is not None:
        if _is_skill(taxonomy, uri):
            return uri
        notes.append(f"the skill {name!r} names {uri}, which is not a skill of "
                     f"{taxonomy.release} (outdated, from another release, or mistyped); "
                     "its name is used instead." if name else
                     f"{uri} is not a skill of {taxonomy.release}; add the skill by hand.")
    matches = [concept for concept in taxonomy.lookup(name, "skill")] if name else []
    return matches[0].uri if matches else None


def _occupation(taxonomy: Taxonomy, categories: tuple[PostingCategory, ...],
                notes: list[str]) -> tuple[Occupation | None, str | None]:
    """The posting's ESCO occupation (first known URI), and its ISCO-08 code: the
    occupation's, else the first known ISCO code of the categories."""
    isco_code = None
    for category in categories:
        if category.esco_uri is not None:
            if category.esco_uri in taxonomy and \
                    taxonomy.concept(category.esco_uri).kind == "occupation":
                occupation = taxonomy.occupation(category.esco_uri)
                return occupation, occupation.isco_code
            notes.append(f"the occupational category {category.esco_uri} is not an "
                         f"occupation of {taxonomy.release}.")
        elif category.isco_code is not None:
            if _ISCO_URI.format(code=category.isco_code) in taxonomy:
                isco_code = isco_code or category.isco_code
            else:
                notes.append(f"the occupational category {category.text!r} is no ISCO-08 "
                             f"group of {taxonomy.release}.")
        else:
            notes.append(f"the occupational category {category.text!r} is neither an ISCO-08 "
                         "code nor an ESCO occupation; it was not used.")
    return None, isco_code


def _isco_occupations(taxonomy: Taxonomy, code: str) -> list[Occupation]:
    """The ESCO occupations of ISCO-08 group ``code`` (any level: ``"2"`` to ``"2511"``)."""
    frame = taxonomy.occupations_frame()
    isco = frame["code"].fillna("").str.split(".").str[0]
    return [taxonomy.occupation(uri) for uri in frame.index[isco.str.startswith(code)]]


def _overlap(occupation: Occupation, required: dict[str, None]) -> float:
    """The share of the posting's required skills the occupation asks for too."""
    if not required:
        return 0.0
    asked = set(occupation.essential_skills) | set(occupation.optional_skills)
    return round(len(asked.intersection(required)) / len(required), 4)


def _from_occupations(taxonomy: Taxonomy, occupations: list[Occupation],
                      proposals: _Proposals, isco_code: str | None, language: str, *,
                      weights: dict[str, float] | None = None) -> None:
    """Propose the skills ``occupations`` require: an occupation's own (essential 1,
    optional 0.5), or per skill the weighted share of an ISCO group's occupations requiring
    it (an occupation weighs 1 plus the share of the posting's skills it asks for too)."""
    weight = weights or {}
    needing: dict[str, list[tuple[str, str, str]]] = {}
    for occupation in occupations:
        for importance, uris in (("essential", occupation.essential_skills),
                                 ("optional", occupation.optional_skills)):
            for uri in dict.fromkeys(uris):
                if uri in taxonomy:
                    needing.setdefault(uri, []).append(
                        (occupation.uri, occupation.label, importance))
    total = len(occupations)
    total_weight = sum(weight.get(occupation.uri, 1.0) for occupation in occupations)
    group = (taxonomy.concept(_ISCO_URI.format(code=isco_code)).label
             if isco_code is not None else "")
    for uri, by in needing.items():
        essential = sum(importance == "essential" for _, _, importance in by)
        score = sum(weight.get(occupation, 1.0) * (1.0 if importance == "essential" else 0.5)
                    for occupation, _, importance in by) / total_weight
        names = ", ".join(label for _, label, _ in by[:_SHOWN_OCCUPATIONS])
        if len(by) > _SHOWN_OCCUPATIONS:
            names += ", ..."
        reason = (message("draft.reason_isco", language, count=len(by), total=total,
                          code=isco_code, group=group, occupations=names)
                  if isco_code is not None else message("draft.reason", language,
                                                        occupations=names))
        proposals.add(uri, score, essential >= len(by) / 2, reason)
