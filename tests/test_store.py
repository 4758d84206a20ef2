"""The store on SQLite and PostgreSQL: twins with history, profiles with versions, scores."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from esco_fixtures import OCCUPATION_DBA, SKILL_DATABASES, SKILL_PYTHON, SKILL_SQL

from skilltwin import CLAIM_COLUMNS, EmployeeTwin, JobProfile, Requirement, match
from skilltwin.errors import ConfigurationError
from skilltwin.store import STORED_CLAIM_COLUMNS, Store


def _twin(tiny_esco) -> EmployeeTwin:
    twin = EmployeeTwin("e1", taxonomy=tiny_esco, attributes={"department": "ICT", "grade": 9})
    twin.add_skill(SKILL_SQL, level=2, source="self", observed="2025-01-10")
    twin.add_skill(SKILL_SQL, level=3, source="manager", observed="2025-06-01")
    twin.add_skill(SKILL_PYTHON, level=1, source="self", observed="2025-03-01")
    return twin


def test_import_skilltwin_does_not_load_sqlalchemy() -> None:
    code = "import sys, skilltwin; sys.exit('sqlalchemy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
    import skilltwin

    assert skilltwin.Store is Store


def test_twin_round_trip_keeps_history_and_attributes_apart(store: Store, tiny_esco) -> None:
    twin = _twin(tiny_esco)
    assert store.save_twin(twin) == 3
    assert store.save_twin(twin) == 0  # the same claims again add nothing
    back = store.twin("e1")
    assert back.claims == twin.claims
    assert back.attributes == {"department": "ICT", "grade": 9}
    assert back.levels("2025-12-31") == twin.levels("2025-12-31")
    early = store.twin("e1", as_of="2025-02-01")
    assert [c.level for c in early.claims] == [2]
    assert early.levels("2025-02-01") == {SKILL_SQL: 2.0}


def test_known_at_shows_what_the_store_knew(store: Store, tiny_esco) -> None:
    store.save_twin(_twin(tiny_esco))
    moment = dt.datetime.now(dt.timezone.utc)
    store.add_claims("e1", [EmployeeTwin("e1", taxonomy=tiny_esco).add_skill(
        SKILL_DATABASES, level=4, source="assessment", observed="2025-01-01")])
    assert len(store.twin("e1").claims) == 4
    assert len(store.twin("e1", known_at=moment).claims) == 3
    assert len(store.twin("e1", as_of="2025-01-05").claims) == 1


def test_claims_frame_is_the_long_table(store: Store, tiny_esco) -> None:
    store.save_twin(_twin(tiny_esco))
    store.set_attributes("e2", {"department": "HR"})
    frame = store.claims_frame()
    assert tuple(frame.columns) == STORED_CLAIM_COLUMNS
    # a claims table's columns, plus what the store resolved the skill to
    assert set(STORED_CLAIM_COLUMNS) == {*CLAIM_COLUMNS, "skill_label", "company_skill"}
    assert frame["skill"].tolist() == [SKILL_SQL, SKILL_SQL, SKILL_PYTHON]
    assert frame["level"].tolist() == [2.0, 3.0, 1.0]
    assert frame["observed"].tolist()[0] == dt.date(2025, 1, 10)
    assert "department" not in frame.columns  # attributes never travel with the claims
    assert len(store.claims_frame(as_of=dt.date(2025, 2, 1))) == 1
    twins = store.twins()
    assert [t.employee_id for t in twins] == ["e1", "e2"]
    assert twins[1].claims == [] and twins[1].attributes == {"department": "HR"}


def test_profiles_get_a_version_per_change(store: Store, tiny_esco) -> None:
    first = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA, profile_id="dba")
    assert store.save_profile(first, actor="hr@example.org") == 1
    assert store.save_profile(first, actor="hr@example.org") == 1  # unchanged: no new version
    python = Requirement(skill_uri=SKILL_PYTHON, label="Python", min_level=3)
    second = first.model_copy(update={"requirements": (*first.requirements[:-1], python)})
    assert store.save_profile(second, actor="lead@example.org") == 2
    assert store.profile("dba") == second
    assert store.profile("dba", version=1) == first
    versions = store.profile_versions("dba")
    assert versions["version"].tolist() == [1, 2]
    assert versions["actor"].tolist() == ["hr@example.org", "lead@example.org"]
    with pytest.raises(ConfigurationError, match="versions \\[1, 2\\]"):
        store.profile("dba", version=3)


def test_a_recorded_score_names_its_profile_version(store: Store, tiny_esco) -> None:
    twin = _twin(tiny_esco)
    store.save_twin(twin)
    profile = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA, profile_id="dba")
    store.save_profile(profile, actor="hr")
    result = match(twin, profile, tiny_esco)
    score_id = store.record_score(result, actor="hr")
    stricter = profile.model_copy(update={"title": "senior DBA"})
    store.save_profile(stricter, actor="hr")
    scores = store.scores(employee_id="e1")
    assert scores["score_id"].tolist() == [score_id]
    assert scores["profile_version"].tolist() == [1]
    assert scores["score"].tolist() == [pytest.approx(result.score)]
    assert store.profile("dba", version=int(scores["profile_version"][0])) == profile
    with pytest.raises(ConfigurationError, match="version 7 is not in the store"):
        store.record_score(result, actor="hr", profile_version=7)


def test_opening_a_missing_store_without_create_fails(db_url: str) -> None:
    with pytest.raises(ConfigurationError, match="no skilltwin store there"):
        Store(db_url, create=False)


def test_an_unreachable_server_is_a_clear_error() -> None:
    from skilltwin.errors import StoreError

    with pytest.raises(StoreError, match=r"127.0.0.1:9/none: cannot connect to the database .*"
                       r"running and reachable.*Nothing was read or saved"):
        Store("postgresql+psycopg://nobody@127.0.0.1:9/none", timeout=2)
    with pytest.raises(ConfigurationError, match="SQLite or PostgreSQL, not mysql"):
        Store("mysql://user@host/db")
