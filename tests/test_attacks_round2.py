"""Round two of attacks on "Trust by construction" (issue 21), by an independent reviewer.

New variants of the classes the issue names, tried as an attacker (who can write the files
but does not hold the log key) and as a careless user. A failing test is a hole that is still
open; a passing test is an attack that was refused and is worth keeping refused.

Everything runs on real files in ``tmp_path`` (and a real PostgreSQL schema where marked),
through the public API and the real command line (``skilltwin.cli.main.main``).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import uuid
from pathlib import Path

import pytest
from esco_fixtures import SKILL_SQL
from store_backends import AUDIT_KEY

from skilltwin import EmployeeTwin
from skilltwin._jsonio import canonical_json
from skilltwin.audit._chain import commitment, entry_hash
from skilltwin.cli.main import main
from skilltwin.errors import InputValidationError, OversightError, SkilltwinError
from skilltwin.oversight import AuditLog, Roster, Workspace

KEY = AUDIT_KEY  # the key of the shared `log` fixture
ACTOR = "hr-analyst@zuiderveen.nl"
REGISTRAR = "ciso@zuiderveen.nl"

pytestmark = pytest.mark.usefixtures("quiet_unregistered_reviewers")


def _rostered(tiny_esco, log: AuditLog) -> Workspace:
    ws = Workspace(tiny_esco, audit_log=log, actor=ACTOR, purpose="internal mobility")
    ws.roster.add("A. Jansen", role="HR business partner", actor=REGISTRAR)
    ws.roster.add("B. de Vries", role="team lead", actor=REGISTRAR)
    return ws


# -- forging without the key: a SQLite writer who recomputes the plain chain ----------------


def _forge_append(path: Path, action: str, actor: str, data: dict | None, *,
                  seq_after: int | None = None, move_head: bool = True) -> None:
    """Append an entry with plain SQL as someone without the log key would: a correct plain
    hash, a correct payload commitment (it needs no key), the public key id copied from the
    last entry, and a MAC that is just random hex (nobody without the key can make one).
    The head record is moved as well."""
    con = sqlite3.connect(path)
    try:
        last = con.execute("SELECT seq, hash, key_id FROM entries ORDER BY seq DESC LIMIT 1"
                           ).fetchone()
        seq, prev_hash, key_id = last
        if seq_after is not None:
            seq = seq_after
        data_text = None if data is None else canonical_json(data).decode("utf-8")
        salt = secrets.token_hex(32)
        fields = {
            "seq": seq + 1, "entry_id": str(uuid.uuid4()),
            "timestamp": "2026-05-01T10:00:00.000000+00:00", "actor": actor, "action": action,
            "inputs_hash": None, "library_version": "0.1.0", "taxonomy_release": None,
            "model_name": None,
            "payload_hash": None if data is None else commitment(salt, None, data_text),
            "prev_hash": prev_hash, "key_id": key_id,
        }
        fields["hash"] = entry_hash(fields)
        mac = secrets.token_hex(32)
        con.execute(
            "INSERT INTO entries (seq, entry_id, timestamp, actor, action, inputs_hash, "
            "library_version, taxonomy_release, model_name, payload_hash, prev_hash, hash, "
            "key_id, mac) VALUES (:seq, :entry_id, :timestamp, :actor, :action, :inputs_hash, "
            ":library_version, :taxonomy_release, :model_name, :payload_hash, :prev_hash, "
            ":hash, :key_id, :mac)", {**fields, "mac": mac})
        if data is not None:
            con.execute("INSERT INTO payloads (seq, subject, data, salt) VALUES (?, NULL, ?, ?)",
                        (seq + 1, data_text, salt))
        if move_head:
            con.execute("UPDATE head SET seq = ?, hash = ?, mac = ?",
                        (seq + 1, fields["hash"], secrets.token_hex(32)))
        con.commit()
    finally:
        con.close()


def test_a_reviewer_forged_onto_the_roster_without_the_key_cannot_decide(
    tiny_esco, log: AuditLog, twin, profile
) -> None:
    """HOLE: the roster is folded from entries that are never put through the keyed check,
    so a `reviewer_added` entry appended with plain SQL (no key) makes its name a
    registered reviewer, and `decide` accepts a decision from them. The issue's own example
    of this class was a forged `match` entry accepted by `decide`; the roster is the same
    class one step further."""
    ws = _rostered(tiny_esco, log)
    result = ws.match(twin, profile)
    # entry 0: before the first entry, so the head and the last entry stay as they were and
    # the next append (the decision) goes through with the genuine key
    _forge_append(log.path, "reviewer_added", REGISTRAR,
                  {"name": "M. Allory", "role": "HR business partner"},
                  seq_after=-1, move_head=False)
    assert not log.verify(keyed=True).ok  # the check does see the forgery...
    assert "M. Allory" not in ws.roster  # ...but the roster does not
    with pytest.raises(OversightError):  # ...and decide trusts it
        ws.decide(result, outcome="promote", reviewer="M. Allory")


def test_a_deactivated_reviewer_cannot_be_put_back_without_the_key(
    tiny_esco, log: AuditLog, twin, profile
) -> None:
    """Refused, though by luck: B. de Vries is taken off the roster; a forged
    `reviewer_added` entry at entry 0 sorts *before* the deactivation, so the roster still
    reads them as deactivated. (A forged entry after the head blocks every append: also
    refused.)"""
    ws = _rostered(tiny_esco, log)
    ws.roster.deactivate("B. de Vries", actor=REGISTRAR, reason="left the company")
    result = ws.match(twin, profile)
    _forge_append(log.path, "reviewer_added", REGISTRAR,
                  {"name": "B. de Vries", "role": "team lead"}, seq_after=-1, move_head=False)
    with pytest.raises(OversightError):
        ws.decide(result, outcome="promote", reviewer="B. de Vries")


def test_a_forged_decision_entry_fails_the_keyed_check(
    tiny_esco, log: AuditLog, twin, profile
) -> None:
    """Refused: a forged entry with a recomputed plain chain and a moved head fails the keyed
    check, the CLI exits 1, and the next append refuses to launder it."""
    ws = _rostered(tiny_esco, log)
    result = ws.match(twin, profile)
    _forge_append(log.path, "decision", "A. Jansen", {"outcome": "promote"})
    keyed = log.verify(keyed=True)
    assert not keyed.ok and keyed.first_bad == len(log)
    with pytest.raises(SkilltwinError, match="head record fails the keyed check"):
        ws.decide(result, outcome="promote", reviewer="A. Jansen")


# -- the identity rule: invisible characters that are not of a "format" category ------------

# Default-ignorable characters the reviewer-name rules already know as invisible
# (skilltwin/oversight/_names.py: _INVISIBLE) but the identity rule does not refuse:
# combining grapheme joiner, variation selector 16, Hangul fillers, braille blank.
INVISIBLE = ["\u034f", "\ufe0f", "\u3164", "\u115f", "\u2800"]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_an_invisible_character_does_not_make_a_second_employee_in_the_twin(
    tiny_esco, char: str
) -> None:
    """HOLE: "emp-7" and "emp-7" + an invisible character look the same on every screen but
    are two employees with two pseudonyms; the rule refuses U+200B and U+00AD but not these."""
    with pytest.raises(InputValidationError):
        EmployeeTwin(f"emp-7{char}", taxonomy=tiny_esco)


def test_an_invisible_character_survives_erasure_in_the_store(
    tmp_path: Path, tiny_esco
) -> None:
    """HOLE: an HR export lists the same person as "emp-7" and "emp-7" + U+034F; the import
    takes both, and erasing "emp-7" leaves the other spelling's claims in the store."""
    import pandas as pd

    from skilltwin.store import Store

    store = Store(f"sqlite:///{tmp_path / 'store.db'}", taxonomy=tiny_esco)
    frame = pd.DataFrame({"employee_id": ["emp-7", "emp-7\u034f"], "skill": [SKILL_SQL] * 2,
                          "level": [3, 4], "observed": ["2025-01-01"] * 2})
    report = store.import_claims(frame, actor="hr-sync")
    log = store.audit_log(pseudonym_key=KEY)
    store.erase_employee("emp-7", actor="dpo@zuiderveen.nl", reason="art. 17", audit_log=log)
    log.close()
    left = store.claims_frame()
    assert len(left) == 0, (report, left[["employee_id"]].to_dict("list"))


