"""Concept labels in one language with another as fallback.

ESCO publishes every concept file once per language. A download may hold a language only in
part (for example the skill collections but not ``skills_nl.csv``); the loader then takes each
concept's texts from the requested language where it has them and from the fallback language
otherwise, records which language each concept's label is in, and counts the coverage.
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

__all__ = ["COVERAGE_KINDS", "coverage_message", "label_coverage", "merge_languages",
           "tag_language"]

COVERAGE_KINDS = ("skill", "occupation", "skill_group", "isco_group")
_ATTRIBUTES = ("skill_type", "reuse_level", "code", "isco_group")


def tag_language(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """``frame`` with every concept's texts marked as being in ``language``."""
    out = frame.copy()
    out["language"] = language
    out["fallback_labels"] = [() for _ in range(len(out))]
    return out


def merge_languages(primary: pd.DataFrame | None, fallback: pd.DataFrame | None,
                    language: str, fallback_language: str) -> pd.DataFrame:
    """One concept table from a table in ``language`` and one in ``fallback_language``.

    Either table may be missing or cover only part of the concepts. A concept of ``primary``
    takes its label, alternative and hidden labels from it, its description too unless that is
    empty there; its fallback-language labels go to ``fallback_labels`` (for look-up). The
    language-independent attributes (skill type, reuse level, codes) come from whichever table
    has them. Concepts only in ``fallback`` keep their fallback texts. Rows follow the fallback
    table's order, then concepts only in ``primary``.
    """
    if fallback is None or fallback_language == language:
        if primary is None:
            raise ValueError("merge_languages needs at least one table")
        return tag_language(primary, language)
    if primary is None:
        return tag_language(fallback, fallback_language)
    extra = primary.index[~primary.index.isin(fallback.index)]
    out = tag_language(pd.concat([fallback, primary.loc[extra]]), fallback_language)
    rows = cast("dict[str, dict[str, Any]]", primary.to_dict("index"))
    backup = cast("dict[str, dict[str, Any]]", fallback.to_dict("index"))

    def pick(column: str) -> list[Any]:
        values = []
        for uri, current in zip(out.index, out[column], strict=True):
            row = rows.get(uri)
            value = row[column] if row is not None else None
            if column == "description" and row is not None and not value:
                value = current  # keep the fallback description rather than none
            values.append(current if row is None or _absent(value) else value)
        return values

    for column in ("label", "alt_labels", "hidden_labels", "description", *_ATTRIBUTES):
        if column in out.columns:
            out[column] = pick(column)
    out["language"] = [language if uri in rows else fallback_language for uri in out.index]
    out["fallback_labels"] = [
        _labels_of(backup[uri]) if uri in rows and uri in backup else () for uri in out.index
    ]
    out.attrs["file"] = primary.attrs.get("file", "")
    return out


def label_coverage(concepts: pd.DataFrame, language: str) -> dict[str, dict[str, int]]:
    """Per kind: how many concepts there are and how many have a label in ``language``."""
    coverage: dict[str, dict[str, int]] = {}
    for kind in COVERAGE_KINDS:
        frame = concepts[concepts["kind"] == kind]
        labelled = int((frame["language"] == language).sum())
        coverage[kind] = {"concepts": len(frame), "labelled": labelled,
                          "fallback": len(frame) - labelled}
    return coverage


def _labels_of(row: dict[str, Any]) -> tuple[str, ...]:
    labels = (row["label"], *row["alt_labels"], *row["hidden_labels"])
    return tuple(dict.fromkeys(label for label in labels if label))


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


_KIND_NAMES = {"skill": "skills", "occupation": "occupations", "skill_group": "skill groups",
               "isco_group": "ISCO groups"}


def coverage_message(coverage: dict[str, dict[str, int]], release: str, language: str,
                     fallback: str) -> str:
    """A sentence naming what has no label in ``language`` (empty when everything has one)."""
    parts = [f"{counts['fallback']:,} of {counts['concepts']:,} {_KIND_NAMES[kind]}"
             for kind, counts in coverage.items() if counts["fallback"]]
    if not parts or language == fallback:
        return ""
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return (
        f"{release}: {listed} have no '{language}' label in this download; they carry their "
        f"'{fallback}' label instead (taxonomy.coverage counts them, concept.language marks "
        f"them). Pass the complete ESCO '{language}' CSV download to label them all in "
        f"'{language}'."
    )
