"""``skilltwin audit verify`` and ``skilltwin audit export``: check and read an audit log.

Neither command needs the pseudonym key: verification checks hashes and commitments only,
and exports show subjects as pseudonyms.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from skilltwin.oversight.audit import AuditLog

__all__ = ["add_parsers", "export_command", "verify_command"]


def add_parsers(subparsers: Any) -> None:
    """Add the ``audit`` command and its ``verify`` and ``export`` sub-commands."""
    audit = subparsers.add_parser(
        "audit", help="verify or export an audit log",
        description="Check that an audit log is intact, or export its entries.",
    )
    commands = audit.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)

    verify = commands.add_parser(
        "verify", help="check that no entry was changed, removed or reordered",
        description="Recompute every entry's hash and link. Exit code 0: intact; 1: the log "
        "was changed, and the first bad entry is named.",
    )
    _add_db_argument(verify)
    verify.set_defaults(handler=verify_command)

    export = commands.add_parser(
        "export", help="write every entry as JSON Lines or CSV",
        description="Write every entry (subjects as pseudonyms) to stdout or a file.",
    )
    _add_db_argument(export)
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl",
                        help="output format (default: jsonl)")
    export.add_argument("--output", "-o", type=Path, default=None, metavar="FILE",
                        help="write to FILE instead of stdout")
    export.set_defaults(handler=export_command)


def verify_command(args: argparse.Namespace) -> int:
    """Verify the log at ``args.db``; 0 when intact, 1 when not."""
    with _open(args) as log:
        result = log.verify()
    name = args.db or log.path
    if result.ok:
        print(f"{name}: intact — {result.checked} entries checked, head entry "
              f"{result.head.seq} ({result.head.hash[:16]}…).")
        return 0
    print(f"{name}: NOT intact — first bad entry: {result.first_bad}: {result.reason} "
          f"({result.checked} entries checked).")
    return 1


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
        return AuditLog(args.db, create=False)
    from skilltwin.store import Store

    store = Store(args.store, create=False)
    return store.audit_log(read_only=True)
