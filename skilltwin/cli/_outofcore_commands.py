"""Table forms of ``match``, ``map-skills`` and ``map-occupations``: Parquet/CSV in, Parquet
out, in one process or on Dask (``--scheduler local`` or ``tcp://HOST:PORT``).

The commands themselves are registered in :mod:`skilltwin.cli._scoring_commands` and
:mod:`skilltwin.cli._mapping_commands`; these functions add the options and run the table
forms.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from skilltwin._output import check_output, guarded_folder, guarded_output
from skilltwin.cli._common import load_taxonomy, print_json
from skilltwin.config import default_esco_paths
from skilltwin.errors import ConfigurationError

__all__ = [
    "add_map_table_arguments",
    "add_match_claims_arguments",
    "is_table",
    "run_map_table",
    "run_match_claims",
    "with_isco",
]


def add_match_claims_arguments(parser: argparse.ArgumentParser) -> None:
    """``--claims``, ``--out``, ``--by``, ``--scheduler``, ``--on-unknown``."""
    parser.add_argument("--claims", type=Path, default=None, metavar="FILE",
                        help="claims table, .parquet or .csv (one row per claim: "
                        "employee_id, skill, level...); writes --out instead of JSON lines")
    parser.add_argument("--out", type=Path, default=None, metavar="RESULT.parquet",
                        help="with --claims: where to write the top-k table (Parquet)")
    parser.add_argument("--by", choices=("employee", "profile"), default="employee",
                        help="with --claims: top-k profiles per employee (default) or top-k "
                        "employees per profile")
    _add_scheduler_argument(parser)
    parser.add_argument("--on-unknown", choices=("raise", "skip"), default="raise",
                        help="claims naming skills not in ESCO: stop with an error (default) "
                        "or leave them out and report how many")
    parser.add_argument("--isco-digits", type=int, choices=(1, 2, 3, 4), default=None,
                        metavar="1-4",
                        help="add isco_code and isco_label columns: the ISCO-08 group of each "
                        "profile's occupation by this many digits of its code (1 major ... 4 "
                        "unit group), labelled in the taxonomy's language; 'unclassified' for "
                        "profiles without an occupation")


def with_isco(result: Any, profiles: Sequence[Any], taxonomy: Any, digits: int | None) -> Any:
    """``result`` (pandas or Dask, with a ``profile_id`` column) with ``isco_code`` and
    ``isco_label`` merged on ``profile_id`` (unchanged when ``digits`` is ``None``)."""
    if digits is None:
        return result
    from skilltwin.profiles.isco import profile_isco

    groups = profile_isco(profiles, taxonomy, digits=digits).reset_index()
    attrs = dict(getattr(result, "attrs", {}) or {})
    merged = result.merge(groups, on="profile_id", how="left")
    if attrs:
        merged.attrs.update(attrs)
    return merged


_TABLE_SUFFIXES = (".parquet", ".pq", ".csv")


def add_map_table_arguments(parser: argparse.ArgumentParser) -> None:
    """``--in``, ``--column``, ``--out``, ``--scheduler``."""
    parser.add_argument("--in", dest="in_file", type=Path, default=None, metavar="FILE",
                        help="a file with one text per line (default: stdin), or a .parquet "
                        "or .csv table of texts, which needs --column and --out")
    parser.add_argument("--column", default=None, metavar="NAME",
                        help="with an --in table: the column holding the texts")
    parser.add_argument("--out", type=Path, default=None, metavar="RESULT.parquet",
                        help="with an --in table: where to write (text_id, rank, uri, label, "
                        "score)")
    _add_scheduler_argument(parser)


def is_table(args: argparse.Namespace) -> bool:
    """Whether the map command reads a table (``--in`` a .parquet or .csv file or a folder
    of parts, or any table option given) rather than text lines."""
    path = args.in_file
    return (path is not None and (path.suffix.lower() in _TABLE_SUFFIXES or path.is_dir())) \
        or args.column is not None or args.out is not None or args.scheduler is not None


def _add_scheduler_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scheduler", default=None, metavar="local|tcp://HOST:PORT",
                        help="run on Dask: 'local' starts a cluster on this machine, an "
                        "address joins a running scheduler (default: one process)")


def run_match_claims(args: argparse.Namespace) -> int:
    """Top-k matches of a claims table, written to ``--out``; one JSON summary line."""
    from skilltwin.outofcore import top_matches
    from skilltwin.profiles.io import read_profiles

    if args.out is None:
        raise ConfigurationError("--claims needs --out RESULT.parquet for the top-k table.")
    if args.twins is not None:
        raise ConfigurationError("give either --twins or --claims (a table), "
                                 "not both.")
    if not args.claims.exists():
        raise ConfigurationError(f"--claims {args.claims} not found; check the path.")
    check_output(args.out, inputs=_inputs(args, args.claims, args.profiles),
                 folder=args.scheduler is not None)
    taxonomy, _ = load_taxonomy(args)
    profiles: Any = "occupations" if str(args.profiles) == "occupations" \
        else read_profiles(args.profiles, taxonomy)
    digits = getattr(args, "isco_digits", None)
    if digits is not None and profiles == "occupations":
        from skilltwin.outofcore.matching import occupation_profiles

        profiles = occupation_profiles(taxonomy)
    with _scheduler(args.scheduler) as client, _warnings_to_stderr():
        result = top_matches(args.claims, profiles, taxonomy, top_k=args.top_k, by=args.by,
                             client=client, on_unknown=args.on_unknown)
        result = with_isco(result, profiles, taxonomy, digits)
        rows = _write(result, args.out, client, {"taxonomy_release": taxonomy.release},
                      inputs=_inputs(args, args.claims, args.profiles))
    print_json({"out": str(args.out), "rows": rows, "by": args.by, "top_k": args.top_k,
                "taxonomy_release": taxonomy.release})
    return 0


def run_map_table(args: argparse.Namespace, kind: Literal["skill", "occupation"]) -> int:
    """Map the ``--column`` texts of ``--in`` to ESCO, written to ``--out``."""
    from skilltwin.outofcore.mapping import map_texts, read_texts

    if args.in_file is not None and args.in_file.is_dir() and (args.column is None
                                                               or args.out is None):
        raise ConfigurationError(
            f"--in {args.in_file} is a folder, read as a Parquet dataset of texts: give "
            "--column NAME (the texts) and --out RESULT.parquet too, or give --in a text file "
            "(one text per line).")
    if args.in_file is None or args.column is None or args.out is None:
        raise ConfigurationError("a table of texts needs --in TEXTS.parquet (or .csv), "
                                 "--column NAME (the texts) and --out RESULT.parquet.")
    check_output(args.out, inputs=_inputs(args, args.in_file), folder=args.scheduler is not None)
    taxonomy, _ = load_taxonomy(args)
    with _scheduler(args.scheduler) as client, _warnings_to_stderr():
        texts = read_texts(args.in_file, args.column, dask=client is not None)
        result = map_texts(texts, taxonomy, kind=kind, top_k=args.top_k, model=args.model,
                           backend=args.backend, client=client)
        from skilltwin.mapping.encoder import resolve_encoder

        model_name = resolve_encoder(args.model, language=taxonomy.language,
                                     backend=args.backend).name  # names only; loads nothing
        rows = _write(result, args.out, client, {"taxonomy_release": taxonomy.release,
                                                 "kind": kind, "model_name": model_name},
                      inputs=_inputs(args, args.in_file))
    print_json({"out": str(args.out), "rows": rows, "kind": kind,
                "taxonomy_release": taxonomy.release})
    return 0


@contextlib.contextmanager
def _scheduler(address: str | None) -> Iterator[Any]:
    if address is None:
        yield None
        return
    from skilltwin.outofcore import connect

    client = connect(address)
    try:
        yield client
    finally:
        cluster = client.cluster if address == "local" else None
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


@contextlib.contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        if issubclass(warning.category, UserWarning):
            print(f"skilltwin: warning: {warning.message}", file=sys.stderr)


def _inputs(args: argparse.Namespace, *paths: Path | None) -> list[Path]:
    """The files a table command reads, which its ``--out`` may not replace."""
    esco = args.esco or default_esco_paths(args.language)  # what load_taxonomy reads
    return [path for path in (*paths, *esco) if path is not None]


def _write(result: Any, out: Path, client: Any, versions: dict[str, str], *,
           inputs: Sequence[Path]) -> int:
    """Write a pandas or Dask result as Parquet (with a progress bar) through the guarded
    writer; return its rows. One process writes a file, Dask a folder of parts.

    Either way the file's schema metadata holds ``skilltwin``: JSON of the library version
    and ``versions`` (taxonomy release, model), so a result names what produced it.
    """
    from skilltwin import __version__

    metadata = {"skilltwin": json.dumps({"skilltwin": __version__, **versions})}
    if client is None and not hasattr(result, "dask"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        result.attrs.update(versions)
        table = pa.Table.from_pandas(result, preserve_index=False)
        schema_metadata = {**(table.schema.metadata or {}),
                           **{key.encode(): value.encode() for key, value in metadata.items()}}
        with guarded_output(out, inputs=inputs, mode="binary") as file:
            pq.write_table(table.replace_schema_metadata(schema_metadata), file)
        return len(result)
    from distributed import progress

    with guarded_folder(out, inputs=inputs) as staging:
        written = result.to_parquet(str(staging), write_index=False, compute=False,
                                    custom_metadata=metadata, overwrite=True)
        future = client.compute(written)
        with contextlib.redirect_stdout(sys.stderr):  # Dask's text bar writes to stdout
            progress(future)  # type: ignore[no-untyped-call]
        future.result()
    import pandas as pd

    return int(pd.read_parquet(out, columns=[result.columns[0]]).shape[0])
