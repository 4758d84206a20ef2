"""Top-k matches of one block of employees: scores from the batch scorer, never stored dense
beyond the block.

Scores come from :func:`skilltwin.scoring.formula.score_levels` (the arithmetic of
:func:`skilltwin.match_frame`). Components are computed for the kept pairs only, from the
same weight matrices and level fit (:func:`~skilltwin.scoring.formula.fit_matrix`): the direct
part (level fit times share), the coverage (share of every held requirement, split into
essential and optional); the level-fit penalty is direct minus coverage and partial credit
is the score minus the direct part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skilltwin.outofcore._occupations import occupation_weights
from skilltwin.outofcore.claims import SkillResolver, frame_levels
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.scoring.formula import fit_matrix, score_levels, weight_matrices
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.taxonomy.matrices import SkillIndex
from skilltwin.twin.claims import LevelPolicy
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy

__all__ = ["RESULT_COLUMNS", "MatchContext", "block_matches", "employee_levels", "frame_matches",
           "levels_matches"]

Direction = Literal["employee", "profile"]
RESULT_COLUMNS = ["employee_id", "profile_id", "rank", "score", "essential_coverage",
                  "optional_coverage", "level_fit", "partial_credit"]


@dataclass
class MatchContext:
    """Everything a worker needs to score claims: small, built once, broadcast once.

    Holds the profiles' weight matrices, the credit matrix and the skill resolver (not the
    taxonomy, and no profile objects).
    """

    profile_ids: list[str]
    weights: dict[float, sp.csr_matrix]
    essential: sp.csr_matrix  # profiles x skills: share of each essential requirement
    credit_by_held: sp.csr_matrix | None
    resolver: SkillResolver
    scale: ProficiencyScale
    level_policy: LevelPolicy
    as_of: dt.date
    versions: dict[str, str]

    @classmethod
    def build(cls, profiles: Sequence[JobProfile], taxonomy: Taxonomy,
              resolver: SkillResolver, *, scoring_policy: ScoringPolicy, scale: ProficiencyScale,
              level_policy: LevelPolicy, as_of: dt.date) -> MatchContext:
        """Prepare the matrices of ``profiles`` (see :func:`weight_matrices`)."""
        index = SkillIndex.of(taxonomy)
        weights = weight_matrices(profiles, index, scoring_policy.essential_share)
        return cls.of_weights(
            [p.profile_id for p in profiles], weights, _essential_mask(profiles, index),
            taxonomy, resolver, scoring_policy=scoring_policy, scale=scale,
            level_policy=level_policy, as_of=as_of)

    @classmethod
    def for_occupations(cls, taxonomy: Taxonomy, resolver: SkillResolver, *,
                        scoring_policy: ScoringPolicy, scale: ProficiencyScale,
                        level_policy: LevelPolicy, as_of: dt.date) -> MatchContext:
        """The context of every ESCO occupation profile (equal to :meth:`build` of
        :func:`~skilltwin.outofcore.occupation_profiles`), from the taxonomy's tables."""
        ids, weights, mask = occupation_weights(taxonomy, scoring_policy.essential_share)
        return cls.of_weights(ids, weights, mask, taxonomy, resolver,
                              scoring_policy=scoring_policy, scale=scale,
                              level_policy=level_policy, as_of=as_of)

    @classmethod
    def of_weights(cls, profile_ids: list[str], weights: dict[float, sp.csr_matrix],
                   mask: sp.csr_matrix, taxonomy: Taxonomy, resolver: SkillResolver, *,
                   scoring_policy: ScoringPolicy, scale: ProficiencyScale,
                   level_policy: LevelPolicy, as_of: dt.date) -> MatchContext:
        """The context of profiles given as requirement-share matrices (per minimum level)
        and their essential mask."""
        from skilltwin import __version__

        essential = sum((matrix.multiply(mask) for matrix in weights.values()),
                        sp.csr_matrix(mask.shape))
        credit = CreditMatrix.of_scoring(taxonomy, scoring_policy)
        return cls(profile_ids, weights, sp.csr_matrix(essential),
                   credit.by_held if credit is not None else None, resolver, scale,
                   level_policy, as_of,
                   {"skilltwin": __version__, "taxonomy": taxonomy.release})


def _essential_mask(profiles: Sequence[JobProfile], index: SkillIndex) -> sp.csr_matrix:
    rows = [row for row, p in enumerate(profiles) for r in p.requirements
            if r.importance == "essential"]
    cols = [index.column(r.skill_uri) for p in profiles for r in p.requirements
            if r.importance == "essential"]
    mask = sp.csr_matrix((np.ones(len(rows)), (rows, cols)),
                         shape=(len(profiles), len(index)))
    mask.data = np.ones_like(mask.data)  # a skill listed twice is still one mask entry
    return mask


def frame_matches(claims: pd.DataFrame, context: MatchContext, top_k: int, by: Direction,
                  block_size: int, *, rows: np.ndarray | None = None,
                  progress: object = None, canonical: bool = False) -> pd.DataFrame:
    """Top-k matches of every employee of ``claims`` (or top-k employees per profile among
    them), scoring ``block_size`` employees at a time (``canonical``: the employee ids
    were already read by :func:`~skilltwin.outofcore.claims.canonical_employees`)."""
    employee_ids, levels = employee_levels(claims, context, rows=rows, canonical=canonical)
    return levels_matches(employee_ids, levels, context, top_k, by, block_size,
                          progress=progress)


