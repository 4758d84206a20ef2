"""Job profiles from job-ad text: confident extractions as requirements, the rest suggested."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from skilltwin._i18n import message
from skilltwin._validation import check_number, check_top_k
from skilltwin.documents import Document, as_document
from skilltwin.profiles.draft import ProfileDraft, Suggestion
from skilltwin.profiles.profile import JobProfile, Requirement
from skilltwin.provenance import Provenance

if TYPE_CHECKING:
    from skilltwin.mapping.protocol import Mapper

__all__ = ["REQUIRE_FROM", "draft_from_text"]

#: Extracted skills with a calibrated confidence of at least this become requirements of a
#: profile from text; the others are suggestions. From 0.5 an extracted skill is more likely
#: right than wrong (docs/benchmarks.md, "Extraction with confidence").
REQUIRE_FROM = 0.5


def draft_from_text(mapper: Mapper, text: str | os.PathLike[str] | Document, *, title: str,
                    profile_id: str | None, top_k: int, require_from: float) -> ProfileDraft:
    """See :meth:`JobProfile.draft_from_text`. A mention without a confidence (a mapper
    without the learned step) is a requirement, as before there was one."""
    from skilltwin.mapping.protocol import provenance_of
    from skilltwin.twin.builders import cited_evidence

    check_top_k(top_k)
    check_number(require_from, "require_from", minimum=0, maximum=1,
                 hint="Give the confidence from which a skill becomes a requirement, 0 to 1.")
    document = as_document(text)
    taxonomy = mapper.taxonomy
    mentions = sorted(mapper.extract_skills(document.text),
                      key=lambda m: -(m.confidence or 0.0))[:top_k]
    requirements: dict[str, Requirement] = {}
    suggestions: dict[str, Suggestion] = {}
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        skill = taxonomy.skill(mention.best.uri)
        confidence = mention.confidence
        if confidence is None or confidence >= require_from:
            requirements.setdefault(skill.uri, Requirement(
                skill_uri=skill.uri, label=skill.label, confidence=confidence,
                evidence=cited_evidence(document, mention, "")))
        elif skill.uri not in requirements:
            suggestions.setdefault(skill.uri, Suggestion(
                skill_uri=skill.uri, label=skill.label, importance="essential",
                score=round(float(confidence), 4),
                reason=message("draft.extracted", taxonomy.language, evidence=mention.text,
                               confidence=f"{confidence:.2f}")))
    model = provenance_of(mapper).model_name
    profile = JobProfile(
        profile_id=title if profile_id is None else profile_id,
        title=title,
        purpose=document.text.strip().split("\n", 1)[0][:300],
        requirements=tuple(requirements.values()),
        source="from text",
        provenance=Provenance(taxonomy_release=taxonomy.release, model_name=model),
    )
    ordered = sorted(suggestions.values(), key=lambda s: -s.score)
    return ProfileDraft(profile, ordered, [], taxonomy=taxonomy)
