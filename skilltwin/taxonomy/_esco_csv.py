"""Parse the ESCO CSV download (v1.1.x and v1.2.x layouts) into :class:`TaxonomyData`."""

from __future__ import annotations

import csv
import warnings
from collections.abc import Sequence

import pandas as pd

from skilltwin.errors import TaxonomyLoadError
from skilltwin.taxonomy._data import RELATION_COLUMNS, TaxonomyData
from skilltwin.taxonomy._languages import merge_languages
from skilltwin.taxonomy._sources import CsvFile, CsvSources

__all__ = ["parse_esco"]

# ESCO collection files (prefix of the file name) and the collection name skilltwin gives them.
_SKILL_COLLECTIONS = {
    "digitalSkillsCollection": "digital",
    "greenSkillsCollection": "green",
    "transversalSkillsCollection": "transversal",
    "languageSkillsCollection": "language",
    "researchSkillsCollection": "research",
    "digCompSkillsCollection": "digcomp",
}


# Concept files: kind -> (file stem, columns read).
_CONCEPT_FILES = {
    "skill": ("skills", ["conceptUri", "preferredLabel", "altLabels", "hiddenLabels",
                         "skillType", "reuseLevel", "description"]),
    "occupation": ("occupations", ["conceptUri", "preferredLabel", "altLabels", "hiddenLabels",
                                   "iscoGroup", "code", "description"]),
    "isco_group": ("ISCOGroups", ["conceptUri", "preferredLabel", "altLabels", "code",
                                  "description"]),
    "skill_group": ("skillGroups", ["conceptUri", "preferredLabel", "altLabels", "hiddenLabels",
                                    "code", "description"]),
}


def parse_esco(sources: CsvSources, language: str, version: str,
               fallback: str | None = None) -> TaxonomyData:
    """Read every ESCO file the taxonomy needs from ``sources``.

    Concept texts come from the ``language`` files; a concept those files do not describe
    takes its texts from the ``fallback`` files (see :mod:`skilltwin.taxonomy._languages`).
    """
    fallback = fallback or language
    if not any(name.endswith(f"_{language.lower()}.csv") for name in sources.files):
        _find(sources, f"skills_{language}.csv", language)  # raises: no such language here
    concepts = pd.concat(
        [_concept_table(sources, kind, language, fallback) for kind in _CONCEPT_FILES]
    )
    _check_unique(concepts, language)

    relations = pd.concat(
        [
            _relations(sources, "occupationSkillRelations", language, fallback,
                       "occupation_skill", "occupationUri", "skillUri", "relationType"),
            _relations(sources, "skillSkillRelations", language, fallback, "skill_skill",
                       "originalSkillUri", "relatedSkillUri", "relationType"),
            _relations(sources, "broaderRelationsSkillPillar", language, fallback,
                       "broader_skill", "conceptUri", "broaderUri", None),
            _relations(sources, "broaderRelationsOccPillar", language, fallback,
                       "broader_occupation", "conceptUri", "broaderUri", None),
        ],
        ignore_index=True,
    )
    concepts, undescribed = _resolve_relation_ends(sources, (language, fallback), concepts,
                                                   relations)
    concepts["collections"] = _collections(sources, (language, fallback), concepts)
    return TaxonomyData(version=version, language=language, concepts=concepts,
                        relations=relations, undescribed=undescribed, fallback=fallback)


def _concept_table(sources: CsvSources, kind: str, language: str,
                   fallback: str) -> pd.DataFrame:
    """The concepts of one kind, in ``language`` where the download has them."""
    stem, columns = _CONCEPT_FILES[kind]
    required = ["conceptUri", "preferredLabel"]
    tables: dict[str, pd.DataFrame | None] = {}
    for lang in dict.fromkeys((language, fallback)):
        file = sources.get(f"{stem}_{lang}.csv")
        tables[lang] = (_concepts(_read(sources, file.name, lang, columns, required, file=file),
                                  kind) if file else None)
    if tables[language] is None and kind == "skill" and fallback != language:
        tables[language] = _collection_skills(sources, language)
    if tables[language] is None and tables.get(fallback) is None:
        _find(sources, f"{stem}_{language}.csv", language)  # raises, naming the file
    return merge_languages(tables[language], tables.get(fallback), language, fallback)


def _collection_skills(sources: CsvSources, language: str) -> pd.DataFrame | None:
    """Skills labelled by the ESCO collection files (used when ``skills_{lang}.csv`` is absent).

    Collection files separate alternative labels with ``|`` rather than new lines.
    """
    columns = ["conceptUri", "preferredLabel", "altLabels", "description", "skillType",
               "reuseLevel"]
    frames = []
    for prefix in _SKILL_COLLECTIONS:
        file = sources.get(f"{prefix}_{language}.csv")
        if file is not None:
            frames.append(_read(sources, file.name, language, columns,
                                ["conceptUri", "preferredLabel"], file=file))
    if not frames:
        return None
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[~frame["conceptUri"].str.strip().duplicated()]
    frame.attrs["file"] = ", ".join(f.attrs["file"] for f in frames)
    return _concepts(frame, "skill", separator="|")


