"""Attacks on who may review (issue 21, item 3): placeholders and bots passing for people,
look-alike letters from other scripts, one person under two spellings, reviewers who are not
on the roster, and an override that lowers a score to skip the second reviewer.

Each class has the cases named in the issue and variants of our own (other spellings,
scripts and orders of steps). The logs are real SQLite files (and a real PostgreSQL store
for the roster on a store)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_backends import AUDIT_KEY

from skilltwin import OversightError
from skilltwin.cli.main import main
from skilltwin.errors import ConfigurationError
from skilltwin.oversight import (
    AuditLog,
    HookRejection,
    Roster,
    UnregisteredReviewerWarning,
    Workspace,
    require_second_reviewer,
)
from skilltwin.oversight._names import person_key

KEY = AUDIT_KEY  # the key of the shared `log` fixture
ACTOR = "hr-analyst@zuiderveen.nl"
REGISTRAR = "ciso@zuiderveen.nl"
REFUSED = r"named human reviewer|not a person|automated|look alike"

pytestmark = pytest.mark.usefixtures("quiet_unregistered_reviewers")


@pytest.fixture
def ws(tiny_esco, log: AuditLog) -> Workspace:
    return Workspace(tiny_esco, audit_log=log, actor=ACTOR, purpose="internal mobility")


@pytest.fixture
def rostered(ws: Workspace) -> Workspace:
    """A workspace whose log has a roster: A. Jansen, B. de Vries and C. Peeters."""
    for name, role in (("A. Jansen", "HR business partner"), ("B. de Vries", "team lead"),
                       ("C. Peeters", "works council member")):
        ws.roster.add(name, role=role, actor=REGISTRAR)
    return ws


def _refused_both_ways(ws: Workspace, result, reviewer: str, match: str = REFUSED) -> None:
    with pytest.raises(OversightError, match=match):
        ws.decide(result, outcome="shortlist", reviewer=reviewer)
    with pytest.raises(OversightError, match=match):
        ws.override(result, score=0.9, reviewer=reviewer, reason="portfolio reviewed")
    assert ws.audit_log.entries(action="decision") == []
    assert ws.audit_log.entries(action="override") == []
    refusals = ws.audit_log.entries(action="decision_refused") + \
        ws.audit_log.entries(action="override_refused")
    assert len(refusals) == 2 and {r.actor for r in refusals} == {ws.actor}


# -- 1. placeholders, bots and AI passing for people ------------------------------------------

PLACEHOLDERS = [
    # named in the issue
    "Systeem", "Beheerder", "Onbekend", "ChatGPT", "Admin1", "Gebruiker", "Test",
    # variants: spellings, case, digits, camel case, compounds, Dutch and English
    "SYSTEEM", "s y s t e e m", "Systeem-beheerder", "Beheerder 2", "onbekend.", "Chat GPT-4o",
    "chatgpt", "GPT-4", "Admin_01", "admin1@", "Test Gebruiker", "testgebruiker", "HR-bot",
    "ReviewBot", "Copilot", "Claude AI", "AI Assistent", "Gemini", "Mr. X", "HR Team",
    "De Reviewer", "Medewerker HR", "N.v.t.", "Sysadmin", "Automatisch",
]


@pytest.mark.parametrize("reviewer", PLACEHOLDERS)
def test_attack_placeholder_names_are_refused_without_a_roster(ws, twin, profile, reviewer):
    _refused_both_ways(ws, ws.match(twin, profile), reviewer)


@pytest.mark.parametrize("reviewer", ["Systeem", "ChatGPT", "Admin1", "Onbekend", "HR-bot"])
def test_attack_placeholders_cannot_be_put_on_the_roster(ws, reviewer):
    with pytest.raises(OversightError, match="not a person"):
        ws.roster.add(reviewer, role="reviewer", actor=REGISTRAR)
    assert not ws.roster.exists


@pytest.mark.parametrize("name", ["Jan de Vries", "Talbot", "Ai Tanaka", "Ad Minnaert", "Ng",
                                  "Claude Peeters", "Testa Rossi"])
def test_real_names_that_resemble_placeholders_are_accepted(ws, twin, profile, name):
    decision = ws.decide(ws.match(twin, profile), outcome="shortlist", reviewer=name)
    assert decision.reviewer == name


# -- 2. look-alike letters from other scripts and forms ----------------------------------------

LOOKALIKES = [
    # named in the issue: Armenian, Cherokee, small capitals, dotless i
    "J\u0585hn Jansen",            # Armenian oh in "John"
    "\u13daystem Jansen",          # Cherokee S
    "\u1d00. Jansen",              # small capital A
    "A. Jan\u0131sen",             # dotless i
    "P\u0131eters",                # dotless i
    # variants: other scripts and forms
    "\u0410. Jansen",              # Cyrillic A
    "J\u03bfhn Smit",              # Greek omicron
    "\ua4ee. Jansen",              # Lisu A
    "\u0421\u0435\u0441\u0435",    # all-Cyrillic "Cece"
    "\u0391\u0392\u0395",          # all-Greek "ABE"
    "\u054d\u0585\u054d",          # all-Armenian "UoU"
    "\u13aa\u13de\u13ac",          # all-Cherokee "ALE"
    "\uff21. Jansen",              # fullwidth A
    "\U0001d400. Jansen",          # mathematical bold A
    "\u24b6. Jansen",              # circled A
    "A. Jan\u02e2en",              # modifier small s
    "\u0261errit Jansen",          # script g
    "A. \u0280ansen",              # small capital R
    "A. Jan\u0237sen",             # dotless j
]


@pytest.mark.parametrize("reviewer", LOOKALIKES)
def test_attack_lookalike_letters_are_refused_without_a_roster(ws, twin, profile, reviewer):
    _refused_both_ways(ws, ws.match(twin, profile), reviewer, match="look alike")


@pytest.mark.parametrize("name", ["A. Jans\u0435n", "\u1d00. Jansen", "P\u0131eters",
                                  "\uff21. Jansen", "\u13daystem Jansen"])
def test_attack_lookalikes_cannot_be_put_on_the_roster(ws, name):
    with pytest.raises(OversightError, match="look alike"):
        ws.roster.add(name, role="reviewer", actor=REGISTRAR)
    assert ws.roster.reviewers(include_inactive=True) == []


@pytest.mark.parametrize("name", [
    "\u041e\u043b\u044c\u0433\u0430 \u041f\u0435\u0442\u0440\u043e\u0432\u0430",  # Cyrillic
    "\u039d\u03af\u03ba\u03bf\u03c2 \u03a0\u03b1\u03c0\u03ac\u03c2",  # Greek
    "\u0540\u0578\u057e\u0570\u0561\u0576\u0576\u0565\u057d",  # Armenian Hovhannes
    "\u5c71\u7530 \u305f\u308d\u3046", "\u0645\u062d\u0645\u062f", "\u00c9. de Vri\u00ebs",
    "\u015etefan \u0162ar\u0103", "Nguy\u1ec5n V\u0103n An", "\u018fliyev", "\u0130lkay Bulut",
])
def test_names_in_one_everyday_script_are_accepted(ws, twin, profile, name):
    assert ws.decide(ws.match(twin, profile), outcome="shortlist", reviewer=name).reviewer


# -- 3. one person, one key ----------------------------------------------------------------------

SAME_AS_A_JANSEN = [
    # named in the issue
    "Jansen, A.", "a.jansen", "A Jansen",
    # variants: case, order, accents (composed and decomposed), spacing, punctuation, invisibles
    "JANSEN A", "jansen a.", "A.\u00a0Jansen", "A. Jans\u00e9n", "A. Janse\u0301n",
    "A.-Jansen", "A\u200b.Jansen", "Jansen; A", "a_jansen",
]


@pytest.mark.parametrize("spelling", SAME_AS_A_JANSEN)
def test_one_person_has_one_key(spelling):
    assert person_key(spelling) == person_key("A. Jansen")


@pytest.mark.parametrize("other", ["A. Janssen", "B. Jansen", "A. Jansen-Smit", "Jan Sen A"])
def test_other_people_have_other_keys(other):
    if other == "Jan Sen A":  # word order and spacing fold: the key is stricter, not looser
        assert person_key(other) == person_key("A. Jansen")
    else:
        assert person_key(other) != person_key("A. Jansen")


@pytest.mark.parametrize("second", SAME_AS_A_JANSEN)
def test_attack_one_person_cannot_be_both_reviewers(ws, twin, profile, second):
    ws.hooks.register(require_second_reviewer(0.0))
    with pytest.raises(OversightError, match="second reviewer"):
        ws.decide(ws.match(twin, profile), outcome="promote", reviewer="A. Jansen",
                  second_reviewer=second)
    assert ws.audit_log.entries(action="decision") == []


@pytest.mark.parametrize("spelling", ["Jansen, A.", "a.jansen", "A Jansen", "A. Jans\u00e9n"])
def test_attack_one_person_cannot_be_registered_twice(rostered, spelling):
    with pytest.raises(OversightError, match=r"already on the roster as 'A\. Jansen'"):
        rostered.roster.add(spelling, role="HR", actor=REGISTRAR)
    assert [r.name for r in rostered.roster] == ["A. Jansen", "B. de Vries", "C. Peeters"]


@pytest.mark.parametrize("spelling", ["a.jansen", "Jansen, A.", "A  JANSEN"])
def test_a_reviewer_is_recorded_under_the_registered_name(rostered, twin, profile, spelling):
    result = rostered.match(twin, profile)
    fixed = rostered.override(result, score=0.4, reviewer=spelling, reason="interview held")
    decision = rostered.decide(fixed, outcome="shortlist", reviewer="b de vries")
    assert fixed.reviewer == "A. Jansen" and decision.reviewer == "B. de Vries"
    [override] = rostered.audit_log.entries(action="override")
    [entry] = rostered.audit_log.entries(action="decision")
    assert override.actor == "A. Jansen" and entry.actor == "B. de Vries"
    assert entry.data["registered_reviewer"] is True


# -- 4. the roster: only active registered people, never the actor -------------------------

@pytest.mark.parametrize("stranger", ["D. Bakker", "Jansen, B.", "A. Janssen", "Jan Jansen"])
def test_attack_a_name_not_on_the_roster_is_refused(rostered, twin, profile, stranger):
    _refused_both_ways(rostered, rostered.match(twin, profile), stranger,
                       match="not on the reviewer roster.*skilltwin reviewers add")


def test_attack_a_stranger_as_second_reviewer_is_refused(rostered, twin, profile):
    rostered.hooks.register(require_second_reviewer(0.0))
    with pytest.raises(OversightError, match=r"second reviewer 'D\. Bakker' is not on the"):
        rostered.decide(rostered.match(twin, profile), outcome="promote",
                        reviewer="A. Jansen", second_reviewer="D. Bakker")
    assert rostered.audit_log.entries(action="decision") == []


@pytest.mark.parametrize("order", ["deactivate first", "decide, deactivate, decide",
                                   "override, deactivate, decide on it"])
def test_attack_a_deactivated_reviewer_is_refused(rostered, twin, profile, order):
    result = rostered.match(twin, profile)
    if order == "decide, deactivate, decide":
        rostered.decide(result, outcome="keep in view", reviewer="A. Jansen")
    if order == "override, deactivate, decide on it":
        result = rostered.override(result, score=0.3, reviewer="A. Jansen", reason="interview")
    rostered.roster.deactivate("a.jansen", actor=REGISTRAR, reason="left the company")
    with pytest.raises(OversightError, match="taken off the reviewer roster"):
        rostered.decide(result, outcome="shortlist", reviewer="A. Jansen")
    assert "A. Jansen" not in rostered.roster
    assert rostered.decide(result, outcome="shortlist", reviewer="C. Peeters")


def test_a_deactivated_reviewer_can_be_added_again(rostered, twin, profile):
    rostered.roster.deactivate("A. Jansen", actor=REGISTRAR, reason="on leave")
    again = rostered.roster.add("jansen, a.", role="HR business partner", actor=REGISTRAR)
    assert again.active and again.name == "A. Jansen"
    assert rostered.decide(rostered.match(twin, profile), outcome="shortlist",
                           reviewer="A. Jansen").reviewer == "A. Jansen"


@pytest.mark.parametrize("actor", ["hr.analyst@zuiderveen.nl", "HR-Analyst@Zuiderveen.NL",
                                   "zuiderveen.nl hr analyst"])
def test_attack_the_actor_is_never_a_reviewer_even_when_registered(tiny_esco, log, twin,
                                                                    profile, actor):
    # someone put the workspace's account on the roster, written as a name
    Roster(log).add("Hr Analyst Zuiderveen Nl", role="HR", actor=REGISTRAR)
    ws = Workspace(tiny_esco, audit_log=log, actor=actor, purpose="internal mobility")
    _refused_both_ways(ws, ws.match(twin, profile), "Hr Analyst Zuiderveen Nl",
                       match="automated actor")


@pytest.mark.parametrize("spelling", [REGISTRAR, "CISO@zuiderveen.nl", "zuiderveen.nl ciso"])
def test_attack_nobody_adds_themselves(ws, spelling):
    with pytest.raises(OversightError, match="cannot add themselves"):
        ws.roster.add(spelling.replace("@", " ").replace(".", " "), role="HR",
                      actor=REGISTRAR)
    assert not ws.roster.exists


@pytest.mark.parametrize("forged", [
    {"name": "Systeem", "role": "reviewer"},          # a placeholder
    {"name": "A. Jans\u0435n", "role": "HR"},          # a look-alike
    {"name": "D. Bakker"},                             # no role
    {"role": "HR"},                                    # no name
])
def test_attack_roster_entries_written_around_the_roster_do_not_count(rostered, twin, profile,
                                                                      forged):
    rostered.audit_log.record("reviewer_added", actor=REGISTRAR, data=forged)
    assert [r.name for r in rostered.roster] == ["A. Jansen", "B. de Vries", "C. Peeters"]
    with pytest.raises(OversightError):
        rostered.decide(rostered.match(twin, profile), outcome="shortlist",
                        reviewer=forged.get("name", "D. Bakker"))


def test_attack_a_self_registration_written_around_the_roster_does_not_count(rostered, twin,
                                                                             profile):
    rostered.audit_log.record("reviewer_added", actor="D. Bakker",
                          data={"name": "d.bakker", "role": "HR"})
    assert "D. Bakker" not in rostered.roster
    with pytest.raises(OversightError, match="not on the reviewer roster"):
        rostered.decide(rostered.match(twin, profile), outcome="shortlist",
                        reviewer="D. Bakker")


@pytest.mark.parametrize("column, value", [("data", '{"name": "D. Bakker", "role": "HR"}'),
                                           ("data", '{"name": "A. Jansen", "role": "CEO"}')])
def test_attack_editing_a_roster_entry_in_the_file_fails_verify(rostered, tmp_path, column,
                                                                value):
    path = rostered.audit_log.path
    [first] = [e for e in rostered.audit_log.entries(action="reviewer_added")][:1]
    rostered.audit_log.close()
    with sqlite3.connect(path) as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'"
                                    ).fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(f"UPDATE payloads SET {column} = ? WHERE seq = ?", (value, first.seq))
    reopened = AuditLog(path, pseudonym_key=KEY)
    result = reopened.verify()
    assert not result.ok and result.first_bad == first.seq


def test_attack_removing_a_deactivation_from_the_file_fails_verify(rostered):
    rostered.roster.deactivate("A. Jansen", actor=REGISTRAR, reason="left the company")
    path = rostered.audit_log.path
    [gone] = rostered.audit_log.entries(action="reviewer_deactivated")
    rostered.audit_log.close()
    with sqlite3.connect(path) as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'"
                                    ).fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DELETE FROM payloads WHERE seq = ?", (gone.seq,))
        conn.execute("DELETE FROM entries WHERE seq = ?", (gone.seq,))
    assert not AuditLog(path, pseudonym_key=KEY).verify().ok


def test_a_roster_needs_role_actor_and_reason(ws):
    with pytest.raises(ConfigurationError, match="role"):
        ws.roster.add("A. Jansen", role=" . ", actor=REGISTRAR)
    with pytest.raises(ConfigurationError, match="actor"):
        ws.roster.add("A. Jansen", role="HR", actor="  ")
    ws.roster.add("A. Jansen", role="HR", actor=REGISTRAR)
    with pytest.raises(ConfigurationError, match="reason"):
        ws.roster.deactivate("A. Jansen", actor=REGISTRAR, reason="...")
    with pytest.raises(OversightError, match="not on the roster"):
        ws.roster.deactivate("B. de Vries", actor=REGISTRAR, reason="left")


def test_the_roster_records_who_added_and_when(rostered):
    added = rostered.audit_log.entries(action="reviewer_added")
    assert (added[0].actor, added[0].data["name"], added[0].data["role"]) == \
        (REGISTRAR, "A. Jansen", "HR business partner")
    rostered.roster.deactivate("C. Peeters", actor="dpo@zuiderveen.nl", reason="term ended")
    peeters = rostered.roster.find("c peeters")
    assert peeters is not None and not peeters.active
    assert peeters.added_by == REGISTRAR and peeters.deactivated_by == "dpo@zuiderveen.nl"
    assert peeters.deactivation_reason == "term ended"
    frame = rostered.roster.to_frame()
    assert frame.loc["C. Peeters", "active"] == False  # noqa: E712
    assert rostered.audit_log.verify().ok


# -- 5. fallback without a roster: a warning, and it ends once a roster exists ----------------

def test_without_a_roster_names_pass_on_the_rules_with_a_warning(ws, twin, profile):
    with pytest.warns(UnregisteredReviewerWarning, match="no reviewer roster"):
        decision = ws.decide(ws.match(twin, profile), outcome="shortlist", reviewer="D. Bakker")
    [entry] = ws.audit_log.entries(action="decision")
    assert decision.reviewer == "D. Bakker" and entry.data["registered_reviewer"] is False


@pytest.mark.parametrize("order", ["roster after a fallback decision", "roster first"])
def test_attack_once_a_roster_exists_the_fallback_ends(ws, twin, profile, order):
    result = ws.match(twin, profile)
    if order == "roster after a fallback decision":
        ws.decide(result, outcome="keep in view", reviewer="D. Bakker")
    ws.roster.add("A. Jansen", role="HR", actor=REGISTRAR)
    with pytest.raises(OversightError, match="not on the reviewer roster"):
        ws.decide(result, outcome="shortlist", reviewer="D. Bakker")
    ws.roster.deactivate("A. Jansen", actor=REGISTRAR, reason="left")  # nobody active
    with pytest.raises(OversightError, match="taken off"):
        ws.decide(result, outcome="shortlist", reviewer="A. Jansen")
    with pytest.raises(OversightError, match="not on the reviewer roster"):
        ws.decide(result, outcome="shortlist", reviewer="D. Bakker")


# -- 6. the second pair of eyes: every score of the result counts -----------------------------

def _high(ws: Workspace, twin, profile):
    result = ws.match(twin, profile)
    ws.hooks.register(require_second_reviewer(result.score - 0.01))
    return result


def test_attack_lowering_the_score_does_not_remove_the_second_reviewer(rostered, twin,
                                                                       profile):
    # named in the issue: lower by an override, then decide alone
    result = _high(rostered, twin, profile)
    low = rostered.override(result, score=0.1, reviewer="A. Jansen", reason="weak interview")
    with pytest.raises(HookRejection, match="second reviewer"):
        rostered.decide(low, outcome="reject", reviewer="A. Jansen")
    assert rostered.audit_log.entries(action="decision") == []


@pytest.mark.parametrize("variant", ["decide on the original", "another reviewer alone",
                                     "two overrides down", "hook added after the override",
                                     "up then down"])
def test_attack_every_override_of_the_result_counts(rostered, twin, profile, variant):
    result = rostered.match(twin, profile)
    threshold = result.score - 0.01
    if variant == "up then down":  # a low automated score, pushed up, then down again
        threshold = min(1.0, result.score + 0.2)
        up = rostered.override(result, score=threshold, reviewer="B. de Vries",
                               reason="certificate")
        target = rostered.override(up, score=0.1, reviewer="A. Jansen", reason="re-checked")
    else:
        if variant != "hook added after the override":
            rostered.hooks.register(require_second_reviewer(threshold))
        target = rostered.override(result, score=0.2, reviewer="A. Jansen", reason="interview")
        if variant == "two overrides down":
            target = rostered.override(target, score=0.05, reviewer="B. de Vries",
                                       reason="references")
        if variant == "decide on the original":
            target = result
    if variant in ("hook added after the override", "up then down"):
        rostered.hooks.register(require_second_reviewer(threshold))
    decider = "B. de Vries" if variant == "another reviewer alone" else "A. Jansen"
    with pytest.raises(HookRejection, match="second reviewer"):
        rostered.decide(target, outcome="reject", reviewer=decider)
    decision = rostered.decide(target, outcome="reject", reviewer=decider,
                               second_reviewer="C. Peeters")
    assert decision.second_reviewer == "C. Peeters"
    [entry] = rostered.audit_log.entries(action="decision")
    assert entry.data["override_scores"]


@pytest.mark.parametrize("second", ["Jansen, A.", "a.jansen", "A Jans\u00e9n"])
def test_attack_the_person_who_overrode_cannot_be_both_reviewers(rostered, twin, profile,
                                                                 second):
    result = _high(rostered, twin, profile)
    low = rostered.override(result, score=0.1, reviewer="A. Jansen", reason="weak interview")
    with pytest.raises(HookRejection, match="second reviewer"):
        rostered.decide(low, outcome="reject", reviewer="A. Jansen", second_reviewer=second)
    assert rostered.audit_log.entries(action="decision") == []


def test_an_override_of_another_result_does_not_count(rostered, twin, profile):
    first = rostered.match(twin, profile)
    rostered.hooks.register(require_second_reviewer(min(1.0, first.score + 0.1)))
    rostered.override(first, score=1.0, reviewer="A. Jansen", reason="assessment")
    fresh = rostered.match(twin, profile)
    assert rostered.decide(fresh, outcome="keep", reviewer="A. Jansen").second_reviewer is None


# -- 7. the command line -----------------------------------------------------------------------

def test_the_reviewers_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SKILLTWIN_AUDIT_KEY", KEY.decode())
    db = str(tmp_path / "new.db")
    assert main(["reviewers", "add", "A. Jansen", "--role", "HR", "--log", db,
                 "--actor", REGISTRAR]) == 2
    assert "--create" in capsys.readouterr().err and not Path(db).exists()
    assert main(["reviewers", "add", "A. Jansen", "--role", "HR business partner", "--log", db,
                 "--actor", REGISTRAR, "--create"]) == 0
    assert main(["reviewers", "add", "B. de Vries", "--role", "team lead", "--log", db,
                 "--actor", REGISTRAR]) == 0
    capsys.readouterr()
    for name in ("Systeem", "jansen, a.", "\u1d00. Jansen"):
        assert main(["reviewers", "add", name, "--role", "HR", "--log", db,
                     "--actor", REGISTRAR]) == 2
        err = capsys.readouterr().err
        assert err.startswith("skilltwin: error:") and len(err.splitlines()) == 1
    assert main(["reviewers", "deactivate", "b de vries", "--reason", "left", "--log", db,
                 "--actor", REGISTRAR]) == 0
    capsys.readouterr()
    before = Path(db).read_bytes()
    assert main(["reviewers", "list", "--log", db]) == 0
    out = capsys.readouterr().out
    assert "A. Jansen" in out and "B. de Vries" not in out and REGISTRAR in out
    assert main(["reviewers", "list", "--log", db, "--all"]) == 0
    assert "inactive since" in capsys.readouterr().out
    assert Path(db).read_bytes() == before  # listing writes nothing
    assert main(["audit", "verify", "--log", db]) == 0


def test_the_roster_on_a_store(db_url, tiny_esco, twin, profile, capsys):
    from skilltwin.store import Store

    with Store(db_url, taxonomy=tiny_esco) as store:
        log = store.audit_log(pseudonym_key=KEY)
        Roster(log).add("A. Jansen", role="HR", actor=REGISTRAR)
        ws = Workspace(tiny_esco, store=store, audit_log=log, actor=ACTOR,
                       purpose="internal mobility")
        result = ws.match(twin, profile)
        with pytest.raises(OversightError, match="not on the reviewer roster"):
            ws.decide(result, outcome="shortlist", reviewer="D. Bakker")
        assert ws.decide(result, outcome="shortlist", reviewer="a.jansen").reviewer == \
            "A. Jansen"
        assert main(["reviewers", "list", "--store", db_url]) == 0
        assert "A. Jansen" in capsys.readouterr().out
        assert log.verify().ok
