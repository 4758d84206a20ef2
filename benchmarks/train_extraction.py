"""Train the learned step of SkillMapper.extract_skills and measure it on held-out sentences.

Data: the TECH and HOUSE skill-extraction dev splits (SkillSpan job-ad sentences, Zhang et al.
2022, with ESCO labels, Decorte et al. 2022). Every dev sentence is extracted as a document by
the mapper; every concept ranked for one of its sentences is a candidate, labelled right when
the sentence's annotations hold it (sentences whose labels are all LABEL NOT PRESENT or
UNDERSPECIFIED only have wrong candidates).

Model: logistic regression on the candidate features of skilltwin/mapping/_extractor.py
(L2, Newton's method), Platt scaling of its logit into a probability, and a sentence-level
logistic model ("names a skill at all"). Thresholds (confidence, sentence) are chosen for the
best pooled micro F1 over both sets: one setting for both.

Every reported figure is on sentences the fit never saw: 5-fold cross-validation grouped by
sentence (seed 0); inside each training part, an inner 5-fold split gives the out-of-fold
logits that the calibration, the sentence model and the thresholds are fitted on. The shipped
artefact is fitted the same way on all dev sentences.

Run:  SKILLTWIN_DATA=/work/shared/data python benchmarks/train_extraction.py [--no-write]
Writes skilltwin/mapping/artefacts/extraction-minilm.json and its card, and rewrites the
"extraction" section of docs/benchmarks.md (unless --no-write). Deterministic: a rerun gives
the same artefact and figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from _report import DOCS, load_taxonomy, write_section

from skilltwin import Taxonomy, __version__
from skilltwin.config import default_esco_path, shared_data_dir
from skilltwin.mapping import ConceptMatch, SkillMapper
from skilltwin.mapping._extractor import (
    FEATURES,
    SENTENCE_FEATURES,
    Trees,
    _Tree,
    sentence_candidates,
    sentence_features,
)
from skilltwin.mapping.extraction import DEFAULT_THRESHOLD, merge_mentions

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "skilltwin" / "mapping" / "artefacts"
DUTCH = ROOT / "benchmarks" / "data" / "dutch_dev.csv"
NAME = "extraction-minilm"
SECTION = "extraction"
NO_SKILL = ("LABEL NOT PRESENT", "UNDERSPECIFIED")
SEED = 0
FOLDS = 5
DEPTH = 5  # ranked concepts per span considered
L2 = 1.0  # ridge penalty of the logistic models (standardised features)
#: The boosted trees of the mention model (scikit-learn's HistGradientBoostingClassifier).
TREES = {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 16, "min_samples_leaf": 10,
         "l2_regularization": 1.0}
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.01), 2)
SENTENCE_THRESHOLDS = np.round(np.arange(0.0, 0.61, 0.05), 2)
BINS = 10


# -- data -------------------------------------------------------------------------------------
@dataclass
class Doc:
    """One dev sentence, extracted as a document: its candidates, sentence by sentence."""

    dataset: str
    text: str
    gold: set[str]
    sentences: list[tuple[int, int]] = field(default_factory=list)  # candidate rows per sentence
    spans: list[int] = field(default_factory=list)  # spans per sentence
    uris: list[str] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    baseline: set[str] = field(default_factory=set)  # the score-threshold rule's prediction


def load_docs(mapper: SkillMapper, folder: Path, names: Sequence[str],
              english: Taxonomy | None = None, rule: float = DEFAULT_THRESHOLD) -> list[Doc]:
    """Every dev sentence of the sets ``names`` with its candidates and features (the
    annotations are English preferred labels: of ``english``, by default the mapper's
    taxonomy)."""
    skills = (english or mapper.taxonomy).skills_frame()
    preferred = dict(zip(skills["label"], skills.index, strict=True))
    docs: list[Doc] = []
    for name in names:
        frame = pd.read_csv(folder / f"{name}_validation_annotations.csv")
        for text, rows in frame.groupby("sentence", sort=True):
            gold = {preferred[label] for label in rows["label"]
                    if label not in NO_SKILL and label in preferred}
            docs.append(extract(mapper, name, str(text), gold, rule))
    return docs


def load_dutch_docs(mapper: SkillMapper, rule: float = DEFAULT_THRESHOLD) -> list[Doc]:
    """The team's Dutch dev sentences (:data:`DUTCH`), dataset ``"dutch"``; none when the file
    is absent."""
    if not DUTCH.is_file():
        return []
    frame = pd.read_csv(DUTCH, keep_default_na=False)
    return [extract(mapper, "dutch", str(text), {uri for uri in rows["uri"] if uri}, rule)
            for text, rows in frame.groupby("sentence", sort=False)]


def extract(mapper: SkillMapper, dataset: str, text: str, gold: set[str],
            rule: float = DEFAULT_THRESHOLD) -> Doc:
    return from_matches(dataset, text, gold, mapper._sentence_matches(text, DEPTH),
                        mapper._concept_facts, rule=rule)


def from_matches(dataset: str, text: str, gold: set[str],
                 sentences: Sequence[tuple[list[tuple[int, int]], list[list[ConceptMatch]]]],
                 facts: Callable[[str], Sequence[float]], depth: int = DEPTH,
                 rule: float = DEFAULT_THRESHOLD) -> Doc:
    """A document's candidates from its mapped sentences (each span's ``depth`` best), and
    the prediction of the score-threshold rule at ``rule``."""
    doc = Doc(dataset, text, gold)
    all_spans, all_matches = [], []
    for spans, ranked in sentences:
        matches = [m[:depth] for m in ranked]
        candidates, features = sentence_candidates(text, spans, matches, facts)
        first = len(doc.uris)
        doc.uris += [c.match.uri for c in candidates]
        doc.rows += list(features)
        doc.sentences.append((first, len(doc.uris)))
        doc.spans.append(len(spans))
        all_spans += spans
        all_matches += [m[:5] for m in matches]
    mentions = merge_mentions(text, all_spans, all_matches, rule)
    doc.baseline = {mention.best.uri for mention in mentions}
    return doc


def table(docs: Sequence[Doc]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels and the document of each row."""
    rows = [row for doc in docs for row in doc.rows]
    x = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
    y = np.asarray([uri in doc.gold for doc in docs for uri in doc.uris], dtype=np.float64)
    owner = np.asarray([i for i, doc in enumerate(docs) for _ in doc.uris], dtype=np.int64)
    return x, y, owner


