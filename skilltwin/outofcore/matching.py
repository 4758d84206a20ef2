"""Top-k matches between a large workforce (a claims table) and many job profiles."""

from __future__ import annotations

import datetime as dt
import os
import sys
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skilltwin._validation import check_choice, check_count, check_top_k, check_unique
from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.outofcore._dask import (
    claims_collection,
    heap_kept,
    is_dask,
    partition_by_employee,
)
from skilltwin.outofcore._topk import (
    MatchContext,
    employee_levels,
    empty_result,
    frame_matches,
    joined_columns,
    levels_matches,
    match_columns,
    merge_profile_candidates,
    result_frame,
)
from skilltwin.outofcore.claims import (
    OnUnknown,
    SkillResolver,
    canonical_employees,
    counted_skills,
    resolved_claims,
    skill_count_task,
    skill_keys,
)
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.taxonomy.matrices import SkillIndex
from skilltwin.twin.claims import LevelPolicy
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy

__all__ = ["occupation_profiles", "top_matches"]

_CHUNK_BLOCKS = 25  # in one process, claims are prepared this many blocks at a time
_PARTITION_ROWS = 1_000_000  # claims per partition when a pandas frame goes to Dask
_BLOCK_SCORES = 6_000_000  # employees x profiles scored at once by default (48 MB of floats)
_TASKS_PER_THREAD = 4  # on Dask, partitions are cut into pieces until each thread has this many
_MAX_PIECES = 32

Piece = tuple[np.ndarray, sp.csr_matrix]  # a run of employees: their ids and their levels


def occupation_profiles(taxonomy: Taxonomy) -> list[JobProfile]:
    """A profile per ESCO occupation with at least one skill in ``taxonomy``
    (:meth:`JobProfile.from_occupation`, profile id = occupation URI)."""
    from skilltwin.profiles.profile import JobProfile

    frame = taxonomy.occupations_frame()
    profiles = []
    for uri in frame.index:
        profile = JobProfile.from_occupation(taxonomy, str(uri))
        if profile.requirements:
            profiles.append(profile)
    return profiles


