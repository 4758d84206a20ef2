"""Job profiles: from ESCO occupations, from skills (reviewed drafts) or from text."""

from skilltwin.profiles.draft import ProfileDraft, Suggestion
from skilltwin.profiles.profile import Importance, JobProfile, Requirement
from skilltwin.profiles.similarity import profile_text, similar_occupations, similar_profiles

__all__ = [
    "Importance",
    "JobProfile",
    "ProfileDraft",
    "Requirement",
    "Suggestion",
    "profile_text",
    "similar_occupations",
    "similar_profiles",
]
