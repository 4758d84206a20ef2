"""Checking an audit log: chain links, entry hashes, payload commitments and the head."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from skilltwin.oversight._chain import CHAINED_FIELDS, GENESIS_HASH, commitment, entry_hash
from skilltwin.oversight._models import ChainHead, VerifyResult
from skilltwin.oversight._store import iter_rows

__all__ = ["ERASURE_ACTION", "verify_log"]

ERASURE_ACTION = "erasure"
"""The action of entries written by ``AuditLog.erase_subject``; reserved."""


@dataclass
class _Findings:
    """Problems found so far, by sequence number (the smallest one is reported)."""

    problems: dict[int, str] = field(default_factory=dict)
    unexplained: str | None = None

    def add(self, seq: int, reason: str) -> None:
        self.problems.setdefault(seq, reason)


def verify_log(conn: sqlite3.Connection, anchor: ChainHead | None = None) -> VerifyResult:
    """Read the whole log in one snapshot and report the first damaged entry, if any."""
    conn.execute("BEGIN")
    try:
        return _verify(conn, anchor)
    finally:
        conn.execute("COMMIT")


def _verify(conn: sqlite3.Connection, anchor: ChainHead | None) -> VerifyResult:
    found = _Findings()
    checked = 0
    prev_seq, prev_hash = 0, GENESIS_HASH
    anchor_hash: str | None = None
    missing_payloads: list[int] = []
    erased: set[int] = set()
    for row in iter_rows(conn):
        checked += 1
        seq = row["seq"]
        if seq != prev_seq + 1:
            gap = f"{prev_seq + 1}" if seq == prev_seq + 2 else f"{prev_seq + 1} to {seq - 1}"
            found.add(prev_seq + 1, f"entry {gap} missing: the log jumps from entry "
                      f"{prev_seq} to entry {seq}")
        if entry_hash({key: row[key] for key in CHAINED_FIELDS}) != row["hash"]:
            found.add(seq, f"entry {seq} was changed: its stored values do not match its hash")
        elif row["prev_hash"] != prev_hash:
            found.add(seq, f"entry {seq} does not link to entry {prev_seq}: entries were "
                      "removed, reordered or changed")
        payload_problem = _check_payload(row, missing_payloads, erased)
        if payload_problem:
            found.add(seq, payload_problem)
        if anchor is not None and seq == anchor.seq:
            anchor_hash = row["hash"]
        prev_seq, prev_hash = seq, row["hash"]

    for seq in sorted(set(missing_payloads) - erased):
        found.add(seq, f"entry {seq}'s payload is missing and no erasure entry records its "
                  "removal: it was deleted outside skilltwin")
    for (seq,) in conn.execute(
        "SELECT seq FROM payloads WHERE seq NOT IN (SELECT seq FROM entries)"
    ).fetchall():
        found.add(seq, f"a payload is stored for entry {seq}, which is not in the chain")
    _check_head(conn, prev_seq, prev_hash, found)
    if anchor is not None:
        _check_anchor(anchor, anchor_hash, prev_seq, found)

    head = ChainHead(seq=prev_seq, hash=prev_hash)
    if found.problems:
        first = min(found.problems)
        return VerifyResult(ok=False, checked=checked, first_bad=first,
                            reason=found.problems[first], head=head)
    if found.unexplained:
        return VerifyResult(ok=False, checked=checked, reason=found.unexplained, head=head)
    return VerifyResult(ok=True, checked=checked, reason="intact", head=head)


def _check_payload(row: sqlite3.Row, missing: list[int], erased: set[int]) -> str | None:
    """Check one entry's payload against its commitment; note erasures as they come."""
    seq = row["seq"]
    if row["payload_hash"] is None:
        if row["has_payload"]:
            return f"entry {seq} has a payload although it committed to none"
        return None
    if not row["has_payload"]:
        missing.append(seq)
        return None
    try:
        expected = commitment(row["salt"], row["subject"], row["data"])
    except (ValueError, TypeError):
        return f"entry {seq}'s payload salt is unreadable: it was changed"
    if expected != row["payload_hash"]:
        return (f"entry {seq}'s payload (subject or data) was changed: it does not match "
                "the entry's commitment")
    if row["action"] == ERASURE_ACTION:
        _note_erasure(row["data"], seq, erased)
    return None


def _note_erasure(data_text: str | None, seq: int, erased: set[int]) -> None:
    """Add the entries an (intact) erasure entry lists to ``erased``."""
    data = json.loads(data_text) if data_text else None
    if isinstance(data, dict):
        listed = data.get("erased_entries", [])
        erased.update(s for s in listed if isinstance(s, int) and s < seq)


def _check_head(conn: sqlite3.Connection, last_seq: int, last_hash: str, found: _Findings) -> None:
    head = conn.execute("SELECT seq, hash FROM head WHERE id = 1").fetchone()
    if head is None:
        found.unexplained = ("the log's head record is missing, so removal of the last entries "
                             "cannot be ruled out")
    elif head["seq"] > last_seq:
        found.add(last_seq + 1, f"the log ends at entry {last_seq} but its head records entry "
                  f"{head['seq']}: the last entries were removed")
    elif head["seq"] < last_seq:
        found.add(head["seq"] + 1, f"entries after {head['seq']}, the last one the head "
                  "records, were added outside skilltwin")
    elif head["hash"] != last_hash:
        found.add(last_seq, f"the head's hash does not match entry {last_seq}: the head or the "
                  "last entry was changed")


def _check_anchor(
    anchor: ChainHead, anchor_hash: str | None, last_seq: int, found: _Findings
) -> None:
    if anchor.seq > last_seq:
        found.add(last_seq + 1, f"the anchor records entry {anchor.seq} but the log ends at "
                  f"entry {last_seq}: entries were removed")
    elif anchor.seq > 0 and anchor_hash != anchor.hash:
        found.add(anchor.seq, f"entry {anchor.seq} differs from the anchor taken earlier: the "
                  "log was rewritten")
