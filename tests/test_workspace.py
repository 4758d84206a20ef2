"""The workspace: every automated step, override and decision lands on the audit log."""

from __future__ import annotations

import sqlite3

import pytest
from store_backends import AUDIT_KEY

from skilltwin import EmployeeTwin, JobProfile, OversightError, match_frame
from skilltwin._version import __version__
from skilltwin.audit import AuditLog
from skilltwin.errors import (
    ConfigurationError,
    DocumentError,
    InputValidationError,
    SkilltwinError,
)
from skilltwin.mapping import ConceptMatch, Mention
from skilltwin.oversight.hooks import (
    HookContext,
    HookRejection,
    Hooks,
    flag_low_evidence,
    redact_fields,
    require_second_reviewer,
)
from skilltwin.oversight.results import OverriddenResult, Recorded
from skilltwin.oversight.workspace import Workspace
from skilltwin.provenance import Provenance

KEY = AUDIT_KEY  # the key of the shared `log` fixture
PURPOSE = "internal mobility"
CV = "Ervaren analist. Worked with SQL and Python for years, managed budgets."


@pytest.fixture
def ws(esco, log: AuditLog) -> Workspace:
    return Workspace(esco, audit_log=log, actor="hr-analyst@zuiderveen.nl", purpose=PURPOSE)


@pytest.fixture
def twin(esco) -> EmployeeTwin:
    twin = EmployeeTwin("ZV-0042", taxonomy=esco, attributes={"afdeling": "Financiën"})
    twin.add_skill("SQL", level=3, source="manager", observed="2025-01-10")
    twin.add_skill("Python (computer programming)", level=2, observed="2025-01-10")
    twin.add_skill("manage budgets", level=1, observed="2025-01-10")
    return twin


@pytest.fixture
def profile(esco) -> JobProfile:
    return JobProfile.from_occupation(esco, "data analyst", profile_id="ZV-DATA")


class FakeMapper:
    """Stands in for SkillMapper: returns real Mention objects for fixed skills."""

    def __init__(self, esco, labels: dict[str, float]):
        self.taxonomy = esco
        self.provenance = Provenance(taxonomy_release=esco.release, model_name="fake-encoder")
        self._labels = labels

    def extract_skills(self, text: str) -> list[Mention]:
        mentions: list[Mention] = []
        for label, score in self._labels.items():
            skill = self.taxonomy.skill(label)
            match = ConceptMatch(uri=skill.uri, label=skill.label, kind="skill", score=score,
                                 matched_label=skill.label, matched_role="preferred",
                                 signals={"semantic": score}, provenance=self.provenance)
            mention = _MentionWithSkill(text=text[:10], start=0, end=10, matches=(match,))
            mentions.append(mention)
        return mentions


class _MentionWithSkill(Mention):
    """A Mention that also offers ``.skill``, the shape JobProfile.from_text reads."""

    @property
    def skill(self) -> str:
        return self.best.uri


# -- automated steps ------------------------------------------------------------------------
def test_match_is_recorded_with_everything_needed_to_trace_it(ws, log, twin, profile, esco):
    result = ws.match(twin, profile)

    assert isinstance(result, Recorded)
    [entry] = log.entries(action="match")
    assert entry.entry_id == result.audit_id
    assert entry.actor == "hr-analyst@zuiderveen.nl"
    assert entry.subject == log.subject_id("ZV-0042") != "ZV-0042"
    assert entry.inputs_hash == result.inputs_hash and len(entry.inputs_hash) == 64
    assert entry.library_version == __version__
    assert entry.taxonomy_release == esco.release
    assert entry.data["purpose"] == PURPOSE
    assert entry.data["output"]["score"] == result.score == result.value.score
    assert entry.data["output"]["profile_id"] == "ZV-DATA"
    assert "employee_id" not in entry.data["output"]
    assert entry.timestamp.utcoffset().total_seconds() == 0


def test_inputs_hash_ties_the_entry_to_exactly_what_was_scored(ws, twin, profile):
    first = ws.match(twin, profile)
    again = ws.match(twin, profile)
    twin.add_skill("data mining", level=2, observed="2025-02-01")
    changed = ws.match(twin, profile)

    assert first.inputs_hash == again.inputs_hash
    assert changed.inputs_hash != first.inputs_hash
    assert first.audit_id != again.audit_id


