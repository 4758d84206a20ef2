"""Gap and match scores: statuses, partial credit, components that add up, batch parity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from skilltwin.errors import ConfigurationError
from skilltwin.profiles import JobProfile, Requirement
from skilltwin.scoring import (
    ScoringPolicy,
    best_candidates,
    best_profiles,
    gap,
    match,
    match_frame,
)
from skilltwin.scoring.credit import CreditMatrix
from skilltwin.twin import EmployeeTwin

OBSERVED = "2024-01-01"


def _profile(esco, essential: list[str], optional: Sequence[str] = ()) -> JobProfile:
    requirements = [
        Requirement(skill_uri=esco.skill(s).uri, label=esco.skill(s).label,
                    importance="essential", min_level=2) for s in essential
    ] + [
        Requirement(skill_uri=esco.skill(s).uri, label=esco.skill(s).label,
                    importance="optional", min_level=1) for s in optional
    ]
    return JobProfile(profile_id="P1", title="test role", requirements=tuple(requirements))


def _narrower_pair(esco) -> tuple[str, str]:
    """A skill and one of its narrower skills (both skills)."""
    uri = esco.skill("use databases").uri
    narrower = [n for n in esco.narrower(uri) if n in esco]
    return uri, narrower[0]


def test_gap_statuses(esco) -> None:
    broad, narrow = _narrower_pair(esco)
    profile = _profile(esco, ["manage budgets", "SQL", broad], ["bake bread"])
    twin = EmployeeTwin("E1", taxonomy=esco)
    twin.add_skill("manage budgets", level=3, observed=OBSERVED)
    twin.add_skill("SQL", level=1, observed=OBSERVED)
    twin.add_skill(narrow, level=2, observed=OBSERVED)
    report = gap(twin, profile, esco)
    status = {item.label: item for item in report.items}
    bread = esco.skill("bake bread").label
    assert status["manage budgets"].status == "met"
    assert status["SQL"].status == "below" and status["SQL"].shortfall == 1
    related = status[esco.skill(broad).label]
    assert related.status == "related"
    assert related.related_uri == narrow and related.relation == "narrower than"
    assert related.fulfilment == pytest.approx(0.5)
    assert related.path == (esco.skill(narrow).label, "narrower than", esco.skill(broad).label)
    assert status[bread].status == "missing"
    assert "1 met" in report.summary and "1 missing" in report.summary
    frame = report.to_frame()
    assert list(frame["status"]) == ["met", "below", "related", "missing"]


def test_match_components_add_up_to_the_score(esco) -> None:
    broad, narrow = _narrower_pair(esco)
    profile = _profile(esco, ["manage budgets", "SQL", broad], ["bake bread", "plan menus"])
    twin = EmployeeTwin("E1", taxonomy=esco)
    twin.add_skill("manage budgets", level=3, observed=OBSERVED)
    twin.add_skill("SQL", level=1, observed=OBSERVED)
    twin.add_skill(narrow, level=2, observed=OBSERVED)
    twin.add_skill("plan menus", level=1, observed=OBSERVED)
    result = match(twin, profile, esco)
    c = result.components
    # essential share 0.75 over 3 skills, optional 0.25 over 2 (see docs/scoring.md)
    assert c.essential_coverage == pytest.approx(0.5)
    assert c.optional_coverage == pytest.approx(0.125)
    assert c.level_fit == pytest.approx(-0.125)   # SQL level 1 of 2: loses half of 0.25
    assert c.partial_credit == pytest.approx(0.125)  # 0.25 * credit 0.5 * fit 1
    assert result.score == pytest.approx(0.625)
    assert abs(c.total - result.score) < 1e-9
    assert sum(item.contribution for item in result.contributions) == pytest.approx(result.score)
    assert "62%" in result.explanation or "63%" in result.explanation
    assert result.provenance.taxonomy_release == esco.release
    dumped = result.model_dump(mode="json")
    assert dumped["components"]["level_fit"] == pytest.approx(-0.125)


def test_partial_credit_can_be_switched_off(esco) -> None:
    broad, narrow = _narrower_pair(esco)
    profile = _profile(esco, [broad])
    twin = EmployeeTwin("E1", taxonomy=esco)
    twin.add_skill(narrow, level=3, observed=OBSERVED)
    assert match(twin, profile, esco).score == pytest.approx(0.5)
    assert match(twin, profile, esco, scoring_policy=ScoringPolicy(credit=None)).score == 0


def test_attributes_never_change_scores(esco) -> None:
    profile = JobProfile.from_occupation(esco, "data scientist")
    twins = []
    for number, attributes in enumerate(({"gender": "f", "age": 61}, {"gender": "m", "age": 24})):
        twin = EmployeeTwin(f"E{number}", taxonomy=esco, attributes=attributes)
        for requirement in profile.requirements[:10]:
            twin.add_skill(requirement.skill_uri, level=3, observed=OBSERVED)
        twins.append(twin)
    scores = match_frame(twins, [profile], taxonomy=esco)
    first, second = scores.to_numpy()[:, 0]
    assert first == second > 0


def test_match_frame_equals_match_and_ranks(esco) -> None:
    profiles = [JobProfile.from_occupation(esco, name)
                for name in ("data scientist", "baker", "accountant", "software developer")]
    rng = np.random.default_rng(3)
    twins = []
    for number in range(12):
        twin = EmployeeTwin(f"E{number:02d}", taxonomy=esco)
        source = profiles[number % len(profiles)]
        for requirement in source.requirements:
            if rng.random() < 0.6:
                twin.add_skill(requirement.skill_uri, level=int(rng.integers(1, 5)),
                               observed=OBSERVED)
        twins.append(twin)
    frame = match_frame(twins, profiles, taxonomy=esco)
    assert frame.shape == (12, 4)
    assert list(frame.index) == [t.employee_id for t in twins]
    assert list(frame.columns) == [p.profile_id for p in profiles]
    for twin in twins[:4]:
        for profile in profiles:
            assert frame.loc[twin.employee_id, profile.profile_id] == pytest.approx(
                match(twin, profile, esco).score, abs=1e-5)
    assert best_profiles(frame, "E01").index[0] == profiles[1].profile_id
    top = best_candidates(frame, profiles[0].profile_id, top_k=3)
    assert len(top) == 3 and top.is_monotonic_decreasing
    with pytest.raises(ConfigurationError):
        best_candidates(frame, "nope")


def test_match_frame_refuses_duplicate_ids(esco) -> None:
    profile = JobProfile.from_occupation(esco, "baker")
    with pytest.raises(ConfigurationError, match="unique"):
        match_frame([EmployeeTwin("A"), EmployeeTwin("A")], [profile], taxonomy=esco)


def test_credit_matrix_is_sparse_and_cached(esco) -> None:
    credit = CreditMatrix.of(esco)
    assert credit is CreditMatrix.of(esco)
    n = len(credit.index)
    assert credit.matrix.shape == (n, n)
    assert 0 < credit.matrix.nnz < 10 * n
    assert credit.matrix.max() <= 1
