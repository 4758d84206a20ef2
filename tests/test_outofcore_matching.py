"""top_matches: the same scores, ranks and components as match_frame/match, in one process
and on a Dask LocalCluster."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from skilltwin import match
from skilltwin.errors import ConfigurationError
from skilltwin.outofcore import connect, occupation_profiles, top_matches
from skilltwin.profiles import JobProfile
from skilltwin.scoring import best_candidates, best_profiles, match_frame
from skilltwin.twin import EmployeeTwin

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def case(esco):
    """80 employees holding skills of real occupations (plus noise) x 120 occupation
    profiles, with a duplicated employee and a duplicated profile to force ties."""
    rng = np.random.default_rng(5)
    occupations = esco.occupations_frame().index.to_numpy()
    chosen = rng.choice(len(occupations), size=120, replace=False)
    profiles = [JobProfile.from_occupation(esco, str(occupations[i])) for i in chosen]
    profiles = [p for p in profiles if p.requirements]
    twin_of = profiles[3].model_copy(update={"profile_id": "copy-of-3"})
    profiles.insert(10, twin_of)
    skills = esco.skills_frame().index.to_numpy()
    rows = []
    for number in range(80):
        own = [r.skill_uri for r in profiles[int(rng.integers(0, len(profiles)))].requirements]
        held = [u for u in own if rng.random() < 0.6] + list(rng.choice(skills, 4))
        for uri in held:
            rows.append({"employee_id": f"P{number:03d}", "skill": uri,
                         "level": float(rng.choice([1, 2, 3, 4, 1.5])),
                         "source": str(rng.choice(["self", "manager"])),
                         "observed": "2024-03-01"})
    frame = pd.DataFrame(rows)
    clone = frame[frame["employee_id"] == "P007"].assign(employee_id="P007b")
    frame = pd.concat([frame, clone], ignore_index=True).sample(frac=1, random_state=1)
    twins = EmployeeTwin.from_frame(frame, taxonomy=esco)
    return frame, profiles, twins


def test_top_profiles_per_employee_equal_match_frame_with_ties(esco, case):
    frame, profiles, twins = case
    result = top_matches(frame, profiles, esco, top_k=5, as_of=AS_OF, block_size=7)
    dense = match_frame([t.as_of(AS_OF) for t in twins], profiles, taxonomy=esco)
    assert len(result) == 5 * len(twins)
    for employee_id, rows in result.groupby("employee_id"):
        expected = best_profiles(dense, str(employee_id), top_k=5)
        assert list(rows["profile_id"].astype(str)) == list(expected.index)
        np.testing.assert_allclose(rows["score"], expected.to_numpy(), rtol=0, atol=1e-9)
        assert list(rows["rank"]) == [1, 2, 3, 4, 5]
    # the duplicated profile ties with its original and ranks after it (listed later)
    ranks = result.pivot_table(index="employee_id", columns="profile_id", values="rank",
                               observed=True)
    both = ranks[["copy-of-3", profiles[3].profile_id]].dropna()
    assert len(both) > 0
    assert (both[profiles[3].profile_id] < both["copy-of-3"]).all()
    assert ranks["copy-of-3"].notna().sum() <= ranks[profiles[3].profile_id].notna().sum()


def test_components_add_up_and_equal_match(esco, case):
    frame, profiles, twins = case
    result = top_matches(frame, profiles, esco, top_k=3, as_of=AS_OF)
    by_id = {t.employee_id: t.as_of(AS_OF) for t in twins}
    by_profile = {p.profile_id: p for p in profiles}
    assert (result["partial_credit"] > 0).any()
    assert (result["level_fit"] < 0).any()
    for row in result.iloc[::17].itertuples():
        expected = match(by_id[row.employee_id], by_profile[row.profile_id], esco)
        # match() rounds each component, then their sum, to 6 decimals
        assert row.score == pytest.approx(expected.score, abs=3e-6)
        for name in ("essential_coverage", "optional_coverage", "level_fit", "partial_credit"):
            assert getattr(row, name) == pytest.approx(getattr(expected.components, name),
                                                       abs=2e-6), name
    parts = result[["essential_coverage", "optional_coverage", "level_fit", "partial_credit"]]
    np.testing.assert_allclose(parts.sum(axis=1), result["score"], atol=1e-12)


def test_top_employees_per_profile_equal_best_candidates(esco, case):
    frame, profiles, twins = case
    result = top_matches(frame, profiles, esco, top_k=4, by="profile", as_of=AS_OF, block_size=9)
    ordered = sorted((t.as_of(AS_OF) for t in twins), key=lambda t: t.employee_id)
    dense = match_frame(ordered, profiles, taxonomy=esco)
    assert len(result) == 4 * len(profiles)
    for profile in profiles:
        rows = result[result["profile_id"] == profile.profile_id]
        expected = best_candidates(dense, profile.profile_id, top_k=4)
        assert list(rows["employee_id"]) == list(expected.index)
        np.testing.assert_allclose(rows["score"], expected.to_numpy(), rtol=0, atol=1e-9)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as session:
        yield session


@pytest.mark.parametrize("by", ["employee", "profile"])
def test_a_local_cluster_gives_exactly_the_in_process_result(esco, case, client, by):
    frame, profiles, _ = case
    local = top_matches(frame, profiles, esco, top_k=5, by=by, as_of=AS_OF, block_size=11)
    import skilltwin.outofcore.matching as matching

    matching_rows = matching._PARTITION_ROWS
    matching._PARTITION_ROWS = 300  # several partitions from the small frame
    try:
        lazy = top_matches(frame, profiles, esco, top_k=5, by=by, as_of=AS_OF, block_size=11,
                           client=client)
        assert lazy.npartitions > 1 or by == "profile"
        distributed = lazy.compute()
    finally:
        matching._PARTITION_ROWS = matching_rows
    key = ["employee_id", "rank"] if by == "employee" else ["profile_id", "rank"]
    left = local.sort_values(key).reset_index(drop=True)
    right = distributed.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(left.astype({"profile_id": str}),
                                  right.astype({"profile_id": str}), check_exact=True)


@pytest.mark.parametrize("by", ["employee", "profile"])
def test_a_small_workforce_in_one_partition_keeps_both_workers_busy_with_the_same_result(
        esco, case, client, by):
    frame, profiles, _ = case
    local = top_matches(frame, profiles, esco, top_k=5, by=by, as_of=AS_OF, block_size=11)
    lazy = top_matches(frame, profiles, esco, top_k=5, by=by, as_of=AS_OF, block_size=11,
                       client=client)  # one partition of claims, cut into pieces for scoring
    assert lazy.npartitions > 2 or by == "profile"
    distributed = lazy.compute()
    key = ["employee_id", "rank"] if by == "employee" else ["profile_id", "rank"]
    pd.testing.assert_frame_equal(
        local.sort_values(key).reset_index(drop=True).astype({"profile_id": str}),
        distributed.sort_values(key).reset_index(drop=True).astype({"profile_id": str}),
        check_exact=True)


def test_unsorted_dask_input_is_shuffled_by_employee(esco, case):
    import dask.dataframe as dd

    frame, profiles, _ = case
    local = top_matches(frame, profiles, esco, top_k=3, as_of=AS_OF)
    lazy = top_matches(dd.from_pandas(frame, npartitions=4, sort=False), profiles, esco,
                       top_k=3, as_of=AS_OF)
    result = lazy.compute()
    left = local.sort_values(["employee_id", "rank"]).reset_index(drop=True)
    right = result.sort_values(["employee_id", "rank"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left.astype({"profile_id": str}),
                                  right.astype({"profile_id": str}), check_exact=True)


def test_a_bad_level_inside_a_dask_partition_names_the_employee_and_skill(esco, case):
    import dask.dataframe as dd

    frame, profiles, _ = case
    bad = frame.copy()
    bad.loc[bad.index[5], "level"] = 9
    employee = bad.loc[bad.index[5], "employee_id"]
    with pytest.raises(ConfigurationError,
                       match=f"employee '{employee}'.*level outside the scale .*: 9"):
        top_matches(dd.from_pandas(bad, npartitions=2), profiles, esco, top_k=3).compute()
    with pytest.raises(ConfigurationError, match=r"claims row \d+ .*level outside .*: 9"):
        top_matches(bad, profiles, esco, top_k=3)
    no_skill = frame.copy()
    no_skill.loc[no_skill.index[3], "skill"] = None
    with pytest.raises(ConfigurationError, match="rejected: missing skill"):
        top_matches(dd.from_pandas(no_skill, npartitions=2), profiles, esco, top_k=3).compute()


def test_claims_without_employee_id_name_the_column(esco, case):
    _, profiles, _ = case
    frame = pd.DataFrame({"person": ["a"], "skill": ["SQL"]})
    with pytest.raises(ConfigurationError, match="no column 'employee_id'"):
        top_matches(frame, profiles, esco)


def test_an_unreachable_scheduler_fails_fast_with_a_clear_error():
    import time

    started = time.perf_counter()
    with pytest.raises(ConfigurationError, match="cannot reach the Dask scheduler"):
        connect("tcp://127.0.0.1:9", timeout=1)
    assert time.perf_counter() - started < 15


def test_all_occupations_match_as_their_profiles_do(esco, case):
    frame, _, _ = case
    named = top_matches(frame, "occupations", esco, top_k=3, as_of=AS_OF)
    built = top_matches(frame, occupation_profiles(esco), esco, top_k=3, as_of=AS_OF)
    pd.testing.assert_frame_equal(named, built, check_exact=True)


def test_scoring_with_dask_heap_settings_gives_the_same_matches(esco, case, monkeypatch):
    # Dask workers run with MALLOC_TRIM_THRESHOLD_ set; heap_kept changes allocation only
    from skilltwin.outofcore._dask import heap_kept

    frame, profiles, _ = case
    expected = top_matches(frame, profiles, esco, top_k=3, as_of=AS_OF)
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    with heap_kept(), heap_kept():
        result = top_matches(frame, profiles, esco, top_k=3, as_of=AS_OF)
    pd.testing.assert_frame_equal(result, expected, check_exact=True)


def test_skill_keys_spelt_differently_resolve_alike_on_the_workers(esco, case, client):
    # workers read skill keys as the one-process path does (white space, Unicode form), so a
    # key the count recognised is the key a partition scores with
    frame, profiles, _ = case
    messy = frame.copy()
    messy["skill"] = [f"  {key} " if row % 3 == 0 else key
                      for row, key in enumerate(messy["skill"].astype(str))]
    local = top_matches(messy, profiles, esco, top_k=5, as_of=AS_OF, block_size=11)
    clean = top_matches(frame, profiles, esco, top_k=5, as_of=AS_OF, block_size=11)
    distributed = top_matches(messy, profiles, esco, top_k=5, as_of=AS_OF, block_size=11,
                              client=client).compute()
    key = ["employee_id", "rank"]
    for other in (clean, distributed):
        pd.testing.assert_frame_equal(
            local.sort_values(key).reset_index(drop=True).astype({"profile_id": str}),
            other.sort_values(key).reset_index(drop=True).astype({"profile_id": str}),
            check_exact=True)
