"""Plain-language explanations of match scores."""

from __future__ import annotations

from skilltwin._i18n import decimal, message
from skilltwin.scoring.results import GapReport, MatchComponents

__all__ = ["FORMULA", "explain_match"]

FORMULA = (
    "score = essential_coverage + optional_coverage + level_fit + partial_credit, where each "
    "requirement has a share of the score (essential requirements share essential_share, "
    "optional ones the rest, in proportion to their weights); a held requirement adds its "
    "share to coverage and loses share * (1 - level / min_level) in level_fit when below its "
    "minimum level; a requirement not held but covered by a directly related skill adds "
    "share * credit_factor * level fit of that skill to partial_credit."
)


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
