"""Attacks on the keyed chain, by someone who can write the log's tables but has no log key:
rewrite a suffix with recomputed plain hashes, reorder entries, cut the tail and move the
head back, forge a key rotation, and cut the tail behind a signed head. Each runs on a real
SQLite file and a real PostgreSQL database (tests/store_backends.py), through the same
AuditLog over its two backends."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from esco_fixtures import OCCUPATION_DBA, SKILL_SQL

from skilltwin import EmployeeTwin, JobProfile
from skilltwin.audit import Action, AuditLog, check_head
from skilltwin.audit._chain import CHAINED_FIELDS, KEY_FIELD, commitment, entry_hash
from skilltwin.cli.main import main
from skilltwin.errors import OversightError
from skilltwin.oversight import Recorded, Workspace
from skilltwin.store import Store

KEY = b"keyed-chain-attack-key-0123456789abcdef"

Row = dict[str, Any]


def _log(store: Store, **options: Any) -> AuditLog:
    return store.audit_log(pseudonym_key=KEY, **options)


def _plain(store: Store) -> AuditLog:
    """The log as an auditor without the key opens it."""
    return store.audit_log(read_only=True)


def _filled(store: Store, n: int = 6) -> AuditLog:
    log = _log(store)
    for i in range(1, n + 1):
        log.record(Action.MATCH, actor="hr@zuiderveen.nl", subject=f"ZV-{i % 3}",
                   data={"purpose": "internal mobility", "output": {"score": i / 10}})
    return log


def _rows(store: Store) -> list[Row]:
    with store.engine.connect() as conn:
        return [dict(r) for r in
                conn.exec_driver_sql("SELECT * FROM entries ORDER BY seq").mappings().all()]


def _sql(store: Store, *statements: tuple[str, dict[str, Any]] | str) -> None:
    """Edit the tables as someone with database access could (triggers off first)."""
    with store.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        for table in ("entries", "payloads"):
            if postgres:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        if not postgres:
            for (name,) in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'").all():
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        for statement in statements:
            if isinstance(statement, str):
                conn.execute(sa.text(statement))
            else:
                conn.execute(sa.text(statement[0]), statement[1])


def _rechain(store: Store, rows: list[Row], start: int, *, macs: str = "keep") -> None:
    """Write ``rows`` back from entry ``start`` on with every plain hash recomputed and the
    head moved to the last one: what anyone can do without the key. ``macs``: keep the
    stored MACs, or strip them."""
    prev = rows[start - 2]["hash"] if start > 1 else "0" * 64
    statements: list[tuple[str, dict[str, Any]]] = []
    for row in rows[start - 1:]:
        row["prev_hash"] = prev
        row["hash"] = entry_hash({k: row[k] for k in (*CHAINED_FIELDS, KEY_FIELD)})
        if macs == "strip":
            row["mac"] = None
        columns = [c for c in row if c != "seq"]
        statements.append((f"UPDATE entries SET {', '.join(f'{c} = :{c}' for c in columns)} "
                           "WHERE seq = :seq", row))
        prev = row["hash"]
    last = rows[-1]
    statements.append(("UPDATE head SET seq = :seq, hash = :hash", {"seq": last["seq"],
                                                                   "hash": last["hash"]}))
    _sql(store, *statements)


def _forge_score(store: Store, seq: int, score: float) -> dict[str, Any]:
    """Change entry ``seq``'s payload and commitment (the salt is stored in the clear)."""
    with store.engine.connect() as conn:
        subject, data, salt = conn.execute(sa.text(
            "SELECT subject, data, salt FROM payloads WHERE seq = :s"), {"s": seq}).one()
    forged = json.loads(data)
    forged["output"]["score"] = score
    text = json.dumps(forged, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    _sql(store, ("UPDATE payloads SET data = :d WHERE seq = :s", {"d": text, "s": seq}),
         ("UPDATE entries SET payload_hash = :p WHERE seq = :s",
          {"p": commitment(salt, subject, text), "s": seq}))
    return forged


# -- rewriting a suffix with recomputed plain hashes ----------------------------------------------


@pytest.mark.parametrize("macs", ["keep", "strip"])
def test_a_rewritten_suffix_with_recomputed_hashes_fails_the_keyed_check(
        store: Store, macs: str) -> None:
    log = _filled(store)
    _forge_score(store, 3, 0.99)
    rows = _rows(store)
    _rechain(store, rows, 3, macs=macs)

    assert _plain(store).verify().ok is (macs == "keep")  # consistent to anyone without key
    result = log.verify()
    assert result.keyed and not result.ok
    assert result.first_bad == 3
    assert "keyed check" in result.reason or "no MAC" in result.reason


def test_a_forged_match_entry_is_not_taken_as_the_score_from_the_log(
        store: Store, tiny_esco) -> None:
    log = _log(store)
    ws = Workspace(tiny_esco, audit_log=log, actor="hr-analyst@zuiderveen.nl",
                   purpose="internal mobility")
    twin = EmployeeTwin("ZV-7", taxonomy=tiny_esco)
    twin.add_skill(SKILL_SQL, level=1, observed="2025-01-01")
    profile = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA, profile_id="dba")
    result = ws.match(twin, profile)
    ws.match(twin, profile)  # a later entry, so the forgery is a suffix rewrite
    entry = log.entry(result.audit_id)
    assert entry is not None

    forged_data = _forge_score(store, entry.seq, 0.99)
    _rechain(store, _rows(store), entry.seq)
    assert _plain(store).verify().ok  # the plain chain was recomputed
    forged = Recorded(value=result.value.model_copy(update={"score": 0.99}),
                      audit_id=result.audit_id, step=result.step, purpose=result.purpose,
                      inputs_hash=result.inputs_hash, flags=result.flags)
    assert log.entry(result.audit_id).data == forged_data  # the log now "says" 0.99

    with pytest.raises(OversightError, match="keyed check"):
        ws.decide(forged, outcome="promote", reviewer="A. Jansen")
    with pytest.raises(OversightError, match="keyed check"):
        ws.override(forged, score=1.0, reviewer="A. Jansen", reason="looks right")
    assert not [e for e in log.entries() if e.action == Action.DECISION]