def test_every_step_needs_a_purpose(esco, log, twin, profile):
    ws = Workspace(esco, audit_log=log, actor="hr@zuiderveen.nl")

    with pytest.raises(ConfigurationError, match="purpose"):
        ws.match(twin, profile)
    with pytest.raises(ConfigurationError, match="purpose"):
        ws.gap(twin, profile, purpose="   ")
    with pytest.raises(ConfigurationError, match="'training needs' is not registered"):
        ws.gap(twin, profile, purpose="training needs")
    assert len(log) == 0
    ws = Workspace(esco, audit_log=log, actor="hr@zuiderveen.nl", purposes=["Training needs"])
    ws.gap(twin, profile, purpose="training  NEEDS")  # matched without case or spacing
    assert log.entries(action="gap")[0].data["purpose"] == "Training needs"


def test_gap_is_recorded(ws, log, twin, profile):
    report = ws.gap(twin, profile)

    [entry] = log.entries(action="gap", subject="ZV-0042")
    assert entry.entry_id == report.audit_id
    assert len(entry.data["output"]["items"]) == len(profile.requirements) == len(report.items)


def test_match_frame_records_a_batch_and_one_entry_per_employee(ws, log, twin, profile, esco):
    other = EmployeeTwin("ZV-0043", taxonomy=esco)
    other.add_skill("manage budgets", level=3, observed="2025-01-10")
    second = JobProfile.from_occupation(esco, "policy officer", profile_id="ZV-BELEID")

    recorded = ws.match_frame([twin, other], [profile, second])

    expected = match_frame([twin, other], [profile, second], taxonomy=esco)
    assert recorded.value.equals(expected)
    [batch] = log.entries(action="match_batch")
    assert batch.entry_id == recorded.audit_id and batch.subject is None
    assert batch.data["employees"] == 2
    assert set(batch.data["profiles"]) == {"ZV-DATA", "ZV-BELEID"}
    [own] = log.entries(action="match", subject="ZV-0043")
    assert own.entry_id == recorded.value.attrs["audit_ids"]["ZV-0043"]
    assert own.data["batch_audit_id"] == batch.entry_id
    assert own.data["scores"]["ZV-BELEID"] == pytest.approx(expected.loc["ZV-0043", "ZV-BELEID"])


def test_inferred_skills_are_recorded_but_the_cv_text_is_not(ws, log, twin, esco, tmp_path):
    mapper = FakeMapper(esco, {"data mining": 0.8, "statistics": 0.5})

    recorded = ws.infer_skills(twin, mapper, CV)

    assert [c.skill_label for c in recorded.value] == ["data mining", "statistics"]
    assert all(c.source == "inferred" for c in recorded.value)
    assert recorded.value[0].confidence == pytest.approx(0.3 * 0.8)
    assert {c.skill_label for c in twin.claims} >= {"data mining", "statistics"}
    [entry] = log.entries(action="infer_skills")
    assert entry.model_name == "fake-encoder"
    assert entry.data["document_chars"] == len(CV)
    assert [c["skill_label"] for c in entry.data["claims"]] == ["data mining", "statistics"]
    assert all("evidence" not in c for c in entry.data["claims"])
    log.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("audit.db*"))
    assert b"Worked with SQL" not in stored and b"Ervaren" not in stored


def test_a_cv_or_job_ad_file_is_recorded_by_its_text_not_its_path(ws, log, twin, esco,
                                                                  tmp_path):
    mapper = FakeMapper(esco, {"data mining": 0.8, "SQL": 0.9})
    cv = tmp_path / "cv-jansen.txt"
    cv.write_text(CV, encoding="utf-8")
    ad = tmp_path / "vacature.html"
    ad.write_text("<html><body><p>Wij zoeken een analist.</p></body></html>", encoding="utf-8")

    from_file = ws.infer_skills(twin, mapper, cv)
    ws.profile_from_text(mapper, ad, title="Analist", profile_id="ZV-AN")
    ws.profile_from_text(mapper, "Wij zoeken een analist.", title="Analist", profile_id="ZV-AN")

    assert [c.skill_label for c in from_file.value] == ["data mining", "SQL"]
    [inferred] = log.entries(action="infer_skills")
    assert inferred.data["document_chars"] == len(CV)  # the CV's text, not its file name
    html, text = log.entries(action="profile_from_text")
    assert html.data["document_chars"] == text.data["document_chars"] == \
        len("Wij zoeken een analist.")
    assert html.inputs_hash == text.inputs_hash  # one text, one hash, whichever way it came
    with pytest.raises(DocumentError, match="file not found"):
        ws.infer_skills(twin, mapper, str(tmp_path / "missing.pdf"))