def employee_levels(claims: pd.DataFrame, context: MatchContext, *,
                    rows: np.ndarray | None = None, canonical: bool = False
                    ) -> tuple[np.ndarray, sp.csr_matrix]:
    """The distinct employee ids of ``claims`` (sorted) and their employees x skills matrix
    of current levels (arguments as :func:`frame_matches`)."""
    employee_ids, employee, column, level = frame_levels(
        claims, context.resolver, context.scale, context.level_policy, context.as_of,
        rows=rows, canonical=canonical)
    levels = sp.csr_matrix((level, (employee, column)),
                           shape=(len(employee_ids), len(context.resolver.uris)))
    return employee_ids, levels


def levels_matches(employee_ids: np.ndarray, levels: sp.csr_matrix, context: MatchContext,
                   top_k: int, by: Direction, block_size: int, *,
                   progress: object = None) -> pd.DataFrame:
    """Top-k matches of employees given by their levels (as :func:`employee_levels` gives
    them), ``block_size`` at a time."""
    count = len(employee_ids)
    parts = []
    for start in range(0, count, block_size):
        stop = min(count, start + block_size)
        parts.append(block_matches(levels[start:stop], employee_ids[start:stop],
                                   context, top_k, by))
        if progress is not None:
            progress.update(stop - start)  # type: ignore[attr-defined]
    result = pd.concat(parts, ignore_index=True) if parts else empty_result(context)
    result = merge_profile_candidates(result, top_k) if by == "profile" else result
    result.attrs.update(context.versions)
    return result


def empty_result(context: MatchContext) -> pd.DataFrame:
    """A result frame with no rows and the right column types."""
    return pd.DataFrame({
        "employee_id": pd.Series([], dtype="str"),
        "profile_id": pd.Categorical([], categories=context.profile_ids),
        "rank": pd.Series([], dtype=np.int32),
        **{name: pd.Series([], dtype=float) for name in RESULT_COLUMNS[3:]},
    })


def block_matches(levels: sp.csr_matrix, employee_ids: np.ndarray, context: MatchContext,
                  top_k: int, by: Direction) -> pd.DataFrame:
    """Top-k of one block: per employee (``by="employee"``) or per profile."""
    levels = sp.csr_matrix(levels, dtype=float)
    levels.eliminate_zeros()
    scores = score_levels(levels, context.weights, context.credit_by_held)
    if by == "employee":
        rows, cols = _best_of_rows(scores, top_k)
    else:
        cols, rows = _best_of_rows(scores.T, top_k)
    score = scores[rows, cols]
    held = levels.copy()
    held.data = np.ones_like(held.data)
    held_rows = held[rows]
    direct = np.zeros(len(rows))
    coverage = np.zeros(len(rows))
    for min_level, weights in context.weights.items():
        chosen = weights[cols]
        direct += _pair_sums(fit_matrix(levels, min_level)[rows], chosen)
        coverage += _pair_sums(held_rows, chosen)
    essential = _pair_sums(held_rows, context.essential[cols])
    return pd.DataFrame({
        "employee_id": pd.Series(employee_ids[rows], dtype="str"),
        "profile_id": pd.Categorical.from_codes(cols, categories=pd.Index(context.profile_ids)),
        "rank": _ranks(cols if by == "profile" else rows).astype(np.int32),
        "score": score,
        "essential_coverage": essential,
        "optional_coverage": coverage - essential,
        "level_fit": direct - coverage,
        "partial_credit": score - direct,
    })


def _pair_sums(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    """Row-wise dot products of two matrices with one row per (employee, profile) pair."""
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()


def _best_of_rows(scores: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of the ``top_k`` best entries of every row, best first; ties go to the
    lower column. Sorted by row, then rank.

    Scores lie in [0, 1] and most are 0. numpy's partition slows down on many equal values,
    so zeros are first replaced by ``-1 - column``: distinct, below every positive score and
    larger for lower columns, which is the order ties among zeros take anyway.
    """
    rows_count, cols_count = scores.shape
    if rows_count == 0 or cols_count == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    take = min(top_k, cols_count)
    keyed = np.where(scores > 0, scores, -1.0 - np.arange(cols_count, dtype=float))
    kth = np.partition(keyed, cols_count - take, axis=1)[:, cols_count - take]
    rows, cols = np.nonzero(keyed >= kth[:, None])  # the top_k best, plus ties with the k-th
    order = np.lexsort((cols, -keyed[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    keep = _ranks(rows) <= take
    return rows[keep], cols[keep]


def _ranks(groups: np.ndarray) -> np.ndarray:
    """1, 2, 3... within runs of equal values of a sorted array."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, lengths) + 1


def merge_profile_candidates(candidates: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """The top-k employees per profile from per-block candidates: best score first, ties
    to the smaller employee id."""
    frame = candidates.assign(_profile=candidates["profile_id"].cat.codes.to_numpy())
    frame = frame.sort_values(["_profile", "score", "employee_id"],
                              ascending=[True, False, True], kind="stable")
    frame = frame[_ranks(frame["_profile"].to_numpy()) <= top_k]
    frame["rank"] = _ranks(frame["_profile"].to_numpy()).astype(np.int32)
    return frame.drop(columns="_profile").reset_index(drop=True)
