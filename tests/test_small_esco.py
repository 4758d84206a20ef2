"""Arithmetic and the CLI on a tiny ESCO-shaped download: fast, exact, no real release needed.

The download (tests/esco_fixtures.py) has three skills (SQL, Python, use databases), two
occupations and one ESCO *essential* skill–skill relation (use databases → SQL). Every value
below is worked out by hand from docs/scoring.md; the real release is used elsewhere for what
only real data shows.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import warnings
from pathlib import Path

import pytest
from esco_fixtures import (
    OCCUPATION_DBA,
    SKILL_DATABASES,
    SKILL_PYTHON,
    SKILL_SQL,
    write_esco_download,
)

from skilltwin import (
    EmployeeTwin,
    JobProfile,
    LevelPolicy,
    ScoringPolicy,
    Taxonomy,
    gap,
    load_esco,
    match,
    match_frame,
)
from skilltwin.cli.main import main


@pytest.fixture(scope="module")
def download(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_esco_download(tmp_path_factory.mktemp("tiny-esco"))


@pytest.fixture(scope="module")
def tiny(download: Path) -> Taxonomy:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_esco(download, use_cache=False)


@pytest.fixture(scope="module")
def dba(tiny: Taxonomy) -> JobProfile:
    """Essential: SQL, use databases (level 2); optional: Python (level 1)."""
    return JobProfile.from_occupation(tiny, OCCUPATION_DBA)


def test_the_occupation_profile_has_the_documented_levels(dba: JobProfile) -> None:
    levels = {(r.skill_uri, r.importance, r.min_level) for r in dba.requirements}
    assert levels == {(SKILL_SQL, "essential", 2), (SKILL_DATABASES, "essential", 2),
                      (SKILL_PYTHON, "optional", 1)}


def test_worked_match_score_with_level_fit_and_partial_credit(tiny: Taxonomy,
                                                              dba: JobProfile) -> None:
    # shares: essential 0.75 / 2 = 0.375 each, optional 0.25.
    # SQL at 1 of 2: held, fit 1/2. Python at 1 of 1: met.
    # use databases: not held, related to SQL by an essential relation: 0.4 x fit(SQL) = 0.2.
    twin = EmployeeTwin("E1", taxonomy=tiny)
    twin.add_skill("SQL", level=1, source="assessment")
    twin.add_skill("Python", level=1, source="assessment")
    result = match(twin, dba, tiny)
    parts = result.components
    assert parts.essential_coverage == pytest.approx(0.375)
    assert parts.optional_coverage == pytest.approx(0.25)
    assert parts.level_fit == pytest.approx(-0.375 * 0.5)
    assert parts.partial_credit == pytest.approx(0.375 * 0.4 * 0.5)
    assert result.score == pytest.approx(0.375 + 0.25 - 0.1875 + 0.075)  # 0.5125
    status = {item.skill_uri: item.status for item in gap(twin, dba, tiny).items}
    assert status == {SKILL_SQL: "below", SKILL_PYTHON: "met", SKILL_DATABASES: "related"}
    no_credit = match(twin, dba, tiny, scoring_policy=ScoringPolicy(credit=None))
    assert no_credit.score == pytest.approx(0.5125 - 0.075)


def test_a_twin_holding_everything_at_level_scores_one(tiny: Taxonomy,
                                                       dba: JobProfile) -> None:
    twin = EmployeeTwin("E2", taxonomy=tiny)
    for skill in ("SQL", "use databases", "Python"):
        twin.add_skill(skill, level=2, source="manager")
    assert match(twin, dba, tiny).score == pytest.approx(1.0)


def test_batch_scores_equal_pair_scores_on_random_twins(tiny: Taxonomy) -> None:
    rng = random.Random(3)
    skills = ["SQL", "Python (computer programming)", "use databases"]
    twins = []
    for number in range(40):
        twin = EmployeeTwin(f"E{number:02d}", taxonomy=tiny)
        for skill in rng.sample(skills, rng.randint(0, 3)):
            twin.add_skill(skill, level=rng.choice([0.5, 1, 2, 3, 4]),
                           source=rng.choice(["self", "manager", "assessment"]))
        twins.append(twin)
    profiles = [JobProfile.from_occupation(tiny, o.uri) for o in tiny.occupations()]
    frame = match_frame(twins, profiles, taxonomy=tiny)
    for twin in twins:
        for profile in profiles:
            assert frame.loc[twin.employee_id, profile.profile_id] == pytest.approx(
                match(twin, profile, tiny).score, abs=1e-6)


def test_level_is_the_trust_weighted_mean_of_the_latest_claim_per_source(
    tiny: Taxonomy,
) -> None:
    twin = EmployeeTwin("E3", taxonomy=tiny)
    twin.add_skill("SQL", level=1, source="self", observed="2022-01-01")
    twin.add_skill("SQL", level=3, source="self", observed="2023-01-01")  # replaces the first
    twin.add_skill("SQL", level=4, source="assessment", observed="2024-01-01")
    assert twin.levels()[SKILL_SQL] == pytest.approx((0.6 * 3 + 1.0 * 4) / (0.6 + 1.0))
    assert twin.levels(as_of="2023-06-01")[SKILL_SQL] == pytest.approx(3.0)


def test_decay_halves_a_level_every_half_life(tiny: Taxonomy) -> None:
    today = dt.date.today()
    two_years_ago = today.replace(year=today.year - 2) if (today.month, today.day) != (2, 29) \
        else today - dt.timedelta(days=730)
    twin = EmployeeTwin("E4", taxonomy=tiny, level_policy=LevelPolicy(half_life_years=2))
    twin.add_skill("SQL", level=4, source="assessment", observed=two_years_ago)
    assert twin.levels()[SKILL_SQL] == pytest.approx(2.0, abs=0.01)


# -- the command line on the tiny download -------------------------------------------------
def test_taxonomy_info_prints_the_counts_and_the_second_load_comes_from_the_cache(
    download: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["taxonomy", "info", "--esco", str(download), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert {k: first[k] for k in ("language", "skills", "occupations", "isco_groups",
                                  "skill_groups", "occupation_skill_relations",
                                  "skill_skill_relations")} == {
        "language": "en", "skills": 3, "occupations": 2, "isco_groups": 1, "skill_groups": 1,
        "occupation_skill_relations": 4, "skill_skill_relations": 1}
    assert list((tmp_path / "cache").rglob("*")), "the first load wrote no cache"

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the second load parsed the CSV files again")

    monkeypatch.setattr("skilltwin.taxonomy.loader.parse_esco", no_parsing)
    assert main(["taxonomy", "info", "--esco", str(download), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in second.items() if k != "load_seconds"} == \
        {k: v for k, v in first.items() if k != "load_seconds"}


def test_taxonomy_info_on_a_missing_folder_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["taxonomy", "info", "--esco", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nowhere" in err
