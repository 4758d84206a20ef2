"""Splitting a CV or job ad into the stretches of text that get mapped, and merging the results.

:meth:`skilltwin.SkillMapper.extract_skills` maps every sentence (or bullet item) and every
phrase inside it; this module finds those spans (:func:`sentence_spans`) and turns the
candidates the learned step scored (:mod:`skilltwin.mapping._extractor`) into
:class:`~skilltwin.mapping.results.Mention` objects, keeping each skill once
(:func:`assemble_mentions`). :func:`merge_mentions` is the earlier rule on fused scores alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from skilltwin.mapping._extractor import Candidate
from skilltwin.mapping.results import Mention
from skilltwin.taxonomy.results import ConceptMatch

__all__ = ["DEFAULT_THRESHOLD", "MULTILINGUAL_THRESHOLD", "assemble_mentions", "candidate_spans",
           "merge_mentions", "sentence_spans"]

#: The fused-score threshold of :func:`merge_mentions`, the rule ``extract_skills`` used before
#: it had a learned confidence (best F1 of that rule on the TECH and HOUSE dev sets).
DEFAULT_THRESHOLD = 0.6
#: The same for a multilingual model: on those dev sets its best F1 lies at 0.55-0.59; text in
#: another language than the labels scores lower, so the low end.
MULTILINGUAL_THRESHOLD = 0.55

# Sentences: lines and bullet items, cut after ., !, ? or ; followed by a space.
_PIECE = re.compile(r"[^\n\r•·▪●◦]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
# Phrases: cut at list punctuation, brackets, slashes, "&", "and" / "or", and the words that
# usually introduce a skill ("experience with SQL", "skilled in Excel", "such as Python"), in
# English and Dutch ("ervaring met SQL en Python", "zoals Excel"). Dutch "of" (or) is left
# out: it is the English "of" too ("knowledge of SQL").
_PHRASE_BREAK = re.compile(
    r"[,;:()\[\]/&|]|\s(?:and|or|with|in|using|including|such as|like|e\.g\."
    r"|en|met|zoals|waaronder|inclusief|bijvoorbeeld|bijv\.)\s",
    re.IGNORECASE,
)
_LEAD = " \t*-–—>\"'‘“"
_TRAIL = " \t.,;:!?\"'’”"
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def sentence_spans(document: str) -> list[list[tuple[int, int]]]:
    """Per sentence (or bullet item), in document order: its ``(start, end)`` offsets, then
    those of its phrases when it has several. Spans without a letter or digit are left out."""
    groups: list[list[tuple[int, int]]] = []
    for piece in _PIECE.finditer(document):
        for sentence in _split(document, piece.start(), piece.end(), _SENTENCE_END):
            phrases = _split(document, *sentence, _PHRASE_BREAK)
            groups.append([sentence, *phrases] if len(phrases) > 1 else [sentence])
    return groups


def candidate_spans(document: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of every sentence and of every phrase inside a sentence that
    has several, in document order; spans without a letter or digit are left out."""
    return [span for group in sentence_spans(document) for span in group]


def assemble_mentions(
    document: str,
    scored: Sequence[tuple[Candidate, float]],
    threshold: float,
    top_k: int,
) -> list[Mention]:
    """One mention per concept whose ``confidence`` reaches ``threshold``, in the span where it
    was most confident (each concept once per document; on a tie, the earlier span).

    A mention's first match is its concept (with its ``confidence``); up to ``top_k - 1``
    other concepts ranked for the same span follow as alternatives for a person to choose
    from, each listed once in the document and only when it is no mention of its own.
    """
    best: dict[str, tuple[Candidate, float]] = {}
    for candidate, confidence in scored:
        uri = candidate.match.uri
        if uri not in best or confidence > best[uri][1]:
            best[uri] = (candidate, confidence)
    kept = sorted(((c, p) for c, p in best.values() if p >= threshold),
                  key=lambda item: (item[0].span, -item[1], item[0].match.uri))
    confidences = {uri: confidence for uri, (_, confidence) in best.items()}
    listed = {candidate.match.uri for candidate, _ in kept}
    mentions = []
    for candidate, confidence in kept:
        alternatives: list[ConceptMatch] = []
        for match in candidate.alternatives:
            if len(alternatives) >= top_k - 1:
                break
            if match.uri in listed:
                continue
            listed.add(match.uri)
            alternatives.append(_with_confidence(match, confidences.get(match.uri)))
        start, end = candidate.span
        mentions.append(Mention(
            text=document[start:end], start=start, end=end, confidence=round(confidence, 4),
            matches=(_with_confidence(candidate.match, confidence), *alternatives)))
    return mentions


def _with_confidence(match: ConceptMatch, confidence: float | None) -> ConceptMatch:
    if confidence is None:
        return match
    return match.model_copy(update={"confidence": round(float(confidence), 4)})


def merge_mentions(
    document: str,
    spans: Sequence[tuple[int, int]],
    matches: Sequence[Sequence[ConceptMatch]],
    threshold: float,
) -> list[Mention]:
    """Mentions from the matches of each span: matches below ``threshold`` dropped, and each
    concept kept only in the span where it scored best (on a tie, the shorter span)."""
    best: dict[str, tuple[float, int, int]] = {}
    for position, ((start, end), span_matches) in enumerate(zip(spans, matches, strict=True)):
        for match in span_matches:
            if match.score < threshold:
                continue
            candidate = (match.score, -(end - start), -position)
            if match.uri not in best or candidate > best[match.uri]:
                best[match.uri] = candidate
    mentions = []
    for position, ((start, end), span_matches) in enumerate(zip(spans, matches, strict=True)):
        kept = tuple(m for m in span_matches
                     if m.uri in best and -best[m.uri][2] == position and m.score >= threshold)
        if kept:
            mentions.append(Mention(text=document[start:end], start=start, end=end,
                                    matches=kept))
    mentions.sort(key=lambda mention: (mention.start, mention.end))
    return mentions


def _split(
    document: str, start: int, end: int, pattern: re.Pattern[str]
) -> list[tuple[int, int]]:
    pieces = []
    cursor = start
    for found in pattern.finditer(document, start, end):
        pieces.append((cursor, found.start()))
        cursor = found.end()
    pieces.append((cursor, end))
    return [span for span in (_trim(document, *piece) for piece in pieces) if span]


def _trim(document: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and document[start] in _LEAD:
        start += 1
    while end > start and document[end - 1] in _TRAIL:
        end -= 1
    if not _WORD.search(document, start, end):
        return None
    return start, end
