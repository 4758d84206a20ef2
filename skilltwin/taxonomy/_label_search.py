"""Lexical search over concept labels: TF-IDF on word tokens, best label per concept."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from skilltwin._text import normalize_label, tokenize
from skilltwin.taxonomy.results import Role

__all__ = ["LabelHit", "LabelSearch"]

#: One concept found: ``(uri, score in [0, 1], matched label, its role)``.
LabelHit = tuple[str, float, str, Role]


class LabelSearch:
    """Ranks concepts by the best-matching of their labels.

    A label's score is the cosine between TF-IDF vectors (word tokens, smoothed IDF) of the query
    and the label; a label equal to the query (after normalisation) scores 1. A concept scores as
    its best label, so a concept with many alternative labels gains no advantage from their number.
    """

    def __init__(self, uris: Sequence[str], labels: Sequence[Sequence[tuple[str, Role]]]):
        """``labels``: each concept's ``(label, role)`` pairs, in the order of ``uris``."""
        owners: list[int] = []
        texts: list[str] = []
        roles: list[Role] = []
        for position, concept_labels in enumerate(labels):
            for label, role in concept_labels:
                owners.append(position)
                texts.append(label)
                roles.append(role)
        self._uris = list(uris)
        self._owner = np.asarray(owners, dtype=np.int64)
        self._labels = texts
        self._roles = roles
        self._normalized = [normalize_label(t) for t in texts]
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, text in enumerate(texts):
            for token in set(tokenize(text)):
                rows.append(row)
                cols.append(vocabulary.setdefault(token, len(vocabulary)))
        self._vocabulary = vocabulary
        counts = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(texts), max(len(vocabulary), 1)),
        )
        document_frequency = np.bincount(cols, minlength=counts.shape[1])
        self._idf = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)
        weighted = counts.multiply(self._idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        self._matrix = sp.csr_matrix(sp.diags(1 / norms) @ weighted)

    def search(self, text: str, top_k: int = 10) -> list[LabelHit]:
        """The best ``top_k`` concepts, best first."""
        tokens = [t for t in set(tokenize(text)) if t in self._vocabulary]
        if not tokens or top_k <= 0:
            return []
        columns = [self._vocabulary[t] for t in tokens]
        weights = self._idf[columns]
        query = weights / np.linalg.norm(weights)
        label_scores = np.asarray(self._matrix[:, columns] @ query).ravel()
        # A query that contains out-of-vocabulary words can only partly match a label.
        full_norm = _query_norm(text, self._idf, self._vocabulary)
        label_scores *= float(np.linalg.norm(weights)) / full_norm
        exact = normalize_label(text)
        candidates = np.flatnonzero(label_scores > 0)
        scores = np.minimum(label_scores[candidates], 1.0)
        scores[[self._normalized[row] == exact for row in candidates]] = 1.0
        # Best label per concept: sort by score, keep each owner's first occurrence.
        order = np.lexsort((candidates, -scores))
        owners = self._owner[candidates[order]]
        _, first = np.unique(owners, return_index=True)
        keep = order[np.sort(first)][:top_k]
        return [
            (self._uris[int(self._owner[candidates[i]])], float(scores[i]),
             self._labels[int(candidates[i])], self._roles[int(candidates[i])])
            for i in keep
        ]


def _query_norm(text: str, idf: np.ndarray, vocabulary: dict[str, int]) -> float:
    """Norm of the query vector, counting unknown words at the highest IDF."""
    unknown_weight = float(idf.max()) if idf.size else 1.0
    weights = [float(idf[vocabulary[t]]) if t in vocabulary else unknown_weight
               for t in set(tokenize(text))]
    return float(np.linalg.norm(weights)) or 1.0
