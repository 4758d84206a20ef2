"""The requirement-share matrices of every ESCO occupation profile, straight from the
taxonomy's occupation-skill relations (no profile or skill objects).

Gives exactly what :func:`skilltwin.scoring.formula.weight_matrices` gives for the profiles of
:func:`skilltwin.outofcore.occupation_profiles` (same entries, same floats, same order of
minimum levels): essential skills at :data:`~skilltwin.DEFAULT_LEVEL`, optional ones at 1,
each skill once per importance, every weight 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skilltwin.taxonomy.matrices import SkillIndex
from skilltwin.twin.scale import DEFAULT_LEVEL

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["OccupationWeights", "occupation_weights"]

_OPTIONAL_LEVEL = 1.0  # JobProfile.from_occupation's default optional_level

OccupationWeights = tuple[list[str], dict[float, sp.csr_matrix], sp.csr_matrix]


def occupation_weights(taxonomy: Taxonomy, essential_share: float) -> OccupationWeights:
    """Profile ids (occupation URIs with at least one skill, in taxonomy order), the
    profiles x skills requirement shares per minimum level, and the essential mask."""
    index = SkillIndex.of(taxonomy)
    # the occupations in taxonomy order; occupations_frame() would also count every
    # occupation's skills in Python (~0.4 s), which is not needed here
    concepts = taxonomy.concepts_frame()
    occupations = concepts.index[concepts["kind"].to_numpy() == "occupation"]
    relations = taxonomy.relations_frame()
    relations = relations[relations["kind"].to_numpy() == "occupation_skill"]
    table = pd.DataFrame({
        "row": occupations.get_indexer(relations["source"]),
        "essential": (relations["relation"] == "essential").to_numpy(),
        "column": pd.Index(index.uris).get_indexer(relations["target"]),
    })
    table = table[(table["row"].to_numpy() >= 0) & (table["column"].to_numpy() >= 0)]
    table = table[~table.duplicated()]  # a skill once per importance, first mention kept
    # per profile: essential skills first, then optional ones, each in relation order
    order = np.lexsort((~table["essential"].to_numpy(), table["row"].to_numpy()))
    row = table["row"].to_numpy()[order]
    essential = table["essential"].to_numpy()[order]
    column = table["column"].to_numpy()[order]
    kept, row = np.unique(row, return_inverse=True)  # profiles without skills are left out
    count = len(kept)
    essentials = np.bincount(row[essential], minlength=count).astype(float)
    optionals = np.bincount(row[~essential], minlength=count).astype(float)
    both = (essentials > 0) & (optionals > 0)
    # requirement_shares with weights of 1: share * 1 / n is share / n
    essential_part = np.where(both, essential_share, 1.0)
    optional_part = np.where(both, 1 - essential_share, 1.0)
    share = np.where(essential, essential_part[row] / np.maximum(essentials[row], 1.0),
                     optional_part[row] / np.maximum(optionals[row], 1.0))
    level = np.where(essential, float(DEFAULT_LEVEL), _OPTIONAL_LEVEL)
    shape = (count, len(index))
    weights = {}
    for value in dict.fromkeys(level.tolist()):  # levels in order of first requirement
        chosen = level == value
        weights[value] = sp.csr_matrix((share[chosen], (row[chosen], column[chosen])),
                                       shape=shape, dtype=float)
    mask = sp.csr_matrix((np.ones(int(essential.sum())), (row[essential], column[essential])),
                         shape=shape)
    mask.data = np.ones_like(mask.data)
    ids = [str(uri) for uri in occupations[kept]]
    return ids, weights, mask
