"""``skilltwin audit verify|head|export``: check, anchor and read an audit log.

None of the commands needs the pseudonym key, and all of them open the log read-only: they
never write to the log or its ``-wal``/``-shm`` files, and work on read-only files and mounts.

Exit codes: 0 intact (or done), 1 the log was tampered with (the chain or an anchor does not
hold), 2 a usage error (wrong path, bad option), 3 the file is damaged or not an audit log.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from skilltwin.audit import AuditLog, ChainHead
from skilltwin.errors import ConfigurationError

__all__ = ["add_parsers", "export_command", "head_command", "parse_anchor", "verify_command"]

EXIT_CODES = ("Exit codes: 0 intact; 1 tampered (an entry was changed, removed or reordered, "
              "or the log differs from the anchor); 2 usage error (e.g. no file there); "
              "3 damaged (not SQLite, empty, a table missing, a damaged page).")


def add_parsers(subparsers: Any) -> None:
    """Add the ``audit`` command and its ``verify``, ``head`` and ``export`` sub-commands."""
    audit = subparsers.add_parser(
        "audit", help="verify, anchor or export an audit log",
        description="Check that an audit log is intact, print its head for anchoring, or "
        "export its entries. The log is opened read-only. " + EXIT_CODES,
    )
    commands = audit.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)

    verify = commands.add_parser(
        "verify", help="check that no entry was changed, removed or reordered",
        description="Recompute every entry's hash and link, the payload commitments, the "
        "erasure signatures and the head; with --anchor, also check that the log still holds "
        "an entry recorded earlier. The first bad entry is named. " + EXIT_CODES,
    )
    _add_db_argument(verify)
    verify.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                        help="a head printed earlier by `skilltwin audit head` and kept "
                        "outside the log (repeatable)")
    verify.set_defaults(handler=verify_command)

    head = commands.add_parser(
        "head", help="print the last entry's number and hash, to keep outside the log",
        description="Verify the log, then print its head as SEQ:HASH (the last entry's "
        "sequence number and full hash). Publish it or have it timestamped; later, "
        "`skilltwin audit verify --anchor SEQ:HASH` shows whether the log was rewritten or "
        "shortened since. " + EXIT_CODES,
    )
    _add_db_argument(head)
    head.set_defaults(handler=head_command)

    export = commands.add_parser(
        "export", help="write every entry as JSON Lines or CSV",
        description="Write every entry (subjects as pseudonyms) to stdout or a file. A file "
        "is written through a temporary file; the log's own files are refused. " + EXIT_CODES,
    )
    _add_db_argument(export)
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl",
                        help="output format (default: jsonl)")
    export.add_argument("--output", "-o", type=Path, default=None, metavar="FILE",
                        help="write to FILE instead of stdout")
    export.set_defaults(handler=export_command)


def parse_anchor(text: str) -> ChainHead:
    """``SEQ:HASH`` (as ``skilltwin audit head`` prints it) as a :class:`ChainHead`."""
    match = re.fullmatch(r"\s*(\d{1,18}):([0-9a-fA-F]{64})\s*", text)
    if match is None:
        raise ConfigurationError(
            f"--anchor {text!r} is not SEQ:HASH; give a head as `skilltwin audit head` prints "
            "it, e.g. 42:3f1c… (the sequence number, a colon and the 64-character hash)."
        )
    return ChainHead(seq=int(match.group(1)), hash=match.group(2).lower())


def verify_command(args: argparse.Namespace) -> int:
    """Verify the log at ``args.db``; 0 when intact, 1 when not (3 when damaged)."""
    anchors = [parse_anchor(text) for text in args.anchor]
    with _open(args) as log:
        results = [log.verify(anchor=anchor) for anchor in anchors] or [log.verify()]
    name = args.db or log.path
    failed = [result for result in results if not result.ok]
    if not failed:
        result = results[0]
        anchored = f", matches {len(anchors)} anchor(s)" if anchors else ""
        print(f"{name}: intact — {result.checked} entries checked{anchored}, head entry "
              f"{result.head.seq} ({result.head.hash[:16]}…).")
        return 0
    result = failed[0]
    where = f"first bad entry: {result.first_bad}: " if result.first_bad is not None else ""
    print(f"{name}: NOT intact — {where}{result.reason} ({result.checked} entries "
          "checked).")
    return 1


def head_command(args: argparse.Namespace) -> int:
    """Print the verified head of the log at ``args.db`` as ``SEQ:HASH``."""
    with _open(args) as log:
        result = log.verify()
    name = args.db or log.path
    if not result.ok:
        where = f"first bad entry: {result.first_bad}: " if result.first_bad is not None else ""
        print(f"{name}: NOT intact, no head to anchor — {where}{result.reason}",
              file=sys.stderr)
        return 1
    print(f"{result.head.seq}:{result.head.hash}")
    return 0


def export_command(args: argparse.Namespace) -> int:
    """Export the log at ``args.db`` as ``args.format`` to ``args.output`` or stdout."""
    with _open(args) as log:
        write = log.export_csv if args.format == "csv" else log.export_jsonl
        count = write(args.output if args.output is not None else sys.stdout)
    if args.output is not None:
        print(f"{count} entries written to {args.output}", file=sys.stderr)
    return 0


def _add_db_argument(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, metavar="FILE",
                       help="the audit log (SQLite file; a SQLite store's file works too)")
    where.add_argument("--store", metavar="URL",
                       help="the audit log in a store's database, e.g. "
                       "postgresql+psycopg://user@host/db")


def _open(args: argparse.Namespace) -> AuditLog:
    """The log named by ``--db`` or ``--store``, opened for reading."""
    if args.store is None:
        return AuditLog(args.db, read_only=True)
    from skilltwin.store import Store

    store = Store(args.store, create=False)
    return store.audit_log(read_only=True)
