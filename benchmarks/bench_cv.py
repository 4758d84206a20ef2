"""Benchmark: extracting the skills of a 40-line CV, warm (issue 20: "< 1 s warm").

`SkillMapper.extract_skills` on ``benchmarks/data/cv_40_lines.txt`` (a fictional CV written
for the benchmarks) against the full English ESCO with the default model, the taxonomy, the
skill index and the model's ONNX export cached and loaded, after one warm-up extraction of
another text: median and range of ``--runs`` extractions, wall and CPU time. Also prints the
mentions of the short CV used as the worked example in docs/mapping.md.

Run:  SKILLTWIN_DATA=/work/shared/data python benchmarks/bench_cv.py [--runs 5] [--no-write]
(builds the English skill index first when the cache lacks it; not timed).
Prints the figures and rewrites its section of docs/benchmarks.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import date
from pathlib import Path

from _report import DOCS, load_average, load_taxonomy, machine_state, write_section

from skilltwin import SkillMapper, __version__
from skilltwin.config import default_esco_path

SECTION = "cv-speed"
CV = Path(__file__).resolve().parent / "data" / "cv_40_lines.txt"
TARGET_SECONDS = 1.0

#: The worked example of docs/mapping.md ("An example").
EXAMPLE = "\n".join([
    "Wrote SQL queries against the data warehouse",
    "Built dashboards in Power BI for the management team",
    "Presented findings to stakeholders every month",
    "Managed a budget of 200k euro",
    "Led a team of four analysts",
    "Python for data cleaning and statistics",
    "Trained colleagues in Excel",
    "Hobbies: running, cooking",
])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed extractions (default 5)")
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    args = parser.parse_args()
    loads = [load_average()]
    mapper = SkillMapper(load_taxonomy(default_esco_path()), progress=False)
    mapper.index("skill")
    mapper.extract_skills("Experienced nurse, caring for elderly patients.")  # warm-up
    cv = CV.read_text(encoding="utf-8")
    walls: list[float] = []
    cpus: list[float] = []
    mentions = []
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        mentions = mapper.extract_skills(cv)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    loads.append(load_average())
    example = mapper.extract_skills(EXAMPLE)
    print("example:", "; ".join(f"{m.best.label} ({m.confidence:.2f})" for m in example))
    text = section(walls, cpus, len(cv.splitlines()), len(mentions), mapper.encoder.name,
                   loads, [(m.best.label, m.confidence) for m in example])
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
        print(f"updated {DOCS}")


def section(walls: list[float], cpus: list[float], lines: int, found: int, model: str,
            loads: list[str], example: list[tuple[str, float]]) -> str:
    median = statistics.median(walls)
    verdict = "met" if median < TARGET_SECONDS else "**missed**"
    return "\n".join([
        "## Extracting a CV, warm (`benchmarks/bench_cv.py`)",
        "",
        f"{date.today().isoformat()}, skilltwin {__version__}, {platform.machine()}, "
        f"{os.cpu_count()} logical CPUs, Python {platform.python_version()}. "
        f"{machine_state(loads)}.",
        "",
        f"`SkillMapper.extract_skills` on a fictional {lines}-line CV "
        "(`benchmarks/data/cv_40_lines.txt`) against the full English ESCO, model "
        f"`{model}`, everything cached and loaded, after a warm-up extraction; "
        f"{len(walls)} runs.",
        "",
        "| measure | median | range | target | |",
        "| --- | ---: | ---: | --- | --- |",
        f"| wall time | {median:.2f} s | {min(walls):.2f}–{max(walls):.2f} s | "
        f"< {TARGET_SECONDS:.0f} s | {verdict} |",
        f"| CPU time (all threads) | {statistics.median(cpus):.2f} s | "
        f"{min(cpus):.2f}–{max(cpus):.2f} s | | |",
        "",
        f"Mentions found: {found}. The short CV of docs/mapping.md (*An example*) gives: "
        + "; ".join(f"*{label}* ({confidence:.2f})" for label, confidence in example) + ".",
    ])


if __name__ == "__main__":
    main()
