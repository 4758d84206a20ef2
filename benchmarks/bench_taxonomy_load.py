"""Benchmark: loading ESCO v1.1.1 (English) from the official CSV zips, cold and cached.

Cold: a fresh, empty cache directory, so the CSV files are parsed (and the cache written).
Cached: the cache written by the cold load is read back. Each figure is the median of several
runs in this process. Targets (issue 2): cold < 15 s, cached < 1 s.

Run:  python benchmarks/bench_taxonomy_load.py [--runs 3]
Prints the figures and rewrites its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd
from _report import DOCS, write_section

from skilltwin import __version__, load_esco
from skilltwin.config import default_esco_path

SECTION = "taxonomy-load"
COLD_TARGET_S = 15.0
CACHED_TARGET_S = 1.0


def _timed_load(path: Path) -> float:
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the known v1.1.1 anomaly warning
        taxonomy = load_esco(path)
    elapsed = time.perf_counter() - start
    assert taxonomy.count("skill") == 13_896, "unexpected ESCO download"
    return elapsed


def measure(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Cold and cached load times in seconds, ``runs`` of each."""
    cold: list[float] = []
    cached: list[float] = []
    previous = os.environ.get("SKILLTWIN_CACHE_DIR")
    try:
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="skilltwin-bench-") as cache:
                os.environ["SKILLTWIN_CACHE_DIR"] = cache
                cold.append(_timed_load(path))
                cached.append(_timed_load(path))
    finally:
        if previous is None:
            os.environ.pop("SKILLTWIN_CACHE_DIR", None)
        else:
            os.environ["SKILLTWIN_CACHE_DIR"] = previous
    return cold, cached


def section(cold: list[float], cached: list[float]) -> str:
    """The Markdown section for docs/benchmarks.md."""
    def row(name: str, times: list[float], target: float) -> str:
        median = statistics.median(times)
        verdict = "met" if median < target else "**missed**"
        spread = f"{min(times):.2f}–{max(times):.2f}"
        return f"| {name} | {median:.2f} s | {spread} s | < {target:g} s | {verdict} |"

    machine = (f"{platform.machine()}, {os.cpu_count()} logical CPUs, {platform.system()} "
               f"{platform.release()}, Python {platform.python_version()}, pandas "
               f"{pd.__version__}")
    return "\n".join([
        "## Loading ESCO (`benchmarks/bench_taxonomy_load.py`)",
        "",
        f"ESCO v1.1.1, English, from the two official CSV zips; median of {len(cold)} runs.",
        "Cold = empty cache directory (CSV parsing + writing the cache); cached = reading the",
        "cache the cold load wrote (it keeps the label index the cold load builds).",
        "",
        "| | |",
        "| --- | --- |",
        f"| machine | {machine} |",
        f"| date | {time.strftime('%Y-%m-%d')} |",
        f"| skilltwin | {__version__} |",
        "",
        "| load | median | range | target | |",
        "| --- | --- | --- | --- | --- |",
        row("cold", cold, COLD_TARGET_S),
        row("cached", cached, CACHED_TARGET_S),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--esco", type=Path, default=default_esco_path(),
                        help="the ESCO v1.1.1 download (default: shared data)")
    args = parser.parse_args()
    cold, cached = measure(args.esco, args.runs)
    text = section(cold, cached)
    print(text)
    write_section(SECTION, text)
    print(f"\nwrote section '{SECTION}' of {DOCS}")


if __name__ == "__main__":
    main()
