"""Round two of attacks on "Trust by construction" (issue 21), by an independent reviewer.

New variants of the classes the issue names, tried as an attacker (who can write the files
but does not hold the log key) and as a careless user. A failing test is a hole that is still
open; a passing test is an attack that was refused and is worth keeping refused.

Everything runs on real files in ``tmp_path`` (and a real PostgreSQL schema where marked),
through the public API and the real command line (``skilltwin.cli.main.main``).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import uuid
import warnings
from pathlib import Path

import pytest
from esco_fixtures import OCCUPATION_DBA, SKILL_SQL
from store_backends import db_url, tiny_esco  # noqa: F401

from skilltwin import EmployeeTwin, JobProfile
from skilltwin.audit._chain import canonical_json, commitment, entry_hash
from skilltwin.cli.main import main
from skilltwin.errors import InputValidationError, OversightError, SkilltwinError
from skilltwin.oversight import AuditLog, Roster, UnregisteredReviewerWarning, Workspace

KEY = b"round-two-attack-key-0123456789abcdef"
ACTOR = "hr-analyst@zuiderveen.nl"
REGISTRAR = "ciso@zuiderveen.nl"


@pytest.fixture(autouse=True)
def _quiet_fallback():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnregisteredReviewerWarning)
        yield


@pytest.fixture
def log(tmp_path: Path):
    with AuditLog(tmp_path / "audit.db", pseudonym_key=KEY) as opened:
        yield opened


@pytest.fixture
def twin(tiny_esco) -> EmployeeTwin:  # noqa: F811
    twin = EmployeeTwin("ZV-0042", taxonomy=tiny_esco)
    twin.add_skill(SKILL_SQL, level=3, observed="2025-01-10")
    return twin


@pytest.fixture
def profile(tiny_esco) -> JobProfile:  # noqa: F811
    return JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA, profile_id="ZV-DBA")


def _rostered(tiny_esco, log: AuditLog) -> Workspace:  # noqa: F811
    ws = Workspace(tiny_esco, audit=log, actor=ACTOR, purpose="internal mobility")
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
    tiny_esco, log: AuditLog, twin, profile  # noqa: F811
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
    tiny_esco, log: AuditLog, twin, profile  # noqa: F811
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
    tiny_esco, log: AuditLog, twin, profile  # noqa: F811
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