def top_matches(
    claims: Any,
    profiles: Sequence[JobProfile] | Literal["occupations"],
    taxonomy: Taxonomy,
    top_k: int = 10,
    *,
    by: Literal["employee", "profile"] = "employee",
    client: Any = None,
    scoring_policy: ScoringPolicy | None = None,
    level_policy: LevelPolicy | None = None,
    scale: ProficiencyScale | None = None,
    as_of: dt.date | None = None,
    on_unknown: OnUnknown = "raise",
    block_size: int | None = None,
    progress: bool | None = None,
) -> Any:
    """The ``top_k`` best profiles of every employee (or, ``by="profile"``, the ``top_k`` best
    employees of every profile), without the dense employees x profiles matrix.

    Employees are scored ``block_size`` at a time with the arithmetic of
    :func:`skilltwin.match_frame`, and only each block's top-k is kept, so memory is bounded
    by the block, not the workforce.

    Args:
        claims: A claims table (see :mod:`skilltwin.outofcore.claims`): a pandas DataFrame, a
            Dask DataFrame, or the path of a .parquet/.csv file.
        profiles: Job profiles, or ``"occupations"`` for every ESCO occupation
            (:func:`occupation_profiles`).
        taxonomy: The taxonomy of the claims and profiles.
        top_k: Matches kept per employee (per profile with ``by="profile"``).
        by: ``"employee"``: top-k profiles per employee; ``"profile"``: top-k employees per
            profile.
        client: A ``distributed.Client``: run on its cluster. With a client or Dask input
            the result is a lazy Dask DataFrame (write it with ``to_parquet`` or
            ``compute()`` it); otherwise a pandas DataFrame.
        scoring_policy: Scoring settings (as :func:`skilltwin.match`).
        level_policy: How levels follow from claims (as :class:`EmployeeTwin`).
        scale: The proficiency scale of the claims (as :class:`EmployeeTwin`).
        as_of: The day levels are computed for (default today).
        on_unknown: ``"raise"`` when claims name skills the taxonomy lacks, or ``"skip"``
            to leave those claims out with an :class:`UnknownSkillsWarning` counting them.
        block_size: Employees scored at once; memory grows with ``block_size`` x profiles
            (default: 6 million scores per block, 2,000 employees for all ESCO occupations).
        progress: Show a progress bar (in one process; ``None``: when stderr is a terminal).

    Returns:
        One row per match: ``employee_id``, ``profile_id``, ``rank`` (1 = best), ``score``
        (equal to ``match_frame``'s) and its components ``essential_coverage``,
        ``optional_coverage``, ``level_fit`` and ``partial_credit`` (they add up to the
        score, as :class:`MatchComponents` does, unrounded). Ties are broken
        deterministically: equal scores rank the profile listed first (``by="employee"``) or
        the smaller employee id (``by="profile"``) higher. ``attrs`` carries the versions.
    """
    check_top_k(top_k)
    check_choice(by, "by", ("employee", "profile"))
    settings: dict[str, Any] = {
        "scoring_policy": scoring_policy or ScoringPolicy(),
        "scale": scale or ProficiencyScale.default(),
        "level_policy": level_policy or LevelPolicy(), "as_of": as_of or dt.date.today()}
    profile_list = None if isinstance(profiles, str) and profiles == "occupations" \
        else _checked(profiles)
    dask = client is not None or is_dask(claims)
    if dask:  # on a cluster the workers count the skill keys while the context is built
        collection = partition_by_employee(
            claims_collection(claims, partition_rows=_PARTITION_ROWS))
        pending = _start_count(collection, client)
    context = _context(profile_list, taxonomy, settings)
    block_size = block_size or max(1, _BLOCK_SCORES // len(context.profile_ids))
    check_count(block_size, "block_size", minimum=1)
    if dask:
        return _dask_matches(collection, pending, context, taxonomy, top_k, by, block_size,
                             on_unknown, _pieces(collection.npartitions, client))
    frame, resolver = resolved_claims(claims, taxonomy, on_unknown)
    context = replace(context, resolver=resolver)
    result = _in_process(frame, context, top_k, by, block_size, progress)
    result.attrs.update(context.versions, unknown_skills=dict(resolver.unknown))
    return result


def _checked(profiles: Sequence[JobProfile]) -> list[JobProfile]:
    profile_list = list(profiles)
    if not profile_list:
        raise InputValidationError("no profiles to match against; pass at least one profile.",
                                   field="profiles")
    check_unique([p.profile_id for p in profile_list], "profiles",
                 hint="Give each profile its own profile_id.")
    return profile_list


def _context(profiles: list[JobProfile] | None, taxonomy: Taxonomy,
             settings: dict[str, Any]) -> MatchContext:
    """The scoring context of ``profiles`` (``None``: every ESCO occupation), with a
    resolver of skill URIs only (the claims' own keys are resolved once counted)."""
    unresolved = SkillResolver({}, SkillIndex.of(taxonomy).uris)
    if profiles is not None:
        return MatchContext.build(profiles, taxonomy, unresolved, **settings)
    context = MatchContext.for_occupations(taxonomy, unresolved, **settings)
    if not context.profile_ids:
        raise ConfigurationError("no profiles to match against: no occupation of the "
                                 "taxonomy has skills.")
    return context


def _in_process(frame: pd.DataFrame, context: MatchContext, top_k: int, by: Literal[
        "employee", "profile"], block_size: int, progress: bool | None) -> pd.DataFrame:
    """Employees in order of id, a chunk of claims at a time."""
    ids = frame["employee_id"]
    if ids.isna().any():
        position = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise ConfigurationError(f"claims row {position + 1} has no employee_id; every claim "
                                 "needs one.")
    codes, uniques = pd.factorize(ids.astype("str"), sort=True)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(0, len(uniques) + 1))
    del codes
    chunk = block_size * _CHUNK_BLOCKS
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm.auto import tqdm

    bar = tqdm(total=len(uniques), unit="employee", desc="matching", disable=not show)
    columns, candidates = [], []  # by employee: arrays, joined once; by profile: merged frames
    with bar:
        for start in range(0, len(uniques), chunk):
            stop = min(len(uniques), start + chunk)
            rows = order[bounds[start]:bounds[stop]]
            if by == "employee":
                columns.append(match_columns(frame.iloc[rows], context, top_k, by, block_size,
                                             rows=rows + 1, progress=bar, canonical=True))
            else:
                candidates.append(frame_matches(frame.iloc[rows], context, top_k, by,
                                                block_size, rows=rows + 1, progress=bar,
                                                canonical=True))
    if by == "employee":
        return result_frame(joined_columns(columns), context)
    result = pd.concat(candidates, ignore_index=True) if candidates else empty_result(context)
    return merge_profile_candidates(result, top_k)


