"""Benchmark: workforce planning speed on a synthetic organisation.

2,000 synthetic twins (each holds a random ESCO occupation's skills, 60% of them kept, at
random levels 1-4; seed 11) and 100 random occupation profiles with headcounts 1-10. Times
(median of 3) building the plan, each planning table, comparing one scenario (retire a
profile, add one, train 20 people, two leavers), a sweep of 5 scenarios, 50 reskilling paths
and adjacent roles (profiles and all ESCO occupations) for 20 employees.

Prints the figures and rewrites its section of docs/benchmarks.md.
Run: ``/work/venv/bin/python benchmarks/bench_planning.py [--esco PATH]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _report import load_taxonomy, write_section

from skilltwin import __version__
from skilltwin.config import default_esco_path
from skilltwin.planning import Scenario, WorkforcePlan, adjacent_roles, reskilling_path
from skilltwin.profiles import JobProfile
from skilltwin.taxonomy import Taxonomy
from skilltwin.twin import EmployeeTwin

SECTION = "planning"
OBSERVED = dt.date(2025, 1, 1)
EMPLOYEES, PROFILES = 2_000, 100

# (step, target in seconds)
TARGETS: dict[str, float] = {
    "build plan (2,000 twins, 100 profiles)": 10.0,
    "supply_demand(by='skill')": 5.0,
    "supply_demand(by='skill_group')": 5.0,
    "key_person_risks()": 5.0,
    "coverage()": 5.0,
    "compare(scenario)": 10.0,
    "sweep(5 scenarios)": 30.0,
    "reskilling_path, per path (50)": 0.5,
    "adjacent_roles, per employee (20)": 1.0,
}


def organisation(taxonomy: Taxonomy, rng: np.random.Generator
                 ) -> tuple[list[EmployeeTwin], list[JobProfile], dict[str, int]]:
    """Synthetic twins and occupation profiles with headcounts."""
    occupations = [o for o in taxonomy.occupations() if len(o.essential_skills) >= 5]
    twins = []
    for i in range(EMPLOYEES):
        occupation = occupations[rng.integers(len(occupations))]
        skills = [u for u in (*occupation.essential_skills, *occupation.optional_skills)
                  if u in taxonomy]
        twin = EmployeeTwin(f"E{i:05d}", taxonomy=taxonomy)
        for uri in rng.permutation(skills)[: max(1, int(0.6 * len(skills)))]:
            twin.add_skill(taxonomy.skill(str(uri)), level=int(rng.integers(1, 5)),
                           observed=OBSERVED)
        twins.append(twin)
    chosen = rng.choice(len(occupations), size=PROFILES, replace=False)
    profiles = [JobProfile.from_occupation(taxonomy, occupations[i].uri) for i in chosen]
    headcount = {p.profile_id: int(rng.integers(1, 11)) for p in profiles}
    return twins, profiles, headcount


def timed(action: Callable[[], object], runs: int = 3) -> tuple[float, float, float]:
    """Median, min and max seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def measure(taxonomy: Taxonomy) -> dict[str, tuple[float, float, float]]:
    rng = np.random.default_rng(11)
    twins, profiles, headcount = organisation(taxonomy, rng)
    results: dict[str, tuple[float, float, float]] = {}
    keys = iter(TARGETS)

    def build() -> WorkforcePlan:
        return WorkforcePlan(twins, profiles, headcount, taxonomy=taxonomy)

    results[next(keys)] = timed(build)
    plan = build()
    results[next(keys)] = timed(lambda: plan.supply_demand())
    results[next(keys)] = timed(lambda: plan.supply_demand(by="skill_group"))
    results[next(keys)] = timed(lambda: plan.key_person_risks())
    results[next(keys)] = timed(lambda: plan.coverage())
    skill = profiles[1].requirements[0].label
    scenario = (Scenario(name="reshape").retire_profile(profiles[0].profile_id)
                .add_profile(JobProfile.from_occupation(taxonomy, "data analyst",
                                                        profile_id="new"), headcount=5)
                .train(skill, headcount=20, level=3).leave(twins[0].employee_id)
                .leave(twins[1].employee_id))
    results[next(keys)] = timed(lambda: plan.compare(scenario))
    sweep = [scenario.model_copy(update={"name": f"s{i}"}) for i in range(5)]
    results[next(keys)] = timed(lambda: plan.sweep(sweep, progress=False), runs=1)
    pairs = [(twins[i], profiles[i % PROFILES]) for i in range(50)]
    total = timed(lambda: [reskilling_path(t, p, taxonomy) for t, p in pairs], runs=1)
    results[next(keys)] = tuple(value / len(pairs) for value in total)  # type: ignore[assignment]
    movers = twins[:20]
    total = timed(lambda: [adjacent_roles(t, taxonomy, profiles=profiles) for t in movers],
                  runs=1)
    results[next(keys)] = tuple(value / len(movers) for value in total)  # type: ignore[assignment]
    return results


def section(results: dict[str, tuple[float, float, float]]) -> str:
    lines = [
        "## Workforce planning (`benchmarks/bench_planning.py`)",
        "",
        f"ESCO v1.1.1 (en); skilltwin {__version__}; {platform.machine()}, Python "
        f"{platform.python_version()}; {dt.date.today().isoformat()}.",
        "",
        f"Synthetic organisation (seed 11): {EMPLOYEES:,} twins, each holding 60% of a random "
        f"occupation's skills at levels 1-4; {PROFILES} random occupation profiles with "
        "headcounts 1-10. Median of 3 runs (sweep, paths and adjacent roles: 1 run).",
        "",
        "| step | median | range | target | |",
        "| --- | --- | --- | --- | --- |",
    ]
    for step, (median, low, high) in results.items():
        target = TARGETS[step]
        lines.append(f"| {step} | {median:.2f} s | {low:.2f}–{high:.2f} s | < {target:g} s | "
                     f"{'met' if median < target else 'MISSED'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--esco", type=Path, default=default_esco_path())
    args = parser.parse_args()
    taxonomy = load_taxonomy(args.esco)
    results = measure(taxonomy)
    for step, (median, low, high) in results.items():
        print(f"{step:40s} {median:7.2f} s  ({low:.2f}-{high:.2f})  target < {TARGETS[step]:g} s")
    write_section(SECTION, section(results))


if __name__ == "__main__":
    main()
