"""How the signals combine into one score in [0, 1].

Each label of a concept gets ``semantic`` (embedding cosine) plus the lexical signals of
:mod:`skilltwin.mapping._lexical` and the ``preferred`` flag, weighted; the concept keeps its
best label and adds the weighted cosine with its description. Dividing by the sum of the
weights keeps the result in [0, 1]: a text equal to a label scores about 0.8 or more,
unrelated or non-English text about 0.2-0.35. The weights are round values that follow from
what each signal means (the embedding carries most of the meaning, the description adds
context, the lexical signals reward labels whose words appear in the text, the preferred label
breaks near ties); a handful of such settings were compared on the dev sets and each set serves
skills and occupations alike, so nothing is fitted to a single benchmark.

There are two sets, chosen by the model (:func:`weights_for`). With a model of one language
(all-MiniLM-L6-v2) text and labels share their words, and whole words are good evidence. With a
multilingual model the text is often in another language than many labels (a Dutch CV against
ESCO skills that only have English labels): a shared word is then mostly a loan word or an
acronym ("ICT"). The default multilingual model (USE and multilingual-e5-small, calibrated) also
ranks well enough by itself that lexical evidence mostly adds noise, so its set gives the word
signals and character n-grams of words (``chars``: parts of compounds and inflected forms,
"wijkverpleegkundige" and "verpleegkundige") small weights. The semantic and description
signals are calibrated cosines (:mod:`skilltwin.mapping._calibration`), so the weights mean
the same for every model.

A taxonomy in one language with another as fallback (Dutch with English) holds labels of both.
A cosine across languages runs lower than one within a language for the same meaning, so a Dutch
title meets the Dutch preferred label of a neighbouring occupation with a higher cosine than the
English label of its own. The multilingual set adds ``fallback`` (1 when the matched label is in
the fallback language) to such labels, weighted by how much lower the model's cross-language
cosines run (the ``cross_language_gap`` its capabilities declare). It corrects the cosine rather
than adding evidence, so it is not part of the :attr:`FusionWeights.total` the score is divided
by: a taxonomy without fallback labels scores exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from skilltwin.mapping._lexical import LexicalScores

if TYPE_CHECKING:
    from skilltwin.mapping.encoder import Encoder

__all__ = [
    "MONOLINGUAL", "MULTILINGUAL", "PHRASE_WEIGHT", "FusionWeights", "add_lexical",
    "blend_phrases", "finish", "label_bonus", "weights_for",
]


@dataclass(frozen=True)
class FusionWeights:
    """The weight of each signal; ``semantic`` is the unit the others are relative to."""

    name: str
    description: float
    coverage: float
    word: float
    chars: float  # 0: the character n-gram signal is not computed
    # 1 when the matched label is the concept's preferred label: the curated name of the
    # concept; alternative labels include looser variants (broader terms, other scopes)
    preferred: float
    # 1 when the matched label is in the taxonomy's fallback language (English beside Dutch):
    # cosines across languages run lower, by the model's ``cross_language_gap``; a
    # correction, not counted in ``total``
    fallback: float = 0.0
    semantic: float = 1.0

    @property
    def total(self) -> float:
        """The sum of the weights but ``fallback``: what a concept's weighted sum is divided
        by."""
        return sum(float(getattr(self, f.name)) for f in fields(self)
                   if f.name not in ("name", "fallback"))

    @property
    def signals(self) -> tuple[str, ...]:
        """The signals these weights use, in the order results list them."""
        names = ("semantic", "description", "coverage", "word", "chars", "preferred",
                 "fallback")
        return tuple(name for name in names if name == "semantic" or getattr(self, name) > 0)

    def as_dict(self) -> dict[str, float]:
        """``{signal: weight}`` of the signals used."""
        return {name: float(getattr(self, name)) for name in self.signals}


#: For a model of one language (the default, all-MiniLM-L6-v2, for English taxonomies).
MONOLINGUAL = FusionWeights("monolingual", description=0.5, coverage=0.4, word=0.2, chars=0.0,
                            preferred=0.05)
#: For a multilingual model: lexical signals count little, character n-grams of words are
#: added (chosen on the Dutch dev half with the default multilingual model, docs/mapping.md);
#: ``fallback`` is the model's ``cross_language_gap`` where it declares one.
MULTILINGUAL = FusionWeights("multilingual", description=0.5, coverage=0.03, word=0.02,
                             chars=0.05, preferred=0.02)
#: Weight of a concept's best phrase score next to its whole-text score (weight 1), for texts
#: made of several phrases; a long sentence dilutes the match of a short label.
PHRASE_WEIGHT = 0.5


def weights_for(encoder: Encoder) -> FusionWeights:
    """:data:`MULTILINGUAL` for an encoder whose capabilities say it is multilingual, with
    ``fallback`` set to its ``cross_language_gap`` (when it declares one), else
    :data:`MONOLINGUAL`."""
    capabilities = encoder.capabilities
    if not capabilities.multilingual:
        return MONOLINGUAL
    gap = capabilities.cross_language_gap
    return MULTILINGUAL if gap is None else replace(MULTILINGUAL, fallback=float(gap))


def add_lexical(label_scores: np.ndarray, lexical: LexicalScores,
                weights: FusionWeights) -> None:
    """Add the weighted lexical signals to label cosines ``(queries, labels)``, in place
    (the semantic weight is 1: the other weights are relative to it)."""
    # one sparse sum, then one scatter: the signals are non-zero where a word is shared
    weighted = weights.coverage * lexical.coverage + weights.word * lexical.word
    if lexical.chars is not None and weights.chars > 0:
        weighted = weighted + weights.chars * lexical.chars
    matrix: sp.coo_matrix = sp.coo_matrix(weighted)
    label_scores[matrix.row, matrix.col] += matrix.data


def label_bonus(is_preferred: np.ndarray, is_fallback: np.ndarray,
                weights: FusionWeights) -> np.ndarray:
    """What each label adds to its weighted score for being a preferred label and for being in
    the fallback language (one value per label column; the semantic weight is 1: the weights
    are relative to it)."""
    return (weights.preferred * is_preferred + weights.fallback * is_fallback).astype(np.float32)


def finish(best_label: np.ndarray, description: np.ndarray,
           weights: FusionWeights) -> np.ndarray:
    """Concept scores in [0, 1] from the best weighted label score and the description cosine."""
    scores = best_label + weights.description * description
    scores /= weights.total
    return np.clip(scores, 0.0, 1.0, out=scores)


def blend_phrases(scores: np.ndarray, phrase_best: np.ndarray) -> np.ndarray:
    """Whole-text concept scores blended with the best score among the text's phrases."""
    return (scores + PHRASE_WEIGHT * phrase_best) / (1 + PHRASE_WEIGHT)
