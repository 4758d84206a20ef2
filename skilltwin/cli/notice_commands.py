"""``skilltwin notice``: the notice to workers (EU AI Act art. 26(7)) for a store."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from skilltwin._output import STDOUT, check_output, write_output

__all__ = ["add_parsers", "notice_command"]


def add_parsers(subparsers: Any) -> None:
    """Add the ``notice`` command."""
    notice = subparsers.add_parser(
        "notice", help="write the notice to workers for a store (Markdown)",
        description="Write the notice to workers and their representatives (EU AI Act art. "
        "26(7)) from a store's settings and audit log: purposes, data categories, who "
        "decides, reviewers' roles, retention, and whom to ask for an explanation or erasure.",
    )
    notice.add_argument("--store", required=True, metavar="URL",
                        help="the store: sqlite:///path/store.db, a path, or "
                        "postgresql+psycopg://user@host/db")
    notice.add_argument("--language", choices=("en", "nl"), default="en",
                        help="language of the notice (default: en)")
    notice.add_argument("--out", default=STDOUT, metavar="FILE",
                        help="write to FILE (default: - for stdout); an existing database, "
                        "a folder or a missing folder is refused")
    notice.set_defaults(handler=notice_command)


def notice_command(args: argparse.Namespace) -> int:
    """Print (or write) the notice; warn on stderr about settings it still lacks."""
    from skilltwin.store import Store
    from skilltwin.store.notice import missing_settings, worker_notice

    if args.out != STDOUT:
        check_output(args.out)
    with Store(args.store, read_only=True) as store:
        text = worker_notice(store, language=args.language)
        missing = missing_settings(store)
    write_output(args.out, text)
    if missing:
        print(f"skilltwin: warning: the notice lacks {', '.join(missing)}; set them with "
              "Store(url).configure(...) before publishing it.", file=sys.stderr)
    return 0