def test_the_claims_table_reads_an_invisible_character_as_the_same_refusal(
    tmp_path: Path, tiny_esco
) -> None:
    """HOLE (the third path): `skilltwin match --claims` scores "emp-7" + U+FE0F as an
    employee of its own instead of refusing the row."""
    import pandas as pd

    from skilltwin.outofcore import claim_levels

    frame = pd.DataFrame({"employee_id": ["emp-7", "emp-7\ufe0f"], "skill": [SKILL_SQL] * 2,
                          "level": [3, 4], "observed": ["2025-01-01"] * 2})
    with pytest.raises(SkilltwinError):
        claim_levels(frame, tiny_esco)


# -- who may review ---------------------------------------------------------------------------

PLACEHOLDERS = [
    "Adm1n",                 # leetspeak of the "Admin1"
    "Syst3m",
    "5ystem",
    "Sysop",
    "Onbekende Medewerker",  # Dutch "unknown employee", inflected
    "Anonieme Gebruiker",    # Dutch "anonymous user", inflected
    "Система",               # Russian "system", not a look-alike: real Cyrillic
]


@pytest.mark.parametrize("name", PLACEHOLDERS)
def test_placeholders_in_new_spellings_are_not_people_without_a_roster(
    tiny_esco, log: AuditLog, twin, profile, name: str
) -> None:
    """HOLE (low: the fallback without a roster, with a warning): the placeholder list is a
    list of words, so digits for letters, inflected Dutch words and the word in another
    script pass as a person's name."""
    ws = Workspace(tiny_esco, audit_log=log, actor=ACTOR, purpose="internal mobility")
    result = ws.match(twin, profile)
    with pytest.raises(OversightError):
        ws.decide(result, outcome="shortlist", reviewer=name)


