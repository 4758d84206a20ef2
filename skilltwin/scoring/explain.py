"""Plain-language explanations of match scores."""

from __future__ import annotations

from skilltwin._i18n import message
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
                essential=f"{components.essential_coverage:.3f}",
                optional=f"{components.optional_coverage:.3f}",
                level_fit=f"{-components.level_fit:.3f}",
                partial=f"{components.partial_credit:.3f}", score=f"{score:.3f}"),
        report.summary,
    ]
    gaps = report.gaps()[:3]
    if gaps:
        described = []
        for item in gaps:
            if item.status == "below":
                described.append(message("gap.below", language, label=item.label,
                                         level=f"{item.level:.1f}",
                                         min_level=f"{item.min_level:g}"))
            elif item.status == "related":
                described.append(message("gap.related", language, label=item.label,
                                         related=item.related_label))
            else:
                described.append(message("gap.missing", language, label=item.label,
                                         importance=message(f"importance.{item.importance}",
                                                            language)))
        sentences.append(message("match.gaps", language, gaps="; ".join(described)))
    return " ".join(sentences)
