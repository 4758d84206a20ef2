"""Tiny ESCO-shaped downloads, written to a temporary folder, for fast loader tests.

The files carry the same names and columns as the official ESCO CSV release (v1.1.x layout:
concept files ``*_{language}.csv`` in one zip, language-independent relation files in another;
v1.2.x layout: relation files ``*_{language}.csv`` with label columns, inside the language zip).
Tests change single files through ``overrides`` to make a download broken in one precise way.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Literal

__all__ = ["CONCEPT_FILES", "RELATION_FILES", "esco_files", "to_csv", "write_esco_download"]

ESCO = "http://data.europa.eu/esco"
SKILL_SQL = f"{ESCO}/skill/s-sql"
SKILL_PYTHON = f"{ESCO}/skill/s-python"
SKILL_DATABASES = f"{ESCO}/skill/s-databases"
SKILL_GROUP = f"{ESCO}/skill/g-ict"
OCCUPATION_DBA = f"{ESCO}/occupation/o-dba"
OCCUPATION_DEV = f"{ESCO}/occupation/o-dev"
ISCO_GROUP = f"{ESCO}/isco/C2521"

Table = list[list[str]]

_RELATION_LABELS = {  # extra columns the v1.2.x relation files add
    "occupationSkillRelations": ["occupationLabel", "skillLabel"],
    "skillSkillRelations": ["originalSkillLabel", "relatedSkillLabel"],
    "broaderRelationsSkillPillar": ["conceptLabel", "broaderLabel"],
    "broaderRelationsOccPillar": ["conceptLabel", "broaderLabel"],
}
RELATION_FILES = tuple(_RELATION_LABELS)
CONCEPT_FILES = ("skills", "occupations", "ISCOGroups", "skillGroups", "skillsHierarchy")


def esco_files(language: str = "en", *, label_suffix: str = "") -> dict[str, Table]:
    """The tables of a minimal ESCO download: 3 skills, 2 occupations, 1 ISCO and 1 skill group.

    Keys are file stems (``"skills"``, ``"occupationSkillRelations"``, ...); values are rows,
    header first. ``label_suffix`` is appended to preferred labels (to tell languages apart).
    """
    s = label_suffix
    return {
        "skills": [
            ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
             "hiddenLabels", "status", "description"],
            ["KnowledgeSkillCompetence", SKILL_SQL, "knowledge", "cross-sector", f"SQL{s}",
             "structured query language\nSQL language", "", "released",
             "A query language for relational databases."],
            ["KnowledgeSkillCompetence", SKILL_PYTHON, "knowledge", "cross-sector",
             f"Python (computer programming){s}", "Python", "", "released",
             "A programming language."],
            ["KnowledgeSkillCompetence", SKILL_DATABASES, "skill/competence", "cross-sector",
             f"use databases{s}", "work with databases", "data bases", "released",
             "Use software tools to manage and organise data in tables."],
        ],
        "occupations": [
            ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
             "hiddenLabels", "status", "description", "code"],
            ["Occupation", OCCUPATION_DBA, "2521", f"database administrator{s}", "DBA", "",
             "released", "Keeps databases running.", "2521.1"],
            ["Occupation", OCCUPATION_DEV, "2521", f"database developer{s}", "", "", "released",
             "Builds database applications.", "2521.2"],
        ],
        "ISCOGroups": [
            ["conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels",
             "inScheme", "description"],
            ["ISCOGroup", ISCO_GROUP, "2521", f"database designers and administrators{s}",
             "released", "", "", "Design and maintain databases."],
        ],
        "skillGroups": [
            ["conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status",
             "description", "code"],
            ["SkillGroup", SKILL_GROUP, f"information and communication technologies{s}", "", "",
             "released", "ICT.", "06"],
        ],
        "skillsHierarchy": [
            ["Level 0 URI", "Level 0 preferred term", "Level 1 URI", "Level 1 preferred term",
             "Level 2 URI", "Level 2 preferred term", "Level 3 URI", "Level 3 preferred term",
             "Description"],
            [SKILL_GROUP, f"information and communication technologies{s}", "", "", "", "", "",
             "", "ICT."],
        ],
        "occupationSkillRelations": [
            ["occupationUri", "relationType", "skillType", "skillUri"],
            [OCCUPATION_DBA, "essential", "knowledge", SKILL_SQL],
            [OCCUPATION_DBA, "essential", "skill/competence", SKILL_DATABASES],
            [OCCUPATION_DBA, "optional", "knowledge", SKILL_PYTHON],
            [OCCUPATION_DEV, "essential", "knowledge", SKILL_SQL],
        ],
        "skillSkillRelations": [
            ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType",
             "relatedSkillUri"],
            [SKILL_DATABASES, "skill/competence", "essential", "knowledge", SKILL_SQL],
        ],
        "broaderRelationsSkillPillar": [
            ["conceptType", "conceptUri", "broaderType", "broaderUri"],
            ["KnowledgeSkillCompetence", SKILL_SQL, "SkillGroup", SKILL_GROUP],
            ["KnowledgeSkillCompetence", SKILL_PYTHON, "SkillGroup", SKILL_GROUP],
            ["KnowledgeSkillCompetence", SKILL_DATABASES, "SkillGroup", SKILL_GROUP],
        ],
        "broaderRelationsOccPillar": [
            ["conceptType", "conceptUri", "broaderType", "broaderUri"],
            ["Occupation", OCCUPATION_DBA, "ISCOGroup", ISCO_GROUP],
            ["Occupation", OCCUPATION_DEV, "ISCOGroup", ISCO_GROUP],
        ],
    }


def to_csv(rows: Table) -> str:
    """Rows as CSV text the way ESCO writes it (every field quoted, CRLF line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_esco_download(
    root: Path,
    *,
    language: str = "en",
    layout: Literal["v1.1", "v1.2"] = "v1.1",
    zipped: bool = True,
    overrides: dict[str, str | None] | None = None,
    label_suffix: str = "",
) -> Path:
    """Write a minimal ESCO download into ``root`` (created) and return ``root``.

    ``overrides`` maps a file name (e.g. ``"skills_en.csv"``) to the raw text to write in its
    place, or to ``None`` to leave the file out.
    """
    root.mkdir(parents=True, exist_ok=True)
    language_files: dict[str, str] = {}
    relation_files: dict[str, str] = {}
    for stem, rows in esco_files(language, label_suffix=label_suffix).items():
        if stem in _RELATION_LABELS:
            if layout == "v1.2":
                extra = _RELATION_LABELS[stem]
                rows = [rows[0] + extra] + [[*row, "label", "label"] for row in rows[1:]]
                language_files[f"{stem}_{language}.csv"] = to_csv(rows)
            else:
                relation_files[f"{stem}.csv"] = to_csv(rows)
        else:
            language_files[f"{stem}_{language}.csv"] = to_csv(rows)
    for name, text in (overrides or {}).items():
        target = relation_files if name in relation_files else language_files
        if text is None:
            target.pop(name, None)
        else:
            target[name] = text
    release = "v1.2.0" if layout == "v1.2" else "v1.1.1"
    bundles = {f"ESCO dataset - {release} - classification - {language} - csv": language_files}
    if relation_files:
        bundles[f"ESCO dataset - {release} - classification -  - csv"] = relation_files
    for bundle, files in bundles.items():
        if zipped:
            with zipfile.ZipFile(root / f"{bundle}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                for name, text in files.items():
                    archive.writestr(name, text.encode("utf-8"))
        else:
            folder = root / bundle
            folder.mkdir(exist_ok=True)
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8", newline="")
    return root
