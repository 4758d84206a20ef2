"""Top-k matches of one block of employees: scores from the batch scorer, never stored dense.

Scores come from :func:`skilltwin.scoring.formula.sparse_scores` (the arithmetic of
:func:`skilltwin.match_frame`, only the positive scores stored). Components are computed for
the kept pairs only, from the same weight matrices and level fit
(:func:`~skilltwin.scoring.formula.fit_matrix`): the direct part (level fit times share), the
coverage (share of every held requirement, split into essential and optional); the level-fit
penalty is direct minus coverage and partial credit is the score minus the direct part.
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
from skilltwin.scoring.formula import fit_matrix, sparse_scores, weight_matrices
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.taxonomy.matrices import SkillIndex
from skilltwin.twin.claims import LevelPolicy
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy

__all__ = ["RESULT_COLUMNS", "MatchContext", "block_columns", "employee_levels", "frame_matches",
           "joined_columns", "levels_matches", "match_columns", "result_frame"]

Direction = Literal["employee", "profile"]
_GROUP_ROWS = 256  # rows of similar length padded to one width for the top-k partition
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
    them), scoring ``block_size`` employees at a time (``canonical``: the table comes from
    :func:`~skilltwin.outofcore.claims.resolved_claims`)."""
    employee_ids, levels = employee_levels(claims, context, rows=rows, canonical=canonical)
    return levels_matches(employee_ids, levels, context, top_k, by, block_size,
                          progress=progress)


Columns = dict[str, np.ndarray]


def levels_matches(employee_ids: np.ndarray, levels: sp.csr_matrix, context: MatchContext,
                   top_k: int, by: Direction, block_size: int, *,
                   progress: object = None) -> pd.DataFrame:
    """Top-k matches of employees given by their levels (as :func:`employee_levels` gives
    them), ``block_size`` at a time, as a result frame."""
    result = result_frame(levels_columns(employee_ids, levels, context, top_k, by, block_size,
                                         progress=progress), context)
    result = merge_profile_candidates(result, top_k) if by == "profile" else result
    result.attrs.update(context.versions)
    return result