# -- models -----------------------------------------------------------------------------------
@dataclass
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    coefficients: np.ndarray
    intercept: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coefficients + self.intercept

    def as_dict(self, names: Sequence[str]) -> dict[str, object]:
        return {"features": list(names), "mean": _round(self.mean),
                "scale": _round(self.scale), "coefficients": _round(self.coefficients),
                "intercept": round(float(self.intercept), 6)}


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> Logistic:
    """L2-penalised logistic regression on standardised features, by Newton's method."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(100):
        p = _sigmoid(z @ w)
        gradient = z.T @ (p - y) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return Logistic(mean, scale, w[:-1], float(w[-1]))


def fit_trees(x: np.ndarray, y: np.ndarray, names: Sequence[str]) -> Trees:
    """Gradient-boosted trees (scikit-learn, at training time only), exported as the numpy
    :class:`~skilltwin.mapping._extractor.Trees` the library applies; checked to agree."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    # one OpenMP thread: on a shared machine two threads waiting on each other made a fit
    # four times slower or worse (and a fixed count keeps reruns identical)
    with threadpool_limits(limits=1, user_api="openmp"):
        model = HistGradientBoostingClassifier(random_state=SEED, **TREES).fit(x, y)
    trees = []
    for iteration in model._predictors:
        nodes = iteration[0].nodes
        trees.append(_Tree(nodes["feature_idx"].astype(np.int64),
                           nodes["num_threshold"].astype(np.float64),
                           nodes["left"].astype(np.int64), nodes["right"].astype(np.int64),
                           nodes["is_leaf"].astype(bool), nodes["value"].astype(np.float64)))
    exported = Trees(tuple(names), float(np.ravel(model._baseline_prediction)[0]), tuple(trees))
    if len(x):
        gap = np.abs(exported.logit(x) - model.decision_function(x)).max()
        assert gap < 1e-6, f"exported trees disagree with scikit-learn by {gap}"
    return exported


