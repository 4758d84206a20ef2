"""Finding similar profiles and occupations, over skill sets or with an embedding model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from skilltwin.profiles._ranked import ranked_occupation
from skilltwin.taxonomy.matrices import SkillIndex, occupation_matrix

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.taxonomy.results import ConceptMatch

__all__ = ["profile_text", "similar_occupations", "similar_profiles"]

# How much of a profile's similarity vector its essential skills carry when it also has
# optional ones (the default essential share of a match score, so that profiles resemble
# each other the way they would score).
_ESSENTIAL_WEIGHT = 0.75


def similar_profiles(
    profile: JobProfile,
    profiles: Sequence[JobProfile],
    taxonomy: Taxonomy,
    *,
    encoder: Any | None = None,
    top_k: int = 10,
) -> pd.Series:
    """The ``top_k`` of ``profiles`` most similar to ``profile`` (index: profile ids),
    best first.

    Without ``encoder``: cosine similarity of the profiles' skill vectors (see
    :func:`_skill_vectors`). With any object having ``.encode(list[str])``: cosine of the
    embeddings of :func:`profile_text`.
    """
    if encoder is not None:
        vectors = np.asarray(encoder.encode([profile_text(p) for p in (profile, *profiles)]),
                             dtype=float)
    else:
        vectors = _skill_vectors([profile, *profiles], SkillIndex.of(taxonomy))
    scores = _cosine(vectors[0], vectors[1:])
    series = pd.Series(scores, index=[p.profile_id for p in profiles], name="similarity")
    return series.sort_values(ascending=False, kind="stable").head(top_k)


def similar_occupations(profile: JobProfile, taxonomy: Taxonomy, *, top_k: int = 10
                        ) -> list[ConceptMatch]:
    """The ``top_k`` ESCO occupations whose skills most resemble the profile's, best first.

    Each is a ranked concept whose ``score`` is the cosine of the skill vectors (its one
    signal, ``skills``).
    """
    uris, matrix = occupation_matrix(taxonomy)
    query = _skill_vectors([profile], SkillIndex.of(taxonomy))[0]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scores = (matrix @ query) / np.where(norms > 0, norms, 1.0) / max(np.linalg.norm(query), 1e-12)
    order = np.argsort(-scores, kind="stable")[:top_k]
    return [ranked_occupation(taxonomy, uris[i], scores[i], "skills") for i in order]


def _skill_vectors(profiles: Sequence[JobProfile], index: SkillIndex) -> np.ndarray:
    """Profiles x skills: each requirement's weight, normalised within its importance, with
    essential skills carrying three quarters of a profile's vector when it has both kinds."""
    vectors = np.zeros((len(profiles), len(index)))
    for row, profile in enumerate(profiles):
        essential, optional = profile.essential, profile.optional
        both = bool(essential) and bool(optional)
        parts = (_ESSENTIAL_WEIGHT if both else 1.0, 1.0 - _ESSENTIAL_WEIGHT if both else 1.0)
        for requirements, weight in zip((essential, optional), parts, strict=True):
            total = sum(r.weight for r in requirements)
            for r in requirements:
                vectors[row, index.column(r.skill_uri)] = weight * r.weight / total
    return vectors


def profile_text(profile: JobProfile) -> str:
    """The text a profile is embedded from: title, purpose and essential skill labels."""
    skills = ", ".join(r.label for r in profile.essential)
    return f"{profile.title}. {profile.purpose} Skills: {skills}".strip()


def _cosine(vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(vector)), 1e-12)
    dots: np.ndarray = matrix @ vector
    return dots / np.where(norms > 0, norms, 1.0)
