"""What a :class:`~skilltwin.Taxonomy` builds from its tables: concept models, the skills of
each occupation and the networkx graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from skilltwin.taxonomy._data import TaxonomyData
from skilltwin.taxonomy.models import Concept, ISCOGroup, Occupation, Skill, SkillGroup

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["build_graph", "concept_model", "occupation_skills", "subset_data"]

_MODELS: dict[str, type[Concept]] = {
    "skill": Skill,
    "occupation": Occupation,
    "isco_group": ISCOGroup,
    "skill_group": SkillGroup,
}


def concept_model(uri: str, row: pd.Series,
                  skills: tuple[tuple[str, ...], tuple[str, ...]]) -> Concept:
    """The pydantic model of concept ``uri`` from its row of the concepts table;
    ``skills`` are an occupation's essential and optional skill URIs."""
    kind = row["kind"]
    fields: dict[str, Any] = {
        "uri": uri,
        "label": row["label"],
        "alt_labels": tuple(row["alt_labels"]),
        "hidden_labels": tuple(row["hidden_labels"]),
        "description": row["description"] or "",
        "language": row["language"],
    }
    if kind == "skill":
        fields.update(skill_type=row["skill_type"], reuse_level=row["reuse_level"],
                      collections=frozenset(row["collections"] or ()))
    elif kind == "occupation":
        essential, optional = skills
        fields.update(isco_group=row["isco_group"], code=row["code"],
                      essential_skills=essential, optional_skills=optional)
    else:
        fields.update(code=row["code"])
    return _MODELS[kind].model_construct(**fields)


def occupation_skills(relations: pd.DataFrame
                      ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each occupation's essential and optional skill URIs, from its occupation-skill
    relations."""
    grouped: dict[str, tuple[list[str], list[str]]] = {}
    for occupation, relation, skill in zip(
        relations["source"], relations["relation"], relations["target"], strict=True
    ):
        essential, optional = grouped.setdefault(occupation, ([], []))
        (essential if relation == "essential" else optional).append(skill)
    return {uri: (tuple(e), tuple(o)) for uri, (e, o) in grouped.items()}


def build_graph(data: TaxonomyData, release: str) -> nx.MultiDiGraph:
    """All concepts and relations of ``data`` as a networkx ``MultiDiGraph``."""
    import networkx as nx

    concepts = data.concepts
    graph = nx.MultiDiGraph(taxonomy=release)
    graph.add_nodes_from(
        (uri, {"kind": kind, "label": label})
        for uri, kind, label in zip(concepts.index, concepts["kind"], concepts["label"],
                                    strict=True)
    )
    graph.add_nodes_from(
        (uri, {"kind": kind, "label": None}) for uri, kind in data.undescribed.items()
    )
    relations = data.relations
    graph.add_edges_from(
        (source, target, relation, {"relation": relation, "kind": kind})
        for source, target, relation, kind in zip(
            relations["source"], relations["target"], relations["relation"],
            relations["kind"], strict=True
        )
    )
    return graph


def subset_data(data: TaxonomyData, keep: set[str]) -> TaxonomyData:
    """The tables of ``data`` for the concepts ``keep`` only (relations where both ends are
    kept)."""
    relations = data.relations
    kept = relations[relations["source"].isin(keep) & relations["target"].isin(keep)]
    return TaxonomyData(
        version=data.version,
        language=data.language,
        concepts=data.concepts[data.concepts.index.isin(keep)],
        relations=kept.reset_index(drop=True),
        source=data.source,
        fallback=data.fallback,
    )
