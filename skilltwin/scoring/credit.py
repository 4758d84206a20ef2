"""Partial credit through the taxonomy: a sparse skill x skill credit matrix.

``matrix[s, t]`` is the credit holding skill ``t`` gives towards a requirement for skill
``s`` (see :class:`~skilltwin.scoring.policy.CreditPolicy`); ``relation[s, t]`` says why.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from skilltwin.scoring.policy import CreditPolicy, ScoringPolicy
from skilltwin.taxonomy.matrices import SkillIndex

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["RELATION_NAMES", "CreditMatrix"]

# Codes stored in CreditMatrix.relation, and what they mean for the held skill t.
RELATION_NAMES = {
    1: "narrower than",
    2: "broader than",
    3: "related (essential) to",
    4: "related (optional) to",
}

_CACHE: weakref.WeakKeyDictionary[Taxonomy, dict[CreditPolicy, CreditMatrix]] = (
    weakref.WeakKeyDictionary()
)


class CreditMatrix:
    """The credit matrix of one taxonomy under one credit policy (build with :meth:`of`)."""

    def __init__(self, index: SkillIndex, matrix: sp.csr_matrix, relation: sp.csr_matrix):
        self.index = index
        self.matrix = matrix
        self.relation = relation
        self.by_held = matrix.T.tocsr()

    @classmethod
    def of(cls, taxonomy: Taxonomy, credit_policy: CreditPolicy | None = None) -> CreditMatrix:
        """The credit matrix of ``taxonomy`` (built once per taxonomy and credit policy)."""
        credit_policy = credit_policy or CreditPolicy()
        cached = _CACHE.setdefault(taxonomy, {})
        if credit_policy not in cached:
            cached[credit_policy] = cls._build(taxonomy, credit_policy)
        return cached[credit_policy]

    @classmethod
    def of_scoring(cls, taxonomy: Taxonomy, scoring_policy: ScoringPolicy) -> CreditMatrix | None:
        """The credit matrix ``scoring_policy`` asks for, or ``None`` when it gives no partial
        credit (``scoring_policy.credit is None``)."""
        credit = scoring_policy.credit
        return None if credit is None else cls.of(taxonomy, credit)

    @classmethod
    def _build(cls, taxonomy: Taxonomy, credit_policy: CreditPolicy) -> CreditMatrix:
        index = SkillIndex.of(taxonomy)
        relations = taxonomy.relations_frame()
        both_skills = relations["source"].isin(index.position) & relations["target"].isin(
            index.position
        )
        relations = relations[both_skills]
        source = relations["source"].map(index.position).to_numpy()
        target = relations["target"].map(index.position).to_numpy()
        broader = (relations["kind"] == "broader_skill").to_numpy()
        linked = (relations["kind"] == "skill_skill").to_numpy()
        essential = (relations["relation"] == "essential").to_numpy()
        # (required, held, credit, code); broader edges run narrower -> broader.
        parts = [
            (target[broader], source[broader], credit_policy.narrower, 1),
            (source[broader], target[broader], credit_policy.broader, 2),
        ]
        for forward in (True, False):
            a, b = (source, target) if forward else (target, source)
            parts.append((a[linked & essential], b[linked & essential],
                          credit_policy.essential_relation, 3))
            parts.append((a[linked & ~essential], b[linked & ~essential],
                          credit_policy.optional_relation, 4))
        required = np.concatenate([p[0] for p in parts])
        held = np.concatenate([p[1] for p in parts])
        credit = np.concatenate([np.full(len(p[0]), p[2], dtype=float) for p in parts])
        code = np.concatenate([np.full(len(p[0]), p[3], dtype=np.int8) for p in parts])
        keep = (credit > 0) & (required != held)
        required, held, credit, code = required[keep], held[keep], credit[keep], code[keep]
        # Best credit per pair: sort by pair then credit descending and keep the first.
        order = np.lexsort((-credit, held, required))
        required, held, credit, code = required[order], held[order], credit[order], code[order]
        first = np.ones(len(required), dtype=bool)
        first[1:] = (required[1:] != required[:-1]) | (held[1:] != held[:-1])
        shape = (len(index), len(index))
        matrix = sp.csr_matrix((credit[first], (required[first], held[first])), shape=shape)
        relation = sp.csr_matrix((code[first], (required[first], held[first])), shape=shape)
        return cls(index, matrix, relation)
