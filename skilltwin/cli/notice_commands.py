"""``skilltwin notice``: the notice to workers (EU AI Act art. 26(7)) for a store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

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
    notice.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="write to FILE instead of stdout")
    notice.set_defaults(handler=notice_command)


def notice_command(args: argparse.Namespace) -> int:
    """Print (or write) the notice; warn on stderr about settings it still lacks."""
    from skilltwin.store import Store
    from skilltwin.store.notice import missing_settings, worker_notice

    with Store(args.store, create=False) as store:
        text = worker_notice(store, language=args.language)
        missing = missing_settings(store)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if missing:
        print(f"skilltwin: warning: the notice lacks {', '.join(missing)}; set them with "
              "Store(url).configure(...) before publishing it.", file=sys.stderr)
    return 0