def test_generated_profiles_are_recorded(ws, log, esco):
    draft = ws.profile_from_skills(["SQL", "data mining"], title="Data-analist")
    profile = ws.profile_from_text(FakeMapper(esco, {"SQL": 0.9}), "Wij zoeken een analist.",
                                   title="Analist", profile_id="ZV-AN")

    [drafted] = log.entries(action="profile_from_skills")
    assert drafted.entry_id == draft.audit_id
    assert [s["label"] for s in drafted.data["suggestions"]] == \
        [s.label for s in draft.suggestions]
    [from_text] = log.entries(action="profile_from_text")
    assert from_text.data["profile"]["requirements"][0]["label"] == "SQL"
    assert profile.value.requirements[0].label == "SQL"
    assert from_text.model_name == "fake-encoder"


# -- overrides ------------------------------------------------------------------------------
@pytest.mark.parametrize("reviewer, reason", [(None, "x"), ("  ", "x"), ("A. Jansen", None),
                                              ("A. Jansen", "")])
def test_override_needs_reviewer_and_reason(ws, log, twin, profile, reviewer, reason):
    result = ws.match(twin, profile)

    with pytest.raises(OversightError, match="reviewer and a reason"):
        ws.override(result, score=0.9, reviewer=reviewer, reason=reason)
    [refused] = log.entries(action="override_refused")
    assert refused.data["result_audit_id"] == result.audit_id
    assert log.entries(action="override") == []


def test_override_shows_both_values_and_keeps_the_original(ws, log, twin, profile):
    result = ws.match(twin, profile)

    fixed = ws.override(result, score=0.85, reviewer="A. Jansen",
                        reason="SQL certificate not yet registered")

    assert isinstance(fixed, OverriddenResult)
    assert fixed.score == 0.85 and fixed.value.score == 0.85
    assert fixed.original.score == result.score != 0.85
    assert fixed.profile_id == "ZV-DATA"
    assert str(result.score) in fixed._repr_html_() and "0.85" in fixed._repr_html_()
    [entry] = log.entries(action="override")
    assert entry.actor == "A. Jansen"
    assert entry.data["automated"] == {"score": result.score}
    assert entry.data["human"] == {"score": 0.85}
    assert entry.data["result_audit_id"] == result.audit_id
    assert entry.data["reason"] == "SQL certificate not yet registered"
    assert entry.inputs_hash == result.inputs_hash
    assert log.entries(action="match")[0].data["output"]["score"] == result.score


@pytest.mark.parametrize("changes, message", [({"score": 1.5}, "between 0 and 1"),
                                              ({"salary": 1}, "no field salary"),
                                              ({}, "at least one field")])
def test_override_rejects_invalid_changes(ws, twin, profile, changes, message):
    result = ws.match(twin, profile)
    with pytest.raises(ConfigurationError, match=message):
        ws.override(result, reviewer="A. Jansen", reason="r", **changes)


# -- decisions ------------------------------------------------------------------------------
@pytest.mark.parametrize("reviewer", [None, "", "   "])
def test_decision_without_a_named_reviewer_is_refused_and_logged(ws, log, twin, profile,
                                                                 reviewer):
    result = ws.match(twin, profile)

    with pytest.raises(OversightError, match="named human reviewer"):
        ws.decide(result, outcome="shortlist", reviewer=reviewer)
    [refused] = log.entries(action="decision_refused", subject="ZV-0042")
    assert refused.data["outcome"] == "shortlist"
    assert refused.data["result_audit_id"] == result.audit_id
    assert log.entries(action="decision") == []


