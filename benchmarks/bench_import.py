"""Benchmark: what ``import skilltwin`` adds to importing the libraries it builds on.

Each run is a fresh Python subprocess that first imports numpy, pandas, scipy (with
scipy.sparse), pydantic and networkx, then times ``import skilltwin`` alone; a second set of
runs times ``from skilltwin import match`` (which loads the scoring layer and what it needs).
The figure is the median over the runs. Target (issue 14): ``import skilltwin`` adds < 0.2 s.

Run:  python benchmarks/bench_import.py [--runs 7]
Prints the figures and rewrites its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _report import DOCS, write_section

from skilltwin import __version__

SECTION = "import"
TARGET_S = 0.2
ROOT = Path(__file__).resolve().parent.parent
BASELINE = "import numpy, pandas, scipy, scipy.sparse, pydantic, networkx"
STATEMENTS = {
    "import skilltwin": "import skilltwin",
    "from skilltwin import match": "from skilltwin import match",
}
_PROBE = """
import time
{baseline}
start = time.perf_counter()
{statement}
print(time.perf_counter() - start)
"""


def time_statement(statement: str) -> float:
    """Seconds ``statement`` takes in a fresh interpreter that already imported the baseline."""
    code = _PROBE.format(baseline=BASELINE, statement=statement)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict[str, list[float]]:
    """Times of each statement over ``runs`` fresh subprocesses."""
    return {label: [time_statement(stmt) for _ in range(runs)]
            for label, stmt in STATEMENTS.items()}


def section(times: dict[str, list[float]]) -> str:
    """The Markdown section for docs/benchmarks.md."""
    runs = len(next(iter(times.values())))
    rows = []
    for label, values in times.items():
        median = statistics.median(values)
        target, verdict = "—", ""
        if label == "import skilltwin":
            target = f"< {TARGET_S:g} s"
            verdict = "met" if median < TARGET_S else "**missed**"
        spread = f"{min(values):.3f}–{max(values):.3f}"
        rows.append(f"| `{label}` | {median:.3f} s | {spread} s | {target} | {verdict} |")
    machine = (f"{platform.machine()}, {os.cpu_count()} logical CPUs, "
               f"Python {platform.python_version()}")
    return "\n".join([
        "## Import time (`benchmarks/bench_import.py`)",
        "",
        f"Time added on top of `{BASELINE}`,",
        f"in a fresh subprocess per run; median of {runs} runs. Subpackages load on first use",
        "of one of their names, so `import skilltwin` loads only the version and the error",
        "classes; the second row is the price of the first real use (the scoring layer with",
        "the taxonomy, profiles and twins it needs).",
        f"skilltwin {__version__}; {machine}; {time.strftime('%Y-%m-%d')}.",
        "",
        "| statement | median | range | target | |",
        "| --- | --- | --- | --- | --- |",
        *rows,
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="subprocess runs (default 7)")
    args = parser.parse_args()
    text = section(measure(args.runs))
    print(text)
    write_section(SECTION, text)
    print(f"\nwrote section '{SECTION}' of {DOCS}")


if __name__ == "__main__":
    main()