def _resolve_relation_ends(sources: CsvSources, languages: tuple[str, str],
                           concepts: pd.DataFrame,
                           relations: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Check that every relation end is a concept of the release.

    Official releases refer to a few concepts that the language's concept files do not describe
    (ESCO v1.1.1: 7 skill groups that only ``skillsHierarchy_en.csv`` labels, and one occupation
    with no English labels). A URI counts as part of the release when the broader-relation files
    declare it as a concept; skill groups get their label from the skills hierarchy, and concepts
    with no label at all are kept as graph nodes only (reported in a warning). Any other unknown
    URI is an error that names the file and row.
    """
    declared = dict(
        zip(relations.loc[relations.kind.str.startswith("broader"), "source"],
            relations.loc[relations.kind.str.startswith("broader"), "kind"], strict=True)
    )
    known = set(concepts.index)
    for kind, group in relations.groupby("kind", sort=False):
        for column in ("source", "target"):
            unknown = ~group[column].isin(known) & ~group[column].isin(declared)
            if unknown.any():
                position = int(unknown.to_numpy().nonzero()[0][0])
                raise TaxonomyLoadError(
                    f"the relation in this row refers to {group[column].iloc[position]}, which "
                    f"no concept file of the release describes ({int(unknown.sum())} such "
                    f"{kind} relation(s)). Use concept and relation files of the same ESCO "
                    "release, unmodified.",
                    path=group.attrs.get("file") or _relation_file(sources, str(kind),
                                                                   languages),
                    row=position + 1,
                )
    missing = {uri: kind for uri, kind in declared.items() if uri not in known}
    hierarchy = _hierarchy_labels(sources, languages)
    groups = [uri for uri, kind in missing.items() if kind == "broader_skill" and uri in hierarchy]
    if groups:
        extra = pd.DataFrame(
            {"uri": groups, "kind": "skill_group", "label": [hierarchy[u][0][0] for u in groups],
             "alt_labels": [() for _ in groups], "hidden_labels": [() for _ in groups],
             "description": "", "skill_type": None, "reuse_level": None, "code": None,
             "isco_group": None, "language": [hierarchy[u][0][1] for u in groups],
             "fallback_labels": [tuple(label for label, _ in hierarchy[u][1:]) for u in groups]}
        ).set_index("uri", drop=False)
        concepts = pd.concat([concepts, extra])
    undescribed = {uri: kind.removeprefix("broader_") for uri, kind in missing.items()
                   if uri not in set(groups)}
    if undescribed:
        count = int(relations.source.isin(undescribed).sum()
                    + relations.target.isin(undescribed).sum())
        named = " or ".join(f"'{lang}'" for lang in dict.fromkeys(languages))
        warnings.warn(
            f"{len(undescribed)} concept(s) of this ESCO release have no {named} labels "
            f"({', '.join(sorted(undescribed)[:3])}); their {count} relation(s) are kept in "
            "relations_frame() and the graph, but they cannot be looked up by label.",
            stacklevel=4,
        )
    return concepts, undescribed


def _relation_file(sources: CsvSources, kind: str, languages: tuple[str, str]) -> str:
    stem = {"occupation_skill": "occupationSkillRelations", "skill_skill": "skillSkillRelations",
            "broader_skill": "broaderRelationsSkillPillar",
            "broader_occupation": "broaderRelationsOccPillar"}[kind]
    file = _relation_source(sources, stem, languages)
    return file.display if file else stem


def _relation_source(sources: CsvSources, stem: str, languages: tuple[str, str]) -> CsvFile | None:
    """v1.1.x: language-independent ``stem.csv``; v1.2.x: ``stem_{language}.csv``."""
    language, fallback = languages
    return (sources.get(f"{stem}_{language}.csv") or sources.get(f"{stem}.csv")
            or sources.get(f"{stem}_{fallback}.csv"))


def _hierarchy_labels(sources: CsvSources,
                      languages: tuple[str, str]) -> dict[str, list[tuple[str, str]]]:
    """URI -> its ``(label, language)`` in the skills hierarchy files, requested language first."""
    columns = [f"Level {level} {part}" for level in range(4) for part in ("URI", "preferred term")]
    labels: dict[str, list[tuple[str, str]]] = {}
    for language in dict.fromkeys(languages):
        file = sources.get(f"skillsHierarchy_{language}.csv")
        if file is None:
            continue
        frame = _read(sources, file.name, language, columns, [], file=file)
        seen: set[str] = set()
        for level in range(4):
            for uri, label in zip(frame[f"Level {level} URI"],
                                  frame[f"Level {level} preferred term"], strict=True):
                if uri.strip() and label.strip() and uri.strip() not in seen:
                    seen.add(uri.strip())
                    labels.setdefault(uri.strip(), []).append((label.strip(), language))
    return labels


def _find(sources: CsvSources, name: str, language: str) -> CsvFile:
    found = sources.get(name)
    if found is None:
        present = sorted(f.name for f in sources.files.values())
        hint = (
            f" The download holds no '{language}' files; pass the ESCO zip for language "
            f"'{language}' or choose another language."
            if not any(n.lower().endswith(f"_{language}.csv") for n in present)
            else ""
        )
        searched = ", ".join(str(c) for c in sources.containers) or "the input"
        raise TaxonomyLoadError(
            f"{name} was not found in {searched}."
            f"{hint} Pass the complete ESCO CSV download (classification zip(s) or their "
            f"unpacked folder). Files found: {', '.join(present[:12]) or 'none'}."
        )
    return found


def _read(sources: CsvSources, name: str, language: str, columns: Sequence[str],
          required: Sequence[str], file: CsvFile | None = None) -> pd.DataFrame:
    file = file or _find(sources, name, language)
    try:
        with file.open_text() as handle:
            frame = pd.read_csv(handle, dtype=str, keep_default_na=False, na_filter=False,
                                engine="c")
    except (pd.errors.ParserError, csv.Error, UnicodeDecodeError, EOFError, OSError) as exc:
        raise TaxonomyLoadError(
            f"cannot be parsed as CSV ({str(exc).strip()}). The file may be truncated or "
            "damaged: download the ESCO CSV release again.",
            path=file.display,
        ) from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TaxonomyLoadError(
            f"lacks the column(s) {', '.join(missing)} (found: {', '.join(frame.columns)}). "
            "Is this the ESCO CSV download, unmodified?",
            path=file.display,
        )
    frame = frame[list(columns)]
    for column in required:
        empty = frame[column].str.strip() == ""
        if empty.any():
            row = int(empty.to_numpy().nonzero()[0][0]) + 1
            raise TaxonomyLoadError(
                f"'{column}' is empty in {int(empty.sum())} row(s). The file may be truncated "
                "or damaged: download the ESCO CSV release again.",
                path=file.display,
                row=row,
            )
    frame.attrs["file"] = file.display
    return frame


def _split(cell: str, separator: str = "\n") -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(separator) if part.strip()) if cell else ()


def _concepts(frame: pd.DataFrame, kind: str, separator: str = "\n") -> pd.DataFrame:
    def column(name: str) -> pd.Series:
        if name in frame.columns:
            values = frame[name].str.strip().astype(object)
            return values.where(values != "", None)
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)

    out = pd.DataFrame(
        {
            "uri": frame["conceptUri"].str.strip(),
            "kind": kind,
            "label": frame["preferredLabel"].str.strip(),
            "alt_labels": frame["altLabels"].map(lambda cell: _split(cell, separator)),
            "hidden_labels": (frame["hiddenLabels"].map(_split) if "hiddenLabels" in frame
                              else [() for _ in range(len(frame))]),
            "description": frame["description"].str.strip(),
            "skill_type": column("skillType"),
            "reuse_level": column("reuseLevel"),
            "code": column("code"),
            "isco_group": column("iscoGroup"),
        }
    )
    if kind == "occupation":
        # occupations_{lang}.csv gives the ISCO unit group as its code ("2654"); keep the URI.
        out["isco_group"] = out["isco_group"].map(
            lambda code: f"http://data.europa.eu/esco/isco/C{code}" if code else None
        )
    out.attrs["file"] = frame.attrs["file"]
    return out.set_index("uri", drop=False)


def _check_unique(concepts: pd.DataFrame, language: str) -> None:
    duplicated = concepts.index.duplicated()
    if duplicated.any():
        uri = concepts.index[duplicated][0]
        raise TaxonomyLoadError(
            f"the concept {uri} appears more than once across the {language} concept files "
            f"({int(duplicated.sum())} duplicate(s)). Pass one ESCO release at a time."
        )


def _collections(sources: CsvSources, languages: tuple[str, str],
                 concepts: pd.DataFrame) -> pd.Series:
    members: dict[str, set[str]] = {}
    for prefix, collection in _SKILL_COLLECTIONS.items():
        for language in dict.fromkeys(languages):
            file = sources.get(f"{prefix}_{language}.csv")
            if file is None:
                continue
            frame = _read(sources, file.name, language, ["conceptUri"], ["conceptUri"],
                          file=file)
            for uri in frame["conceptUri"].str.strip():
                members.setdefault(uri, set()).add(collection)
    return pd.Series(
        [frozenset(members.get(uri, ())) for uri in concepts.index], index=concepts.index,
        dtype=object,
    )


def _relations(sources: CsvSources, stem: str, language: str, fallback: str, kind: str,
               source_column: str, target_column: str, type_column: str | None) -> pd.DataFrame:
    file = _relation_source(sources, stem, (language, fallback))
    if file is None:
        file = _find(sources, f"{stem}.csv", language)
    columns = [source_column, target_column] + ([type_column] if type_column else [])
    frame = _read(sources, file.name, language, columns, columns, file=file)
    out = pd.DataFrame(
        {
            "source": frame[source_column].str.strip(),
            "target": frame[target_column].str.strip(),
            "relation": frame[type_column].str.strip() if type_column else "broader",
            "kind": kind,
        }
    )[list(RELATION_COLUMNS)]
    out.attrs["file"] = file.display
    return out
