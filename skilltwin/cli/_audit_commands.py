"""``skilltwin audit verify|head|export|public-key|check-head``: check, anchor and read an
audit log.

All of them open the log read-only: they never write to the log or its ``-wal``/``-shm``
files, and work on read-only files and mounts. None needs the log key, except for the keyed
check (``verify --keyed``), a signed head (``head --sign``) and ``public-key``; the key comes
from ``--key-file`` or, without it, from ``$SKILLTWIN_AUDIT_KEY`` or the default key file.

Exit codes: 0 intact (or done), 1 the log was tampered with (the chain or an anchor does not
hold), 2 a usage error (wrong path, bad option), 3 the file is damaged or not an audit log.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

from skilltwin._output import check_output
from skilltwin.audit import AuditLog, ChainHead, check_head, read_signed_head, write_signed_head
from skilltwin.audit.pseudonym import KEY_ENV_VAR
from skilltwin.config import default_key_path
from skilltwin.errors import ConfigurationError

__all__ = ["add_parsers", "check_head_command", "export_command", "head_command",
           "parse_anchor", "public_key_command", "verify_command"]

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
    _add_log_argument(verify)
    _add_key_arguments(verify, "also check the keyed chain (every entry's MAC and the head's) "
                       "with the log key: only this catches entries rewritten with recomputed "
                       "hashes, reordered, or cut off with the head moved back")
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
    _add_log_argument(head)
    _add_key_arguments(head, "verify with the log key before printing the head")
    head.add_argument("--sign", type=Path, default=None, metavar="FILE",
                      help="also write a signed head (JSON, Ed25519 with the key derived from "
                      "the log key) to FILE, for auditors who hold only the public key; needs "
                      "the key")
    head.set_defaults(handler=head_command)

    public = commands.add_parser(
        "public-key", help="print the log key's public key, for auditors",
        description="Print the Ed25519 public key derived from the log key (hex). Hand it to "
        "auditors through a channel the log's writers do not control; with it they check "
        "signed heads (`skilltwin audit check-head`). Needs the key. " + EXIT_CODES,
    )
    _add_log_argument(public)
    public.add_argument("--key-file", type=Path, default=None, metavar="FILE",
                        help="the log key's file (default: $SKILLTWIN_AUDIT_KEY or the "
                        "default key file)")
    public.set_defaults(handler=public_key_command)

    check = commands.add_parser(
        "check-head", help="check a signed head with the public key alone",
        description="Check a signed head written by `skilltwin audit head --sign` with the "
        "log's public key; with --log or --store, also check that the log still holds the "
        "signed entries unchanged. Needs no log key. " + EXIT_CODES,
    )
    check.add_argument("head_file", type=Path, metavar="HEAD", help="the signed head (JSON)")
    check.add_argument("--public-key", required=True, metavar="HEX",
                       help="the public key you were given (`skilltwin audit public-key`)")
    where = check.add_mutually_exclusive_group()
    where.add_argument("--log", type=Path, metavar="FILE", help="the audit log (SQLite file)")
    where.add_argument("--store", metavar="URL", help="the audit log in a store's database")
    check.set_defaults(handler=check_head_command)

    export = commands.add_parser(
        "export", help="write every entry as JSON Lines or CSV",
        description="Write every entry (subjects as pseudonyms) to stdout or a file. A file "
        "is written through a temporary file; the log's own files are refused. " + EXIT_CODES,
    )
    _add_log_argument(export)
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl",
                        help="output format (default: jsonl)")
    export.add_argument("--out", type=Path, default=None, metavar="FILE",
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
    """Verify the log at ``args.log``; 0 when intact, 1 when not (3 when damaged)."""
    anchors = [parse_anchor(text) for text in args.anchor]
    keyed = _keyed(args)
    with _open(args) as log:
        results = [log.verify(anchor=anchor, keyed=keyed) for anchor in anchors] or \
            [log.verify(keyed=keyed)]
    name = args.log or log.path
    failed = [result for result in results if not result.ok]
    if not failed:
        result = results[0]
        anchored = f", matches {len(anchors)} anchor(s)" if anchors else ""
        print(f"{name}: intact — {result.checked} entries checked{anchored}, head entry "
              f"{result.head.seq} ({result.head.hash[:16]}…).")
        print(_keyed_summary(result.keyed, result.keyed_from, result.checked))
        return 0
    result = failed[0]
    where = f"first bad entry: {result.first_bad}: " if result.first_bad is not None else ""
    print(f"{name}: NOT intact — {where}{result.reason} ({result.checked} entries "
          "checked).")
    return 1


def head_command(args: argparse.Namespace) -> int:
    """Print the verified head of the log at ``args.log`` as ``SEQ:HASH`` (and, with
    ``--sign``, write a signed head)."""
    keyed = _keyed(args) or args.sign is not None
    with _open(args) as log:
        result = log.verify(keyed=keyed)
        name = args.log or log.path
        if not result.ok:
            where = f"first bad entry: {result.first_bad}: " \
                if result.first_bad is not None else ""
            print(f"{name}: NOT intact, no head to anchor — {where}{result.reason}",
                  file=sys.stderr)
            return 1
        if args.sign is not None:
            check_output(args.sign, inputs=log.own_files())
            signed = log.signed_head()
            write_signed_head(signed, args.sign, inputs=log.own_files())
            print(f"signed head of entry {signed.seq} written to {args.sign} (public key "
                  f"{signed.public_key})", file=sys.stderr)
    print(f"{result.head.seq}:{result.head.hash}")
    return 0


def public_key_command(args: argparse.Namespace) -> int:
    """Print the public key derived from the log key."""
    args.keyed = True
    with _open(args) as log:
        print(log.public_key())
    return 0


def check_head_command(args: argparse.Namespace) -> int:
    """Check a signed head with a public key (and, given a log, the log against it)."""
    signed = read_signed_head(args.head_file)
    if not re.fullmatch(r"\s*[0-9a-fA-F]{64}\s*", args.public_key):
        raise ConfigurationError(
            f"--public-key {args.public_key!r} is not a public key; give the 64 hex characters "
            "`skilltwin audit public-key` prints."
        )
    if args.log is None and args.store is None:
        result = check_head(signed, args.public_key)
    else:
        args.key_file, args.keyed = None, False
        with _open(args) as log:
            result = check_head(signed, args.public_key, log)
    if not result.ok:
        where = f"first bad entry: {result.first_bad}: " if result.first_bad is not None else ""
        print(f"{args.head_file}: NOT valid — {where}{result.reason}")
        return 1
    checked = "" if args.log is None and args.store is None else \
        f"; the log holds entries 1 to {signed.seq} unchanged ({result.checked} checked)"
    print(f"{args.head_file}: signature valid for entry {signed.seq} (signed "
          f"{signed.signed_at}){checked}.")
    return 0


def _keyed_summary(keyed: bool, keyed_from: int | None, checked: int) -> str:
    if not keyed:
        return ("Checked without the log key: consistent, but not proof against someone who "
                "rewrote entries and recomputed their hashes (use --keyed, an anchor or a "
                "signed head).")
    if keyed_from is None:
        return "Keyed check: no entry is keyed (the log was written before keyed chains)."
    before = f"; entries 1 to {keyed_from - 1} predate it (plain chain only)" \
        if keyed_from > 1 else ""
    return (f"Keyed check passed: entries {keyed_from} to {checked} carry valid MACs"
            f"{before}.")


def export_command(args: argparse.Namespace) -> int:
    """Export the log at ``args.log`` as ``args.format`` to ``args.out`` or stdout."""
    with _open(args) as log:
        write = log.export_csv if args.format == "csv" else log.export_jsonl
        count = write(args.out if args.out is not None else sys.stdout)
    if args.out is not None:
        print(f"{count} entries written to {args.out}", file=sys.stderr)
    return 0


def _add_log_argument(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--log", type=Path, metavar="FILE",
                       help="the audit log (SQLite file; a SQLite store's file works too)")
    where.add_argument("--store", metavar="URL",
                       help="the audit log in a store's database, e.g. "
                       "postgresql+psycopg://user@host/db")


def _add_key_arguments(parser: argparse.ArgumentParser, keyed_help: str) -> None:
    parser.add_argument("--keyed", action="store_true", help=keyed_help)
    parser.add_argument("--key-file", type=Path, default=None, metavar="FILE",
                        help="the log key's file (implies --keyed; default: "
                        "$SKILLTWIN_AUDIT_KEY or the default key file)")


def _keyed(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "keyed", False) or getattr(args, "key_file", None))


def _open(args: argparse.Namespace) -> AuditLog:
    """The log named by ``--log`` or ``--store``, opened for reading (with the key when the
    command uses it)."""
    key = getattr(args, "key_file", None)
    if key is None and _keyed(args) and not os.environ.get(KEY_ENV_VAR):
        key = default_key_path()  # read it, never create one: a new key checks nothing
    if args.store is None:
        return AuditLog(args.log, read_only=True, pseudonym_key=key)
    from skilltwin.store import Store

    store = Store(args.store, read_only=True)
    return store.audit_log(read_only=True, pseudonym_key=key)
