"""``skilltwin reviewers add|list|deactivate``: the roster of people who may override and
decide, kept in an audit log.

Adding and deactivating write an entry to the log (with the pseudonym key, as every entry with
data); listing opens the log read-only and needs no key. Exit codes: 0 done, 2 a usage error
(wrong path, a name that is not a person's, a reviewer already on the roster), 3 the file is
damaged or not an audit log.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from skilltwin.audit import AuditLog
from skilltwin.errors import ConfigurationError
from skilltwin.oversight.roster import Reviewer, Roster

__all__ = ["add_command", "add_parsers", "deactivate_command", "list_command"]


def add_parsers(subparsers: Any) -> None:
    """Add the ``reviewers`` command and its ``add``, ``list`` and ``deactivate``."""
    reviewers = subparsers.add_parser(
        "reviewers", help="register the people who may override and decide",
        description="The roster of reviewers in an audit log. Once a log has a roster, a "
        "Workspace accepts overrides and decisions only from its active reviewers; names are "
        "matched by one key (case, spacing, punctuation, accents and word order do not make "
        "another person). Every change is an entry of the log's hash chain, with who made it "
        "and when.",
    )
    commands = reviewers.add_subparsers(dest="reviewers_command", metavar="COMMAND",
                                        required=True)

    add = commands.add_parser(
        "add", help="put a person on the roster",
        description="Put a person on the roster (or back on it after a deactivation). The "
        "name must be a person's, in ordinary letters of one script, and not yours.",
    )
    add.add_argument("name", metavar="NAME", help="the person's name, e.g. 'A. Jansen'")
    add.add_argument("--role", required=True, help="their role, e.g. 'HR business partner'")
    _add_common(add, writes=True)
    add.add_argument("--create", action="store_true",
                     help="start a new audit log at --log when there is none")
    add.set_defaults(handler=add_command)

    listing = commands.add_parser(
        "list", help="print the roster",
        description="Print the reviewers: name, role, status, who added them and when. The "
        "log is opened read-only.",
    )
    _add_log(listing)
    listing.add_argument("--all", action="store_true",
                         help="also list reviewers who were deactivated")
    listing.set_defaults(handler=list_command)

    deactivate = commands.add_parser(
        "deactivate", help="take a person off the roster",
        description="Take a reviewer off the roster; they stay on record as inactive and "
        "can be added again.",
    )
    deactivate.add_argument("name", metavar="NAME", help="the reviewer's name (any spelling)")
    deactivate.add_argument("--reason", required=True,
                            help="why, e.g. 'left the company' (do not put personal details)")
    _add_common(deactivate, writes=True)
    deactivate.set_defaults(handler=deactivate_command)


def add_command(args: argparse.Namespace) -> int:
    """Add ``args.name`` with ``args.role`` to the roster of the log."""
    with _open(args, write=True) as log:
        reviewer = Roster(log).add(args.name, role=args.role, actor=args.actor)
        print(f"{reviewer.name} ({reviewer.role}) is on the roster of {log.path}, added by "
              f"{reviewer.added_by} at {reviewer.added_at:%Y-%m-%d %H:%M} UTC.")
    return 0


def deactivate_command(args: argparse.Namespace) -> int:
    """Take ``args.name`` off the roster of the log."""
    with _open(args, write=True) as log:
        reviewer = Roster(log).deactivate(args.name, actor=args.actor, reason=args.reason)
        print(f"{reviewer.name} was taken off the roster of {log.path} by "
              f"{reviewer.deactivated_by}.")
    return 0


def list_command(args: argparse.Namespace) -> int:
    """Print the roster of the log."""
    with _open(args, write=False) as log:
        reviewers = Roster(log).reviewers(include_inactive=args.all)
        if not reviewers:
            print(f"{log.path} has no {'reviewers' if args.all else 'active reviewers'}; add "
                  f"one with `skilltwin reviewers add NAME --role ROLE --log {log.path} "
                  "--actor YOU`.")
            return 0
        for line in _table(reviewers):
            print(line)
    return 0


def _table(reviewers: list[Reviewer]) -> list[str]:
    rows = [("name", "role", "status", "added by", "added at (UTC)")] + [
        (r.name, r.role,
         "active" if r.active else f"inactive since {r.deactivated_at:%Y-%m-%d}",
         r.added_by, f"{r.added_at:%Y-%m-%d %H:%M}") for r in reviewers]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            .rstrip() for row in rows]


def _add_log(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--log", type=Path, metavar="FILE", help="the audit log (SQLite file)")
    where.add_argument("--store", metavar="URL",
                       help="the audit log in a store's database, e.g. "
                       "postgresql+psycopg://user@host/db")


def _add_common(parser: argparse.ArgumentParser, *, writes: bool) -> None:
    _add_log(parser)
    parser.add_argument("--actor", required=writes,
                        help="who makes the change (recorded with it), e.g. your e-mail")
    parser.add_argument("--key-file", type=Path, default=None, metavar="FILE",
                        help="the log key's file (default: $SKILLTWIN_AUDIT_KEY or "
                        "audit.key in your skilltwin config folder)")


def _open(args: argparse.Namespace, *, write: bool) -> AuditLog:
    """The log named by ``--log`` or ``--store``; read-only unless ``write``."""
    key = getattr(args, "key_file", None)
    if args.store is None:
        if not write:
            return AuditLog(args.log, read_only=True)
        create = bool(getattr(args, "create", False))
        if not create and not args.log.exists():
            raise ConfigurationError(
                f"{args.log}: no audit log there; check the path, or pass --create to start a "
                "new log with this roster."
            )
        return AuditLog(args.log, pseudonym_key=key, create=create)
    from skilltwin.store import Store

    store = Store(args.store, create=False)
    return store.audit_log(pseudonym_key=key) if write else store.audit_log(read_only=True)
