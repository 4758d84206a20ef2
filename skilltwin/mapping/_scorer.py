"""The matrix work behind the mapper: score a batch of texts against every concept of a kind.

The dense part (texts × ~100k label vectors, then the best label of each concept) runs in
numpy: its BLAS matrix product uses every core (it measured as fast as torch's here, and
mapping needs no torch: the ONNX backend runs without it). The label vectors are stored slot
by slot (:class:`SlotLayout`), so the best label of each concept is a running maximum over
column blocks. Lexical signals are scipy.sparse products; the fusion is numpy.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from skilltwin.errors import ConfigurationError
from skilltwin.mapping import _fusion
from skilltwin.mapping._calibration import IDENTITY, AffineMap
from skilltwin.mapping._label_max import SlotLayout
from skilltwin.mapping._lexical import LexicalIndex, LexicalScores
from skilltwin.mapping.index import EmbeddingIndex
from skilltwin.taxonomy.results import ROLES

__all__ = ["MAX_PHRASES", "ConceptScorer", "Phrases", "Ranking", "lexical_index"]

_CHUNK = 256  # queries scored together: bounds the (queries × labels) working arrays
#: Phrases of one text taken into account, so a text and its phrases fit one batch.
MAX_PHRASES = _CHUNK - 1


@dataclass(frozen=True)
class Ranking:
    """The top concepts of each query, as ``(queries, top_k)`` arrays.

    ``concepts`` are positions in the index's table (``table.uris``), ``label_rows`` the table
    rows of the labels that matched, ``signals`` the value of each signal per match.
    """

    concepts: np.ndarray
    scores: np.ndarray
    label_rows: np.ndarray
    signals: dict[str, np.ndarray]


@dataclass(frozen=True)
class Phrases:
    """Phrases of the texts being ranked: ``owners[i]`` is the position of the text that
    ``texts[i]`` comes from (non-decreasing; at most :data:`MAX_PHRASES` per text);
    ``vectors`` are their embeddings."""

    texts: Sequence[str]
    vectors: np.ndarray
    owners: np.ndarray


@dataclass(frozen=True)
class _ChunkScores:
    scores: np.ndarray  # (queries, concepts) fused
    label_scores: np.ndarray  # (queries, labels) weighted label scores, in layout columns
    lexical: LexicalScores
    description: np.ndarray  # (queries, concepts) cosine with the description


class ConceptScorer:
    """Scores texts against the concepts of one :class:`EmbeddingIndex`, with the signal
    weights ``weights`` (see :func:`skilltwin.mapping._fusion.weights_for`); ``calibration``
    puts the model's cosines on the reference scale first (the ``semantic`` and
    ``description`` signals are calibrated cosines). ``description_view`` (factors per
    dimension and their calibration, from the ``description_view`` of a
    :class:`~skilltwin.mapping.CombinedEncoder`'s capabilities) weighs the parts of a
    combined model differently for descriptions."""

    def __init__(self, index: EmbeddingIndex, weights: _fusion.FusionWeights,
                 calibration: AffineMap = IDENTITY,
                 description_view: tuple[np.ndarray, AffineMap] | None = None):
        table = index.table
        count = table.label_count
        self.index = index
        self._concepts = len(table.uris)
        # label columns slot by slot, so the best label per concept is one vectorised pass
        self._layout = SlotLayout(table.owners[:count])
        self._labels = index.rows(self._layout.columns)
        # one row per concept (zeros where a concept has no description): no scatter per query
        descriptions = np.zeros((self._concepts, index.dimension), dtype=np.float32)
        descriptions[table.owners[count:]] = index.rows(np.arange(count, len(table.texts)))
        # descriptions may weigh a combined model's parts differently from labels
        self._description_calibration = calibration
        if description_view is not None:
            factors, self._description_calibration = description_view
            if factors.shape != (descriptions.shape[1],):
                raise ConfigurationError(
                    f"The description view has {factors.size} factors for vectors of "
                    f"{descriptions.shape[1]} dimensions: the index was built by another model."
                )
            descriptions *= factors
        self._descriptions = descriptions
        # concepts without a description: their (calibrated) description signal is set to 0
        described = np.zeros(self._concepts, dtype=bool)
        described[table.owners[count:]] = True
        self._undescribed = np.flatnonzero(~described)
        self.weights = weights
        self.calibration = calibration
        self._lexical = lexical_index(index, [table.texts[row] for row in self._layout.columns],
                                      chars=weights.chars > 0)
        preferred = table.roles[self._layout.columns] == ROLES.index("preferred")
        in_fallback = table.in_fallback_language[self._layout.columns]
        bonus = _fusion.label_bonus(preferred, in_fallback, weights)
        # without fallback labels only preferred labels, each concept's first label, get a
        # bonus: the first columns of the layout
        self._bonus_end = int(np.flatnonzero(bonus).max(initial=-1)) + 1
        self._label_bonus = bonus[:self._bonus_end]
        # (chunk, labels) output buffer reused across calls: a fresh 100 MB array per chunk
        # costs as much in page faults as the product itself
        self._buffer = np.empty((_CHUNK, count), dtype=np.float32)
        self._lock = threading.Lock()

    def rank(self, texts: Sequence[str], vectors: np.ndarray, top_k: int,
             phrases: Phrases | None = None) -> Ranking:
        """The ``top_k`` concepts for each text (``vectors`` are the texts' embeddings).

        With ``phrases``, the score of a text that has phrases blends in each concept's best
        phrase score (:func:`skilltwin.mapping._fusion.blend_phrases`); the ``phrase`` signal
        holds that best phrase score (NaN for texts without phrases). A text and its phrases
        are scored in the same batch: each batch reads all label vectors once.
        """
        top_k = max(0, min(top_k, self._concepts))
        layout = _Layout.of(texts, vectors, phrases)
        parts = [self._rank_batch(layout, batch, top_k) for batch in layout.batches(_CHUNK)]
        names = (*self.weights.signals, "phrase")
        if not parts:
            empty = np.zeros((0, top_k), dtype=np.float32)
            index = np.zeros((0, top_k), dtype=np.int64)
            return Ranking(index, empty, index, {name: empty for name in names})
        return Ranking(
            concepts=np.concatenate([p.concepts for p in parts]),
            scores=np.concatenate([p.scores for p in parts]),
            label_rows=np.concatenate([p.label_rows for p in parts]),
            signals={name: np.concatenate([p.signals[name] for p in parts]) for name in names},
        )

    def _score_chunk(self, texts: Sequence[str], vectors: np.ndarray) -> _ChunkScores:
        queries = vectors
        label_scores = self.calibration.apply(
            np.matmul(queries, self._labels.T, out=self._buffer[:len(texts)]))
        lexical = self._lexical.score(texts)
        _fusion.add_lexical(label_scores, lexical, self.weights)
        label_scores[:, :self._bonus_end] += self._label_bonus
        best_label = self._layout.concept_max(label_scores)
        description = np.maximum(
            self._description_calibration.apply(queries @ self._descriptions.T), 0.0)
        if self._undescribed.size:
            description[:, self._undescribed] = 0.0
        return _ChunkScores(_fusion.finish(best_label, description, self.weights),
                            label_scores, lexical, description)

    def _rank_batch(self, layout: _Layout, groups: list[tuple[int, int]], top_k: int) -> Ranking:
        """Rank the texts of ``groups`` (``(first row, end row)`` of a text and its phrases)."""
        rows = np.arange(groups[0][0], groups[-1][1])
        with self._lock:  # the label-score buffer is shared
            chunk = self._score_chunk([layout.texts[r] for r in rows],
                                      np.ascontiguousarray(layout.vectors[rows]))
            heads = np.asarray([first for first, _ in groups]) - rows[0]
            phrase_best = np.full((len(groups), self._concepts), np.nan, dtype=np.float32)
            scores = chunk.scores[heads]
            for slot, (first, end) in enumerate(groups):
                if end - first > 1:
                    local = first - rows[0]
                    phrase_best[slot] = chunk.scores[local + 1:end - rows[0]].max(axis=0)
                    scores[slot] = _fusion.blend_phrases(scores[slot], phrase_best[slot])
            return self._rank_scored(chunk, heads, scores, layout.vectors[heads + rows[0]], top_k,
                                     phrase_best)

    def _rank_scored(self, chunk: _ChunkScores, heads: np.ndarray, scores: np.ndarray,
                     vectors: np.ndarray, top_k: int, phrase_best: np.ndarray) -> Ranking:
        count = len(heads)
        concepts, top_scores = _top_k(scores, top_k)
        queries = np.repeat(np.arange(count), top_k).reshape(count, top_k)
        label_rows = self._best_labels(chunk.label_scores, heads[queries], concepts)
        chunk_rows = heads[queries]
        label_columns = self._layout.position[label_rows]
        semantic = self.calibration.apply(
            np.einsum("qkd,qkd->qk", vectors[queries],
                      self._labels[self._layout.position[label_rows]]))
        signals = {
            "semantic": np.clip(semantic, 0.0, 1.0),
            "description": chunk.description[chunk_rows, concepts],
            "coverage": _pick(chunk.lexical.coverage, chunk_rows, label_columns),
            "word": _pick(chunk.lexical.word, chunk_rows, label_columns),
            "preferred": (self.index.table.roles[label_rows] == ROLES.index("preferred")
                          ).astype(np.float32),
            "phrase": phrase_best[queries, concepts],
        }
        if self.weights.fallback > 0:
            in_fallback = self.index.table.in_fallback_language[label_rows]
            signals["fallback"] = in_fallback.astype(np.float32)
        if chunk.lexical.chars is not None:
            signals["chars"] = _pick(chunk.lexical.chars, chunk_rows, label_columns)
        return Ranking(concepts, top_scores, label_rows, signals)

    def _best_labels(self, label_scores: np.ndarray, rows: np.ndarray, concepts: np.ndarray
                     ) -> np.ndarray:
        """The label row of each concept that scored best for the query in ``rows``."""
        if concepts.size == 0:
            return np.zeros(concepts.shape, dtype=np.int64)
        starts, ends = self._layout.starts[concepts], self._layout.ends[concepts]
        candidates = starts[..., None] + np.arange(int((ends - starts).max()))
        inside = candidates < ends[..., None]
        candidates = np.where(inside, candidates, starts[..., None])
        values = label_scores[rows[..., None], self._layout.position[candidates]]
        values[~inside] = -np.inf
        return np.take_along_axis(candidates, values.argmax(axis=-1)[..., None], -1)[..., 0]


@dataclass(frozen=True)
class _Layout:
    """Texts and their phrases in one sequence of rows: each text, then its phrases."""

    texts: list[str]
    vectors: np.ndarray
    groups: list[tuple[int, int]]  # per text: (its row, end of its phrase rows)

    @classmethod
    def of(cls, texts: Sequence[str], vectors: np.ndarray, phrases: Phrases | None) -> _Layout:
        vectors = np.asarray(vectors, dtype=np.float32)
        if phrases is None or len(phrases.texts) == 0:
            return cls(list(texts), vectors, [(i, i + 1) for i in range(len(texts))])
        bounds = np.searchsorted(phrases.owners, np.arange(len(texts) + 1))
        rows: list[str] = []
        order: list[int] = []  # row -> position in texts + phrases
        groups: list[tuple[int, int]] = []
        for position, text in enumerate(texts):
            first = len(rows)
            rows.append(text)
            order.append(position)
            for phrase in range(int(bounds[position]), int(bounds[position + 1])):
                rows.append(phrases.texts[phrase])
                order.append(len(texts) + phrase)
            groups.append((first, len(rows)))
        stacked = np.concatenate([vectors, np.asarray(phrases.vectors, dtype=np.float32)])
        return cls(rows, stacked[order], groups)

    def batches(self, size: int) -> list[list[tuple[int, int]]]:
        """Consecutive groups with at most ``size`` rows each (a larger group stays whole)."""
        batches: list[list[tuple[int, int]]] = []
        current: list[tuple[int, int]] = []
        for first, end in self.groups:
            if current and end - current[0][0] > size:
                batches.append(current)
                current = []
            current.append((first, end))
        if current:
            batches.append(current)
        return batches


def _pick(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if rows.size == 0:
        return np.zeros(rows.shape, dtype=np.float32)
    values = matrix[rows.ravel(), cols.ravel()]
    return np.asarray(values, dtype=np.float32).reshape(rows.shape)


def _top_k(scores: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray]:
    """The columns of the ``top_k`` largest scores of each row and their scores, best first."""
    if top_k < scores.shape[1]:
        columns = np.argpartition(-scores, top_k - 1, axis=1)[:, :top_k]
    else:
        columns = np.broadcast_to(np.arange(scores.shape[1]), scores.shape).copy()
    values = np.take_along_axis(scores, columns, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    return (np.take_along_axis(columns, order, axis=1).astype(np.int64),
            np.take_along_axis(values, order, axis=1))


def lexical_index(index: EmbeddingIndex, labels: Sequence[str], *, chars: bool) -> LexicalIndex:
    """The lexical index of ``labels`` (the index's labels in layout order): read from beside
    the cached index when there (building it takes seconds for ESCO's skills, reading it a
    fraction of that), else built and, where the cache can be written, kept there."""
    if index.folder is None:
        return LexicalIndex(labels, chars=chars)
    path = index.folder / f"lexical-{'chars' if chars else 'words'}-{_lexical_version()}.npz"
    try:
        with np.load(path, allow_pickle=False) as arrays:
            loaded = LexicalIndex.from_arrays(arrays)
        if len(loaded) == len(labels) and loaded.has_chars == chars:
            return loaded
    except (OSError, ValueError, KeyError):
        pass  # absent or damaged: build it
    built = LexicalIndex(labels, chars=chars)
    try:
        handle, temporary = tempfile.mkstemp(dir=index.folder, suffix=".tmp")
    except OSError:
        return built  # a read-only cache: build it each time
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **built.arrays())  # type: ignore[arg-type]
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
    return built


@cache
def _lexical_version() -> str:
    """A hash of the code that computes lexical indexes: a cached one from other code is not
    read."""
    digest = hashlib.sha256()
    for module in ("mapping/_lexical.py", "_text.py"):
        try:
            digest.update((Path(__file__).resolve().parent.parent / module).read_bytes())
        except OSError:  # no source files: the version decides
            from skilltwin._version import __version__

            digest.update(__version__.encode())
    return digest.hexdigest()[:12]