def _distributed_client(client: Any) -> Any:
    """``client``, else the default ``distributed`` client, else ``None`` (no cluster)."""
    if client is not None:
        return client
    try:
        from distributed import default_client

        return default_client()  # type: ignore[no-untyped-call]
    except (ImportError, ValueError):
        return None


def _start_count(collection: Any, client: Any) -> Any:
    """The skill-key count of ``collection``: started on the cluster when there is a
    distributed client (a future), else the lazy count for the local scheduler."""
    counting = skill_count_task(collection)
    cluster = _distributed_client(client)
    return counting if cluster is None else cluster.compute(counting)


def _pieces(partitions: int, client: Any) -> int:
    """Into how many pieces each partition's employees are cut so that every worker thread
    has several tasks to the end (small workforces come in few partitions)."""
    cluster = _distributed_client(client)
    if cluster is not None:
        threads = int(sum(cluster.nthreads().values()))
    else:  # the local scheduler's threads
        import dask

        threads = int(dask.config.get("num_workers", None) or os.cpu_count() or 1)
    wanted = _TASKS_PER_THREAD * max(1, threads)
    return max(1, min(_MAX_PIECES, -(-wanted // max(1, partitions))))


def _dask_matches(collection: Any, pending: Any, context: MatchContext, taxonomy: Taxonomy,
                  top_k: int, by: Literal["employee", "profile"], block_size: int,
                  on_unknown: OnUnknown, pieces: int) -> Any:
    """The lazy result: per partition one task derives the levels, then ``pieces`` tasks
    score a run of whole blocks each (the scheduler gives them to whichever worker is free)."""
    import dask.dataframe as dd
    from dask.delayed import delayed

    counted = pending.result() if hasattr(pending, "result") else pending.compute()
    resolver = SkillResolver.of(counted_skills(counted), taxonomy)
    resolver.report(on_unknown)
    context = replace(context, resolver=resolver)
    meta = empty_result(context)
    # one graph key, sent once to each worker; named, so dask neither hashes nor walks it
    shared = delayed(context, name=f"skilltwin-context-{uuid.uuid4().hex}", traverse=False)
    tasks = []
    for part in collection.to_delayed():
        levels = delayed(_partition_levels, nout=pieces)(part, shared, pieces, block_size)
        tasks += [delayed(_piece_matches)(piece, shared, top_k, by, block_size)
                  for piece in levels]
    result = dd.from_delayed(tasks, meta=meta, verify_meta=False)
    if by == "profile":  # a tree of merges, each over a few partitions' candidates
        result = result.reduction(
            _identity, merge_profile_candidates, merge_profile_candidates, meta=meta,
            split_every=8, combine_kwargs={"top_k": top_k}, aggregate_kwargs={"top_k": top_k})
    return result


def _identity(frame: pd.DataFrame) -> pd.DataFrame:
    return frame


def _partition_levels(part: pd.DataFrame, context: MatchContext, pieces: int,
                      block_size: int) -> tuple[Piece, ...]:
    """The levels of a partition's employees, cut into ``pieces`` runs of whole blocks
    (trailing pieces are empty when the partition has fewer blocks)."""
    frame = part if "employee_id" in part.columns else part.reset_index()
    with heap_kept():  # see heap_kept
        # read as in one process: ids and skill keys once per distinct cell; the context's
        # resolver holds the keys the count read the same way
        frame = canonical_employees(frame)
        frame["skill"] = skill_keys(frame)[0]
        employee_ids, levels = employee_levels(frame, context, canonical=True)
    blocks = -(-len(employee_ids) // block_size)
    size = max(1, -(-blocks // pieces)) * block_size
    return tuple((employee_ids[start:start + size], levels[start:start + size])
                 for start in range(0, pieces * size, size))


def _piece_matches(piece: Piece, context: MatchContext, top_k: int,
                   by: Literal["employee", "profile"], block_size: int) -> pd.DataFrame:
    with heap_kept():  # scoring allocates many large arrays; see heap_kept
        return levels_matches(*piece, context, top_k, by, block_size)
