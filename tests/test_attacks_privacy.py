"""Attacks on privacy: looking for raw ids, names, evidence and CV text in the log's bytes,
re-linking erased entries through their inputs hash, and erasure with a reader in the way."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from skilltwin import EmployeeTwin, JobProfile, OversightError
from skilltwin._jsonio import canonical_json
from skilltwin.mapping import ConceptMatch, Mention
from skilltwin.oversight import AuditLog, Workspace
from skilltwin.provenance import Provenance

KEY = b"privacy-attack-key-0123456789abcdef"
RAW_ID = "ZV-SECRET-4711"
NAME = "Jantje Geheimzinnig"
EVIDENCE = "EVIDENCE-SECRET certificate Oracle SQL 2024"
CV = "CV-SECRET Jantje Geheimzinnig, Utrecht. Worked with SQL and data mining for years."
JOB_AD = "JOBAD-SECRET Wij zoeken een data-analist met SQL."
REASON = "REASON-SECRET portfolio reviewed in panel"


def _bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


class _Mapper:
    """Stands in for SkillMapper: fixed skills, real Mention objects."""

    def __init__(self, esco, labels: dict[str, float]):
        self.taxonomy = esco
        self.provenance = Provenance(taxonomy_release=esco.release, model_name="fake-encoder")
        self._labels = labels

    def extract_skills(self, text: str) -> list[Mention]:
        mentions = []
        for label, score in self._labels.items():
            skill = self.taxonomy.skill(label)
            match = ConceptMatch(uri=skill.uri, label=skill.label, kind="skill", score=score,
                                 matched_label=skill.label, matched_role="preferred",
                                 signals={"semantic": score}, provenance=self.provenance)
            mentions.append(_SkillMention(text=text[:12], start=0, end=12, matches=(match,)))
        return mentions


class _SkillMention(Mention):
    @property
    def skill(self) -> str:
        return self.best.uri


@pytest.fixture
def twin(esco) -> EmployeeTwin:
    twin = EmployeeTwin(RAW_ID, taxonomy=esco, attributes={"name": NAME})
    twin.add_skill("SQL", level=3, source="certificate", evidence=EVIDENCE, observed="2025-01-10")
    twin.add_skill("Python (computer programming)", level=2, observed="2025-01-10")
    return twin


def _workspace(esco, db: Path, key: bytes = KEY) -> Workspace:
    return Workspace(esco, audit_log=AuditLog(db, pseudonym_key=key), actor="hr@zuiderveen.nl",
                     purpose="internal mobility")


def test_no_personal_data_in_the_file_after_every_step_and_none_left_after_erasure(
        esco, twin: EmployeeTwin, tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    ws = _workspace(esco, db)
    profile = JobProfile.from_occupation(esco, "data analyst", profile_id="ZV-DATA")
    mapper = _Mapper(esco, {"data mining": 0.8})

    match = ws.match(twin, profile)
    assert RAW_ID in match.explanation  # what the user sees keeps the raw id
    ws.gap(twin, profile)
    ws.infer_skills(twin, mapper, CV)
    ws.match_frame([twin], [profile])
    ws.profile_from_skills(["SQL", "data mining"], title="Data-analist")
    ws.profile_from_text(mapper, JOB_AD, title="Analist", profile_id="ZV-AN")
    fixed = ws.override(match, score=0.8, explanation=f"{RAW_ID} discussed in panel",
                        reviewer="A. Jansen", reason=REASON)
    ws.decide(fixed, outcome="shortlist", reviewer="B. de Vries")

    pseudonym = ws.audit_log.subject_id(RAW_ID).encode()
    content = _bytes(db)
    for secret in (RAW_ID, NAME, EVIDENCE, "EVIDENCE-SECRET", "CV-SECRET", "JOBAD-SECRET"):
        assert secret.encode() not in content, secret
        assert secret.encode("utf-16-le") not in content, secret
    assert pseudonym in content and REASON.encode() in content
    assert ws.audit_log.verify().ok

    reader = sqlite3.connect(db)  # another program has the log open while erasing
    reader.execute("SELECT count(*) FROM entries").fetchone()
    ws.audit_log.erase_subject(RAW_ID, actor="dpo@zuiderveen.nl", reason="request 2026-014")
    content = _bytes(db)
    for secret in (pseudonym, REASON.encode(), b"discussed in panel", b"shortlist"):
        assert secret not in content, secret
    assert ws.audit_log.verify().ok
    reader.close()
    assert AuditLog(db, read_only=True).verify().ok


def test_an_inputs_hash_cannot_be_recomputed_without_the_key(
        esco, twin: EmployeeTwin, tmp_path: Path) -> None:
    profile = JobProfile.from_occupation(esco, "data analyst", profile_id="ZV-DATA")
    one = _workspace(esco, tmp_path / "one.db").match(twin, profile)
    two = _workspace(esco, tmp_path / "two.db", key=KEY[::-1]).match(twin, profile)
    assert one.inputs_hash != two.inputs_hash  # keyed: whoever has the twin cannot link it

    # Nor is it the plain SHA-256 of the documented inputs.
    twin_inputs = {"employee_id": RAW_ID,
                   "claims": [c.model_dump(mode="json") for c in twin.claims],
                   "scale": twin.scale.model_dump(mode="json"),
                   "level_policy": twin.level_policy.model_dump(mode="json")}
    import datetime as dt

    twin_inputs["as_of"] = dt.date.today().isoformat()
    from skilltwin.scoring.policy import ScoringPolicy

    plain = {"twin": twin_inputs,
             "profile": {"profile_id": profile.profile_id,
                         "requirements": [r.model_dump(mode="json") for r in profile.requirements]},
             "scoring_policy": ScoringPolicy().model_dump(mode="json")}
    assert one.inputs_hash != hashlib.sha256(canonical_json(plain)).hexdigest()


def test_a_cv_hash_cannot_confirm_a_guessed_cv(esco, twin: EmployeeTwin, tmp_path: Path) -> None:
    ws = _workspace(esco, tmp_path / "audit.db")
    ws.infer_skills(twin, _Mapper(esco, {"data mining": 0.8}), CV)
    [entry] = ws.audit_log.entries(action="infer_skills")
    assert entry.data is not None
    values = {str(v) for v in entry.data.values()}
    assert hashlib.sha256(CV.encode()).hexdigest() not in values


def _erasure_log(db: Path, timeout: float) -> AuditLog:
    log = AuditLog(db, pseudonym_key=KEY, timeout=timeout)
    for i in range(200):
        log.record("match", actor="hr", subject=RAW_ID if i % 2 else "ZV-OTHER",
                   data={"note": f"ERASE-ME-{i:04d}", "score": 0.5})
    return log


def test_erasure_waits_for_a_reader_and_leaves_no_copy_in_the_wal(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    log = _erasure_log(db, timeout=10)
    reader = sqlite3.connect(db, check_same_thread=False, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM payloads").fetchall()  # holds a read snapshot

    def release() -> None:
        time.sleep(0.5)
        reader.execute("COMMIT")

    thread = threading.Thread(target=release)
    thread.start()
    log.erase_subject(RAW_ID, actor="dpo", reason="request 2026-015")
    thread.join()
    content = _bytes(db)
    assert b"ERASE-ME-0001" not in content and b"ERASE-ME-0199" not in content
    assert b"ERASE-ME-0000" in content  # the other employee's data stays
    assert db.with_name(db.name + "-wal").stat().st_size == 0
    reader.close()
    assert log.verify().ok


def test_erasure_with_a_reader_that_never_lets_go_is_refused_before_anything_is_erased(
    tmp_path: Path,
) -> None:
    db = tmp_path / "audit.db"
    log = _erasure_log(db, timeout=0.3)
    before = [entry.data for entry in log.entries(subject=RAW_ID)]
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM payloads").fetchall()

    with pytest.raises(OversightError, match=r"nothing was erased"):
        log.erase_subject(RAW_ID, actor="dpo", reason="request 2026-016")
    assert not log.entries(action="erasure")  # checked first: no half erasure on record
    assert [entry.data for entry in log.entries(subject=RAW_ID)] == before
    reader.execute("COMMIT")
    reader.close()
    log.erase_subject(RAW_ID, actor="dpo", reason="request 2026-016")
    content = _bytes(db)
    assert b"ERASE-ME-0001" not in content and b"ERASE-ME-0199" not in content
    assert log.verify().ok
