"""Finding similar profiles and occupations, over skill sets or with an embedding model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from skilltwin.scoring.vectors import SkillIndex, occupation_matrix, weight_matrices

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy

__all__ = ["profile_text", "similar_occupations", "similar_profiles"]


def similar_profiles(
    profile: JobProfile,
    candidates: Sequence[JobProfile],
    *,
    taxonomy: Taxonomy,
    encoder: Any | None = None,
    limit: int = 10,
) -> pd.Series:
    """Candidate profiles most similar to ``profile`` (index: profile ids), best first.

    Without ``encoder``: cosine similarity of the profiles' skill vectors (each skill weighted
    by its share of the score). With any object having ``.encode(list[str])``: cosine of the
    embeddings of :func:`profile_text`.
    """
    if encoder is not None:
        vectors = np.asarray(encoder.encode([profile_text(p) for p in (profile, *candidates)]),
                             dtype=float)
    else:
        index = SkillIndex.of(taxonomy)
        matrices = weight_matrices([profile, *candidates], index, essential_share=0.75)
        vectors = sum(m for m in matrices.values()).toarray()
    scores = _cosine(vectors[0], vectors[1:])
    series = pd.Series(scores, index=[c.profile_id for c in candidates], name="similarity")
    return series.sort_values(ascending=False, kind="stable").head(limit)


def similar_occupations(profile: JobProfile, *, taxonomy: Taxonomy, limit: int = 10
                        ) -> pd.Series:
    """ESCO occupations whose skills resemble the profile's (index: occupation URIs)."""
    index = SkillIndex.of(taxonomy)
    uris, matrix = occupation_matrix(taxonomy)
    query = sum(m for m in weight_matrices([profile], index, 0.75).values()).toarray()[0]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scores = (matrix @ query) / np.where(norms > 0, norms, 1.0) / max(np.linalg.norm(query), 1e-12)
    series = pd.Series(scores, index=pd.Index(uris, name="occupation_uri"), name="similarity")
    return series.sort_values(ascending=False, kind="stable").head(limit)


def profile_text(profile: JobProfile) -> str:
    """The text a profile is embedded from: title, purpose and essential skill labels."""
    skills = ", ".join(r.label for r in profile.essential)
    return f"{profile.title}. {profile.purpose} Skills: {skills}".strip()


def _cosine(vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(vector)), 1e-12)
    return (matrix @ vector) / np.where(norms > 0, norms, 1.0)
