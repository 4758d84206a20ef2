"""Benchmark: what a user waits for first (issue 24): one `map-skills` line, the first index.

Each measure runs in fresh Python subprocesses, side by side in one run:

* **start-up**: `skilltwin map-skills` on one line with a warm cache (taxonomy, index and
  the model's ONNX export cached), with the default backend and with ``--backend onnx``
  (int8), against `python -c "import torch, sentence_transformers"`; median of ``--runs``
  alternating rounds. Also whether the default run loaded torch.
* **first English skill index** (empty cache): `EmbeddingIndex.for_taxonomy` with the default
  encoder, once with the ONNX export already cached and once with nothing cached (export
  included), with int8, and (``--torch-build``) with PyTorch; against bare PyTorch MiniLM
  (`SentenceTransformer.encode`, batches of 128) on every ESCO skill label (preferred and
  alternative), model loading not timed.

Run:  SKILLTWIN_CACHE_DIR=/work/cache python benchmarks/bench_first_run.py [--runs 5]
(the cache must hold the English skill indexes of the default and the int8 backend: run
bench_backends.py first). Prints the figures and rewrites its section of docs/benchmarks.md
(unless --no-write).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _report import DOCS, load_average, machine_state, write_section

from skilltwin import __version__
from skilltwin.config import cache_root, default_esco_path

SECTION = "first-run"
ROOT = Path(__file__).resolve().parent.parent
IMPORT_TORCH = "import torch, sentence_transformers"
FRACTION = [1.0]  # share of the skills in the index-build measure (--fraction)

_BUILD = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
from skilltwin import load_esco
from skilltwin.mapping import EmbeddingIndex, SentenceTransformerEncoder
taxonomy = load_esco({esco!r})
if {fraction!r} < 1:
    skills = taxonomy.skills_frame()
    kept = skills.sample(frac={fraction!r}, random_state=0).index.tolist()
    taxonomy = taxonomy.subset(kept, include_occupation_skills=False)
encoder = SentenceTransformerEncoder(backend={backend!r})
start = time.perf_counter()
encoder.encode(["warm up"])  # loads the model; an ONNX export when none is cached
ready = time.perf_counter()
index = EmbeddingIndex.for_taxonomy(taxonomy, "skill", encoder, progress=False)
done = time.perf_counter()
print(json.dumps({{"load": ready - start, "build": done - ready, "texts": len(index.table.texts),
                  "distinct": len(set(index.table.texts)), "torch": "torch" in sys.modules}}))
"""

_BARE = """
import json, time, warnings
warnings.simplefilter("ignore")
from skilltwin import load_esco
from skilltwin.mapping.encoder import _default_model_location
from sentence_transformers import SentenceTransformer
taxonomy = load_esco({esco!r})
if {fraction!r} < 1:
    skills = taxonomy.skills_frame()
    kept = skills.sample(frac={fraction!r}, random_state=0).index.tolist()
    taxonomy = taxonomy.subset(kept, include_occupation_skills=False)
skills = taxonomy.skills_frame()
labels = [str(label) for label in skills["label"]]
labels += [str(alt) for alts in skills["alt_labels"] for alt in alts]
model = SentenceTransformer(_default_model_location(), device="cpu")
start = time.perf_counter()
model.encode(labels, batch_size=128, normalize_embeddings=True, convert_to_numpy=True)
print(json.dumps({{"build": time.perf_counter() - start, "texts": len(labels)}}))
"""

_MODULES = "import json, sys; print(json.dumps(sorted(sys.modules)))"


def run(args: list[str], env: dict[str, str], stdin: str | None = None
        ) -> tuple[float, str]:
    """Wall seconds of a subprocess and its stdout (it must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env=env, input=stdin, capture_output=True,
                          text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{args[:3]} failed: {done.stderr[-2000:]}")
    return seconds, done.stdout


def startup(runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Wall times of the start-up commands, alternating, ``runs`` rounds."""
    cli = [sys.executable, "-m", "skilltwin.cli.main", "map-skills", "--top-k", "5"]
    commands = {
        "import torch, sentence_transformers": ([sys.executable, "-c", IMPORT_TORCH], None),
        "map-skills, one line (default backend)": (cli, "manage a team of developers\n"),
        "map-skills, one line (--backend onnx, int8)": ([*cli, "--backend", "onnx"],
                                                       "manage a team of developers\n"),
    }
    for args, stdin in commands.values():  # warm the page cache and check the caches exist
        run(args, env, stdin)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (args, stdin) in commands.items():
            times[name].append(run(args, env, stdin)[0])
            print(name, f"{times[name][-1]:.2f} s", flush=True)
    return times


def torch_loaded_by_default_map_skills(env: dict[str, str]) -> bool:
    """Whether `map-skills` with the default backend imports torch (warm cache)."""
    code = ("import sys\nfrom skilltwin.cli.main import main\n"
            "main(['map-skills', '--top-k', '1'])\n" + _MODULES)
    _, out = run([sys.executable, "-c", code], env, "SQL\n")
    return "torch" in json.loads(out.strip().splitlines()[-1])


def first_build(backend: str, env: dict[str, str], esco: Path, keep_export: Path | None
                ) -> dict[str, float]:
    """Build the English skill index in an empty cache (holding only the ONNX export when
    ``keep_export`` is a cached ``onnx`` folder); figures from the subprocess."""
    with tempfile.TemporaryDirectory(prefix="skilltwin-first-") as folder:
        fresh = {**env, "SKILLTWIN_CACHE_DIR": folder}
        # the parsed taxonomy is not what this measures: take it from the warm cache
        shutil.copytree(Path(env["SKILLTWIN_CACHE_DIR"]) / "taxonomy", Path(folder) / "taxonomy")
        if keep_export is not None:
            shutil.copytree(keep_export, Path(folder) / "onnx")
        code = _BUILD.format(esco=str(esco), backend=backend, fraction=FRACTION[0])
        _, out = run([sys.executable, "-c", code], fresh)
    return json.loads(out.strip().splitlines()[-1])


