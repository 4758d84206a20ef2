"""Planning aggregates over a claims table equal WorkforcePlan's on the same employees."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from skilltwin.outofcore import key_person_risks, supply_demand
from skilltwin.planning import WorkforcePlan
from skilltwin.profiles import JobProfile
from skilltwin.twin import EmployeeTwin

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def case(esco):
    rng = np.random.default_rng(21)
    occupations = esco.occupations_frame().index.to_numpy()
    profiles = [JobProfile.from_occupation(esco, str(uri))
                for uri in rng.choice(occupations, 25, replace=False)]
    profiles = [p for p in profiles if p.requirements]
    headcount = {p.profile_id: int(rng.integers(0, 4)) for p in profiles}
    rows = []
    for number in range(70):
        own = [r.skill_uri for r in profiles[int(rng.integers(0, len(profiles)))].requirements]
        for uri in [u for u in own if rng.random() < 0.5]:
            rows.append({"employee_id": f"W{number:03d}", "skill": uri,
                         "level": float(rng.choice([1, 2, 3, 4, 2.5])),
                         "source": str(rng.choice(["self", "manager", "assessment"])),
                         "observed": "2024-01-01"})
    frame = pd.DataFrame(rows).sample(frac=1, random_state=2)
    twins = sorted(EmployeeTwin.from_frame(frame, taxonomy=esco), key=lambda t: t.employee_id)
    plan = WorkforcePlan([t.as_of(AS_OF) for t in twins], profiles, headcount, taxonomy=esco)
    return frame, profiles, headcount, plan


def test_supply_demand_equals_the_workforce_plan(esco, case):
    frame, profiles, headcount, plan = case
    table = supply_demand(frame, profiles, esco, headcount, as_of=AS_OF)
    expected = plan.supply_demand()
    assert (expected["holders"] > 0).sum() > 20 and (expected["qualified"] == 1).any()
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    groups = supply_demand(frame, profiles, esco, headcount, by="skill_group", as_of=AS_OF)
    pd.testing.assert_frame_equal(groups, plan.supply_demand(by="skill_group"),
                                  check_dtype=False)


def test_key_person_risks_equal_the_workforce_plan(esco, case):
    frame, profiles, headcount, plan = case
    for most in (1, 2):
        risks = key_person_risks(frame, profiles, esco, headcount, max_holders=most,
                                 as_of=AS_OF)
        expected = plan.key_person_risks(max_holders=most)
        assert len(expected) > 0
        pd.testing.assert_frame_equal(risks, expected, check_dtype=False)


def test_partitioned_claims_give_the_same_aggregates(esco, case):
    import dask.dataframe as dd

    frame, profiles, headcount, plan = case
    claims = dd.from_pandas(frame, npartitions=3)
    table = supply_demand(claims, profiles, esco, headcount, as_of=AS_OF, who=False)
    pd.testing.assert_frame_equal(table, plan.supply_demand().drop(columns="who"),
                                  check_dtype=False)
    risks = key_person_risks(claims, profiles, esco, headcount, as_of=AS_OF)
    pd.testing.assert_frame_equal(risks, plan.key_person_risks(), check_dtype=False)
