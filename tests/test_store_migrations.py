"""Opening a store written by schema version 1 upgrades it in place, on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from esco_fixtures import OCCUPATION_DBA, SKILL_PYTHON, SKILL_SQL

from skilltwin import JobProfile
from skilltwin.store import SCHEMA_VERSION, Store

# The schema as skilltwin's store version 1 wrote it (no imports, scores or claim keys).
V1_DDL = (
    "CREATE TABLE store_meta (key VARCHAR(100) PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE employees (employee_id VARCHAR(200) PRIMARY KEY,
        attributes TEXT NOT NULL, created VARCHAR(40) NOT NULL, updated VARCHAR(40) NOT NULL)""",
    """CREATE TABLE claims (claim_id {serial} PRIMARY KEY,
        employee_id VARCHAR(200) NOT NULL REFERENCES employees (employee_id) ON DELETE CASCADE,
        skill_uri VARCHAR(300) NOT NULL, skill_label TEXT NOT NULL, level FLOAT NOT NULL,
        source VARCHAR(20) NOT NULL, evidence TEXT NOT NULL, observed VARCHAR(10) NOT NULL,
        confidence FLOAT NOT NULL, company_skill VARCHAR(200), recorded VARCHAR(40) NOT NULL)""",
    "CREATE INDEX claims_employee ON claims (employee_id, observed)",
    """CREATE TABLE profiles (profile_id VARCHAR(300) NOT NULL, version INTEGER NOT NULL,
        title TEXT NOT NULL, document TEXT NOT NULL, content_hash VARCHAR(64) NOT NULL,
        saved VARCHAR(40) NOT NULL, actor VARCHAR(200) NOT NULL,
        PRIMARY KEY (profile_id, version))""",
)
NOW = "2025-06-01T09:00:00.000000+00:00"


def _write_v1_store(url: str, profile: JobProfile) -> None:
    engine = sa.create_engine(url)
    serial = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
    claim = ("INSERT INTO claims (employee_id, skill_uri, skill_label, level, source, evidence, "
             "observed, confidence, company_skill, recorded) VALUES "
             "('e1', :uri, :label, :level, 'self', '', :observed, 1.0, NULL, :now)")
    with engine.begin() as conn:
        for statement in V1_DDL:
            conn.execute(sa.text(statement.format(serial=serial)))
        conn.execute(sa.text("INSERT INTO store_meta VALUES ('format', 'skilltwin-store'), "
                             "('schema_version', '1'), ('created', :now)"), {"now": NOW})
        conn.execute(sa.text("INSERT INTO employees VALUES ('e1', '{\"grade\": 8}', :now, :now)"),
                     {"now": NOW})
        for uri, label, level, observed in (
            (SKILL_SQL, "SQL", 2.0, "2024-01-01"),
            (SKILL_SQL, "SQL", 3.0, "2025-01-01"),
            (SKILL_SQL, "SQL", 3.0, "2025-01-01"),  # version 1 allowed the same claim twice
            (SKILL_PYTHON, "Python (computer programming)", 1.0, "2024-06-01"),
        ):
            conn.execute(sa.text(claim), {"uri": uri, "label": label, "level": level,
                                          "observed": observed, "now": NOW})
        conn.execute(sa.text(
            "INSERT INTO profiles VALUES ('dba', 1, 'database administrator', :doc, 'x', :now, "
            "'hr')"), {"doc": profile.to_json(sort_keys=True), "now": NOW})
    engine.dispose()


def test_a_version_1_store_is_upgraded_and_keeps_its_data(db_url: str, tiny_esco) -> None:
    profile = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA, profile_id="dba")
    _write_v1_store(db_url, profile)

    with Store(db_url, taxonomy=tiny_esco) as store:
        assert store.upgraded_from == 1
        twin = store.twin("e1")
        assert [(c.skill_uri, c.level) for c in twin.claims] == [
            (SKILL_SQL, 2.0), (SKILL_SQL, 3.0), (SKILL_PYTHON, 1.0)]
        assert twin.attributes == {"grade": 8}
        assert store.profile("dba") == profile
        # what version 2 adds works on the upgraded store
        assert store.add_claims("e1", twin.claims) == 0  # keys were computed for old claims
        report = store.import_claims(store.claims_frame().assign(level=4, employee_id="e2"))
        assert report.accepted == 3
    with Store(db_url, create=False) as again:
        assert again.upgraded_from == SCHEMA_VERSION  # nothing left to upgrade
        assert len(again.claims_frame()) == 6
