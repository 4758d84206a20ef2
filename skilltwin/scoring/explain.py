"""Plain-language explanations of match scores."""

from __future__ import annotations

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
    """A few sentences an HR person can read: the score, what makes it, the main gaps."""
    percent = round(score * 100)
    sentences = [
        f"{report.employee_id} matches {report.profile_title} at {percent}%.",
        f"Held essential skills give {components.essential_coverage:.3f}, held optional skills "
        f"{components.optional_coverage:.3f}, levels below the minimum cost "
        f"{-components.level_fit:.3f}, and related skills add "
        f"{components.partial_credit:.3f} (total {score:.3f}).",
        report.summary,
    ]
    gaps = report.gaps()[:3]
    if gaps:
        described = []
        for item in gaps:
            if item.status == "below":
                described.append(f"{item.label} (level {item.level:.1f} of {item.min_level:g})")
            elif item.status == "related":
                described.append(f"{item.label} (partly covered by {item.related_label})")
            else:
                described.append(f"{item.label} ({item.importance}, missing)")
        sentences.append("Biggest gaps: " + "; ".join(described) + ".")
    return " ".join(sentences)
