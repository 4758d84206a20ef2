"""The learned step of skill extraction: how sure is it that a sentence names a concept?

:meth:`skilltwin.SkillMapper.extract_skills` maps every sentence of a document and every phrase
inside it. For one sentence, every concept among the top candidates of any of its spans becomes
one *candidate*: the concept, the span where it scored best, and a few numbers that describe
the evidence (:data:`FEATURES`: the fused score and its signals, the rank and margins within
the span, how many spans of the sentence rank it, the length of the span, whether the span is
the whole sentence, whether the label appears word for word, the skill's type...).

Gradient-boosted trees turn those numbers into a score, and a calibration turns the score into a
probability: the ``confidence`` that the sentence names that concept. Both were fitted on the
TECH and HOUSE skill-extraction dev sets (``benchmarks/train_extraction.py``, card beside the
artefact in ``skilltwin/mapping/artefacts/``). A second, sentence-level model says how likely a
sentence is to name any skill at all; a sentence below its threshold yields no mention.

The numbers depend on the model that scored the candidates, so each artefact names the model
it was trained with (``model``: the encoder's ``name``) and :func:`model_for` picks the
artefact of the mapper's model: ``extraction-multilingual.json`` for the packaged multilingual
model (trained on English and Dutch sentences), ``extraction-minilm.json`` for
all-MiniLM-L6-v2 and for every model without an artefact of its own.

An artefact is a small JSON file of trees and coefficients; loading and applying it needs
numpy only (no torch, no scikit-learn).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from skilltwin._text import normalize_label, tokenize
from skilltwin.errors import ConfigurationError
from skilltwin.taxonomy.results import ConceptMatch

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["ARTEFACT", "CONCEPT_FEATURES", "FEATURES", "SENTENCE_FEATURES", "Candidate",
           "ExtractionModel", "Trees", "concept_facts", "model_for", "packaged_model",
           "sentence_candidates", "sentence_features"]

Span = tuple[int, int]

#: What describes one candidate (a concept and the span of a sentence where it scored best).
FEATURES: tuple[str, ...] = (
    "score",            # fused score in the best span
    "semantic",         # its signals there
    "description",
    "coverage",
    "word",
    "preferred",
    "rank",             # log(1 + rank) of the concept in that span (0 = best)
    "gap_to_top",       # best score of the span minus this score
    "margin_next",      # this score minus the next candidate's score in the span
    "sentence_gap",     # best score of any concept in the sentence minus this score
    "sentence_rank",    # log(1 + rank) among the sentence's candidates by score
    "spans_ranking",    # share of the sentence's spans that rank the concept
    "whole_sentence",   # 1 when the best span is the whole sentence
    "span_words",       # log(words of the span)
    "sentence_words",   # log(words of the sentence)
    "label_words",      # log(words of the matched label)
    "label_share",      # words of the matched label / words of the span (at most 1)
    "exact",            # 1 when the span is the matched label (case and spacing aside)
    "label_in_span",    # 1 when every word of the matched label occurs in the span
    "alternative",      # matched label is an alternative label
    "hidden",           # matched label is a hidden label
    "score_sq",         # score squared: the effect of the score is not linear
    # what ESCO says of the concept itself (:data:`CONCEPT_FEATURES`)
    "knowledge",        # ESCO "knowledge" (else skill/competence)
    "transversal",      # reuse level transversal or cross-sector
    "occupation_specific",  # reuse level occupation-specific
    "occupations",      # log(1 + occupations that list it as essential or optional)
)
#: The features of :data:`FEATURES` that describe the concept, from :func:`concept_facts`.
CONCEPT_FEATURES: tuple[str, ...] = ("knowledge", "transversal", "occupation_specific",
                                     "occupations")

#: What describes one sentence for the "names any skill" model.
SENTENCE_FEATURES: tuple[str, ...] = (
    "max_logit",        # the best candidate's logit (before calibration)
    "max_score",        # the best fused score of the sentence
    "sentence_words",   # log(words of the sentence)
    "spans",            # log(number of spans)
    "strong",           # log(1 + candidates with a fused score of 0.6 or more)
)

_ROLES_OF_NOTE = ("alternative", "hidden")


@dataclass(frozen=True)
class Candidate:
    """One concept a sentence may name: ``match`` is its match in ``span``, the span of the
    sentence where it scored best; ``alternatives`` are the other concepts ranked for that
    span, best first."""

    span: Span
    match: ConceptMatch
    alternatives: tuple[ConceptMatch, ...]


def sentence_candidates(
    document: str,
    spans: Sequence[Span],
    matches: Sequence[Sequence[ConceptMatch]],
    facts: Callable[[str], Sequence[float]],
) -> tuple[list[Candidate], np.ndarray]:
    """The candidates of one sentence and their :data:`FEATURES` (one row each).

    ``spans`` are the sentence (first) and its phrases; ``matches`` the ranked matches of each
    span, best first; ``facts(uri)`` the :data:`CONCEPT_FEATURES` of a concept. A concept
    ranked for several spans is one candidate, in the span where it scored best (on a tie,
    the shorter span).
    """
    best: dict[str, tuple[float, int, int, int]] = {}  # uri -> (score, -length, -span, rank)
    ranked_in: dict[str, int] = {}
    for position, ((start, end), span_matches) in enumerate(zip(spans, matches, strict=True)):
        for rank, match in enumerate(span_matches):
            ranked_in[match.uri] = ranked_in.get(match.uri, 0) + 1
            key = (match.score, -(end - start), -position, rank)
            if match.uri not in best or key[:3] > best[match.uri][:3]:
                best[match.uri] = key
    if not best:
        return [], np.zeros((0, len(FEATURES)), dtype=np.float64)
    order = sorted(best, key=lambda uri: (-best[uri][0], best[uri][1], uri))
    top_score = best[order[0]][0]
    sentence_start, sentence_end = spans[0]
    sentence_words = max(len(tokenize(document[sentence_start:sentence_end])), 1)
    candidates: list[Candidate] = []
    rows: list[list[float]] = []
    for sentence_rank, uri in enumerate(order):
        score, _, negative_position, rank = best[uri]
        position = -negative_position
        start, end = spans[position]
        span_matches = matches[position]
        match = span_matches[rank]
        text = document[start:end]
        words = tokenize(text)
        label_words = tokenize(match.matched_label)
        next_score = span_matches[rank + 1].score if rank + 1 < len(span_matches) else 0.0
        signals = match.signals
        candidates.append(Candidate((start, end), match,
                                    tuple(m for m in span_matches if m.uri != uri)))
        rows.append([
            score,
            signals.get("semantic", 0.0),
            signals.get("description", 0.0),
            signals.get("coverage", 0.0),
            signals.get("word", 0.0),
            signals.get("preferred", 0.0),
            math.log1p(rank),
            span_matches[0].score - score,
            score - next_score,
            top_score - score,
            math.log1p(sentence_rank),
            ranked_in[uri] / len(spans),
            float(position == 0),
            math.log(max(len(words), 1)),
            math.log(sentence_words),
            math.log(max(len(label_words), 1)),
            min(len(label_words) / max(len(words), 1), 1.0),
            float(normalize_label(text) == normalize_label(match.matched_label)),
            float(bool(label_words) and set(label_words) <= set(words)),
            float(match.matched_role == _ROLES_OF_NOTE[0]),
            float(match.matched_role == _ROLES_OF_NOTE[1]),
            score * score,
            *facts(uri),
        ])
    return candidates, np.asarray(rows, dtype=np.float64)


def concept_facts(taxonomy: Taxonomy) -> dict[str, tuple[float, ...]]:
    """The :data:`CONCEPT_FEATURES` of every skill of ``taxonomy``: its type, reuse level and
    how many occupations ask for it (ESCO's occupation-skill relations)."""
    skills = taxonomy.skills_frame()
    relations = taxonomy.relations_frame()
    relations = relations[relations["kind"] == "occupation_skill"]
    occupations = relations.groupby("target").size()
    counts = occupations.reindex(skills.index, fill_value=0).to_numpy()
    reuse = skills["reuse_level"].fillna("").astype(str).to_numpy()
    knowledge = (skills["skill_type"] == "knowledge").to_numpy()
    return {
        uri: (float(k), float(level in ("transversal", "cross-sector")),
              float(level == "occupation-specific"), math.log1p(float(count)))
        for uri, k, level, count in zip(skills.index, knowledge, reuse, counts, strict=True)
    }


def sentence_features(logits: np.ndarray, features: np.ndarray, spans: int) -> np.ndarray:
    """The :data:`SENTENCE_FEATURES` of a sentence from its candidates' logits and
    :data:`FEATURES` (a sentence without candidates gets the values of one with nothing)."""
    if len(logits) == 0:
        return np.asarray([-10.0, 0.0, 0.0, math.log(max(spans, 1)), 0.0])
    scores = features[:, FEATURES.index("score")]
    return np.asarray([
        float(logits.max()),
        float(scores.max()),
        float(features[0, FEATURES.index("sentence_words")]),
        math.log(max(spans, 1)),
        math.log1p(float(np.count_nonzero(scores >= 0.6))),
    ])


@dataclass(frozen=True)
class _Logistic:
    """``sigmoid(coefficients · (x - mean) / scale + intercept)`` as a logit."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coefficients: np.ndarray
    intercept: float

    @classmethod
    def of(cls, data: dict[str, Any], expected: tuple[str, ...]) -> _Logistic:
        names = tuple(data["features"])
        if names != expected:
            raise ConfigurationError(
                "The extraction model was trained on other features than this version of "
                "skilltwin computes; retrain it with `python benchmarks/train_extraction.py`."
            )
        return cls(names, np.asarray(data["mean"], dtype=np.float64),
                   np.asarray(data["scale"], dtype=np.float64),
                   np.asarray(data["coefficients"], dtype=np.float64),
                   float(data["intercept"]))

    def logit(self, rows: np.ndarray) -> np.ndarray:
        if rows.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        logits: np.ndarray = (((rows - self.mean) / self.scale) @ self.coefficients
                              + self.intercept)
        return logits


@dataclass(frozen=True)
class _Tree:
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted regression trees: ``baseline`` plus the leaf value of each tree, as a
    logit. A row goes left at a node when its feature is at most the node's threshold."""

    names: tuple[str, ...]
    baseline: float
    trees: tuple[_Tree, ...]

    @classmethod
    def of(cls, data: dict[str, Any], expected: tuple[str, ...]) -> Trees:
        """Read the trees of an artefact (``features``, ``baseline``, ``trees``)."""
        names = tuple(data["features"])
        if names != expected:
            raise ConfigurationError(
                "The extraction model was trained on other features than this version of "
                "skilltwin computes; retrain it with `python benchmarks/train_extraction.py`."
            )
        trees = tuple(
            _Tree(np.asarray(t["feature"], dtype=np.int64),
                  np.asarray(t["threshold"], dtype=np.float64),
                  np.asarray(t["left"], dtype=np.int64), np.asarray(t["right"], dtype=np.int64),
                  np.asarray(t["leaf"], dtype=bool), np.asarray(t["value"], dtype=np.float64))
            for t in data["trees"])
        return cls(names, float(data["baseline"]), trees)

    def as_dict(self) -> dict[str, Any]:
        """The artefact form of these trees (what :meth:`of` reads)."""
        return {"kind": "trees", "features": list(self.names), "baseline": self.baseline,
                "trees": [{"feature": t.feature.tolist(), "threshold": t.threshold.tolist(),
                           "left": t.left.tolist(), "right": t.right.tolist(),
                           "leaf": t.leaf.astype(int).tolist(), "value": t.value.tolist()}
                          for t in self.trees]}

    @cached_property
    def _stacked(self) -> tuple[np.ndarray, ...]:
        """The trees as ``(trees, nodes)`` arrays, padded with leaves worth 0."""
        count = len(self.trees)
        width = max((len(t.value) for t in self.trees), default=1)
        feature = np.zeros((count, width), dtype=np.int64)
        threshold = np.zeros((count, width), dtype=np.float64)
        left = np.zeros((count, width), dtype=np.int64)
        right = np.zeros((count, width), dtype=np.int64)
        leaf = np.ones((count, width), dtype=bool)
        value = np.zeros((count, width), dtype=np.float64)
        for position, tree in enumerate(self.trees):
            size = len(tree.value)
            feature[position, :size] = tree.feature
            threshold[position, :size] = tree.threshold
            left[position, :size] = tree.left
            right[position, :size] = tree.right
            leaf[position, :size] = tree.leaf
            value[position, :size] = tree.value
        return feature, threshold, left, right, leaf, value

    def logit(self, rows: np.ndarray) -> np.ndarray:
        """The summed tree values of each row, plus the baseline (all trees walked at once,
        one level per step)."""
        total = np.full(rows.shape[0], self.baseline, dtype=np.float64)
        if rows.shape[0] == 0 or not self.trees:
            return total
        feature, threshold, left, right, leaf, value = self._stacked
        trees = np.arange(len(self.trees))[None, :]
        row = np.arange(rows.shape[0])[:, None]
        node = np.zeros((rows.shape[0], len(self.trees)), dtype=np.int64)
        while True:
            inner = ~leaf[trees, node]
            if not inner.any():
                break
            goes_left = rows[row, feature[trees, node]] <= threshold[trees, node]
            step = np.where(goes_left, left[trees, node], right[trees, node])
            node = np.where(inner, step, node)
        scores: np.ndarray = total + value[trees, node].sum(axis=1)
        return scores


@dataclass(frozen=True)
class ExtractionModel:
    """The fitted extraction step: per-candidate logits (boosted trees), their calibration
    into a probability, the sentence-level model, and the documented thresholds.

    Attributes:
        name: The artefact's name (e.g. ``"extraction-minilm"``).
        model: The ``name`` of the encoder whose scores it was trained on (``None`` when the
            artefact does not say).
        candidates_per_span: How many ranked concepts of each span are considered.
        threshold: Default confidence from which a candidate becomes a mention.
        sentence_threshold: Probability that a sentence names a skill below which it yields
            no mention.
    """

    name: str
    model: str | None
    candidates_per_span: int
    threshold: float
    sentence_threshold: float
    mention: Trees
    calibration_a: float
    calibration_b: float
    sentence: _Logistic

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractionModel:
        """Read a model from the artefact's JSON content."""
        try:
            return cls(
                name=str(data["name"]),
                model=None if data.get("model") is None else str(data["model"]),
                candidates_per_span=int(data["candidates_per_span"]),
                threshold=float(data["threshold"]),
                sentence_threshold=float(data["sentence_threshold"]),
                mention=Trees.of(data["mention_model"], FEATURES),
                calibration_a=float(data["calibration"]["a"]),
                calibration_b=float(data["calibration"]["b"]),
                sentence=_Logistic.of(data["sentence_model"], SENTENCE_FEATURES),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(
                f"The extraction model is damaged ({exc!r}); reinstall skilltwin or retrain it "
                "with `python benchmarks/train_extraction.py`."
            ) from None

    def logits(self, features: np.ndarray) -> np.ndarray:
        """The uncalibrated score of each candidate (a logit)."""
        return self.mention.logit(features)

    def confidence(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated probabilities from logits (Platt scaling: increasing in the logit)."""
        return _sigmoid(self.calibration_a * logits + self.calibration_b)

    def sentence_probability(self, row: np.ndarray) -> float:
        """Probability that a sentence with these :data:`SENTENCE_FEATURES` names a skill."""
        return float(_sigmoid(self.sentence.logit(row[None, :]))[0])


def _sigmoid(values: np.ndarray) -> np.ndarray:
    probabilities: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(values, -50.0, 50.0)))
    return probabilities


#: The packaged artefact of every model without one of its own (trained with
#: all-MiniLM-L6-v2 features).
ARTEFACT = "extraction-minilm.json"


@lru_cache(maxsize=4)
def packaged_model(name: str = ARTEFACT) -> ExtractionModel:
    """The extraction model shipped with skilltwin in the file ``name``
    (``skilltwin/mapping/artefacts/``)."""
    path = resources.files("skilltwin.mapping").joinpath("artefacts").joinpath(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(
            f"The extraction model {name} is missing or unreadable ({exc}); reinstall "
            "skilltwin or retrain it with `python benchmarks/train_extraction.py`."
        ) from None
    return ExtractionModel.from_dict(data)


@lru_cache(maxsize=16)
def model_for(model_name: str) -> ExtractionModel:
    """The packaged extraction model trained with the encoder called ``model_name`` (an
    artefact whose ``model`` is that name); :data:`ARTEFACT` when none was."""
    default = packaged_model()
    if default.model == model_name:
        return default
    folder = resources.files("skilltwin.mapping").joinpath("artefacts")
    for name in sorted(entry.name for entry in folder.iterdir()):
        if name.startswith("extraction-") and name.endswith(".json") and name != ARTEFACT:
            found = packaged_model(name)
            if found.model == model_name:
                return found
    return default
