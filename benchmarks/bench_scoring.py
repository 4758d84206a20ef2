"""Benchmark: recovering occupations from damaged twins, and batch scoring speed.

Recovery: for 500 random ESCO occupations (seed 7), a twin holds the occupation's essential
and optional skills (level 3), 30% of them dropped at random, plus 5 random skills the
occupation does not list. All 3,007 occupation profiles are ranked with ``match_frame``;
Hit@1, Hit@10 and MRR of the true occupation are reported with and without partial credit;
a profile tying with the true one counts as ranked above it.

Speed: 10,000 synthetic twins (~20 claims each) x 1,000 occupation profiles with
``match_frame`` (building the level matrix from the twins' claims included), median of 3,
with peak memory of the scoring step (tracemalloc).

Prints the figures and rewrites its section of docs/benchmarks.md.
Run: ``/work/venv/bin/python benchmarks/bench_scoring.py [--esco PATH]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from _report import load_taxonomy, write_section

from skilltwin import __version__
from skilltwin.config import default_esco_path
from skilltwin.profiles import JobProfile
from skilltwin.scoring import ScoringPolicy, match_frame
from skilltwin.taxonomy import Taxonomy
from skilltwin.twin import EmployeeTwin

SECTION = "scoring"
OBSERVED = dt.date(2025, 1, 1)


def _twin(employee_id: str, uris: list[str], taxonomy: Taxonomy) -> EmployeeTwin:
    twin = EmployeeTwin(employee_id, taxonomy=taxonomy)
    for uri in uris:
        twin.add_skill(taxonomy.skill(uri), level=3, observed=OBSERVED)
    return twin


def recovery(taxonomy: Taxonomy, profiles: list[JobProfile], *, samples: int = 500,
             drop: float = 0.3, noise: int = 5, seed: int = 7) -> pd.DataFrame:
    """Hit@1, Hit@10 and MRR with and without partial credit."""
    rng = np.random.default_rng(seed)
    all_skills = np.array(taxonomy.skills_frame().index)
    chosen = rng.choice(len(profiles), size=samples, replace=False)
    twins = []
    for number, position in enumerate(chosen):
        own = [r.skill_uri for r in profiles[position].requirements]
        kept = [uri for uri in own if rng.random() >= drop]
        owned = set(own)
        extra: list[str] = []
        while len(extra) < noise:
            candidate = str(rng.choice(all_skills))
            if candidate not in owned and candidate not in extra:
                extra.append(candidate)
        twins.append(_twin(f"T{number}", kept + extra, taxonomy))
    rows = {}
    for name, policy in (("with partial credit", ScoringPolicy()),
                         ("without partial credit", ScoringPolicy(credit=None))):
        scores = match_frame(twins, profiles, taxonomy=taxonomy, scoring_policy=policy).to_numpy()
        truth = scores[np.arange(samples), chosen]
        ranks = (scores >= truth[:, None]).sum(axis=1)  # ties count against the truth
        rows[name] = {"Hit@1": float((ranks == 1).mean()), "Hit@10": float((ranks <= 10).mean()),
                      "MRR": float((1 / ranks).mean())}
    return pd.DataFrame(rows).T


def speed(taxonomy: Taxonomy, profiles: list[JobProfile], *, employees: int = 10_000,
          claims: int = 20, runs: int = 3, seed: int = 11) -> dict[str, float]:
    """Seconds (median) and peak MiB of scoring employees x profiles."""
    rng = np.random.default_rng(seed)
    skills = [s for s in taxonomy.skills()]
    levels = rng.integers(1, 5, size=(employees, claims))
    picks = rng.integers(0, len(skills), size=(employees, claims))
    twins = []
    for row in range(employees):
        twin = EmployeeTwin(f"E{row}", taxonomy=taxonomy)
        for col in range(claims):
            twin.add_skill(skills[picks[row, col]], level=int(levels[row, col]),
                           observed=OBSERVED)
        twins.append(twin)
    match_frame(twins[:10], profiles, taxonomy=taxonomy)  # build the cached matrices once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        match_frame(twins, profiles, taxonomy=taxonomy)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    match_frame(twins, profiles, taxonomy=taxonomy)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "peak_mib": peak / 2**20}


def section(table: pd.DataFrame, timing: dict[str, float], profiles: int) -> str:
    """The Markdown section for docs/benchmarks.md."""
    lines = [
        "## Scoring (`benchmarks/bench_scoring.py`)",
        "",
        f"ESCO v1.1.1 (en); skilltwin {__version__}; {platform.machine()}, "
        f"Python {platform.python_version()}; {dt.date.today().isoformat()}.",
        "",
        f"**Recovery** — 500 random occupations (seed 7); twin = the occupation's skills at "
        f"level 3, 30% dropped, 5 unrelated skills added; all {profiles:,} occupation profiles "
        "ranked with `match_frame` (ties count against the true occupation). "
        "Target: Hit@10 ≥ 0.85, MRR ≥ 0.5.",
        "",
        "| | Hit@1 | Hit@10 | MRR |",
        "| --- | --- | --- | --- |",
    ]
    for name, row in table.iterrows():
        lines.append(f"| {name} | {row['Hit@1']:.3f} | {row['Hit@10']:.3f} | {row['MRR']:.3f} |")
    met = timing["median"] < 10
    lines += [
        "",
        "**Speed** — 10,000 synthetic twins (20 claims each) × 1,000 occupation profiles with "
        "`match_frame` (level matrix from claims included), 3 runs.",
        "",
        "| median | range | peak memory (tracemalloc) | target | |",
        "| --- | --- | --- | --- | --- |",
        f"| {timing['median']:.2f} s | {timing['min']:.2f}–{timing['max']:.2f} s | "
        f"{timing['peak_mib']:.0f} MiB | < 10 s | {'met' if met else 'not met'} |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--esco", type=Path, default=default_esco_path())
    args = parser.parse_args()
    taxonomy = load_taxonomy(args.esco)
    profiles = [JobProfile.from_occupation(taxonomy, o.uri) for o in taxonomy.occupations()]
    profiles = [p for p in profiles if p.requirements]
    table = recovery(taxonomy, profiles)
    print(table.round(3).to_string())
    timing = speed(taxonomy, profiles[:1000])
    print({k: round(v, 2) for k, v in timing.items()})
    write_section(SECTION, section(table, timing, len(profiles)))


if __name__ == "__main__":
    main()