def test_the_workspace_account_cannot_decide_under_its_owners_name(
    tiny_esco, log: AuditLog, twin, profile
) -> None:
    """HOLE: the docs' own example actor is an e-mail address. A workspace run as
    "a.jansen@zuiderveen.nl" ran the automated steps; "A. Jansen" (registered by someone
    else) then decides on them as the "human" reviewer. The actor check compares person
    keys ("ajansennlzuiderveen" vs "ajansen"), so the account's owner is not recognised."""
    ws = Workspace(tiny_esco, audit_log=log, actor="a.jansen@zuiderveen.nl",
                   purpose="internal mobility")
    ws.roster.add("A. Jansen", role="HR business partner", actor=REGISTRAR)
    result = ws.match(twin, profile)
    with pytest.raises(OversightError):
        ws.decide(result, outcome="promote", reviewer="A. Jansen")


def test_nobody_registers_themselves_under_their_e_mail_address(log: AuditLog) -> None:
    """HOLE: "Nobody adds themselves: the actor of add cannot be the person added" holds for
    the actor "A. Jansen" but not for the actor "a.jansen@zuiderveen.nl"."""
    roster = Roster(log)
    with pytest.raises(OversightError, match="themselves"):
        roster.add("A. Jansen", role="HR business partner", actor="a.jansen@zuiderveen.nl")


def test_self_registration_under_another_spelling_is_refused(log: AuditLog) -> None:
    """Refused: the same person key in the actor and the name."""
    with pytest.raises(OversightError, match="themselves"):
        Roster(log).add("A. Jansén", role="HR business partner", actor="jansen, a.")


def test_the_second_reviewer_rule_after_an_override_by_the_decider(
    tiny_esco, log: AuditLog, twin, profile
) -> None:
    """Refused: A. Jansen lowers a high score and then decides alone, or with themself as
    the second reviewer under another spelling."""
    from skilltwin.oversight import HookRejection, require_second_reviewer

    ws = _rostered(tiny_esco, log)
    ws.hooks.register(require_second_reviewer(0.0))
    result = ws.match(twin, profile)
    lowered = ws.override(result, score=0.0, reviewer="A. Jansen", reason="not yet certified")
    for second in (None, "Jansen, A."):
        with pytest.raises((HookRejection, OversightError)):
            ws.decide(lowered, outcome="promote", reviewer="a.jansen", second_reviewer=second)
        with pytest.raises((HookRejection, OversightError)):
            ws.decide(result, outcome="promote", reviewer="a.jansen", second_reviewer=second)