def test_decision_on_an_overridden_result_records_both_scores(ws, log, twin, profile):
    result = ws.match(twin, profile)
    fixed = ws.override(result, score=0.7, reviewer="A. Jansen", reason="portfolio reviewed")

    decision = ws.decide(fixed, outcome="shortlist", reviewer="B. de Vries")

    assert decision.overridden and decision.reviewer == "B. de Vries"
    assert decision.employee_id == "ZV-0042" and decision.purpose == PURPOSE
    [entry] = log.entries(action="decision")
    assert entry.entry_id == decision.audit_id and entry.actor == "B. de Vries"
    assert entry.data["score"] == 0.7 and entry.data["automated_score"] == result.score
    assert entry.data["override_audit_id"] == fixed.audit_id
    assert log.verify().ok


def test_decide_and_override_take_only_recorded_results(ws, twin, profile, esco):
    from skilltwin import match

    with pytest.raises(ConfigurationError, match="recorded"):
        ws.decide(match(twin, profile, esco), outcome="shortlist", reviewer="A. Jansen")
    with pytest.raises(ConfigurationError, match="recorded"):
        ws.override(match(twin, profile, esco), score=1.0, reviewer="An", reason="r")


# -- hooks ----------------------------------------------------------------------------------
def test_second_reviewer_required_above_threshold(ws, log, twin, profile):
    ws.hooks.register(require_second_reviewer(0.6))
    result = ws.match(twin, profile)
    high = ws.override(result, score=0.95, reviewer="A. Jansen", reason="assessment passed")

    with pytest.raises(HookRejection, match="second reviewer"):
        ws.decide(high, outcome="promote", reviewer="A. Jansen")
    with pytest.raises(HookRejection, match="second reviewer"):
        ws.decide(high, outcome="promote", reviewer="A. Jansen", second_reviewer="a. jansen")
    decision = ws.decide(high, outcome="promote", reviewer="A. Jansen",
                         second_reviewer="C. Peeters")

    refusals = log.entries(action="decision_refused")
    assert len(refusals) == 2
    assert refusals[0].data["hooks"][0]["hook"] == "require_second_reviewer(0.6)"
    assert "second reviewer" in refusals[0].data["hooks"][0]["rejected"]
    assert decision.second_reviewer == "C. Peeters"
    assert result.score < 0.6
    # the override to 0.95 counts also when deciding on the automated result itself
    with pytest.raises(HookRejection, match="second reviewer"):
        ws.decide(result, outcome="keep in view", reviewer="A. Jansen")
    fresh = ws.match(twin, profile)  # never overridden, below the threshold: one is enough
    assert ws.decide(fresh, outcome="keep in view", reviewer="A. Jansen").second_reviewer is None


def test_low_evidence_is_flagged_and_the_flag_logged(esco, log, twin, profile):
    ws = Workspace(esco, audit_log=log, actor="hr", purpose=PURPOSE, hooks=[flag_low_evidence(0.5)])
    confident = ws.match(twin, profile)
    twin.add_skill("data mining", level=3, source="inferred", confidence=0.2)
    weak = ws.match(twin, profile)

    assert confident.flags == ()
    assert len(weak.flags) == 1 and "data mining" in weak.flags[0]
    entry = log.entries(action="match")[-1]
    assert entry.data["flags"] == list(weak.flags)
    assert entry.data["hooks"][0]["hook"] == "flag_low_evidence(0.5)"


def test_redaction_hook_changes_what_is_returned_and_logged(esco, log, twin, profile):
    ws = Workspace(esco, audit_log=log, actor="hr", purpose=PURPOSE,
                   hooks=Hooks([redact_fields("explanation")]))
    result = ws.match(twin, profile)

    assert result.explanation == "[redacted]"
    entry = log.entries(action="match")[0]
    assert entry.data["output"]["explanation"] == "[redacted]"
    assert entry.data["hooks"] == [{"hook": "redact_fields(explanation)", "event": "after_step",
                                    "flags": [], "changed": ["explanation"], "rejected": None}]


def test_a_hook_can_block_a_step_and_the_refusal_is_logged(ws, log, twin, profile):
    def no_scores_for_executives(context: HookContext) -> None:
        if context.purpose == PURPOSE:
            raise HookRejection("scores are not used for this purpose")

    ws.hooks.register("before_step", no_scores_for_executives)

    with pytest.raises(HookRejection, match="not used"):
        ws.match(twin, profile)
    assert log.entries(action="match") == []
    [refused] = log.entries(action="step_refused", subject="ZV-0042")
    assert refused.data["step"] == "match"
    assert refused.data["hooks"][0]["hook"] == "no_scores_for_executives"


