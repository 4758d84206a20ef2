"""Gap reports and match results as Excel books (written by :mod:`skilltwin._excel`).

Every sheet carries ``employee_id`` and ``profile_id``, so the books of several results stack
into one workbook with a row per result (``skilltwin.to_excel([result, ...], path)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from skilltwin._excel import LEVEL, SCORE, SHARE, Book, Sheet
from skilltwin._i18n import decimal, message

if TYPE_CHECKING:
    from skilltwin.provenance import Provenance
    from skilltwin.scoring.results import GapItem, GapReport, MatchResult

__all__ = ["gap_book", "match_book"]

_ITEM_FORMATS = {"min_level": LEVEL, "level": LEVEL, "shortfall": LEVEL, "share": SHARE,
                 "fulfilment": SHARE, "contribution": SCORE, "credit_factor": SCORE}


def gap_book(report: GapReport) -> Book:
    """Sheets "Summary" (one row: the counts and the summary line) and "Gaps" (a row per
    requirement, biggest loss of score first, each with the sentence explaining it)."""
    language = report.provenance.language
    summary = pd.DataFrame([{
        "employee_id": report.employee_id, "profile_id": report.profile_id,
        "profile_title": report.profile_title, "required": len(report.items),
        "met": report.count("met"), "below": report.count("below"),
        "related": report.count("related"), "missing": report.count("missing"),
        "explanation": report.summary}])
    ordered = sorted(report.items, key=lambda i: (i.contribution - i.share, i.label))
    return Book(
        (Sheet(message("excel.summary", language), summary, wrap=("explanation",)),
         Sheet(message("excel.gaps", language),
               items_frame(report.employee_id, report.profile_id, ordered, language),
               _ITEM_FORMATS, wrap=("explanation",))),
        _versions(report.provenance), language=language)


def match_book(result: MatchResult) -> Book:
    """Sheets "Match" (one row: score, its four components and the explanation beside it)
    and "Contributions" (a row per requirement, largest contribution first)."""
    language = result.provenance.language
    parts = result.components
    row = pd.DataFrame([{
        "employee_id": result.employee_id, "profile_id": result.profile_id,
        "profile_title": result.profile_title, "score": result.score,
        "explanation": result.explanation,
        "essential_coverage": parts.essential_coverage,
        "optional_coverage": parts.optional_coverage, "level_fit": parts.level_fit,
        "partial_credit": parts.partial_credit}])
    ordered = sorted(result.contributions, key=lambda i: (-i.contribution, i.label))
    versions = {**_versions(result.provenance), "formula": result.formula}
    return Book(
        (Sheet(message("excel.match", language), row, {"score": SCORE}, wrap=("explanation",)),
         Sheet(message("excel.contributions", language),
               items_frame(result.employee_id, result.profile_id, ordered, language),
               _ITEM_FORMATS, wrap=("explanation",))),
        versions, language=language)


def items_frame(employee_id: str, profile_id: str, items: Sequence[GapItem],
                language: str | None) -> pd.DataFrame:
    """A row per requirement: the skill, what is asked and held, the status and the sentence
    that explains it (in ``language``), the share of the score and its contribution."""
    rows = [{
        "employee_id": employee_id, "profile_id": profile_id, "skill": item.label,
        "importance": message(f"importance.{item.importance}", language),
        "min_level": item.min_level, "level": item.level,
        "status": message(f"state.{item.status}", language), "shortfall": item.shortfall,
        "share": item.share, "fulfilment": item.fulfilment, "contribution": item.contribution,
        "explanation": explain_item(item, language),
        "related_via": " → ".join(item.path), "skill_uri": item.skill_uri,
    } for item in items]
    columns = ["employee_id", "profile_id", "skill", "importance", "min_level", "level",
               "status", "shortfall", "share", "fulfilment", "contribution", "explanation",
               "related_via", "skill_uri"]
    return pd.DataFrame(rows, columns=columns)


def explain_item(item: GapItem, language: str | None) -> str:
    """One sentence on how a requirement is covered (the wording of the match explanation)."""
    if item.status == "below":
        return message("gap.below", language, label=item.label,
                       level=decimal(item.level, ".1f", language),
                       min_level=decimal(item.min_level, "g", language))
    if item.status == "related":
        return message("gap.related", language, label=item.label, related=item.related_label)
    if item.status == "missing":
        return message("gap.missing", language, label=item.label,
                       importance=message(f"importance.{item.importance}", language))
    return message("gap.labelled", language, label=item.label,
                   status=message("state.met", language))


def _versions(provenance: Provenance) -> dict[str, object]:
    return {"library_version": provenance.library_version,
            "taxonomy_release": provenance.taxonomy_release,
            "model_name": provenance.model_name, "language": provenance.language}
