"""Gap analysis and match scores that explain themselves, one by one or in batch."""

from skilltwin.scoring.batch import best_candidates, best_profiles, match_frame, score_matrix
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.scoring.gap import gap, level_fit
from skilltwin.scoring.match import match
from skilltwin.scoring.policy import CreditPolicy, ScoringPolicy
from skilltwin.scoring.results import GapItem, GapReport, MatchComponents, MatchResult
from skilltwin.scoring.vectors import SkillIndex, level_matrix, occupation_matrix, weight_matrices

__all__ = [
    "CreditMatrix",
    "CreditPolicy",
    "GapItem",
    "GapReport",
    "MatchComponents",
    "MatchResult",
    "ScoringPolicy",
    "SkillIndex",
    "best_candidates",
    "best_profiles",
    "gap",
    "level_fit",
    "level_matrix",
    "match",
    "match_frame",
    "occupation_matrix",
    "score_matrix",
    "weight_matrices",
]
