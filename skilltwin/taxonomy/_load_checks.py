"""Checks of a parsed ESCO download as a whole: no file empty or truncated, no duplicate kept.

A file cut at a line boundary parses cleanly, so the loader compares the files with each other:
in an ESCO release every occupation has skills and a broader concept, and every skill has a
broader concept. A relation file that covers far fewer of them, or relations that point at many
concepts no concept file describes, mean a damaged download, and loading stops with an error
that names the file. Exact duplicate relation rows are dropped and counted in a warning.
"""

from __future__ import annotations

import warnings
from collections import Counter

from skilltwin.errors import TaxonomyLoadError
from skilltwin.taxonomy._data import TaxonomyData
from skilltwin.taxonomy._sources import CsvSources

__all__ = ["MIN_COVERAGE", "check_parsed"]

MIN_COVERAGE = 0.9
"""Least share of occupations (skills) a relation file must cover; ESCO v1.1.1 covers 100%."""
_UNDESCRIBED_FLOOR = 1  # ESCO v1.1.1 English has 1 concept used by relations but undescribed
_UNDESCRIBED_SHARE = 0.01

_CONCEPT_FILES = {"skill": "skills", "occupation": "occupations", "isco_group": "ISCOGroups",
                  "skill_group": "skillGroups"}
_RELATION_FILES = {"occupation_skill": "occupationSkillRelations",
                   "skill_skill": "skillSkillRelations",
                   "broader_skill": "broaderRelationsSkillPillar",
                   "broader_occupation": "broaderRelationsOccPillar"}
# relation kind -> the concept kind whose every member is the source of at least one such row
_MUST_COVER = {"occupation_skill": "occupation", "broader_occupation": "occupation",
               "broader_skill": "skill"}
_AGAIN = "The file looks truncated or damaged: download the ESCO CSV release again."


def check_parsed(data: TaxonomyData, sources: CsvSources) -> None:
    """Drop duplicate relation rows (with a warning) and refuse an empty or truncated file."""
    _drop_duplicate_relations(data, sources)
    _check_not_empty(data, sources)
    _check_coverage(data, sources)
    _check_undescribed(data, sources)


def _drop_duplicate_relations(data: TaxonomyData, sources: CsvSources) -> None:
    duplicated = data.relations.duplicated(keep="first")
    if not duplicated.any():
        return
    counts = data.relations.loc[duplicated, "kind"].value_counts()
    data.relations = data.relations.loc[~duplicated].reset_index(drop=True)
    listed = ", ".join(f"{count} in {_relation_file(sources, str(kind), data)}"
                       for kind, count in counts.items())
    warnings.warn(
        f"dropped {int(duplicated.sum())} duplicate relation row(s) ({listed}); each relation "
        "is kept once.",
        stacklevel=4,
    )


def _check_not_empty(data: TaxonomyData, sources: CsvSources) -> None:
    kinds = data.concepts["kind"].value_counts()
    for kind, stem in _CONCEPT_FILES.items():
        if int(kinds.get(kind, 0)) == 0:
            raise TaxonomyLoadError(
                f"holds no rows (only a header?), so the taxonomy would have no {kind}s. {_AGAIN}",
                path=_concept_file(sources, stem, data),
            )
    relations = data.relations["kind"].value_counts()
    for kind in _RELATION_FILES:
        if int(relations.get(kind, 0)) == 0:
            raise TaxonomyLoadError(
                f"holds no rows (only a header?). {_AGAIN}",
                path=_relation_file(sources, kind, data),
            )


def _check_coverage(data: TaxonomyData, sources: CsvSources) -> None:
    concepts = data.concepts
    for kind, concept_kind in _MUST_COVER.items():
        members = concepts.index[concepts["kind"] == concept_kind]
        sources_of_kind = data.relations.loc[data.relations["kind"] == kind, "source"]
        covered = int(members.isin(sources_of_kind.unique()).sum())
        if covered < MIN_COVERAGE * len(members):
            raise TaxonomyLoadError(
                f"holds relations for only {covered:,} of the {len(members):,} {concept_kind}s "
                f"({covered / len(members):.0%}); in an ESCO release every {concept_kind} has "
                f"them. {_AGAIN}",
                path=_relation_file(sources, kind, data),
            )


def _check_undescribed(data: TaxonomyData, sources: CsvSources) -> None:
    count = len(data.undescribed)
    if count <= max(_UNDESCRIBED_FLOOR, _UNDESCRIBED_SHARE * len(data.concepts)):
        return
    counts = Counter(data.undescribed.values())
    pillar = counts.most_common(1)[0][0]
    example = next(uri for uri, kind in data.undescribed.items() if kind == pillar)
    listed = ", ".join(f"{n:,} {kind}" for kind, n in counts.most_common())
    file = _concept_file(sources, _CONCEPT_FILES.get(pillar, pillar), data)
    raise TaxonomyLoadError(
        f"the relation files use {count:,} concept(s) that no concept file describes ({listed}; "
        f"e.g. {example}): {file} looks truncated, or comes from another ESCO release. Pass one "
        "complete, unmodified release."
    )


def _concept_file(sources: CsvSources, stem: str, data: TaxonomyData) -> str:
    file = (sources.get(f"{stem}_{data.language}.csv")
            or sources.get(f"{stem}_{data.fallback_language}.csv"))
    return file.display if file else f"{stem}_{data.language}.csv"


def _relation_file(sources: CsvSources, kind: str, data: TaxonomyData) -> str:
    stem = _RELATION_FILES[kind]
    file = (sources.get(f"{stem}_{data.language}.csv") or sources.get(f"{stem}.csv")
            or sources.get(f"{stem}_{data.fallback_language}.csv"))
    return file.display if file else f"{stem}.csv"