# -- reordering, truncating and re-heading ---------------------------------------------------------


def test_reordered_entries_with_recomputed_hashes_fail_the_keyed_check(store: Store) -> None:
    log = _filled(store)
    rows = _rows(store)
    moved = {k: v for k, v in rows[3].items() if k != "seq"}
    rows[3].update({k: v for k, v in rows[2].items() if k != "seq"})
    rows[2].update(moved)
    _sql(store, ("UPDATE payloads SET seq = -1 WHERE seq = 3", {}),
         ("UPDATE payloads SET seq = 3 WHERE seq = 4", {}),
         ("UPDATE payloads SET seq = 4 WHERE seq = -1", {}))
    _rechain(store, rows, 3)

    assert _plain(store).verify().ok
    result = log.verify()
    assert (result.ok, result.first_bad) == (False, 3)


@pytest.mark.parametrize("head_mac", ["kept", "nulled", "last entry's mac"])
def test_a_cut_tail_with_the_head_moved_back_fails_the_keyed_check(
        store: Store, head_mac: str) -> None:
    log = _filled(store)
    rows = _rows(store)
    mac = {"kept": None, "nulled": "NULL", "last entry's mac": f"'{rows[3]['mac']}'"}[head_mac]
    _sql(store, "DELETE FROM entries WHERE seq > 4", "DELETE FROM payloads WHERE seq > 4",
         ("UPDATE head SET seq = 4, hash = :h" + ("" if mac is None else f", mac = {mac}"),
          {"h": rows[3]["hash"]}))

    assert _plain(store).verify().ok  # without the key, a shorter log looks whole
    result = log.verify()
    assert (result.ok, result.first_bad) == (False, 5)
    assert "head record fails the keyed check" in result.reason
    with pytest.raises(OversightError):  # nothing is chained onto it either
        log.record("note", actor="system")


def test_a_forged_key_rotation_fails_the_keyed_check(store: Store) -> None:
    log = _filled(store, 3)
    rotation = log.rotate_chain_key(actor="dpo@zuiderveen.nl", reason="yearly rotation")
    log.record(Action.MATCH, actor="hr", subject="ZV-1", data={"output": {"score": 0.5}})
    assert rotation.action == Action.CHAIN_KEY_ROTATION and log.verify().ok
    assert log.verify().keyed_from == 1

    # the attacker rewrites the rotation's nonce (to a period whose key they might guess)
    with store.engine.connect() as conn:
        salt = conn.execute(sa.text("SELECT salt FROM payloads WHERE seq = :s"),
                            {"s": rotation.seq}).scalar_one()
    text = json.dumps({"nonce": "00" * 16, "reason": "yearly rotation"}, sort_keys=True,
                      separators=(",", ":"))
    _sql(store, ("UPDATE payloads SET data = :d WHERE seq = :s", {"d": text, "s": rotation.seq}),
         ("UPDATE entries SET payload_hash = :p WHERE seq = :s",
          {"p": commitment(salt, None, text), "s": rotation.seq}))
    _rechain(store, _rows(store), rotation.seq)
    assert _plain(store).verify().ok
    result = log.verify()
    assert (result.ok, result.first_bad) == (False, rotation.seq)


