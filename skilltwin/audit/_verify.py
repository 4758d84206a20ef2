"""Checking an audit log: chain links, entry hashes, payload commitments, keys and the head,
and (with the log key) the keyed chain.

:func:`check_chain` is a pure function of the rows as stored (any backend can feed it); the
caller reads them in one consistent snapshot. Without ``chain_keys`` it checks what anyone
can check: the plain chain, commitments, erasure signatures and that the keyed chain, once
started, has no holes. With ``chain_keys`` (a function from a chain period's nonce to its
key, which only the log key's holder has) it also checks every entry's MAC and the head's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from skilltwin.audit._chain import (
    CHAINED_FIELDS,
    GENESIS_HASH,
    KEY_FIELD,
    commitment,
    entry_hash,
    entry_mac,
    erasure_message,
    head_mac,
)
from skilltwin.audit._signature import signature_valid
from skilltwin.audit.actions import Action
from skilltwin.audit.models import ChainHead, VerifyResult

__all__ = ["ERASURE_ACTION", "INITIAL_NONCE", "ChainKeys", "check_chain", "keyed_start_allowed",
           "switch_nonce"]

ERASURE_ACTION = Action.ERASURE.value
"""The action of entries written by ``AuditLog.erase_subject``; reserved."""

INITIAL_NONCE = ""
"""The nonce of a log's first chain period (until the first rotation)."""

ChainKeys = Callable[[str], bytes]
"""The chain key of the period a nonce starts (see ``Pseudonymiser.chain_key``)."""


@dataclass
class _Findings:
    """Problems found so far, by sequence number (the smallest one is reported)."""

    problems: dict[int, str] = field(default_factory=dict)
    unexplained: str | None = None
    log_key: str | None = None
    missing_payloads: list[int] = field(default_factory=list)
    erased: set[int] = field(default_factory=set)
    keyed_from: int | None = None
    chain_key: bytes | None = None
    prev_mac: str | None = None

    def add(self, seq: int, reason: str) -> None:
        self.problems.setdefault(seq, reason)


def check_chain(
    rows: Iterable[Mapping[str, Any]] | Iterable[Any],
    head: tuple[Any, ...] | None,
    orphan_payloads: Iterable[int],
    anchor: ChainHead | None = None,
    chain_keys: ChainKeys | None = None,
) -> VerifyResult:
    """Check entries (joined with their payloads, in chain order) against each other, the
    head record and an optional anchor, and with ``chain_keys`` the keyed chain; report the
    first damaged entry, if any."""
    found = _Findings()
    checked = 0
    prev_seq, prev_hash = 0, GENESIS_HASH
    anchor_hash: str | None = None
    for row in rows:
        checked += 1
        seq = row["seq"]
        if seq != prev_seq + 1:
            gap = f"{prev_seq + 1}" if seq == prev_seq + 2 else f"{prev_seq + 1} to {seq - 1}"
            found.add(prev_seq + 1, f"entry {gap} missing: the log jumps from entry "
                      f"{prev_seq} to entry {seq}")
        try:
            _check_entry(row, prev_seq, prev_hash, found)
            _check_mac(row, found, chain_keys)
        except (TypeError, ValueError):
            found.add(seq, f"entry {seq} holds values skilltwin never writes: it was changed "
                      "outside skilltwin")
        if anchor is not None and seq == anchor.seq:
            anchor_hash = row["hash"]
        prev_seq, prev_hash = seq, row["hash"]

    for seq in sorted(set(found.missing_payloads) - found.erased):
        found.add(seq, f"entry {seq}'s payload is missing and no erasure entry records its "
                  "removal: it was deleted outside skilltwin")
    for seq in orphan_payloads:
        found.add(seq, f"a payload is stored for entry {seq}, which is not in the chain")
    _check_head(head, prev_seq, prev_hash, found)
    if chain_keys is not None and head is not None and found.keyed_from is not None:
        _check_head_mac(head, prev_seq, prev_hash, found)
    if anchor is not None:
        _check_anchor(anchor, anchor_hash, prev_seq, found)

    last = ChainHead(seq=prev_seq, hash=prev_hash)
    keyed, keyed_from = chain_keys is not None, found.keyed_from
    if found.problems:
        first = min(found.problems)
        return VerifyResult(ok=False, checked=checked, first_bad=first,
                            reason=found.problems[first], head=last, keyed=keyed,
                            keyed_from=keyed_from)
    if found.unexplained:
        return VerifyResult(ok=False, checked=checked, reason=found.unexplained, head=last,
                            keyed=keyed, keyed_from=keyed_from)
    return VerifyResult(ok=True, checked=checked, reason="intact", head=last, keyed=keyed,
                        keyed_from=keyed_from)


def switch_nonce(row: Mapping[str, Any]) -> str | None:
    """The nonce a rotation entry records in its data (the next chain period's), when
    readable."""
    if row["action"] != Action.CHAIN_KEY_ROTATION or not row["data"]:
        return None
    try:
        data = json.loads(row["data"])
    except ValueError:
        return None
    nonce = data.get("nonce") if isinstance(data, dict) else None
    return nonce if isinstance(nonce, str) and nonce else None


def keyed_start_allowed(row: Mapping[str, Any]) -> bool:
    """Whether the keyed chain may start at this entry: a new log's first entry, or the
    marked switch entry of a log written before the keyed chain."""
    return bool(row["seq"] == 1 or row["action"] == Action.KEYED_CHAIN)


