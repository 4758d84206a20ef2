"""Queries and taxonomies for benchmarks/bench_dutch.py (ESCO v1.1.1 Dutch files).

Protocol (issue 15): a Dutch alternative label of an occupation is a query and the occupation
its answer; the index never holds a Dutch alternative or hidden label, so a query never meets
itself. Dutch skill labels come from the skill collections (the only Dutch skill labels of this
copy): their preferred labels, and, as a second setting, their preferred and alternative labels
(the variants, as the independent check of issue 20 queries them). Concepts are split by the
first hex digit of md5(URI): 0-7 is the development half (tuning allowed), 8-f the held-out
half (reported, never tuned on).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from skilltwin import Taxonomy
from skilltwin.taxonomy._data import TaxonomyData

__all__ = ["DutchQueries", "dev_half", "occupation_queries", "skill_queries",
           "skill_variant_queries", "without_dutch_alternatives"]

COLLECTIONS = ("digital", "green", "language", "transversal", "research", "digComp")


@dataclass(frozen=True)
class DutchQueries:
    """Query texts, the URIs relevant to each, and the half each belongs to."""

    name: str
    texts: list[str]
    relevant: list[set[str]]
    dev: list[bool]

    def half(self, dev: bool, sample: int | None, seed: int) -> DutchQueries:
        """The queries of one half (a seeded sample of ``sample`` of them when given)."""
        frame = pd.DataFrame({"text": self.texts, "relevant": self.relevant, "dev": self.dev})
        frame = frame[frame["dev"] == dev]
        if sample is not None and sample < len(frame):
            frame = frame.sample(sample, random_state=seed)
        return replace(self, name=f"{self.name} ({'dev' if dev else 'held-out'})",
                       texts=frame["text"].tolist(), relevant=frame["relevant"].tolist(),
                       dev=frame["dev"].tolist())


def dev_half(uri: str) -> bool:
    """Whether ``uri`` belongs to the development half (md5 hex digest starts with 0-7)."""
    return hashlib.md5(uri.encode()).hexdigest()[0] in "01234567"


def read_occupations_nl(folder: Path) -> pd.DataFrame:
    frame = pd.read_csv(folder / "occupations_nl.csv", dtype=str).set_index("conceptUri")
    for column in ("altLabels", "hiddenLabels"):
        frame[column] = frame[column].fillna("").map(
            lambda cell: tuple(part.strip() for part in cell.split("\n") if part.strip()))
    return frame


def occupation_queries(folder: Path) -> DutchQueries:
    """Every Dutch alternative label (different from its occupation's preferred label) with
    all the occupations that carry it; its half is that of the first occupation."""
    frame = read_occupations_nl(folder)
    owners: dict[str, list[str]] = {}
    for uri, row in frame.iterrows():
        for label in row["altLabels"]:
            if label.casefold() != str(row["preferredLabel"]).casefold():
                owners.setdefault(label, []).append(str(uri))
    texts = sorted(owners)
    return DutchQueries("Dutch titles", texts, [set(owners[t]) for t in texts],
                        [dev_half(owners[t][0]) for t in texts])


def skill_queries(folder: Path) -> DutchQueries:
    """The Dutch preferred label of every skill in the collections, with its skill."""
    labels: dict[str, str] = {}
    for name in COLLECTIONS:
        path = folder / f"{name}SkillsCollection_nl.csv"
        frame = pd.read_csv(path, dtype=str)
        for uri, label in zip(frame["conceptUri"], frame["preferredLabel"], strict=True):
            if isinstance(label, str) and label.strip():
                labels.setdefault(uri, label.strip())
    uris = sorted(labels)
    return DutchQueries("Dutch skill labels", [labels[u] for u in uris], [{u} for u in uris],
                        [dev_half(u) for u in uris])


def skill_variant_queries(folder: Path) -> DutchQueries:
    """Every Dutch label of the skills in the collections, preferred and alternative ones
    (``|``-separated in these files), with all the skills that carry it (a few variants belong
    to several skills); its half is that of the first such skill, as for titles."""
    owners: dict[str, list[str]] = {}
    for name in COLLECTIONS:
        frame = pd.read_csv(folder / f"{name}SkillsCollection_nl.csv", dtype=str)
        for uri, label, alternatives in zip(frame["conceptUri"], frame["preferredLabel"],
                                            frame["altLabels"], strict=True):
            labels = [label] + (alternatives.split("|") if isinstance(alternatives, str) else [])
            for text in (str(part).strip() for part in labels if isinstance(part, str)):
                if text and uri not in owners.setdefault(text, []):
                    owners[text].append(uri)
    texts = sorted(owners)
    return DutchQueries("Dutch skill labels and variants", texts,
                        [set(owners[t]) for t in texts], [dev_half(owners[t][0]) for t in texts])


def without_dutch_alternatives(dutch: Taxonomy) -> Taxonomy:
    """The within-Dutch setting from ``load_esco(..., language="nl")``: occupations keep their
    Dutch preferred label and description and, fused in as further labels, their English
    labels (except any English label equal to one of the concept's Dutch alternative or hidden
    labels, so no query meets itself); every Dutch alternative and hidden label is removed."""
    concepts = dutch.concepts_frame()
    occupations = concepts.index[(concepts["kind"] == "occupation")
                                 & (concepts["language"] == dutch.language)]
    for uri in occupations:
        hidden = {label.casefold() for label in (*concepts.at[uri, "alt_labels"],
                                                 *concepts.at[uri, "hidden_labels"])}
        concepts.at[uri, "fallback_labels"] = tuple(
            label for label in concepts.at[uri, "fallback_labels"]
            if label.casefold() not in hidden)
        concepts.at[uri, "alt_labels"] = ()
        concepts.at[uri, "hidden_labels"] = ()
    data = TaxonomyData(version=dutch.version, language=dutch.language, concepts=concepts,
                        relations=dutch.relations_frame())
    return Taxonomy(data)