def match_columns(claims: pd.DataFrame, context: MatchContext, top_k: int, by: Direction,
                  block_size: int, *, rows: np.ndarray | None = None,
                  progress: object = None, canonical: bool = False) -> Columns:
    """The matches of :func:`frame_matches` (before the merge of ``by="profile"``) as
    arrays: employee ids as objects, profiles as positions in ``context.profile_ids``."""
    employee_ids, levels = employee_levels(claims, context, rows=rows, canonical=canonical)
    return levels_columns(employee_ids, levels, context, top_k, by, block_size,
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


def levels_columns(employee_ids: np.ndarray, levels: sp.csr_matrix, context: MatchContext,
                   top_k: int, by: Direction, block_size: int, *,
                   progress: object = None) -> Columns:
    """The matches of :func:`levels_matches` as arrays (as :func:`match_columns`), scored
    ``block_size`` employees at a time."""
    count = len(employee_ids)
    parts = []
    for start in range(0, count, block_size):
        stop = min(count, start + block_size)
        parts.append(block_columns(levels[start:stop], employee_ids[start:stop],
                                   context, top_k, by))
        if progress is not None:
            progress.update(stop - start)  # type: ignore[attr-defined]
    return joined_columns(parts)


def joined_columns(parts: list[Columns]) -> Columns:
    """The columns of consecutive parts joined one column at a time (the parts' arrays of a
    column are released once it is joined)."""
    if not parts:
        return {"employee_id": np.zeros(0, dtype=object), "profile_id": np.zeros(0, np.int64),
                "rank": np.zeros(0, dtype=np.int32),
                **{name: np.zeros(0) for name in RESULT_COLUMNS[3:]}}
    return {name: np.concatenate([part.pop(name) for part in parts]) for name in RESULT_COLUMNS}


def result_frame(columns: Columns, context: MatchContext) -> pd.DataFrame:
    """The result frame of :func:`match_columns`' arrays (which it takes over)."""
    return pd.DataFrame({
        "employee_id": pd.Series(columns.pop("employee_id"), dtype="str"),
        "profile_id": pd.Categorical.from_codes(columns.pop("profile_id"),
                                                categories=pd.Index(context.profile_ids)),
        **{name: columns.pop(name) for name in RESULT_COLUMNS[2:]},
    }, copy=False)


def empty_result(context: MatchContext) -> pd.DataFrame:
    """A result frame with no rows and the right column types."""
    return result_frame(joined_columns([]), context)


def block_columns(levels: sp.csr_matrix, employee_ids: np.ndarray, context: MatchContext,
                  top_k: int, by: Direction) -> Columns:
    """Top-k of one block: per employee (``by="employee"``) or per profile."""
    levels = sp.csr_matrix(levels, dtype=float)
    levels.eliminate_zeros()
    scores = sparse_scores(levels, context.weights, context.credit_by_held)
    if by == "employee":
        rows, cols, score = _best_of_rows(scores, top_k)
    else:
        cols, rows, score = _best_of_rows(sp.csr_matrix(scores.T), top_k)
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
    return {
        "employee_id": employee_ids[rows],
        "profile_id": cols,
        "rank": _ranks(cols if by == "profile" else rows).astype(np.int32),
        "score": score,
        "essential_coverage": essential,
        "optional_coverage": coverage - essential,
        "level_fit": direct - coverage,
        "partial_credit": score - direct,
    }


def _pair_sums(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    """Row-wise dot products of two matrices with one row per (employee, profile) pair."""
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()


def _best_of_rows(scores: sp.csr_matrix, top_k: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and score of the ``top_k`` best entries of every row of a sparse score
    matrix, best first; ties go to the lower column. Sorted by row, then rank.

    Scores lie in [0, 1] and most are 0 (not stored). Each row's stored scores are padded to
    the length of the longest row among rows of similar length and partitioned to find the
    row's k-th best; only the entries at least as good are sorted. A row with fewer than
    ``top_k`` positive scores is filled with zeros of its lowest columns, the order ties
    among zeros take.
    """
    count, columns = scores.shape
    if count == 0 or columns == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    take = min(top_k, columns)
    scores.eliminate_zeros()
    lengths = np.diff(scores.indptr)
    kth = np.zeros(count)  # rows with fewer than take scores keep every score
    full = np.flatnonzero(lengths >= take)
    full = full[np.argsort(lengths[full], kind="stable")]
    # the rows side by side in groups of similar length, each group padded with -1 to the
    # length of its longest row: one scatter of every score, then a partition per group
    groups = [full[start:start + _GROUP_ROWS] for start in range(0, len(full), _GROUP_ROWS)]
    widths = [int(lengths[group[-1]]) for group in groups]
    sizes = np.array([len(group) * width for group, width in zip(groups, widths, strict=True)],
                     dtype=np.int64)
    base = np.zeros(count, dtype=np.int64)  # where each row's first score goes
    for group, width, offset in zip(groups, widths, np.cumsum(sizes) - sizes, strict=True):
        base[group] = offset + np.arange(len(group)) * width
    padded = np.full(int(sizes.sum()), -1.0)
    target = np.repeat(base - scores.indptr[:-1], lengths) + np.arange(len(scores.data))
    if len(full) == count:
        padded[target] = scores.data
    else:  # the scores of short rows stay out
        stored = np.repeat(lengths >= take, lengths)
        padded[target[stored]] = scores.data[stored]
    for group, width, offset in zip(groups, widths, np.cumsum(sizes) - sizes, strict=True):
        block = padded[offset:offset + len(group) * width].reshape(len(group), width)
        kth[group] = np.partition(block, width - take, axis=1)[:, width - take]
    kept = np.flatnonzero(scores.data >= np.repeat(kth, lengths))
    rows = np.searchsorted(scores.indptr, kept, side="right") - 1
    cols = scores.indices[kept].astype(np.int64)
    values = scores.data[kept]
    short = np.flatnonzero(lengths < take)
    if len(short):  # zeros of the lowest columns a row does not hold
        fill_rows, fill_cols = _zero_fill(scores, short, take)
        rows, cols = np.r_[rows, fill_rows], np.r_[cols, fill_cols]
        values = np.r_[values, np.zeros(len(fill_rows))]
    order = np.lexsort((cols, -values, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    keep = _ranks(rows) <= take
    return rows[keep], cols[keep], values[keep]


def _zero_fill(scores: sp.csr_matrix, short: np.ndarray, take: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``short``, the lowest ``take`` columns it stores no score in (a row
    stores fewer than ``take``, so they lie below ``2 * take``)."""
    width = min(2 * take, scores.shape[1])
    stored = np.zeros((len(short), width), dtype=bool)
    lengths = np.diff(scores.indptr)[short]
    entries = np.repeat(scores.indptr[short], lengths) + np.arange(int(lengths.sum())) \
        - np.repeat(np.cumsum(lengths) - lengths, lengths)
    entry_rows = np.repeat(np.arange(len(short)), lengths)
    low = scores.indices[entries] < width
    stored[entry_rows[low], scores.indices[entries][low]] = True
    free_rows, free_cols = np.nonzero(~stored)
    first = _ranks(free_rows) <= take
    return short[free_rows[first]], free_cols[first].astype(np.int64)


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
