"""One formula: per-pair ``gap``/``match`` and batch ``match_frame`` agree on random populations.

Twins and profiles are drawn (seeded) from skills that are related to each other in ESCO, so
partial credit, levels below and above the minimum, minimum level 0, optional-only profiles
and ties between related skills all occur.
"""

from __future__ import annotations

import numpy as np
import pytest

from skilltwin.profiles import JobProfile, Requirement
from skilltwin.scoring import CreditPolicy, ScoringPolicy, gap, match, match_frame
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.twin import EmployeeTwin

OBSERVED = "2024-01-01"


def _skill_pool(esco, rng: np.random.Generator, size: int = 80) -> list[str]:
    """Skills that give each other partial credit: required skills and the skills credited."""
    credit = CreditMatrix.of(esco)
    counts = np.diff(credit.matrix.indptr)
    rows = rng.choice(np.flatnonzero(counts >= 2), size=size // 4, replace=False)
    pool: dict[str, None] = {}
    for row in rows:
        pool[credit.index.uris[row]] = None
        start, end = credit.matrix.indptr[row], credit.matrix.indptr[row + 1]
        for col in credit.matrix.indices[start:end][:3]:
            pool[credit.index.uris[col]] = None
    return list(pool)


def _population(esco, seed: int, twins: int = 60, profiles: int = 25
                ) -> tuple[list[EmployeeTwin], list[JobProfile]]:
    rng = np.random.default_rng(seed)
    pool = _skill_pool(esco, rng)
    levels = (0.5, 1, 1.5, 2, 2.5, 3, 4)
    people = []
    for number in range(twins):
        twin = EmployeeTwin(f"E{number:03d}", taxonomy=esco)
        for uri in rng.choice(pool, size=int(rng.integers(0, 15)), replace=False):
            twin.add_skill(str(uri), level=float(rng.choice(levels)), observed=OBSERVED)
        people.append(twin)
    roles = []
    for number in range(profiles):
        chosen = rng.choice(pool, size=int(rng.integers(1, 10)), replace=False)
        only_optional = number % 7 == 0
        requirements = tuple(
            Requirement(
                skill_uri=str(uri), label=esco.skill(str(uri)).label,
                importance="optional" if only_optional or rng.random() < 0.35 else "essential",
                weight=float(rng.choice((0.5, 1.0, 2.0))),
                min_level=float(rng.choice((0, 1, 2, 2, 3, 4))),
            )
            for uri in chosen
        )
        roles.append(JobProfile(profile_id=f"P{number:03d}", title=f"role {number}",
                                requirements=requirements))
    return people, roles


@pytest.mark.parametrize("policy", [
    ScoringPolicy(),
    ScoringPolicy(essential_share=0.6, credit=CreditPolicy(narrower=0.9, broader=0.4,
                                                           essential_relation=0.5,
                                                           optional_relation=0.5)),
    ScoringPolicy(credit=None),
], ids=["default", "custom-credit-with-ties", "no-credit"])
def test_pairs_and_batch_give_the_same_scores(esco, policy: ScoringPolicy) -> None:
    twins, profiles = _population(esco, seed=14)
    frame = match_frame(twins, profiles, taxonomy=esco, scoring_policy=policy)
    statuses: set[str] = set()
    for twin in twins:
        for profile in profiles:
            report = gap(twin, profile, esco, scoring_policy=policy)
            statuses.update(item.status for item in report.items)
            exact = min(1.0, sum(item.contribution for item in report.items))
            batch = frame.loc[twin.employee_id, profile.profile_id]
            assert batch == pytest.approx(exact, abs=1e-9), (twin.employee_id, profile.profile_id)
            # match() reports its components and score rounded to 6 decimals.
            assert match(twin, profile, esco, scoring_policy=policy).score == pytest.approx(
                batch, abs=2e-6)
    expected = {"met", "below", "missing"} | ({"related"} if policy.credit else set())
    assert statuses == expected
    assert frame.to_numpy().std() > 0


def test_scores_and_similarities_did_not_move_in_the_refactor(esco) -> None:
    """Figures computed with the code before the formula moved into one module (main at
    a1b57a1) on the seed-99 population: the refactor changed no score and no similarity."""
    from skilltwin.profiles import similar_occupations, similar_profiles

    twins, profiles = _population(esco, seed=99)
    frame = match_frame(twins, profiles, esco).to_numpy()
    assert frame.sum() == pytest.approx(176.0634635850261, abs=1e-9)
    assert int((frame > 0).sum()) == 867
    assert frame[3, :5] == pytest.approx([0.1425, 0.25 / 3, 0.0, 0.25, 0.0], abs=1e-9)
    similarity = sum(similar_profiles(p, profiles, esco, top_k=100).sum() for p in profiles[:8])
    assert similarity == pytest.approx(12.483600613237025, abs=1e-9)
    nearest = sum(match.score for p in profiles[:5]
                  for match in similar_occupations(p, esco, top_k=20))
    assert nearest == pytest.approx(7.674126166340482, abs=1e-9)
