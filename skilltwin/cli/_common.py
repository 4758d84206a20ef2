"""Helpers shared by the command-line commands."""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from skilltwin.config import default_esco_path, default_esco_paths
from skilltwin.taxonomy import Taxonomy, load_esco

__all__ = ["add_esco_argument", "load_taxonomy", "positive_count", "print_json"]


def positive_count(value: str) -> int:
    """An option's value as a whole number of at least 1 (``--top-k``, ``--max-pages``)."""
    number = int(value) if value.strip().isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return number


def add_esco_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--esco PATH`` (default: the shared ESCO download, ``$SKILLTWIN_DATA``)."""
    parser.add_argument(
        "--esco",
        type=Path,
        action="append",
        default=None,
        metavar="PATH",
        help="folder, zip or CSV file of the official ESCO CSV download; repeat to combine, "
        "e.g. the English zips and a folder of *_nl.csv files "
        f"(default: {default_esco_path()}, with its '-LANGUAGE' sibling folder for --language)",
    )
    parser.add_argument("--language", default="en", help="ESCO language to load (default: en)")
    parser.add_argument(
        "--fallback-language", default="en", metavar="LANGUAGE",
        help="language of the labels used where --language has none (default: en)",
    )


def load_taxonomy(args: argparse.Namespace) -> tuple[Taxonomy, float]:
    """Load ESCO as the command's arguments say; return it with the seconds it took."""
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        taxonomy = load_esco(args.esco or default_esco_paths(args.language),
                             language=args.language, fallback_language=args.fallback_language)
    for warning in caught:
        print(f"skilltwin: warning: {warning.message}", file=sys.stderr)
    return taxonomy, time.perf_counter() - started


def print_json(payload: Any) -> None:
    """Write one JSON document (one line) to stdout."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
