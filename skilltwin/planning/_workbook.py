"""A workforce plan (and its scenarios) as an Excel book (written by :mod:`skilltwin._excel`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from skilltwin._excel import LEVEL, Book, Sheet
from skilltwin._i18n import message
from skilltwin.profiles.isco import isco_digits

if TYPE_CHECKING:
    from skilltwin.planning.scenarios import Scenario
    from skilltwin.planning.supply import CompareBy, WorkforcePlan

__all__ = ["plan_book"]


def plan_book(plan: WorkforcePlan, scenarios: Sequence[Scenario] = (),
              by: CompareBy = "profile", isco: int | str | None = None) -> Book:
    """Sheets: summary, coverage per profile (and per ISCO group of ``isco`` digits), supply
    and demand per skill and per skill group, key persons; with ``scenarios``, a comparison
    sheet per scenario (:meth:`WorkforcePlan.compare` ``by``), their headline figures and
    their changes."""
    language = plan.taxonomy.language

    def title(key: str) -> str:
        return message(key, language)

    figures = plan.summary()
    summary = pd.DataFrame(
        [(item, float(value) if item == "mean_coverage" else int(value))
         for item, value in figures.items()], columns=["item", "value"])
    sheets = [Sheet(title("excel.summary"), summary),
              Sheet(title("excel.coverage"), plan.coverage())]
    if isco is not None:
        digits = isco_digits(isco)
        sheets.append(Sheet(f"{title('excel.coverage')} ISCO {digits}",
                            plan.coverage(by=f"isco{digits}")))  # type: ignore[arg-type]
    skills = _uri_last(plan.supply_demand().reset_index())
    sheets += [
        Sheet(title("excel.supply_demand"), skills, {"min_level": LEVEL,
                                                     "mean_level": LEVEL}, wrap=("who",)),
        Sheet(title("excel.skill_groups"), plan.supply_demand(by="skill_group")),
        Sheet(title("excel.key_persons"), _uri_last(plan.key_person_risks())),
    ]
    if scenarios:
        for scenario in scenarios:
            compared = plan.compare(scenario, by=by)
            sheets.append(Sheet(scenario.name, compared))
        sweep = plan.sweep(scenarios, progress=False)
        sheets.append(Sheet(title("excel.scenarios"), sweep))
        changes = [(name, line) for name, lines in sweep.attrs["changes"].items()
                   for line in lines]
        sheets.append(Sheet(title("excel.changes"),
                            pd.DataFrame(changes, columns=["scenario", "change"]),
                            wrap=("change",)))
    versions = {"taxonomy_release": plan.taxonomy.release, "language": language,
                "scoring_policy": json.dumps(plan.scoring_policy.model_dump(mode="json"),
                                             sort_keys=True),
                "ready_at": plan.ready_at}
    return Book(tuple(sheets), versions, language=language)


def _uri_last(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``skill_uri`` column last (the label first, where people look)."""
    return frame[[c for c in frame.columns if c != "skill_uri"] + ["skill_uri"]]
