"""Shared by the benchmark scripts: each owns one delimited section of docs/benchmarks.md."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from skilltwin import Taxonomy, load_esco

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(section: str, text: str, docs: Path = DOCS) -> None:
    """Replace (or append) the section between ``<!-- section:start/end -->`` markers."""
    start, end = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
    block = f"{start}\n{text}\n{end}"
    current = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        updated = before + block + rest.split(end, 1)[1]
    else:
        updated = current.rstrip("\n") + "\n\n" + block + "\n"
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(updated, encoding="utf-8")


def load_taxonomy(path: Path) -> Taxonomy:
    """ESCO for a benchmark run, without the known v1.1.1 anomaly warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_esco(path)


def load_average() -> str:
    """The machine's load averages over 1, 5 and 15 minutes, for the report's header."""
    try:
        return ", ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def machine_state(loads: list[str]) -> str:
    """How busy the machine was over a run, for the report's header: quiet when no one-minute
    load average read during or after the run exceeded 3 (the benchmark itself keeps up to two
    cores busy)."""
    during = loads[1:] or loads  # the first reading, at the start, reflects the minutes before
    try:
        peak = max(float(load.split(",")[0]) for load in during)
    except ValueError:
        peak = float("inf")
    spread = " → ".join(loads)
    if peak <= 3.0:
        return (f"Nothing else ran on the machine (load averages {spread} over the run; the "
                "benchmark itself keeps up to two cores busy)")
    return (f"**The machine was shared with other work during the run** (load averages "
            f"{spread} over the run)")

