"""Benchmark: top-k matching and text mapping at scale, in one process and on a LocalCluster.

Matching: N synthetic employees (seed 13), 20 claims each from real ESCO skills (14 drawn
from the skills of a random occupation, 6 from all skills; levels 1-4, self or manager,
observed 2022-2025), written as Parquet files of 50,000 employees indexed by employee_id.
Each job reads them, computes the top 10 of all 3,007 ESCO occupation profiles per employee
with :func:`skilltwin.outofcore.top_matches` and writes the result as Parquet (end to end,
cluster start-up excluded). The floor job, run just before on the same files: only the bare
sparse product of the claims with the profiles' requirement shares and ``np.argpartition``
top-10, on blocks of the same size. In one process: pandas, blocks of 2,000 employees. On Dask: the
LocalCluster skilltwin starts (``connect("local")``: ``--workers`` worker processes with one thread
each, no statistical profiler).

Mapping: T short texts (seed 17: ESCO occupation alternative labels, a third of them with a
seniority word or gender marker added) mapped to the top 10 ESCO occupations with
:func:`skilltwin.outofcore.map_texts`, in one process and on the same LocalCluster.

Every job runs in a fresh process; peak resident memory (ru_maxrss) is per process. The load
averages are read before the first job and after each one; the header says whether anything
else ran. Prints the figures and rewrites its section of docs/benchmarks.md; with ``--texts 0``
the mapping table already there is kept (re-run matching alone).

Run: ``python benchmarks/bench_scale.py [--employees 1000000 --small 100000 --texts 200000]``
(first try small sizes, e.g. ``--employees 20000 --small 5000 --texts 2000 --no-write``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from _report import DOCS, load_average, load_taxonomy, machine_state, write_section

from skilltwin import __version__
from skilltwin.config import default_esco_path

SECTION = "scale"
MAPPING_HEADING = "**Mapping**"  # where the mapping part of the section starts
TARGET_TEXTS = 200_000
PART_EMPLOYEES = 50_000
WORK = Path(tempfile.gettempdir()) / "skilltwin-bench-scale"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cluster_cpu(client: Any) -> float:
    """CPU seconds used so far by the client, the scheduler (when it is another process) and
    every worker process."""
    workers = client.run(_cpu_seconds)
    scheduler = 0.0 if client.run_on_scheduler(os.getpid) == os.getpid() \
        else client.run_on_scheduler(_cpu_seconds)
    return _cpu_seconds() + scheduler + sum(workers.values())


# -- data ---------------------------------------------------------------------------------
def make_claims(esco_path: Path, employees: int, seed: int = 13) -> Path:
    """Write (once) the synthetic claims of ``employees`` employees; return the folder."""
    folder = WORK / f"claims-{employees}"
    if (folder / "_done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    taxonomy = load_taxonomy(esco_path)
    skills = taxonomy.skills_frame().index.to_numpy()
    position = {uri: i for i, uri in enumerate(skills)}
    relations = taxonomy.relations_frame()
    relations = relations[relations["kind"] == "occupation_skill"]
    relations = relations[relations["target"].isin(position)]
    by_occupation = relations.groupby("source")["target"].agg(list)
    lists = [np.array([position[u] for u in uris]) for uris in by_occupation]
    starts = np.cumsum([0] + [len(x) for x in lists])[:-1]
    lengths = np.array([len(x) for x in lists])
    flat = np.concatenate(lists)
    rng = np.random.default_rng(seed)
    categories = pd.CategoricalDtype(skills)
    for part, first in enumerate(range(0, employees, PART_EMPLOYEES)):
        count = min(PART_EMPLOYEES, employees - first)
        occupation = rng.integers(0, len(lists), count)
        own = flat[np.repeat(starts[occupation], 14)
                   + (rng.random(count * 14) * np.repeat(lengths[occupation], 14)).astype(int)]
        other = rng.integers(0, len(skills), count * 6)
        picks = np.concatenate([own.reshape(count, 14), other.reshape(count, 6)], axis=1)
        ids = np.array([f"E{n:08d}" for n in range(first, first + count)])
        frame = pd.DataFrame({
            "skill": pd.Categorical.from_codes(picks.ravel(), dtype=categories),
            "level": rng.integers(1, 5, count * 20).astype(float),
            "source": pd.Categorical.from_codes(rng.integers(0, 2, count * 20),
                                                categories=["self", "manager"]),
            "observed": np.datetime64("2022-01-01") + rng.integers(0, 1400, count * 20)
            .astype("timedelta64[D]"),
        }, index=pd.Index(np.repeat(ids, 20), name="employee_id"))
        frame.to_parquet(folder / f"part.{part:04d}.parquet")
    (folder / "_done").touch()
    return folder


def make_texts(esco_path: Path, count: int, seed: int = 17) -> Path:
    """Write (once) ``count`` short texts; return the file."""
    path = WORK / f"texts-{count}.parquet"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    taxonomy = load_taxonomy(esco_path)
    labels = [label for alts in taxonomy.occupations_frame()["alt_labels"] for label in alts]
    rng = np.random.default_rng(seed)
    texts = np.array(labels, dtype=object)[rng.integers(0, len(labels), count)]
    extra = np.array(["senior", "junior", "(m/f/d)", "(m/v)", "lead", "trainee"])
    mark = rng.random(count) < 1 / 3
    texts[mark] = [f"{t} {e}" for t, e in zip(texts[mark], extra[rng.integers(0, 6,
                                                                           mark.sum())],
                                              strict=True)]
    pd.DataFrame({"text": texts.astype(str)}).to_parquet(path)
    return path


# -- jobs (each runs in its own process) ---------------------------------------------------
@contextlib.contextmanager
def _local_cluster(workers: int) -> Iterator[Any]:
    """The LocalCluster ``skilltwin match --scheduler local`` starts, closed afterwards."""
    from skilltwin.outofcore import connect

    client = connect("local", workers=workers)
    try:
        yield client
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()


def job_match(esco_path: Path, claims: Path, workers: int) -> dict[str, Any]:
    from skilltwin.outofcore import top_matches

    taxonomy = load_taxonomy(esco_path)
    out = WORK / f"result-{claims.name}-{workers}.parquet"
    figures: dict[str, Any] = {}
    if workers == 0:
        started, cpu = time.perf_counter(), _cpu_seconds()
        frame = pd.read_parquet(claims)
        result = top_matches(frame, "occupations", taxonomy, top_k=10, progress=False)
        result.to_parquet(out, index=False)
        figures.update(seconds=time.perf_counter() - started, rows=len(result),
                       cpu=_cpu_seconds() - cpu,
                       employees=int(result["employee_id"].nunique()),
                       peak_mib=[round(_peak_mib())])
        return figures
    import dask.dataframe as dd

    with _local_cluster(workers) as client:
        started, cpu = time.perf_counter(), _cluster_cpu(client)
        collection = dd.read_parquet(str(claims), index="employee_id",
                                     calculate_divisions=True)
        result = top_matches(collection, "occupations", taxonomy, top_k=10, client=client)
        result.to_parquet(str(out), write_index=False, overwrite=True)
        seconds = time.perf_counter() - started
        figures["cpu"] = _cluster_cpu(client) - cpu
        worker_peaks = client.run(_peak_mib)
    written = pd.read_parquet(out, columns=["employee_id"])
    figures.update(seconds=seconds, rows=len(written),
                   employees=int(written["employee_id"].nunique()),
                   peak_mib=[round(_peak_mib()), *[round(v) for v in worker_peaks.values()]])
    return figures


def job_floor(esco_path: Path, claims: Path, workers: int) -> dict[str, Any]:
    """The floor of top-10 matching: the bare sparse product of the same claims with the same
    requirement shares (all minimum levels summed, no level fit, no partial credit) and
    ``np.argpartition`` top-10, on blocks of the same size; no checks, no levels, no
    components, no output file. Profiles and weights are built before timing."""
    del workers
    import pyarrow.parquet as pq
    import scipy.sparse as sp

    from skilltwin.outofcore.matching import _BLOCK_SCORES, occupation_profiles
    from skilltwin.scoring.formula import weight_matrices
    from skilltwin.scoring.policy import ScoringPolicy
    from skilltwin.taxonomy.matrices import SkillIndex

    taxonomy = load_taxonomy(esco_path)
    profiles = occupation_profiles(taxonomy)
    index = SkillIndex.of(taxonomy)
    shares = sp.csr_matrix(sum(weight_matrices(profiles, index,
                                               ScoringPolicy().essential_share).values()).T)
    block = max(1, _BLOCK_SCORES // len(profiles))
    started, cpu = time.perf_counter(), _cpu_seconds()
    table = pq.read_table(claims, columns=["employee_id", "skill", "level"])
    employee = table.column("employee_id").combine_chunks()
    starts = np.flatnonzero(np.r_[True, np.asarray(employee.slice(1)) !=
                                  np.asarray(employee.slice(0, len(employee) - 1))])
    skill = table.column("skill").combine_chunks()
    columns = np.array([index.position[str(uri)] for uri in skill.dictionary.to_pylist()])
    levels = sp.csr_matrix((table.column("level").to_numpy(),
                            columns[np.asarray(skill.indices)], np.r_[starts, len(table)]),
                           shape=(len(starts), len(index)))
    seconds_product = seconds_top = 0.0
    kept = 0
    for first in range(0, levels.shape[0], block):
        tick = time.perf_counter()
        scores = (levels[first:first + block] @ shares).toarray()
        tock = time.perf_counter()
        kept += np.argpartition(scores, -10, axis=1)[:, -10:].size
        seconds_top += time.perf_counter() - tock
        seconds_product += tock - tick
    return {"seconds": time.perf_counter() - started, "cpu": _cpu_seconds() - cpu,
            "product_seconds": seconds_product, "top_seconds": seconds_top,
            "employees": int(levels.shape[0]), "rows": kept,
            "peak_mib": [round(_peak_mib())]}


def job_map(esco_path: Path, texts_path: Path, workers: int) -> dict[str, Any]:
    from skilltwin.outofcore import map_texts, read_texts

    taxonomy = load_taxonomy(esco_path)
    figures: dict[str, Any] = {}
    if workers == 0:
        texts = read_texts(texts_path, "text")
        map_texts(texts[:100], taxonomy, kind="occupation", progress=False)  # load model
        started = time.perf_counter()
        result = map_texts(texts, taxonomy, kind="occupation", progress=False)
        figures.update(seconds=time.perf_counter() - started, rows=len(result),
                       peak_mib=[round(_peak_mib())])
        return figures
    with _local_cluster(workers) as client:
        warm = pd.Series(["nurse", "baker"] * workers * 2)
        import skilltwin.outofcore.mapping as mapping

        mapping._PARTITION_TEXTS = 2
        map_texts(warm, taxonomy, kind="occupation", client=client).compute()  # load model
        mapping._PARTITION_TEXTS = 5_000
        texts = read_texts(texts_path, "text", dask=True).repartition(
            npartitions=max(workers * 4, 1))
        started = time.perf_counter()
        rows = len(map_texts(texts, taxonomy, kind="occupation", client=client))
        seconds = time.perf_counter() - started
        worker_peaks = client.run(_peak_mib)
    figures.update(seconds=seconds, rows=rows,
                   peak_mib=[round(_peak_mib()), *[round(v) for v in worker_peaks.values()]])
    return figures


FRESH: set[str] = set()  # "kind:workers" jobs to run again even when stored (--fresh)
STORED = WORK / "results.json"


def run_job(args: list[str]) -> dict[str, Any]:
    """Run one job in a fresh Python process (or reuse its stored figures unless the job is
    in ``--fresh``); return its figures."""
    key = " ".join([args[0], Path(args[2]).name, args[3]])
    stored = json.loads(STORED.read_text()) if STORED.exists() else {}
    if key in stored and f"{args[0]}:{args[3]}" not in FRESH:
        print("stored:", key, stored[key], flush=True)
        return dict(stored[key])
    command = [sys.executable, __file__, "--job", *args]
    print("running:", " ".join(command[2:]), flush=True)
    done = subprocess.run(command, check=True, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print("  ", figures, flush=True)
    stored = json.loads(STORED.read_text()) if STORED.exists() else {}
    STORED.write_text(json.dumps({**stored, key: figures}, indent=1))
    return figures


# -- report -------------------------------------------------------------------------------
def report(esco: Path, sizes: list[int], texts: int, workers: int, map_workers: int
           ) -> str:
    rows = []
    loads = [load_average()]
    measured: dict[tuple[int, int], dict[str, Any]] = {}
    for size in sizes:
        folder = make_claims(esco, size)
        measured[(size, -1)] = run_job(["floor", str(esco), str(folder), "0"])
        loads.append(load_average())
        for count in (0, workers):
            measured[(size, count)] = run_job(["match", str(esco), str(folder), str(count)])
            loads.append(load_average())
    for size in sizes:
        floor, alone, cluster = (measured[(size, -1)], measured[(size, 0)],
                                 measured[(size, workers)])
        rate_alone = size / alone["seconds"]
        rate_cluster = size / cluster["seconds"]
        rows.append(
            f"| {size:,} | floor (product {floor['product_seconds']:.0f} s, argpartition "
            f"{floor['top_seconds']:.0f} s) | {floor['seconds']:.0f} s | "
            f"{size / floor['seconds']:,.0f} | {size / floor['cpu']:,.0f} | "
            f"{floor['peak_mib'][0]:,} MiB | | |")
        rows.append(
            f"| {size:,} | one process: {alone['seconds'] / floor['seconds']:.2f}x the floor "
            f"(CPU {alone['cpu'] / floor['cpu']:.2f}x) | {alone['seconds']:.0f} s | "
            f"{rate_alone:,.0f} | {size / alone['cpu']:,.0f} | {alone['peak_mib'][0]:,} MiB "
            "| | |")
        rows.append(
            f"| {size:,} | LocalCluster, {workers} workers | {cluster['seconds']:.0f} s | "
            f"{rate_cluster:,.0f} | {size / cluster['cpu']:,.0f} | client "
            f"{cluster['peak_mib'][0]:,} MiB, workers "
            f"{', '.join(f'{v:,}' for v in cluster['peak_mib'][1:])} MiB | "
            f"{rate_cluster / workers / rate_alone:.2f} | {alone['cpu'] / cluster['cpu']:.2f} |")
    text_rows: list[str] = []
    texts_rates = (0.0, 0.0)
    if texts:
        path = make_texts(esco, texts)
        alone = run_job(["map", str(esco), str(path), "0"])
        loads.append(load_average())
        cluster = run_job(["map", str(esco), str(path), str(map_workers)])
        loads.append(load_average())
        ratio = alone["seconds"] / cluster["seconds"]
        texts_rates = (texts / alone["seconds"], texts / cluster["seconds"])
        text_rows = [
            f"| one process | {alone['seconds']:.0f} s | {texts / alone['seconds']:,.0f} | "
            f"{alone['peak_mib'][0]:,} MiB | |",
            f"| LocalCluster, {map_workers} workers | {cluster['seconds']:.0f} s | "
            f"{texts / cluster['seconds']:,.0f} | workers "
            f"{', '.join(f'{v:,}' for v in cluster['peak_mib'][1:])} MiB | {ratio:.2f} |",
        ]
    kept = "" if texts else kept_mapping()
    growth = ""
    if len(sizes) == 2:
        small, big = sorted(sizes)
        per = {n: measured[(n, 0)]["seconds"] / n * 1e6 for n in sizes}
        growth = (f"Time per million employees in one process: {per[small]:.0f} s at "
                  f"{small:,}, {per[big]:.0f} s at {big:,} (linear growth keeps these equal).")
    lines = [
        "## Scale-out on Dask (`benchmarks/bench_scale.py`)",
        "",
        f"ESCO v1.1.1 (en); skilltwin {__version__}; {platform.machine()}, "
        f"{os.cpu_count()} logical CPUs, Python "
        f"{platform.python_version()}; {dt.date.today().isoformat()}. {machine_state(loads)}."
        + (" Mapping was not measured in this run: its table below is kept from an earlier "
           "one." if kept else ""),
        "",
        "**Top-10 matching** — synthetic employees (20 claims each from real ESCO skills, "
        "seed 13) x all 3,007 ESCO occupation profiles, end to end: read the claims Parquet, "
        "derive levels, score, keep the top 10 with components, write Parquet. The *floor*, "
        "measured in the same run just before: the bare sparse product of the same claims "
        "with the same requirement shares and `np.argpartition` top-10 on blocks of the same "
        "size (no checks, levels, partial credit, components or output). Targets: one process "
        "≤ 1.5x the floor, under 4 GB per process; cluster rate per core ≥ 0.85 x the "
        "one-process rate. The cluster is the LocalCluster skilltwin starts "
        "(`connect(\"local\")`, as `--scheduler local`: one thread per worker, no statistical "
        "profiler). The one-process "
        "run uses one core (sparse products and top-k selection are single-threaded). "
        "*Per-core ratio (wall)* = (cluster employees/s / workers) / one-process employees/s; "
        "*CPU efficiency* compares the CPU time consumed (one-process CPU-seconds / cluster "
        "CPU-seconds of client, scheduler and workers together, for the same work): 1.0 "
        "means Dask adds no work. Run with nothing else on the machine: on shared cores the "
        "wall-clock ratio measures the load of others more than Dask.",
        "",
        "| employees | run | wall time | employees/s | employees per CPU-second | "
        "peak memory per process | per-core ratio (wall) | CPU efficiency |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        *(["", growth] if growth else []),
    ]
    if text_rows:
        lines += [
            "",
            f"{MAPPING_HEADING} — {texts:,} short texts (ESCO occupation alternative labels, a "
            "third with a seniority word or gender marker) to the top 10 occupations, model "
            "loaded before timing (in the cluster: once per worker).",
            "",
            "| run | time | texts/s | peak memory | speed-up |",
            "| --- | --- | --- | --- | --- |",
            *text_rows,
        ]
        lines += ["", "In one process the encoder and the scoring already use every core (torch "
                  "threads); the cluster's workers have one thread each on the same cores. So "
                  "on one machine the speed-up shows what Dask costs for mapping, not a gain: "
                  "the gain comes from adding machines, each worker loading the model once."]
        if texts < TARGET_TEXTS:
            lines += ["", f"Measured on {texts:,} texts, not the {TARGET_TEXTS:,} of the "
                      "target: on this shared machine the larger run would take most of an "
                      "hour per configuration. Texts are mapped in independent batches, so "
                      f"time grows linearly: at the rates above {TARGET_TEXTS:,} texts take "
                      f"~{TARGET_TEXTS / texts_rates[0] / 60:.0f} min in one process and "
                      f"~{TARGET_TEXTS / texts_rates[1] / 60:.0f} min on the cluster."]
    elif kept:
        lines += ["", kept]
    return "\n".join(lines)


def kept_mapping(docs: Path = DOCS) -> str:
    """The mapping part of this benchmark's section as docs/benchmarks.md has it now (from
    its heading to the end of the section), or "" when there is none."""
    text = docs.read_text(encoding="utf-8") if docs.exists() else ""
    start, end = f"<!-- {SECTION}:start -->", f"<!-- {SECTION}:end -->"
    if start not in text or end not in text:
        return ""
    section = text.split(start, 1)[1].split(end, 1)[0]
    return section[section.index(MAPPING_HEADING):].strip() if MAPPING_HEADING in section \
        else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=default_esco_path())
    parser.add_argument("--employees", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000,
                        help="second, smaller workforce to show growth (0: none)")
    parser.add_argument("--texts", type=int, default=200_000, help="0: skip mapping")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="do not touch the docs")
    parser.add_argument("--fresh", nargs="*",
                        default=["floor:0", "match:0", "match:2", "map:0", "map:2"],
                        metavar="KIND:WORKERS", help="jobs to run even when their figures are "
                        "stored from an earlier run (default: all; e.g. --fresh match:2)")
    parser.add_argument("--job", nargs=4, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        kind, esco, path, workers = args.job
        run = {"match": job_match, "floor": job_floor, "map": job_map}[kind]
        print(json.dumps(run(Path(esco), Path(path), int(workers))))
        return
    FRESH.update(args.fresh)
    sizes = sorted({args.employees, *([args.small] if args.small else [])})
    text = report(args.esco, sizes, args.texts, args.workers, args.workers)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