# -- a signed head: the auditor's public-key check ------------------------------------------------


def test_a_signed_head_catches_a_cut_tail_and_a_rewrite_with_the_public_key_alone(
        store: Store) -> None:
    log = _filled(store)
    signed = log.signed_head()
    public = log.public_key()
    assert signed.seq == 6 and check_head(signed, public).ok
    assert check_head(signed, public, _plain(store)).ok
    assert not check_head(signed, "ab" * 32).ok  # another key
    assert not check_head(signed.model_copy(update={"seq": 5}), public).ok  # edited head

    rows = _rows(store)
    _sql(store, "DELETE FROM entries WHERE seq > 4", "DELETE FROM payloads WHERE seq > 4",
         ("UPDATE head SET seq = 4, hash = :h", {"h": rows[3]["hash"]}))
    assert _plain(store).verify().ok
    cut = check_head(signed, public, _plain(store))
    assert not cut.ok and "entries were removed" in cut.reason


def test_a_signed_head_catches_a_rewrite_before_it(store: Store) -> None:
    log = _filled(store)
    signed = log.signed_head()
    _forge_score(store, 2, 0.99)
    _rechain(store, _rows(store), 2)
    result = check_head(signed, log.public_key(), _plain(store))
    assert not result.ok and result.first_bad == signed.seq


def test_no_head_is_signed_for_a_tampered_log(store: Store) -> None:
    log = _filled(store)
    _forge_score(store, 2, 0.99)
    _rechain(store, _rows(store), 2)
    with pytest.raises(OversightError, match="not intact"):
        log.signed_head()


# -- the command line (SQLite file) ---------------------------------------------------------------


def _cli(*args: str) -> int:
    return main(["audit", *args])


def test_the_cli_checks_keyed_chains_and_signed_heads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, key_file, head_file = tmp_path / "audit.db", tmp_path / "audit.key", tmp_path / "h.json"
    key_file.write_text(KEY.decode())
    key_file.chmod(0o600)
    with AuditLog(db, pseudonym_key=KEY) as log:
        for i in range(4):
            log.record(Action.MATCH, actor="hr", subject=f"e{i}", data={"output": {"score": i}})
    assert _cli("head", "--log", str(db), "--key-file", str(key_file), "--sign",
                str(head_file)) == 0
    assert _cli("public-key", "--log", str(db), "--key-file", str(key_file)) == 0
    printed = capsys.readouterr().out.split()
    public = printed[-1]
    assert len(public) == 64
    assert _cli("check-head", str(head_file), "--public-key", public, "--log", str(db)) == 0
    assert _cli("verify", "--log", str(db), "--key-file", str(key_file)) == 0
    assert "Keyed check passed" in capsys.readouterr().out

    plain = _rows_of_file(db)
    tamper = _file_tamperer(db)
    tamper("DELETE FROM entries WHERE seq = 4", "DELETE FROM payloads WHERE seq = 4",
           f"UPDATE head SET seq = 3, hash = '{plain[2]['hash']}'")
    assert _cli("verify", "--log", str(db)) == 0  # the plain check cannot see it...
    assert "not proof" in capsys.readouterr().out  # ...and says so
    assert _cli("verify", "--log", str(db), "--key-file", str(key_file)) == 1
    assert _cli("check-head", str(head_file), "--public-key", public, "--log", str(db)) == 1
    assert _cli("check-head", str(head_file), "--public-key", "xyz") == 2
    assert _cli("head", "--log", str(db), "--sign", str(db)) in (1, 2)  # never onto the log


def _rows_of_file(db: Path) -> list[Row]:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM entries ORDER BY seq")]
    conn.close()
    return rows


def _file_tamperer(db: Path) -> Callable[..., None]:
    import sqlite3

    def tamper(*statements: str) -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            conn.execute(statement)
        conn.close()

    return tamper
