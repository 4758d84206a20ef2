"""Entry point of the ``skilltwin`` command.

User mistakes (a wrong path, a malformed file, an unknown skill) end with a one-line message on
stderr and exit code 2; no traceback. An error may carry its own exit code (a damaged audit
log exits with 3). Other failures are bugs and keep their traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from skilltwin._version import __version__
from skilltwin.errors import SkilltwinError

__all__ = ["build_parser", "main"]

# Modules that each contribute sub-commands through ``add_parsers(subparsers)``.
_COMMAND_MODULES = (
    "skilltwin.cli._taxonomy_commands",
    "skilltwin.cli._mapping_commands",
    "skilltwin.cli._document_commands",
    "skilltwin.cli._index_commands",
    "skilltwin.cli._scoring_commands",
    "skilltwin.cli._audit_commands",
    "skilltwin.cli._reviewer_commands",
    "skilltwin.cli._notice_commands",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="skilltwin",
        description="Skills-based workforce intelligence on ESCO, with humans in charge.",
    )
    parser.add_argument("--version", action="version", version=f"skilltwin {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.add_parsers(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except SkilltwinError as exc:
        print(f"skilltwin: error: {exc}", file=sys.stderr)
        return int(getattr(exc, "exit_code", 2))
    except KeyboardInterrupt:
        print("skilltwin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
