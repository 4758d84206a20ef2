"""Plain-language explanations of match scores."""

from __future__ import annotations

from skilltwin._i18n import decimal, message
from skilltwin.scoring.results import GapReport, MatchComponents

__all__ = ["explain_match"]

def explain_match(report: GapReport, components: MatchComponents, score: float) -> str:
    """A few sentences an HR person can read: the score, what makes it, the main gaps.

    The sentences are in the language of the report's taxonomy (its provenance).
    """
    language = report.provenance.language
    sentences = [
        message("match.headline", language, employee=report.employee_id,
                profile=report.profile_title, percent=round(score * 100)),
        message("match.components", language,
                essential=decimal(components.essential_coverage, ".3f", language),
                optional=decimal(components.optional_coverage, ".3f", language),
                level_fit=decimal(-components.level_fit, ".3f", language),
                partial=decimal(components.partial_credit, ".3f", language),
                score=decimal(score, ".3f", language)),
        report.summary,
    ]
    gaps = report.gaps()[:3]
    if gaps:
        described = []
        for item in gaps:
            if item.status == "below":
                described.append(message("gap.below", language, label=item.label,
                                         level=decimal(item.level, ".1f", language),
                                         min_level=decimal(item.min_level, "g", language)))
            elif item.status == "related":
                described.append(message("gap.related", language, label=item.label,
                                         related=item.related_label))
            else:
                described.append(message("gap.missing", language, label=item.label,
                                         importance=message(f"importance.{item.importance}",
                                                            language)))
        sentences.append(message("match.gaps", language, gaps="; ".join(described)))
    return " ".join(sentences)