def _check_mac(row: Mapping[str, Any], found: _Findings, chain_keys: ChainKeys | None) -> None:
    """The keyed chain: once started, every entry has a MAC; with the keys, each verifies."""
    seq, mac = row["seq"], row["mac"]
    if found.keyed_from is None:
        if mac is None:
            return
        found.keyed_from = seq
        if not keyed_start_allowed(row):
            found.add(seq, f"entry {seq} carries a MAC but does not start the keyed chain: it "
                      "was written outside skilltwin")
    elif mac is None:
        found.add(seq, f"entry {seq} carries no MAC although the log is keyed since entry "
                  f"{found.keyed_from}: it was written outside skilltwin")
        found.prev_mac = None
        return
    if chain_keys is None:
        found.prev_mac = mac
        return
    key = found.chain_key if found.chain_key is not None else chain_keys(INITIAL_NONCE)
    if entry_mac(key, seq, row["hash"], found.prev_mac) != mac:
        found.add(seq, f"entry {seq} fails the keyed check (its MAC does not match): it was "
                  "written, rewritten or moved by someone without the log key")
    found.chain_key = key
    if row["action"] == Action.CHAIN_KEY_ROTATION:
        nonce = switch_nonce(row)
        if nonce is None:
            found.add(seq, f"entry {seq} rotates the chain key but its nonce is unreadable: "
                      "it was changed")
        else:
            found.chain_key = chain_keys(nonce)
    found.prev_mac = mac


def _check_head_mac(head: tuple[Any, ...], last_seq: int, last_hash: str,
                    found: _Findings) -> None:
    stored = head[2] if len(head) > 2 else None
    if found.chain_key is None or stored != head_mac(found.chain_key, last_seq, last_hash,
                                                     found.prev_mac):
        found.add(last_seq + 1, f"the head record fails the keyed check: entries after "
                  f"{last_seq} were cut off and the head moved back, or the head was "
                  "rewritten, by someone without the log key")


def _check_entry(row: Mapping[str, Any], prev_seq: int, prev_hash: str,
                 found: _Findings) -> None:
    """One entry's hash, link, key and payload."""
    seq = row["seq"]
    if entry_hash({key: row[key] for key in (*CHAINED_FIELDS, KEY_FIELD)}) != row["hash"]:
        found.add(seq, f"entry {seq} was changed: its stored values do not match its hash")
    elif row["prev_hash"] != prev_hash:
        found.add(seq, f"entry {seq} does not link to entry {prev_seq}: entries were "
                  "removed, reordered or changed")
    for problem in (_check_key(row, found), _check_payload(row, found)):
        if problem:
            found.add(seq, problem)


def _check_key(row: Mapping[str, Any], found: _Findings) -> str | None:
    """Every entry written with the pseudonym key must name the log's one key."""
    key_id = row[KEY_FIELD]
    if key_id is None:
        return None
    if found.log_key is None:
        found.log_key = key_id
        return None
    if key_id != found.log_key:
        return (f"entry {row['seq']} was written with another pseudonym key than the log's "
                "earlier entries: it was added outside skilltwin")
    return None


def _check_payload(row: Mapping[str, Any], found: _Findings) -> str | None:
    """Check one entry's payload against its commitment; note erasures as they come."""
    seq = row["seq"]
    if row["payload_hash"] is None:
        if row["has_payload"]:
            return f"entry {seq} has a payload although it committed to none"
        return None
    if not row["has_payload"]:
        found.missing_payloads.append(seq)
        return None
    try:
        expected = commitment(row["salt"], row["subject"], row["data"])
    except (ValueError, TypeError):
        return f"entry {seq}'s payload (salt, subject or data) is unreadable: it was changed"
    if expected != row["payload_hash"]:
        return (f"entry {seq}'s payload (subject or data) was changed: it does not match "
                "the entry's commitment")
    if row["action"] == ERASURE_ACTION:
        return _note_erasure(row, found)
    return None


def _note_erasure(row: Mapping[str, Any], found: _Findings) -> str | None:
    """Accept the entries an intact erasure lists, if the erasure is authentic."""
    seq = row["seq"]
    try:
        data = json.loads(row["data"]) if row["data"] else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return f"erasure entry {seq} lists no erased entries: it was changed"
    listed = [s for s in data.get("erased_entries", []) if isinstance(s, int) and s < seq]
    key_id = row[KEY_FIELD]
    if key_id is None:
        if found.log_key is not None:
            return (f"erasure entry {seq} is not signed with the log's pseudonym key, which "
                    "every erasure since the key was recorded must be: it was forged")
        found.erased.update(listed)  # written before skilltwin signed erasures
        return None
    fields = {key: row[key] for key in (*CHAINED_FIELDS, KEY_FIELD)}
    message = erasure_message(fields, data.get("erased_entries", []), data.get("reason", ""))
    if not signature_valid(key_id, message, data.get("signature")):
        return (f"erasure entry {seq}'s signature does not verify: only the holder of the "
                "pseudonym key can erase, so this erasure was forged")
    found.erased.update(listed)
    return None


def _check_head(head: tuple[Any, ...] | None, last_seq: int, last_hash: str,
                found: _Findings) -> None:
    if head is None:
        found.unexplained = ("the log's head record is missing, so removal of the last entries "
                             "cannot be ruled out")
        return
    head_seq, head_hash = head[0], head[1]
    if not isinstance(head_seq, int) or isinstance(head_seq, bool):
        found.add(last_seq + 1, f"the log's head record holds {head_seq!r} instead of an entry "
                  "number: it was changed, so removal of the last entries cannot be ruled out")
        return
    if head_seq > last_seq:
        found.add(last_seq + 1, f"the log ends at entry {last_seq} but its head records entry "
                  f"{head_seq}: the last entries were removed")
    elif head_seq < last_seq:
        found.add(head_seq + 1, f"entries after {head_seq}, the last one the head "
                  "records, were added outside skilltwin")
    elif head_hash != last_hash:
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