# -- the guarded writer -----------------------------------------------------------------------


def _key_file(tmp_path: Path) -> Path:
    key = tmp_path / "audit.key"
    key.write_text(KEY.decode())
    key.chmod(0o600)
    return key


def test_a_signed_head_does_not_replace_the_log_key(
    tmp_path: Path, log: AuditLog, capsys: pytest.CaptureFixture[str]
) -> None:
    """HOLE: `audit head --key-file KEY --sign KEY` reads the key and then overwrites it with
    the signed head (JSON): the log key is gone, so no entry can be written, found by
    employee or erased again. The key file is an input of the command but not among the
    writer's `inputs`."""
    log.record("match", actor=ACTOR, subject="emp-1", data={"score": 0.5})
    key = _key_file(tmp_path)
    code = main(["audit", "head", "--log", str(log.path), "--key-file", str(key),
                 "--sign", str(key)])
    assert code == 2
    assert key.read_text() == KEY.decode()


def test_an_export_does_not_replace_the_log_key(
    tmp_path: Path, log: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HOLE (careless user; beyond the issue's list, but the worst file to lose): `audit
    export --out` onto the default key file of the config folder replaces the log key by
    JSON Lines; the key is not a database and not an input of `export`, so nothing stops
    it. The same holds for `notice --out`, `match --out` and every other writer."""
    log.record("match", actor=ACTOR, subject="emp-1", data={"score": 0.5})
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("SKILLTWIN_AUDIT_KEY", raising=False)
    from skilltwin.config import default_key_path

    key = default_key_path()
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_text(KEY.decode())
    key.chmod(0o600)
    code = main(["audit", "export", "--log", str(log.path), "--out", str(key)])
    assert code == 2
    assert key.read_text() == KEY.decode()


@pytest.fixture
def store_path(tmp_path: Path, tiny_esco) -> Path:
    from skilltwin.store import Store

    path = tmp_path / "store.db"
    with Store(f"sqlite:///{path}", taxonomy=tiny_esco) as store:
        store.configure(organisation="Gemeente Zuiderveen", decision_maker="P. de Vries",
                        reviewer_roles=["HR-adviseur"], contact="privacy@zuiderveen.nl",
                        retention_months=12)
    return path


def _odd_targets(tmp_path: Path) -> dict[str, str]:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    return {"symlink loop": str(loop), "inside a symlink loop": str(loop / "notice.md"),
            "name too long": str(tmp_path / ("n" * 300))}


@pytest.mark.parametrize("which", ["inside a symlink loop", "name too long"])
@pytest.mark.parametrize("command", ["works-council", "sign"])
def test_odd_output_paths_give_one_clear_error_not_a_traceback(
    tmp_path: Path, store_path: Path, log: AuditLog, capsys: pytest.CaptureFixture[str],
    which: str, command: str,
) -> None:
    """HOLE: a symbolic link that points at itself (RuntimeError from Path.resolve) or a file
    name longer than the system allows (OSError ENAMETOOLONG from Path.exists) escape the
    guarded writer's checks as a traceback instead of one line and exit 2 (the same for
    `notice`, `audit export` and a bare loop; one cause: `check_output` calls
    `Path.resolve()` and `Path.exists()` outside any `except OSError`)."""
    log.record("match", actor=ACTOR, subject="emp-1", data={"score": 0.5})
    target = _odd_targets(tmp_path)[which]
    argv = {
        "notice": ["notice", "--store", str(store_path), "--out", target],
        "works-council": ["notice", "--works-council", "--store", str(store_path), "--out",
                          target],
        "export": ["audit", "export", "--log", str(log.path), "--out", target],
        "sign": ["audit", "head", "--log", str(log.path), "--key-file", str(_key_file(tmp_path)),
                 "--sign", target],
    }[command]
    try:
        code = main(argv)
    except Exception as exc:
        pytest.fail(f"traceback instead of exit 2: {type(exc).__name__}: {exc}")
    assert code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_full_disk_while_writing_a_notice_is_one_clear_error(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Refused: the disk fills up at the flush; exit 2, one line, the old file kept and no
    temporary file left."""
    import errno

    target = tmp_path / "notice.md"
    target.write_text("old notice\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code = main(["notice", "--store", str(store_path), "--out", str(target)])
    assert code == 2
    assert "disk is full" in capsys.readouterr().err
    assert target.read_text() == "old notice\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".notice")) == []


def test_match_does_not_write_over_the_default_esco_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """HOLE: without --esco, `match` reads the ESCO download under $SKILLTWIN_DATA, but only
    the --esco paths count as inputs, so `--out` onto a file of the download replaces the
    taxonomy with Parquet."""
    import pandas as pd
    from esco_fixtures import write_esco_download

    data = tmp_path / "data"
    esco = write_esco_download(data / "esco" / "v1.1.1")
    monkeypatch.setenv("SKILLTWIN_DATA", str(data))
    victim = sorted(p for p in esco.iterdir() if p.is_file())[0]
    before = victim.read_bytes()
    claims = tmp_path / "claims.csv"
    pd.DataFrame({"employee_id": ["A"], "skill": [SKILL_SQL], "level": [3],
                  "observed": ["2025-01-01"]}).to_csv(claims, index=False)
    code = main(["match", "--claims", str(claims), "--profiles", "occupations",
                 "--out", str(victim)])
    assert code == 2, capsys.readouterr().err
    assert victim.read_bytes() == before


# -- notices: every printed value escaped ------------------------------------------------------

INJECTION = ("Evil\r## Injected\u0085<b>x</b> ![i](http://e/i.png) [a]: http://e "
             "&lt;script&gt;\u2028- item")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_settings_and_attribute_names_cannot_inject_markdown_into_either_document(
    tmp_path: Path, tiny_esco, language: str
) -> None:
    """Refused: a lone carriage return, NEL and LINE SEPARATOR, an image, a link reference
    definition, an HTML entity and a list marker in every setting and in an attribute
    column's name stay on their line, escaped, in the notice and in the works council
    request, in both languages."""
    import pandas as pd

    from skilltwin.store import Store, worker_notice, works_council_request

    store = Store(f"sqlite:///{tmp_path / 'store.db'}", taxonomy=tiny_esco)
    store.configure(organisation=INJECTION, decision_maker=INJECTION,
                    reviewer_roles=[INJECTION], contact=INJECTION, retention_months=12)
    frame = pd.DataFrame({"employee_id": ["e1"], "skill": [SKILL_SQL], "level": [3],
                          "observed": ["2025-01-01"], INJECTION: ["x"]})
    store.import_claims(frame, actor="hr", attribute_columns=[INJECTION])
    for document in (worker_notice(store, language=language),
                     works_council_request(store, language=language)):
        lines = document.splitlines()
        assert not any(line.lstrip().startswith(("## Injected", "- item", "<b>", "[a]:"))
                       for line in lines)
        for raw in ("<b>", "![i]", "\r", "\u0085", "\u2028"):
            assert raw not in document
        assert "&lt;" not in document.replace("\\&lt;", "")  # an entity is shown, escaped


# -- reads that must not write -----------------------------------------------------------------

V2_SQL = Path(__file__).parent / "data" / "audit_log_v2.sql"


@pytest.fixture
def v2_log(tmp_path: Path) -> Path:
    path = tmp_path / "v2.sqlite"
    con = sqlite3.connect(path)
    con.executescript(V2_SQL.read_text(encoding="utf-8"))
    con.close()
    return path


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
            if p.is_file()}


@pytest.mark.parametrize("argv", [
    ["reviewers", "list", "--all"], ["audit", "verify"], ["audit", "head"],
    ["audit", "export", "--out", "-"],
])
def test_reading_an_old_log_changes_no_file_and_leaves_no_companion(
    v2_log: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused: a schema-2 log in rollback-journal mode is read by `reviewers list` and the
    audit commands without a migration, a journal-mode change or a -wal/-shm left behind."""
    before = _files(v2_log.parent)
    code = main([*argv, "--log", str(v2_log)])
    assert code == 0, capsys.readouterr().err
    assert _files(v2_log.parent) == before
    con = sqlite3.connect(f"file:{v2_log}?mode=ro", uri=True)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


@pytest.mark.parametrize("argv", [
    ["reviewers", "list", "--log", "{path}"], ["audit", "verify", "--log", "{path}"],
    ["audit", "verify", "--store", "sqlite:///{path}"], ["notice", "--store", "{path}"],
    ["notice", "--works-council", "--store", "sqlite:///{path}"],
])
def test_a_read_of_a_missing_database_creates_nothing(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused: a mistyped path is an error (exit 2), not a new empty store or log."""
    path = tmp_path / "typo.db"
    code = main([part.replace("{path}", str(path)) for part in argv])
    assert code == 2, capsys.readouterr()
    assert list(tmp_path.iterdir()) == []


# -- the same forgery on a store (SQLite file and PostgreSQL) ----------------------------------


def _forge_roster_entry_sql(url: str, name: str) -> None:
    """Insert a `reviewer_added` entry numbered 0 with plain SQL through SQLAlchemy, as a
    database user without the log key would (on PostgreSQL: any role allowed to INSERT)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            key_id = conn.execute(sa.text(
                "SELECT key_id FROM entries WHERE key_id IS NOT NULL ORDER BY seq LIMIT 1")
            ).scalar_one()
            data_text = canonical_json({"name": name, "role": "HR business partner"}
                                       ).decode("utf-8")
            salt = secrets.token_hex(32)
            fields = {
                "seq": 0, "entry_id": str(uuid.uuid4()),
                "timestamp": "2026-05-01T10:00:00.000000+00:00", "actor": REGISTRAR,
                "action": "reviewer_added", "inputs_hash": None, "library_version": "0.1.0",
                "taxonomy_release": None, "model_name": None,
                "payload_hash": commitment(salt, None, data_text), "prev_hash": "0" * 64,
                "key_id": key_id,
            }
            fields["hash"] = entry_hash(fields)
            conn.execute(sa.text(
                "INSERT INTO entries (seq, entry_id, timestamp, actor, action, inputs_hash, "
                "library_version, taxonomy_release, model_name, payload_hash, prev_hash, hash, "
                "key_id, mac) VALUES (:seq, :entry_id, :timestamp, :actor, :action, "
                ":inputs_hash, :library_version, :taxonomy_release, :model_name, "
                ":payload_hash, :prev_hash, :hash, :key_id, :mac)"),
                {**fields, "mac": secrets.token_hex(32)})
            conn.execute(sa.text("INSERT INTO payloads (seq, subject, data, salt) "
                                 "VALUES (0, NULL, :data, :salt)"),
                         {"data": data_text, "salt": salt})
    finally:
        engine.dispose()


def test_a_reviewer_forged_onto_a_stores_roster_cannot_decide(
    db_url: str, tiny_esco, twin, profile
) -> None:
    """HOLE (on both backends): the store's roster takes a `reviewer_added` entry inserted
    with plain SQL, without the key; the forged reviewer's decision is accepted and recorded
    with a genuine MAC, so the log's keyed chain now vouches for a decision by nobody."""
    from skilltwin.store import Store

    with Store(db_url, taxonomy=tiny_esco) as store:
        log = store.audit_log(pseudonym_key=KEY)
        Roster(log).add("A. Jansen", role="HR", actor=REGISTRAR)
        ws = Workspace(tiny_esco, store=store, audit_log=log, actor=ACTOR,
                       purpose="internal mobility")
        result = ws.match(twin, profile)
        _forge_roster_entry_sql(db_url, "M. Allory")
        try:
            decision = ws.decide(result, outcome="promote", reviewer="M. Allory")
        except OversightError:
            return
        pytest.fail(f"a forged reviewer decided: {decision.reviewer} ({decision.audit_id})")


# -- destructive steps: check first, then all or nothing ----------------------------------------


def _store_with_person(tmp_path: Path, tiny_esco, raw_id: str):
    from skilltwin.store import Store

    store = Store(f"sqlite:///{tmp_path / 'store.db'}", taxonomy=tiny_esco)
    twin = EmployeeTwin(raw_id, taxonomy=tiny_esco)
    twin.add_skill(SKILL_SQL, level=3, source="manager", observed="2025-01-01")
    store.save_twin(twin)
    log = store.audit_log(pseudonym_key=KEY)
    log.record("match", actor=ACTOR, subject=raw_id, data={"score": 0.5})
    return store, log


@pytest.mark.slow  # several processes at once
def test_erasure_while_another_program_reads_is_all_or_nothing(
    tmp_path: Path, tiny_esco
) -> None:
    """Either refused before anything is deleted, or done completely: a reader holding a
    read transaction on the store's file during erase_employee."""
    store, log = _store_with_person(tmp_path, tiny_esco, "emp-1")
    reader = sqlite3.connect(tmp_path / "store.db", timeout=0.1)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM payloads").fetchone()
    try:
        store.erase_employee("emp-1", actor="dpo@zuiderveen.nl", reason="art. 17", audit_log=log)
        erased = True
    except SkilltwinError:
        erased = False
    finally:
        reader.rollback()
        reader.close()
    claims = len(store.claims_frame())
    entries = len(log.entries(subject="emp-1"))
    erasures = len(log.entries(action="erasure"))
    assert (claims, entries, erasures) == ((0, 0, 1) if erased else (1, 1, 0))
    assert log.verify(keyed=True).ok


@pytest.mark.parametrize("spelling", ["EMP-1", " emp-1 ", "emp\u002d1"])
def test_erasure_by_another_spelling_erases_the_person(
    tmp_path: Path, tiny_esco, spelling: str
) -> None:
    """Refused (the attack of erasing one spelling and keeping the other): case and space
    variants erase the claims and the log payloads of the stored spelling."""
    store, log = _store_with_person(tmp_path, tiny_esco, "Emp-1")
    store.erase_employee(spelling, actor="dpo@zuiderveen.nl", reason="art. 17", audit_log=log)
    assert len(store.claims_frame()) == 0
    assert log.entries(subject="Emp-1") == []
    raw = (tmp_path / "store.db").read_bytes()
    assert b"Emp-1" not in raw and b"emp-1" not in raw


# -- truncating and re-heading from an old copy -------------------------------------------------


def test_a_tail_cut_back_to_an_old_copys_head_passes_the_keyed_check_but_not_a_signed_head(
    tmp_path: Path, log: AuditLog, capsys: pytest.CaptureFixture[str]
) -> None:
    """Documented limit, confirmed: someone without the key keeps a copy of the file, later
    drops the triggers, deletes the entries written since and puts the old head record back;
    the head's MAC is genuine, so even `verify --keyed` passes. Held where the docs promise:
    a signed head taken before the cut, checked with the public key alone, exits 1."""
    from skilltwin.audit import check_head

    log.record("match", actor=ACTOR, subject="emp-1", data={"score": 0.4})
    reader = sqlite3.connect(log.path)  # what a copy of the file made now would hold
    old_head = reader.execute("SELECT seq, hash, mac FROM head").fetchone()
    reader.close()
    log.record("decision", actor="A. Jansen", subject="emp-1", data={"outcome": "reject"})
    signed = log.signed_head()
    public = log.public_key()
    con = sqlite3.connect(log.path)
    con.executescript("DROP TRIGGER entries_append_only_delete;")
    con.execute("DELETE FROM payloads WHERE seq > ?", (old_head[0],))
    con.execute("DELETE FROM entries WHERE seq > ?", (old_head[0],))
    con.execute("UPDATE head SET seq = ?, hash = ?, mac = ?", old_head)
    con.commit()
    con.close()
    assert log.verify(keyed=True).ok  # the documented limit of a log without an anchor
    assert not check_head(signed, public, log).ok
