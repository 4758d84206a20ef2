"""Splitting a CV or job ad into the stretches of text that get mapped, and merging the results.

:meth:`skilltwin.SkillMapper.extract_skills` maps every sentence (or bullet item) and every
phrase inside it; this module finds those spans and turns the scored matches into
:class:`~skilltwin.mapping.results.Mention` objects, keeping each skill once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from skilltwin.mapping.results import ConceptMatch, Mention

__all__ = ["DEFAULT_THRESHOLD", "MULTILINGUAL_THRESHOLD", "candidate_spans", "merge_mentions"]

#: Matches scoring below this are dropped by ``extract_skills``; calibrated on the TECH and
#: HOUSE dev sets (see docs/benchmarks.md, "Extraction threshold").
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


def candidate_spans(document: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of every sentence and of every phrase inside a sentence that
    has several, in document order; spans without a letter or digit are left out."""
    spans: list[tuple[int, int]] = []
    for piece in _PIECE.finditer(document):
        for sentence in _split(document, piece.start(), piece.end(), _SENTENCE_END):
            spans.append(sentence)
            phrases = _split(document, *sentence, _PHRASE_BREAK)
            if len(phrases) > 1:
                spans.extend(phrases)
    return spans


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