def test_unknown_hook_event_is_a_clear_error():
    with pytest.raises(ConfigurationError, match="before_step"):
        Hooks().register("before_match", lambda ctx: None)  # type: ignore[arg-type]


def test_tampering_with_a_workspace_entry_is_detected(ws, log, twin, profile, tmp_path):
    ws.match(twin, profile)
    result = ws.match(twin, profile)
    ws.decide(result, outcome="shortlist", reviewer="A. Jansen")
    log.close()
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        conn.execute("DROP TRIGGER entries_append_only_update")
        conn.execute("UPDATE entries SET actor = 'someone else' WHERE seq = 2")

    reopened = AuditLog(tmp_path / "audit.db", pseudonym_key=KEY)
    verdict = reopened.verify()
    assert not verdict.ok and verdict.first_bad == 2
    reopened.close()


def test_overriding_again_starts_from_the_automated_original(ws, log, twin, profile):
    result = ws.match(twin, profile)
    first = ws.override(result, score=0.5, reviewer="A. Jansen", reason="interview")
    second = ws.override(first, explanation="Discussed in panel.", reviewer="B. de Vries",
                         reason="panel notes")

    assert second.original is result
    assert second.score == 0.5 and second.explanation == "Discussed in panel."
    assert second.automated == {"score": result.score, "explanation": result.explanation}
    entries = log.entries(action="override")
    assert entries[1].data["previous_override_audit_id"] == first.audit_id


def test_inferred_claims_are_made_as_the_twin_builder_makes_them(ws, twin, esco):
    mapper = FakeMapper(esco, {"data mining": 0.8, "statistics": 0.5})

    recorded = ws.infer_skills(twin, mapper, CV, confidence=0.9)

    built = EmployeeTwin.from_cv(mapper, CV, employee_id="ZV-0042", taxonomy=esco, confidence=0.9)
    assert [c.confidence for c in recorded.value] == [c.confidence for c in built.claims]
    assert [c.confidence for c in recorded.value] == pytest.approx([0.72, 0.45])
    with pytest.raises(SkilltwinError, match="confidence"):
        EmployeeTwin.from_cv(mapper, CV, employee_id="ZV-0042", taxonomy=esco, confidence=1.5)
    with pytest.raises(SkilltwinError, match="confidence"):
        ws.infer_skills(twin, mapper, CV, confidence=1.5)
    assert len(ws.audit_log.entries(action="infer_skills")) == 1


def test_register_takes_a_ready_made_hook_or_an_event_and_a_function() -> None:
    hooks = Hooks()
    ready = hooks.register(require_second_reviewer(0.9))
    hooks.register("after_step", lambda ctx: ctx.flag("seen"), name="seen")
    assert [(h.event, h.name) for h in hooks] == [(ready.event, ready.name), ("after_step", "seen")]
    for call, field in [(lambda: hooks.register("on_lunch", print), "event"),
                        (lambda: hooks.register("on_decide", "print"), "fn"),
                        (lambda: hooks.register(ready, print), "fn")]:
        with pytest.raises(InputValidationError) as caught:
            call()
        assert caught.value.field == field
    assert len(hooks) == 2


def test_every_step_is_recorded_the_same_way(ws, log, twin, profile, esco):
    ws.hooks.register("before_step", lambda ctx: ctx.flag(f"before {ctx.step}"), name="b")
    ws.hooks.register("after_step", lambda ctx: ctx.flag(f"after {ctx.step}"), name="a")
    mapper = FakeMapper(esco, {"SQL": 0.9})
    results = [ws.match(twin, profile), ws.gap(twin, profile), ws.match_frame([twin], [profile]),
               ws.infer_skills(twin, mapper, CV), ws.profile_from_skills(["SQL"], title="A"),
               ws.profile_from_text(mapper, "Wij zoeken een analist.", title="B")]

    for result in results:
        entry = log.entry(result.audit_id)
        assert entry is not None and entry.inputs_hash == result.inputs_hash
        assert entry.data["purpose"] == PURPOSE
        assert entry.data["flags"] == [f"before {result.step}", f"after {result.step}"]
        assert [h["hook"] for h in entry.data["hooks"]] == ["b", "a"]
        assert result.flags == tuple(entry.data["flags"])
