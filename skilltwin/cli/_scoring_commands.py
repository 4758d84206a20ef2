"""The ``match``, ``gap`` and ``demo`` commands (formats: docs/scoring.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from skilltwin._validation import check_input_file
from skilltwin.cli._common import add_esco_argument, load_taxonomy, positive_count, print_json
from skilltwin.cli._outofcore_commands import add_match_claims_arguments, run_match_claims
from skilltwin.errors import ConfigurationError

__all__ = ["add_parsers", "run_demo_command", "run_gap", "run_match"]


def add_parsers(subparsers: Any) -> None:
    """Register ``match``, ``gap`` and ``demo``."""
    match = subparsers.add_parser(
        "match", help="score employees against job profiles (JSON Lines or Parquet out)",
        description="Score every employee against every profile. With --twins: "
        "one JSON line per profile with its ranked candidates. With --claims (a claims "
        "table, any size): the top-k table written to --out as Parquet, in one process or on "
        "Dask (--scheduler).",
    )
    add_esco_argument(match)
    match.add_argument("--twins", type=Path, default=None, metavar="FILE",
                       help="twins, .json or .jsonl")
    match.add_argument("--profiles", type=Path, required=True, metavar="FILE",
                       help="job profiles, .json or .jsonl; with --claims also 'occupations' "
                       "(every ESCO occupation)")
    match.add_argument("--top-k", type=positive_count, default=10, metavar="K",
                       help="candidates per profile (default 10); with --claims: matches "
                       "per employee (or per profile with --by profile)")
    add_match_claims_arguments(match)
    match.set_defaults(handler=run_match)

    gap = subparsers.add_parser(
        "gap", help="gap report of one employee against one profile (JSON out)",
    )
    add_esco_argument(gap)
    gap.add_argument("--twin", type=Path, required=True, metavar="FILE",
                     help="one twin, .json")
    gap.add_argument("--profile", type=Path, required=True, metavar="FILE",
                     help="one job profile, .json")
    gap.set_defaults(handler=run_gap)

    demo = subparsers.add_parser(
        "demo", help="internal candidates at a fictional municipality (Markdown report, in "
        "the --language of the taxonomy)",
    )
    add_esco_argument(demo)
    demo.add_argument("--out", type=Path, default=Path("skilltwin-demo"), metavar="DIR",
                      help="folder for the report (default ./skilltwin-demo)")
    demo.set_defaults(handler=run_demo_command)


def run_match(args: argparse.Namespace) -> int:
    """Print one JSON line per profile: its top-k candidates with scores."""
    from skilltwin.profiles.io import read_profiles
    from skilltwin.scoring.batch import best_candidates, match_frame
    from skilltwin.twin.io import read_twins

    if getattr(args, "claims", None) is not None:
        return run_match_claims(args)
    if args.twins is None:
        raise ConfigurationError("match needs --twins (.json/.jsonl) or --claims "
                                 "(a claims table, .parquet/.csv).")
    check_input_file(args.twins, what="--twins file")
    check_input_file(args.profiles, what="--profiles file")
    taxonomy, _ = load_taxonomy(args)
    twins = read_twins(args.twins, taxonomy)
    profiles = read_profiles(args.profiles, taxonomy)
    scores = match_frame(twins, profiles, taxonomy=taxonomy)
    groups = None
    if args.isco_digits is not None:
        from skilltwin.profiles.isco import profile_isco

        groups = profile_isco(profiles, taxonomy, digits=args.isco_digits)
    for profile in profiles:
        top = best_candidates(scores, profile.profile_id, top_k=args.top_k)
        isco = {} if groups is None else {
            "isco_code": groups.at[profile.profile_id, "isco_code"],
            "isco_label": groups.at[profile.profile_id, "isco_label"]}
        print_json({
            "profile_id": profile.profile_id,
            "title": profile.title,
            **isco,
            "candidates": [{"employee_id": str(e), "score": round(float(s), 6)}
                           for e, s in top.items()],
            "taxonomy_release": taxonomy.release,
        })
    return 0


def run_gap(args: argparse.Namespace) -> int:
    """Print the gap report and match result of one employee against one profile."""
    from skilltwin.profiles.io import read_profiles
    from skilltwin.scoring.match import match
    from skilltwin.twin.io import read_twins

    check_input_file(args.twin, what="--twin file")
    check_input_file(args.profile, what="--profile file")
    taxonomy, _ = load_taxonomy(args)
    twins = read_twins(args.twin, taxonomy)
    profiles = read_profiles(args.profile, taxonomy)
    if len(twins) != 1 or len(profiles) != 1:
        raise ConfigurationError(
            f"gap compares one employee with one profile; got {len(twins)} employee(s) and "
            f"{len(profiles)} profile(s). Use 'skilltwin match' for many."
        )
    result = match(twins[0], profiles[0], taxonomy)
    print_json(result.model_dump(mode="json"))
    return 0


def run_demo_command(args: argparse.Namespace) -> int:
    """Run the demo and print where the report is."""
    from skilltwin.demo import run_demo

    taxonomy, _ = load_taxonomy(args)
    run_demo(args.esco, args.out, taxonomy=taxonomy)
    return 0
