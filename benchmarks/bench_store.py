"""Benchmark: importing 1,000,000 claim rows into a SQLite store.

A synthetic HR export (seed 13): 50,000 employees with 20 claims each on real ESCO skill URIs,
levels 1-4, four sources, dates in 2023-2025, plus 1% bad rows (unknown skills, levels outside
the scale, missing employee ids) that the report must list. Times, on a fresh SQLite file:
the first import of the Parquet file (validation, content keys, one transaction), the same
import again (idempotent: adds nothing), and reading the whole claims table back.
Target: the first import under 60 s.

Prints the figures and rewrites its section of docs/benchmarks.md (unless --no-write).
Run: ``python benchmarks/bench_store.py [--esco PATH] [--rows N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _report import load_taxonomy, write_section

from skilltwin import __version__
from skilltwin.config import default_esco_path
from skilltwin.store import Store
from skilltwin.taxonomy import Taxonomy

SECTION = "store"
TARGET_SECONDS = 60.0
CLAIMS_PER_EMPLOYEE = 20
BAD_SHARE = 0.01


def export(taxonomy: Taxonomy, rows: int, rng: np.random.Generator) -> pd.DataFrame:
    """A synthetic claims export with ``rows`` rows, about 1% of them invalid."""
    uris = np.array([skill.uri for skill in taxonomy.skills()])
    employees = np.arange(rows) // CLAIMS_PER_EMPLOYEE
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, rows), "D")
    frame = pd.DataFrame({
        "employee_id": [f"E{i:07d}" for i in employees],
        "skill": uris[rng.integers(len(uris), size=rows)],
        "level": rng.integers(1, 5, rows),
        "observed": days.strftime("%Y-%m-%d"),
        "source": np.array(["self", "manager", "certificate", "assessment"])[
            rng.integers(4, size=rows)],
        "confidence": np.round(rng.uniform(0.5, 1.0, rows), 2),
        "evidence": "",
    })
    bad = rng.choice(rows, size=int(rows * BAD_SHARE), replace=False)
    kinds = np.arange(len(bad)) % 3
    frame.loc[bad[kinds == 0], "skill"] = "no such skill"
    frame.loc[bad[kinds == 1], "level"] = 9
    frame.loc[bad[kinds == 2], "employee_id"] = ""
    return frame


def timed(step: str, results: dict[str, float], action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = action()
    results[step] = time.perf_counter() - start
    print(f"{step:45s} {results[step]:7.1f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--esco", type=Path, default=default_esco_path())
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    taxonomy = load_taxonomy(args.esco)
    frame = export(taxonomy, args.rows, np.random.default_rng(13))
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.parquet"
        frame.to_parquet(path, index=False)
        store = Store(Path(folder) / "store.db", taxonomy=taxonomy)
        first = timed("first import", results, lambda: store.import_claims(path))
        again = timed("same file again (adds nothing)", results,
                      lambda: store.import_claims(path))
        claims = timed("claims_frame() (read everything back)", results, store.claims_frame)
        size = (Path(folder) / "store.db").stat().st_size
        store.close()
    print(first)
    print(again)
    assert again.accepted == 0 and len(claims) == first.accepted
    rate = args.rows / results["first import"]
    load = os.getloadavg()[0]
    lines = [
        "## Store: importing claims (SQLite)",
        "",
        f"`benchmarks/bench_store.py`: a synthetic export of {args.rows:,} claim rows "
        f"({args.rows // CLAIMS_PER_EMPLOYEE:,} employees x {CLAIMS_PER_EMPLOYEE} claims on "
        f"real ESCO skills, {BAD_SHARE:.0%} invalid rows; seed 13) imported from Parquet into "
        "a fresh SQLite store, one transaction per import. skilltwin "
        f"{__version__}, Python {platform.python_version()}, {platform.machine()}.",
        "",
        "| step | seconds | target |",
        "| --- | ---: | --- |",
        f"| first import ({first.accepted:,} accepted, {len(first.rejected):,} rejected with "
        f"a reason) | {results['first import']:.1f} | < {TARGET_SECONDS:g} s |",
        f"| same file again ({again.accepted} added, {again.duplicates:,} recognised) | "
        f"{results['same file again (adds nothing)']:.1f} | |",
        f"| `claims_frame()` ({len(claims):,} rows) | "
        f"{results['claims_frame() (read everything back)']:.1f} | |",
        "",
        f"{rate:,.0f} rows/s on the first import; the store file is {size / 2**20:,.0f} MiB. "
        f"Load average during the run: {load:.1f} on {os.cpu_count()} cores (a shared "
        "machine: figures vary with its load).",
    ]
    if not args.no_write:
        write_section(SECTION, "\n".join(lines))


if __name__ == "__main__":
    main()