def bare_torch(env: dict[str, str], esco: Path) -> dict[str, float]:
    _, out = run([sys.executable, "-c", _BARE.format(esco=str(esco), fraction=FRACTION[0])],
                 env)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="start-up rounds (default 5)")
    parser.add_argument("--no-build", action="store_true", help="start-up figures only")
    parser.add_argument("--fraction", type=float, default=1.0,
                        help="index build over a seeded sample of this share of the skills, "
                             "with all their texts (default 1: every skill)")
    parser.add_argument("--torch-build", action="store_true",
                        help="also build the index with PyTorch (slow)")
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    args = parser.parse_args()
    FRACTION[0] = args.fraction
    esco = default_esco_path()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SKILLTWIN_CACHE_DIR": str(cache_root()),
           "SKILLTWIN_DATA": str(esco.parent.parent)}
    loads = [load_average()]
    times = startup(args.runs, env)
    torch_loaded = torch_loaded_by_default_map_skills(env)
    loads.append(load_average())
    builds: dict[str, dict[str, float]] = {}
    if not args.no_build:
        exports = sorted((cache_root() / "onnx").glob("*-*"))
        staged = Path(tempfile.mkdtemp(prefix="skilltwin-onnx-copy-"))
        for export in exports:
            shutil.copytree(export, staged / export.name)
        builds["bare PyTorch MiniLM, every skill label"] = bare_torch(env, esco)
        print(builds, flush=True)
        builds["index, default backend, export cached"] = first_build("auto", env, esco, staged)
        print(builds, flush=True)
        builds["index, default backend, nothing cached"] = first_build("auto", env, esco, None)
        print(builds, flush=True)
        builds["index, --backend onnx (int8), export cached"] = first_build("onnx", env, esco,
                                                                            staged)
        print(builds, flush=True)
        if args.torch_build:
            builds["index, --backend torch"] = first_build("torch", env, esco, None)
            print(builds, flush=True)
        shutil.rmtree(staged, ignore_errors=True)
        loads.append(load_average())
    text = section(times, torch_loaded, builds, args.runs, loads, args.fraction)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
        print(f"updated {DOCS}")


def section(times: dict[str, list[float]], torch_loaded: bool,
            builds: dict[str, dict[str, float]], runs: int, loads: list[str],
            fraction: float) -> str:
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["import torch, sentence_transformers"]
    lines = [
        "## First run: start-up and the first index (`benchmarks/bench_first_run.py`)",
        "",
        f"{date.today().isoformat()}, skilltwin {__version__}, {platform.machine()}, "
        f"{os.cpu_count()} logical CPUs, Python {platform.python_version()}. "
        f"{machine_state(loads)}: the figures are wall times of fresh "
        "subprocesses, and the ratios, measured side by side in the same run, are what to "
        "compare.",
        "",
        f"**Start-up** — median of {runs} alternating rounds; `map-skills` maps one line "
        "(top 5) against the full English ESCO with a warm cache (parsed taxonomy, skill "
        "index and the model's ONNX export). The default backend imported torch: "
        f"{'yes' if torch_loaded else 'no'}.",
        "",
        "| command | median | range | vs `import torch, sentence_transformers` | target | |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for name, values in times.items():
        ratio = medians[name] / base
        target, verdict = "", ""
        if "default backend" in name:
            target, verdict = "≤ 0.4×", "met" if ratio <= 0.4 else "**missed**"
        lines.append(f"| {name} | {medians[name]:.2f} s | {min(values):.2f}–{max(values):.2f} s"
                     f" | {ratio:.2f}× | {target} | {verdict} |")
    if builds:
        bare = builds["bare PyTorch MiniLM, every skill label"]
        lines += [
            "",
            "**First English skill index** (empty cache; the parsed taxonomy copied in) "
            f"against bare PyTorch MiniLM encoding of every ESCO skill label ({bare['texts']:,} "
            "preferred and alternative labels, batches of 128, model loading not timed)"
            + ("." if fraction >= 1 else
               f", both over a seeded sample of {fraction:.0%} of the skills (seed 0) with all "
               "their texts: the full build, several times over, did not fit the shared "
               "machine's time.")
            + " The "
            "index also embeds the hidden labels and the descriptions; each distinct text "
            "once. *model ready*: loading the model, or exporting it to ONNX when no export "
            "is cached (that needs torch, once).",
            "",
            "| run | texts embedded | model ready | index build | total | total vs bare | "
            "target | |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for name, figures in builds.items():
            if name.startswith("bare"):
                lines.append(f"| {name} | {figures['texts']:,} | | {figures['build']:.0f} s | "
                             f"{figures['build']:.0f} s | 1.00× | | |")
                continue
            total = figures["load"] + figures["build"]
            ratio = total / bare["build"]
            target, verdict = "", ""
            if name.startswith("index,"):
                target, verdict = "≤ 0.7×", "met" if ratio <= 0.7 else "**missed**"
            lines.append(f"| {name} | {figures['distinct']:,} | {figures['load']:.1f} s | "
                         f"{figures['build']:.0f} s | {total:.0f} s | {ratio:.2f}× | {target} "
                         f"| {verdict} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
