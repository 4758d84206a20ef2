"""``skilltwin taxonomy info``."""

from __future__ import annotations

import argparse
from typing import Any

from skilltwin.cli._common import add_esco_argument, load_taxonomy, print_json

__all__ = ["add_parsers"]


def add_parsers(subparsers: Any) -> None:
    """Register ``taxonomy`` and its sub-commands."""
    taxonomy = subparsers.add_parser("taxonomy", help="inspect a taxonomy")
    commands = taxonomy.add_subparsers(dest="taxonomy_command", metavar="COMMAND", required=True)
    info = commands.add_parser("info", help="version, language and counts of an ESCO download")
    add_esco_argument(info)
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(handler=_info)


def _info(args: argparse.Namespace) -> int:
    taxonomy, seconds = load_taxonomy(args)
    stats = {**taxonomy.stats(), "load_seconds": round(seconds, 3)}
    if args.json:
        print_json({**stats, "fallback_language": taxonomy.fallback_language,
                    "coverage": taxonomy.coverage})
        return 0
    print(f"ESCO {stats['version']} ({stats['language']})")
    width = max(len(key) for key in stats)
    for key, value in stats.items():
        if key in ("version", "language"):
            continue
        shown = f"{value:,}" if isinstance(value, int) else f"{value}"
        print(f"  {key.replace('_', ' '):<{width}}  {shown}")
    if taxonomy.language == taxonomy.fallback_language:
        return 0
    print(f"labels in '{taxonomy.language}' (the others in '{taxonomy.fallback_language}')")
    for kind, counts in taxonomy.coverage.items():
        share = counts["labelled"] / counts["concepts"] if counts["concepts"] else 1.0
        print(f"  {kind.replace('_', ' ') + 's':<{width}}  "
              f"{counts['labelled']:,} of {counts['concepts']:,} ({share:.0%})")
    return 0
