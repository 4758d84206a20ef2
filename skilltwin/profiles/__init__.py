"""Job profiles: from ESCO occupations, from skills or job postings (reviewed drafts) or
from text."""

from skilltwin.profiles.draft import ProfileDraft, Suggestion
from skilltwin.profiles.io import read_profiles
from skilltwin.profiles.job_posting import (
    JobPosting,
    PostingCategory,
    PostingSkill,
    read_job_posting,
    read_job_postings,
)
from skilltwin.profiles.profile import Importance, JobProfile, Requirement
from skilltwin.profiles.similarity import profile_text, similar_occupations, similar_profiles

__all__ = [
    "Importance",
    "JobPosting",
    "JobProfile",
    "PostingCategory",
    "PostingSkill",
    "ProfileDraft",
    "Requirement",
    "Suggestion",
    "profile_text",
    "read_job_posting",
    "read_job_postings",
    "read_profiles",
    "similar_occupations",
    "similar_profiles",
]
