"""``skilltwin notice``: the notice to workers (EU AI Act art. 26(7)) for a store, or with
``--works-council`` the request for the works council's consent (Dutch WOR art. 27)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from skilltwin._output import STDOUT, check_output, write_output

__all__ = ["add_parsers", "notice_command"]


def add_parsers(subparsers: Any) -> None:
    """Add the ``notice`` command."""
    notice = subparsers.add_parser(
        "notice", help="write the notice to workers, or the works council request, for a "
        "store (Markdown)",
        description="Write the notice to workers and their representatives (EU AI Act art. "
        "26(7)) from a store's settings and audit log: purposes, data categories, who "
        "decides, reviewers' roles, retention, and whom to ask for an explanation or erasure; "
        "with --works-council, the request for the works council's consent (instemmings"
        "aanvraag, WOR art. 27(1)(k) and (l)) with the fairness checks recorded.",
    )
    notice.add_argument("--store", required=True, metavar="URL",
                        help="the store: sqlite:///path/store.db, a path, or "
                        "postgresql+psycopg://user@host/db")
    notice.add_argument("--language", choices=("en", "nl"), default=None,
                        help="language (default: en for the notice to workers, nl for the "
                        "works council request)")
    notice.add_argument("--works-council", action="store_true",
                        help="write the request for the works council's consent "
                        "(instemmingsaanvraag, Dutch WOR art. 27(1)(k) and (l)) instead: "
                        "purposes, data, who decides, retention, employees' rights and the "
                        "fairness checks recorded with store.record_fairness_check")
    notice.add_argument("--out", default=STDOUT, metavar="FILE",
                        help="write to FILE (default: - for stdout); an existing database, "
                        "a folder or a missing folder is refused")
    notice.set_defaults(handler=notice_command)


def notice_command(args: argparse.Namespace) -> int:
    """Print (or write) the notice; warn on stderr about settings it still lacks."""
    from skilltwin.store import Store
    from skilltwin.store.notice import missing_settings, worker_notice
    from skilltwin.store.works_council import works_council_request

    if args.out != STDOUT:
        check_output(args.out)
    council = args.works_council
    language = args.language or ("nl" if council else "en")
    with Store(args.store, read_only=True) as store:
        write = works_council_request if council else worker_notice
        text = write(store, language=language)
        missing = missing_settings(store, works_council=council)
    write_output(args.out, text)
    if missing:
        what = "request" if council else "notice"
        print(f"skilltwin: warning: the {what} lacks {', '.join(missing)}; set them with "
              "Store(url).configure(...)"
              + (" and record a check with store.record_fairness_check(...)"
                 if "fairness_check" in missing else "")
              + " before sending it.", file=sys.stderr)
    return 0