def fit_platt(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``a, b`` of ``sigmoid(a * logit + b)``: a one-feature logistic regression (no penalty)."""
    z = np.column_stack([logits, np.ones_like(logits)])
    w = np.asarray([1.0, 0.0])
    for _ in range(100):
        p = _sigmoid(z @ w)
        hessian = (z * (p * (1 - p))[:, None]).T @ z + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, z.T @ (p - y))
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return float(w[0]), float(w[1])


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -50.0, 50.0)))


def _round(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]


def folds_of(count: int, seed: int) -> np.ndarray:
    """The fold of each document: a seeded shuffle cut into :data:`FOLDS` parts."""
    order = np.random.default_rng(seed).permutation(count)
    fold = np.empty(count, dtype=np.int64)
    fold[order] = np.arange(count) % FOLDS
    return fold


@dataclass
class Fitted:
    """A trained extraction step, as the artefact holds it."""

    mention: Trees | Logistic
    platt: tuple[float, float]
    sentence: Logistic
    threshold: float
    sentence_threshold: float
    columns: np.ndarray  # the features used (all, or an ablation's subset)

    def logits(self, x: np.ndarray) -> np.ndarray:
        return self.mention.logit(x[:, self.columns])


def sentence_table(docs: Sequence[Doc], logits: np.ndarray, x: np.ndarray, y: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Sentence features (from candidate logits) and whether a sentence has a right
    candidate."""
    rows, labels = [], []
    offset = 0
    for doc in docs:
        for (first, end), spans in zip(doc.sentences, doc.spans, strict=True):
            part = slice(offset + first, offset + end)
            rows.append(sentence_features(logits[part], x[part], spans))
            labels.append(float(y[part].any()))
        offset += len(doc.uris)
    return np.asarray(rows).reshape(len(rows), len(SENTENCE_FEATURES)), np.asarray(labels)


def predictions(docs: Sequence[Doc], confidence: np.ndarray, sentence_p: np.ndarray,
                sentence_threshold: float) -> list[dict[str, float]]:
    """Per document: each concept's confidence (best over the sentences the gate lets
    through): what extract_skills returns at threshold 0."""
    found: list[dict[str, float]] = []
    offset = 0
    sentence = 0
    for doc in docs:
        best: dict[str, float] = {}
        for first, end in doc.sentences:
            if sentence_p[sentence] >= sentence_threshold:
                for uri, p in zip(doc.uris[first:end],
                                  confidence[offset + first:offset + end].tolist(), strict=True):
                    best[uri] = max(best.get(uri, 0.0), p)
            sentence += 1
        offset += len(doc.uris)
        found.append(best)
    return found


def counts(docs: Sequence[Doc], found: Sequence[dict[str, float]], threshold: float
           ) -> np.ndarray:
    """True positives, predicted and relevant, summed over documents."""
    total = np.zeros(3)
    for doc, best in zip(docs, found, strict=True):
        predicted = {uri for uri, p in best.items() if p >= threshold}
        total += (len(predicted & doc.gold), len(predicted), len(doc.gold))
    return total


def f1(total: np.ndarray) -> float:
    precision = total[0] / max(total[1], 1)
    recall = total[0] / max(total[2], 1)
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def fit(docs: Sequence[Doc], columns: np.ndarray, *, gate: bool = True, trees: bool = True,
        seed: int = SEED) -> Fitted:
    """Fit the extraction step on ``docs``: the logistic model on all of them; calibration,
    sentence model and thresholds on out-of-fold logits of an inner split."""
    x, y, owner = table(docs)
    names = [FEATURES[i] for i in columns]

    def learn(rows: np.ndarray, labels: np.ndarray) -> Trees | Logistic:
        return fit_trees(rows, labels, names) if trees else fit_logistic(rows, labels)

    inner = folds_of(len(docs), seed + 1)[owner]
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        train = inner != k
        oof[~train] = learn(x[train][:, columns], y[train]).logit(x[~train][:, columns])
    platt = fit_platt(oof, y)
    confidence = _sigmoid(platt[0] * oof + platt[1])
    s_x, s_y = sentence_table(docs, oof, x, y)
    sentence = fit_logistic(s_x, s_y)
    sentence_p = _sigmoid(sentence.logit(s_x))
    best = (-1.0, 0.5, 0.0)
    for s_threshold in (SENTENCE_THRESHOLDS if gate else [0.0]):
        found = predictions(docs, confidence, sentence_p, float(s_threshold))
        for threshold in THRESHOLDS:
            score = f1(counts(docs, found, float(threshold)))
            if score > best[0] + 1e-12:
                best = (score, float(threshold), float(s_threshold))
    return Fitted(learn(x[:, columns], y), platt, sentence, best[1], best[2], columns)


def apply(fitted: Fitted, docs: Sequence[Doc]) -> tuple[np.ndarray, list[dict[str, float]],
                                                        list[dict[str, float]]]:
    """Confidences of every candidate row, and per document the concepts' confidences with and
    without the sentence gate."""
    x, y, _ = table(docs)
    logits = fitted.logits(x)
    confidence = _sigmoid(fitted.platt[0] * logits + fitted.platt[1])
    s_x, _ = sentence_table(docs, logits, x, y)
    sentence_p = _sigmoid(fitted.sentence.logit(s_x))
    gated = predictions(docs, confidence, sentence_p, fitted.sentence_threshold)
    ungated = predictions(docs, confidence, sentence_p, 0.0)
    return confidence, gated, ungated


def ece(pairs: Sequence[tuple[float, bool]]) -> float:
    """Expected calibration error over ten equal-width bins of confidence."""
    if not pairs:
        return float("nan")
    p = np.asarray([c for c, _ in pairs])
    right = np.asarray([r for _, r in pairs], dtype=np.float64)
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    error = 0.0
    for b in range(BINS):
        inside = bins == b
        if inside.any():
            error += inside.sum() / len(p) * abs(p[inside].mean() - right[inside].mean())
    return float(error)


def ece_floor(confidences: Sequence[float], draws: int = 2000) -> tuple[float, float]:
    """The ECE a perfectly calibrated confidence would show on these mentions (each right
    with probability its confidence; seeded draws): its mean and 90th percentile. On a few
    hundred mentions in ten bins it is far from 0: the sampling noise of the measure."""
    if not confidences:
        return float("nan"), float("nan")
    p = np.asarray(confidences, dtype=np.float64)
    rng = np.random.default_rng(SEED)
    values = [ece(list(zip(p.tolist(), (rng.random(len(p)) < p).tolist(), strict=True)))
              for _ in range(draws)]
    return float(np.mean(values)), float(np.percentile(values, 90))


@dataclass
class Outcome:
    """Held-out figures of one setting."""

    name: str
    f1: dict[str, float]
    precision: dict[str, float]
    recall: dict[str, float]
    ece_all: float
    ece_kept: float
    kept: list[float]  # confidences of the mentions kept at the threshold
    thresholds: list[tuple[float, float]]
    reliability: pd.DataFrame | None = None
    silent: tuple[int, int] = (0, 0)  # sentences without a skill that got no mention, of all
    # per language of the sentences ("en", "nl"): ECE over all candidates and kept mentions
    ece_by_language: dict[str, tuple[float, float]] = field(default_factory=dict)
    kept_by_language: dict[str, list[float]] = field(default_factory=dict)
    silent_by_language: dict[str, tuple[int, int]] = field(default_factory=dict)


def language_of(dataset: str) -> str:
    """The language of a dev set's sentences: ``"nl"`` for the team's Dutch set."""
    return "nl" if dataset == "dutch" else "en"


def cross_validate(docs: Sequence[Doc], name: str, columns: np.ndarray, *, gate: bool = True,
                   trees: bool = True, ungated_name: str | None = None,
                   trainable: Callable[[Doc], bool] | None = None) -> list[Outcome]:
    """Outer 5-fold cross-validation grouped by sentence: every figure on unseen sentences.
    With ``ungated_name``, also the same fits without the sentence model. With ``trainable``,
    only the sentences it accepts are trained on (the others are only tested)."""
    fold = folds_of(len(docs), SEED)
    found: list[dict[str, float]] = [{} for _ in docs]
    found_ungated: list[dict[str, float]] = [{} for _ in docs]
    kept_threshold: list[float] = [0.0] * len(docs)
    thresholds = []
    for k in range(FOLDS):
        train = [doc for doc, f in zip(docs, fold, strict=True)
                 if f != k and (trainable is None or trainable(doc))]
        test_positions = [i for i, f in enumerate(fold) if f == k]
        fitted = fit(train, columns, gate=gate, trees=trees)
        thresholds.append((fitted.threshold, fitted.sentence_threshold))
        _, gated, ungated = apply(fitted, [docs[i] for i in test_positions])
        for position, best, every in zip(test_positions, gated, ungated, strict=True):
            found[position] = best
            found_ungated[position] = every
            kept_threshold[position] = fitted.threshold
    outcomes = [summarise(name, docs, found, kept_threshold, thresholds)]
    if ungated_name:
        outcomes.append(summarise(ungated_name, docs, found_ungated, kept_threshold,
                                  thresholds))
    return outcomes


def summarise(name: str, docs: Sequence[Doc], found: Sequence[dict[str, float]],
              thresholds_per_doc: Sequence[float], thresholds: list[tuple[float, float]]
              ) -> Outcome:
    per_set: dict[str, np.ndarray] = {}
    all_pairs: list[tuple[float, bool]] = []
    kept_pairs: list[tuple[float, bool]] = []
    by_language: dict[str, tuple[list[tuple[float, bool]], list[tuple[float, bool]]]] = {}
    silent: dict[str, list[int]] = {}
    for doc, best, threshold in zip(docs, found, thresholds_per_doc, strict=True):
        language = language_of(doc.dataset)
        predicted = {uri for uri, p in best.items() if p >= threshold}
        if not doc.gold:
            for key in ("both", language):
                silent.setdefault(key, [0, 0])
                silent[key][0] += not predicted
                silent[key][1] += 1
        total = np.asarray([len(predicted & doc.gold), len(predicted), len(doc.gold)], float)
        for key in {doc.dataset, language, "both"}:
            per_set[key] = per_set.get(key, np.zeros(3)) + total
        every, kept = by_language.setdefault(language, ([], []))
        for uri, p in best.items():
            all_pairs.append((p, uri in doc.gold))
            every.append((p, uri in doc.gold))
            if p >= threshold:
                kept_pairs.append((p, uri in doc.gold))
                kept.append((p, uri in doc.gold))
    both = silent.get("both", [0, 0])
    return Outcome(
        name,
        f1={key: f1(value) for key, value in per_set.items()},
        precision={key: value[0] / max(value[1], 1) for key, value in per_set.items()},
        recall={key: value[0] / max(value[2], 1) for key, value in per_set.items()},
        ece_all=ece(all_pairs), ece_kept=ece(kept_pairs), kept=[p for p, _ in kept_pairs],
        thresholds=thresholds,
        reliability=reliability(all_pairs), silent=(both[0], both[1]),
        ece_by_language={key: (ece(every), ece(kept))
                         for key, (every, kept) in by_language.items()},
        kept_by_language={key: [p for p, _ in kept] for key, (_, kept) in by_language.items()},
        silent_by_language={key: (value[0], value[1]) for key, value in silent.items()},
    )


def reliability(pairs: Sequence[tuple[float, bool]]) -> pd.DataFrame:
    p = np.asarray([c for c, _ in pairs])
    right = np.asarray([r for _, r in pairs], dtype=np.float64)
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    rows = []
    for b in range(BINS):
        inside = bins == b
        if inside.any():
            rows.append({"bin": f"{b / BINS:.1f}-{(b + 1) / BINS:.1f}",
                         "candidates": int(inside.sum()),
                         "mean confidence": float(p[inside].mean()),
                         "share right": float(right[inside].mean())})
    return pd.DataFrame(rows)


def baseline(docs: Sequence[Doc], rule: float = DEFAULT_THRESHOLD) -> Outcome:
    """The rule extract_skills used before: fused score ≥ ``rule`` (0.6 for MiniLM), best
    concept of each mention (the docs were extracted with that ``rule``)."""
    per_set: dict[str, np.ndarray] = {}
    silent: dict[str, list[int]] = {}
    for doc in docs:
        language = language_of(doc.dataset)
        if not doc.gold:
            for key in ("both", language):
                silent.setdefault(key, [0, 0])
                silent[key][0] += not doc.baseline
                silent[key][1] += 1
        total = np.asarray([len(doc.baseline & doc.gold), len(doc.baseline), len(doc.gold)],
                           float)
        for key in {doc.dataset, language, "both"}:
            per_set[key] = per_set.get(key, np.zeros(3)) + total
    both = silent.get("both", [0, 0])
    return Outcome(f"before: fused score ≥ {rule} (no learning)",
                   f1={k: f1(v) for k, v in per_set.items()},
                   precision={k: v[0] / max(v[1], 1) for k, v in per_set.items()},
                   recall={k: v[0] / max(v[2], 1) for k, v in per_set.items()},
                   ece_all=float("nan"), ece_kept=float("nan"), kept=[], thresholds=[],
                   silent=(both[0], both[1]),
                   silent_by_language={k: (v[0], v[1]) for k, v in silent.items()})


def candidate_recall(docs: Sequence[Doc]) -> float:
    found = sum(len(doc.gold & set(doc.uris)) for doc in docs)
    return found / max(sum(len(doc.gold) for doc in docs), 1)


# -- artefact and report ----------------------------------------------------------------------
def artefact(fitted: Fitted, model: str, trained_with: str, name: str = NAME
             ) -> dict[str, object]:
    """The artefact's content: ``model`` is the encoder's name (the mapper picks the artefact
    by it), ``trained_with`` says in words what the scores came from."""
    return {
        "name": name,
        "model": model,
        "what": "The learned step of skilltwin.SkillMapper.extract_skills: boosted trees "
                "over candidate features, their Platt calibration into a probability, and a "
                f"sentence-level logistic model. See {name}.md.",
        "trees": TREES,
        "format": 1,
        "library_version": __version__,
        "trained_with": trained_with,
        "candidates_per_span": DEPTH,
        "threshold": fitted.threshold,
        "sentence_threshold": fitted.sentence_threshold,
        "mention_model": fitted.mention.as_dict(),
        "calibration": {"method": "platt", "a": round(fitted.platt[0], 6),
                        "b": round(fitted.platt[1], 6)},
        "sentence_model": fitted.sentence.as_dict(SENTENCE_FEATURES),
    }


def outcome_rows(outcomes: Sequence[Outcome]) -> list[str]:
    lines = ["| setting | F1 TECH | F1 HOUSE | F1 both | precision | recall | ECE (all "
             "candidates) | ECE (mentions kept) | silent on sentences without a skill |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for o in outcomes:
        lines.append(
            f"| {o.name} | {o.f1.get('tech', float('nan')):.3f} | "
            f"{o.f1.get('house', float('nan')):.3f} | {o.f1['both']:.3f} | "
            f"{o.precision['both']:.3f} | {o.recall['both']:.3f} | "
            f"{_fmt(o.ece_all)} | {_fmt(o.ece_kept)} | {o.silent[0]} of {o.silent[1]} |")
    return lines


def _fmt(value: float) -> str:
    return "—" if np.isnan(value) else f"{value:.3f}"


def reliability_rows(outcome: Outcome) -> list[str]:
    """The reliability table of a setting's held-out confidences, ten bins."""
    assert outcome.reliability is not None
    lines = ["| confidence | candidates | mean confidence | share right |",
             "| --- | --- | --- | --- |"]
    for _, row in outcome.reliability.iterrows():
        lines.append(f"| {row['bin']} | {row['candidates']} | {row['mean confidence']:.3f} | "
                     f"{row['share right']:.3f} |")
    return lines


# The cards' shared paragraphs: where the English sentences come from, and ESCO's licence.
SPLITS = ("The TECH and HOUSE skill-extraction validation splits (job-ad sentences of "
          "SkillSpan, Zhang et al., \"SkillSpan: Hard and Soft Skill Extraction from English Job "
          "Postings\", NAACL 2022, annotated with ESCO skills by Decorte et al., \"Design of "
          "Negative Sampling Strategies for Distantly Supervised Skill Extraction\", RecSys in "
          "HR 2022)")
ATTRIBUTION = ("**ESCO.** This artefact is derived from ESCO, © European Union, "
               "https://esco.ec.europa.eu, reused under the Commission's reuse policy (CC BY 4.0).")


def report(outcomes: Sequence[Outcome], final: Fitted, docs: Sequence[Doc], backend: str,
           dutch: Sequence[str]) -> str:
    main = next(o for o in outcomes if o.name.startswith("learned"))
    sentences = len(docs)
    empty = sum(1 for doc in docs if not doc.gold)
    tech_f1, house_f1 = main.f1["tech"], main.f1["house"]
    floor = ece_floor(main.kept)
    verdict = "met" if min(tech_f1, house_f1) >= 0.45 else "missed"
    return "\n".join([
        "## Extraction with confidence (`benchmarks/train_extraction.py`)",
        "",
        f"ESCO v1.1.1 (en); all-MiniLM-L6-v2 ({backend} backend), CPU; skilltwin "
        f"{__version__}; {platform.machine()}, Python {platform.python_version()}; "
        f"{date.today().isoformat()}.",
        "",
        "Data: the TECH and HOUSE skill-extraction validation splits — SkillSpan job-ad "
        "sentences (Zhang et al., NAACL 2022) with ESCO labels (Decorte et al., \"Design of "
        "Negative Sampling Strategies for Distantly Supervised Skill Extraction\", RecSys in HR "
        f"2022): {sentences} sentences, {empty} of them with no ESCO skill (every label LABEL "
        "NOT PRESENT or UNDERSPECIFIED). Each sentence is extracted as a document. Measure: "
        "micro precision, recall and F1 over all sentences, predicted set = the concept of "
        "each mention (one concept per mention). Every figure below is held out: 5-fold "
        "cross-validation grouped by sentence (seed 0), calibration, sentence model and "
        "thresholds fitted inside each training part on out-of-fold logits of an inner "
        "5-fold split; nothing is tuned on the test fold. ECE: expected calibration error "
        "over ten equal-width bins, on every candidate concept of the held-out sentences (its "
        "best confidence per sentence), and on the mentions kept at the threshold.",
        "",
        f"Candidate recall (gold concepts among the {DEPTH} ranked concepts of some span of "
        f"their sentence): {candidate_recall(docs):.3f}, the ceiling of recall.",
        "",
        *outcome_rows(outcomes),
        "",
        f"Target F1 ≥ 0.45 on TECH and on HOUSE with one setting: {verdict} "
        f"(TECH {tech_f1:.3f}, HOUSE {house_f1:.3f}). Target ECE ≤ 0.05: "
        f"{'met' if main.ece_all <= 0.05 else 'missed'} on all candidates "
        f"({main.ece_all:.3f}), {'met' if main.ece_kept <= 0.05 else 'missed'} on the kept "
        f"mentions ({main.ece_kept:.3f}). On {len(main.kept)} kept mentions even a perfectly "
        f"calibrated confidence would show an ECE of {floor[0]:.3f} on average (above "
        f"{floor[1]:.3f} one time in ten; `ece_floor`): ten bins over a few hundred mentions "
        "are that noisy, so the kept-mention figure is read against that floor.",
        "",
        "Thresholds chosen inside each training part (confidence, sentence): "
        + ", ".join(f"({t:.2f}, {s:.2f})" for t, s in main.thresholds) + ". The shipped "
        f"artefact, fitted on all dev sentences: confidence threshold {final.threshold:.2f}, "
        f"sentence threshold {final.sentence_threshold:.2f}.",
        "",
        "Reliability of the held-out confidences (learned, all features):",
        "",
        *reliability_rows(main),
        *(["", *dutch] if dutch else []),
    ])


def card(section: str, path: Path) -> str:
    """The card beside the artefact: what it is, the data, the settings, the dev figures."""
    figures = section.split("\n", 2)[2]
    return "\n".join([
        f"# {NAME}: the learned step of `SkillMapper.extract_skills`",
        "",
        f"File: `{path.name}` ({path.stat().st_size / 1024:.0f} KiB), read by "
        "`skilltwin.mapping._extractor.packaged_model` with numpy alone (no torch, no "
        "scikit-learn). Rebuilt, byte for byte, by `python benchmarks/train_extraction.py` "
        "(fixed seeds; see docs/mapping.md, \"Extraction\").",
        "",
        "**What it is.** For each concept ranked for a sentence (the "
        f"{DEPTH} best of each span: the sentence and its phrases), {len(FEATURES)} numbers "
        "(`FEATURES` in skilltwin/mapping/_extractor.py: the fused score and its signals, "
        "rank and margins in the span and the sentence, span and label lengths, exact and "
        "word-for-word label hits, matched label role, and ESCO's skill type, reuse level and "
        "number of occupations asking for the skill) go through gradient-boosted trees "
        f"({TREES}); the trees' logit is Platt-scaled into the `confidence` of the mention. A "
        "logistic model on sentence features says whether a sentence names any skill; "
        "the thresholds on both were chosen for the best F1 on the dev sentences.",
        "",
        f"**Data.** {SPLITS}, and ESCO v1.1.1 itself (labels, skill types, reuse levels, "
        "occupation-skill relations). No test split was used.",
        "",
        ATTRIBUTION,
        "",
        "**Limits.** Trained with all-MiniLM-L6-v2 scores on the full English ESCO; with "
        "another model or a subset of ESCO the confidence is not calibrated (it still "
        "orders mentions). 178 dev sentences are few: the figures below move by a few "
        "points between folds.",
        "",
        "## Dev figures (held out by sentence)",
        "",
        figures,
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="auto", choices=["auto", "onnx", "torch"],
                        help="the encoder backend whose scores the model learns from (default: "
                             "the mapper's default, ONNX Runtime float32)")
    parser.add_argument("--no-write", action="store_true",
                        help="print the figures; write neither the artefact nor the docs")
    args = parser.parse_args()
    started = time.perf_counter()
    taxonomy = load_taxonomy(default_esco_path())
    mapper = SkillMapper(taxonomy, backend=args.backend, progress=True)
    backend = backend_of(mapper)
    docs = load_docs(mapper, shared_data_dir() / "benchmarks" / "skill-extraction",
                     ("tech", "house"))
    print(f"{len(docs)} sentences, {sum(len(d.uris) for d in docs)} candidates, "
          f"candidate recall {candidate_recall(docs):.3f}", flush=True)
    every = np.arange(len(FEATURES))
    score_only = np.asarray([FEATURES.index("score")])
    outcomes = [
        baseline(docs),
        *cross_validate(docs, "fused score only, Platt-calibrated", score_only, gate=False,
                        trees=False),
        *cross_validate(docs, "logistic regression, all features", every, gate=False,
                        trees=False),
        *cross_validate(docs, "learned: boosted trees + sentence model (shipped)", every,
                        ungated_name="the same fits without the sentence model"),
    ]
    for line in outcome_rows(outcomes):
        print(line)
    final = fit(docs, every)
    print(f"final thresholds {final.threshold} / {final.sentence_threshold}; "
          f"{time.perf_counter() - started:.0f} s")
    dutch = dutch_section(mapper, final)
    for line in dutch:
        print(line)
    if args.no_write:
        return
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{NAME}.json"
    trained_with = f"all-MiniLM-L6-v2 ({backend} backend), ESCO v1.1.1 (en)"
    path.write_text(json.dumps(artefact(final, mapper.encoder.name, trained_with), indent=1)
                    + "\n", encoding="utf-8")
    print(f"wrote {path}")
    section = report(outcomes, final, docs, backend, dutch)
    (ARTEFACTS / f"{NAME}.md").write_text(card(section, path), encoding="utf-8")
    write_section(SECTION, section)
    print(f"updated {DOCS}")


def backend_of(mapper: SkillMapper) -> str:
    """How the mapper's encoder runs, as the report states it ("ONNX Runtime float32")."""
    backend = getattr(mapper.encoder, "backend", "torch")
    if backend != "onnx":
        return "PyTorch"
    return "ONNX Runtime int8" if getattr(mapper.encoder, "quantize", False) else \
        "ONNX Runtime float32"


def dutch_section(mapper: SkillMapper, final: Fitted) -> list[str]:
    """Dutch extraction F1 on the team's Dutch set (benchmarks/data/dutch_dev.csv), with the
    shipped-to-be model: reported, never trained on."""
    docs = load_dutch_docs(mapper)
    if not docs:
        return []
    _, gated, _ = apply(final, docs)
    outcome = summarise("learned (shipped), English model", docs, gated,
                        [final.threshold] * len(docs), [])
    base = baseline(docs)
    return [
        f"**Dutch** — the team's Dutch dev set (`benchmarks/data/dutch_dev.csv`, {len(docs)} "
        f"sentences, {sum(1 for d in docs if not d.gold)} without a skill), same measure, "
        "English model and English ESCO labels (the Dutch text is matched against English "
        "labels); never used for training or thresholds of this model. The multilingual "
        "model, the default for Dutch, has an extraction model of its own: see the next "
        "section.",
        "",
        "| setting | F1 | precision | recall | ECE (all candidates) | ECE (mentions kept) "
        "| silent on sentences without a skill |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(f"| {o.name} | {o.f1['both']:.3f} | {o.precision['both']:.3f} | "
          f"{o.recall['both']:.3f} | {_fmt(o.ece_all)} | {_fmt(o.ece_kept)} | "
          f"{o.silent[0]} of {o.silent[1]} |"
          for o in (base, outcome)),
        "",
        f"Candidate recall: {candidate_recall(docs):.3f}.",
    ]


if __name__ == "__main__":
    sys.exit(main())
