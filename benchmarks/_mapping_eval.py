"""Datasets and metrics for benchmarks/bench_mapping.py.

Skill extraction: TECH and HOUSE validation splits (SkillSpan sentences with ESCO labels,
Decorte et al. 2022). Job titles: the JobBERT evaluation set (Decorte et al. 2021).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Queries", "load_skill_set", "load_titles", "ranking_metrics"]

NO_SKILL = ("LABEL NOT PRESENT", "UNDERSPECIFIED")


@dataclass(frozen=True)
class Queries:
    """Query texts, the URIs relevant to each, and every sentence for threshold calibration."""

    name: str
    texts: list[str]
    relevant: list[set[str]]


def load_skill_set(folder: Path, name: str, preferred_to_uri: dict[str, str]) -> Queries:
    """Sentences of ``{name}_validation_annotations.csv`` with their ESCO skills (every
    sentence, also those with none: they are left out of ranking metrics by the caller)."""
    frame = pd.read_csv(folder / "skill-extraction" / f"{name}_validation_annotations.csv")
    texts: list[str] = []
    relevant: list[set[str]] = []
    for sentence, rows in frame.groupby("sentence", sort=True):
        labels = {label for label in rows["label"] if label not in NO_SKILL}
        texts.append(str(sentence))
        relevant.append({preferred_to_uri[label] for label in labels if label in preferred_to_uri})
    return Queries(name, texts, relevant)


def load_titles(folder: Path, sample: int | None, seed: int, *, part: int = 0) -> Queries:
    """Vacancy titles of ``titles.csv`` with their occupation: all of them (``sample`` None),
    or the ``part``-th block of ``sample`` titles of one seeded shuffle. Blocks never overlap,
    and block 0 is the same as ``frame.sample(sample, random_state=seed)``."""
    frame = pd.read_csv(folder / "job-titles" / "titles.csv", index_col=0)
    name = "titles" if part == 0 else f"titles, sample {part + 1}"
    if sample is not None and sample < len(frame):
        shuffled = frame.sample(len(frame), random_state=seed)
        frame = shuffled.iloc[part * sample:(part + 1) * sample]
    return Queries(name, frame["vacancyTitle"].astype(str).tolist(),
                   [{uri} for uri in frame["conceptUri"]])


def ranking_metrics(ranked: Sequence[Sequence[str]], relevant: Sequence[set[str]]
                    ) -> dict[str, float]:
    """RP@5, RP@10, MRR, acc@1 and acc@5 over the queries with at least one relevant URI."""
    rp5, rp10, mrr, acc1, acc5 = [], [], [], [], []
    for uris, gold in zip(ranked, relevant, strict=True):
        if not gold:
            continue
        hits = [uri in gold for uri in uris]
        rp5.append(sum(hits[:5]) / min(5, len(gold)))
        rp10.append(sum(hits[:10]) / min(10, len(gold)))
        first = next((rank for rank, hit in enumerate(hits, start=1) if hit), None)
        mrr.append(1 / first if first else 0.0)
        acc1.append(float(any(hits[:1])))
        acc5.append(float(any(hits[:5])))
    return {name: float(np.mean(values)) for name, values in
            (("RP@5", rp5), ("RP@10", rp10), ("MRR", mrr), ("acc@1", acc1), ("acc@5", acc5))}
