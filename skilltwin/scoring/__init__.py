"""Layer 4: gap analysis and match scores that explain themselves, one by one or in batch.

The formula itself is in the private module :mod:`skilltwin.scoring.formula`.
"""

from skilltwin.scoring.batch import best_candidates, best_profiles, match_frame, scores_by_group
from skilltwin.scoring.gap import gap
from skilltwin.scoring.match import match
from skilltwin.scoring.policy import CreditPolicy, ScoringPolicy
from skilltwin.scoring.results import GapItem, GapReport, MatchComponents, MatchResult

__all__ = [
    "CreditPolicy",
    "GapItem",
    "GapReport",
    "MatchComponents",
    "MatchResult",
    "ScoringPolicy",
    "best_candidates",
    "best_profiles",
    "gap",
    "match",
    "match_frame",
    "scores_by_group",
]
