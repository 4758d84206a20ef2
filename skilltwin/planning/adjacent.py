"""Adjacent roles: the profiles and occupations an employee reaches with fewest new skills."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skilltwin.scoring.credit import CreditMatrix
from skilltwin.scoring.formula import level_matrix, max_times
from skilltwin.taxonomy.matrices import SkillIndex, occupation_matrix

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["adjacent_roles"]


def adjacent_roles(
    twin: EmployeeTwin,
    taxonomy: Taxonomy,
    *,
    profiles: Sequence[JobProfile] = (),
    include_occupations: bool = True,
    top_k: int = 10,
    min_overlap: float = 0.25,
    min_essential: int = 3,
) -> pd.DataFrame:
    """Roles ``twin`` can move to with the fewest new skills (internal mobility).

    Candidates are the given ``profiles`` and, with ``include_occupations``, every ESCO
    occupation with at least ``min_essential`` essential skills. A role's essential skills
    (all requirements for profiles without essential ones) split into those the person
    holds, those *bridged* (not held, but a directly related skill is: see
    :class:`skilltwin.CreditPolicy`) and those to learn from scratch. Roles where the
    person holds less than ``min_overlap`` of the essential skills are left out.

    Returns the ``top_k`` best roles, one row each, fewest ``new_skills`` first (then most
    ``bridged``, then highest ``overlap``):
    ``role_id``, ``title``, ``kind`` (profile or occupation), ``essential``, ``held``,
    ``overlap``, ``new_skills``, ``bridged``, ``to_learn`` (labels, bridged ones marked)
    and ``explanation``.
    """
    from skilltwin._validation import check_instance, check_number, check_top_k
    from skilltwin.scoring.checks import check_batch
    from skilltwin.twin.twin import EmployeeTwin

    check_instance(twin, EmployeeTwin, "twin")
    _, profiles, _ = check_batch([twin], profiles, taxonomy, None)
    check_top_k(top_k)
    check_number(min_overlap, "min_overlap", minimum=0, maximum=1)
    check_number(min_essential, "min_essential", minimum=0)
    index = SkillIndex.of(taxonomy)
    ids, titles, kinds, matrices = [], [], [], []
    if profiles:
        rows, cols = [], []
        for row, profile in enumerate(profiles):
            wanted = profile.essential or list(profile.requirements)
            rows += [row] * len(wanted)
            cols += [index.column(r.skill_uri) for r in wanted]
        matrices.append(sp.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                      shape=(len(profiles), len(index))))
        ids += [p.profile_id for p in profiles]
        titles += [p.title for p in profiles]
        kinds += ["profile"] * len(profiles)
    if include_occupations:
        uris, matrix = occupation_matrix(taxonomy)
        essential = (matrix >= 1.0).astype(float).tocsr()
        enough = np.flatnonzero(np.asarray(essential.sum(axis=1)).ravel() >= min_essential)
        matrices.append(essential[enough])
        ids += [uris[i] for i in enough]
        titles += [taxonomy.occupation(uris[i]).label for i in enough]
        kinds += ["occupation"] * len(enough)
    columns = ["role_id", "title", "kind", "essential", "held", "overlap", "new_skills",
               "bridged", "to_learn", "explanation"]
    if not matrices:
        return pd.DataFrame(columns=columns)
    roles = sp.vstack(matrices).tocsr()
    held = level_matrix([twin], index)
    held.data = np.ones_like(held.data)
    bridged_skills = max_times(held, CreditMatrix.of(taxonomy).by_held)
    bridged_skills.data = np.ones_like(bridged_skills.data)
    bridged_only = (bridged_skills - bridged_skills.multiply(held)).tocsr()
    bridged_only.eliminate_zeros()
    required = np.asarray(roles.sum(axis=1)).ravel()
    holding = (roles @ held.T).toarray().ravel()
    bridging = (roles @ bridged_only.T).toarray().ravel()
    overlap = np.divide(holding, required, out=np.zeros_like(holding), where=required > 0)
    keep = np.flatnonzero(overlap >= min_overlap)
    order = keep[np.lexsort((np.array(ids, dtype=object)[keep].astype(str), -overlap[keep],
                             -(bridging[keep]), required[keep] - holding[keep]))][:top_k]
    held_set = set(held.indices.tolist())
    bridged_set = set(bridged_only.indices.tolist())
    rows_out = []
    for role in order:
        start, end = roles.indptr[role], roles.indptr[role + 1]
        missing = [col for col in roles.indices[start:end] if col not in held_set]
        names = sorted((taxonomy.skill(index.uris[col]).label
                        + (" (bridged)" if col in bridged_set else "")) for col in missing)
        new, bridged = int(required[role] - holding[role]), int(bridging[role])
        rows_out.append({
            "role_id": ids[role], "title": titles[role], "kind": kinds[role],
            "essential": int(required[role]), "held": int(holding[role]),
            "overlap": round(float(overlap[role]), 3), "new_skills": new, "bridged": bridged,
            "to_learn": "; ".join(names),
            "explanation": (f"holds {int(holding[role])} of {int(required[role])} essential "
                            f"skills; {new} new, {bridged} of them close to a held skill"),
        })
    return pd.DataFrame(rows_out, columns=columns)
