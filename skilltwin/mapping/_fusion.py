"""How the signals combine into one score in [0, 1].

Each label of a concept gets ``semantic`` (embedding cosine) plus the lexical signals of
:mod:`skilltwin.mapping.lexical` and the ``preferred`` flag, weighted; the concept keeps its
best label and adds the weighted cosine with its description. Dividing by the sum of the
weights keeps the result in [0, 1]: a text equal to a label scores about 0.8 or more,
unrelated or non-English text about 0.2-0.35. The weights are round values that follow from
what each signal means (the embedding carries most of the meaning, the description adds
context, the lexical signals reward labels whose words appear in the text, the preferred label
breaks near ties); a handful of such settings were compared on the dev sets and one set serves
skills and occupations alike, so nothing is fitted to a single benchmark.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from skilltwin.mapping.lexical import LexicalScores

__all__ = [
    "PHRASE_WEIGHT", "SIGNALS", "WEIGHTS", "add_lexical", "blend_phrases", "finish",
    "preferred_bonus",
]

WEIGHTS: dict[str, float] = {
    "semantic": 1.0,  # the unit: add_lexical and preferred_bonus rely on it
    "description": 0.5,
    "coverage": 0.4,
    "word": 0.2,
    # 1 when the matched label is the concept's preferred label: the curated name of the
    # concept; alternative labels include looser variants (broader terms, other scopes)
    "preferred": 0.05,
}
SIGNALS: tuple[str, ...] = tuple(WEIGHTS)
#: Weight of a concept's best phrase score next to its whole-text score (weight 1), for texts
#: made of several phrases; a long sentence dilutes the match of a short label.
PHRASE_WEIGHT = 0.5
_TOTAL = sum(WEIGHTS.values())


def add_lexical(label_scores: np.ndarray, lexical: LexicalScores) -> None:
    """Add the weighted lexical signals to label cosines ``(queries, labels)``, in place
    (the semantic weight is 1: the other weights are relative to it)."""
    # one sparse sum, then one scatter: both signals are non-zero where a word is shared
    weighted = WEIGHTS["coverage"] * lexical.coverage + WEIGHTS["word"] * lexical.word
    matrix: sp.coo_matrix = sp.coo_matrix(weighted)
    label_scores[matrix.row, matrix.col] += matrix.data


def preferred_bonus(is_preferred: np.ndarray) -> np.ndarray:
    """What each label adds to its weighted score for being a preferred label (one value per
    label column; the semantic weight is 1: the weight is relative to it)."""
    return (WEIGHTS["preferred"] * is_preferred).astype(np.float32)


def finish(best_label: np.ndarray, description: np.ndarray) -> np.ndarray:
    """Concept scores in [0, 1] from the best weighted label score and the description cosine."""
    scores = best_label + WEIGHTS["description"] * description
    scores /= _TOTAL
    return np.clip(scores, 0.0, 1.0, out=scores)


def blend_phrases(scores: np.ndarray, phrase_best: np.ndarray) -> np.ndarray:
    """Whole-text concept scores blended with the best score among the text's phrases."""
    return (scores + PHRASE_WEIGHT * phrase_best) / (1 + PHRASE_WEIGHT)
