"""Results of gap analysis and matching: pydantic models that serialise to JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from skilltwin._i18n import counted, message
from skilltwin.profiles.profile import Importance
from skilltwin.provenance import Provenance

if TYPE_CHECKING:
    from typing import IO

    import pandas as pd

    from skilltwin._excel import Book
    from skilltwin._output import OutputPath

__all__ = ["GapItem", "GapReport", "GapStatus", "MatchComponents", "MatchResult"]

GapStatus = Literal["met", "below", "related", "missing"]


class GapItem(BaseModel):
    """How one requirement of a profile is covered by a twin.

    Attributes:
        skill_uri, label, importance, min_level: The requirement.
        share: The requirement's share of the match score (all shares of a profile sum to 1).
        level: The twin's current level of the skill (0 when not held).
        status: ``met`` (held at or above the minimum level), ``below`` (held below it),
            ``related`` (not held, but a directly related skill is) or ``missing``.
        shortfall: Levels missing to reach the minimum (0 when met).
        fulfilment: 0-1: level fit ``min(1, level / min_level)`` when held, else the partial
            credit ``credit_factor * level fit of the related skill``.
        related_uri, related_label, relation, credit_factor: The related skill behind a
            ``related`` status, how it relates to the required one, and its credit factor.
        path: The path that justifies partial credit, e.g.
            ``["SQL", "narrower than", "use databases"]``.
        contribution: ``share * fulfilment``, this requirement's part of the score.
    """

    model_config = ConfigDict(frozen=True)

    skill_uri: str
    label: str
    importance: Importance
    min_level: float
    share: float
    level: float
    status: GapStatus
    shortfall: float
    fulfilment: float
    related_uri: str | None = None
    related_label: str | None = None
    relation: str | None = None
    credit_factor: float = 0.0
    path: tuple[str, ...] = ()
    contribution: float


class GapReport(BaseModel):
    """Every requirement of a profile, checked against one twin."""

    model_config = ConfigDict(frozen=True)

    employee_id: str
    profile_id: str
    profile_title: str
    items: tuple[GapItem, ...]
    provenance: Provenance

    def count(self, status: GapStatus) -> int:
        """How many requirements have ``status``."""
        return sum(item.status == status for item in self.items)

    @property
    def summary(self) -> str:
        """One line: how many requirements are met, below level, related or missing (in the
        taxonomy's language)."""
        essential = [i for i in self.items if i.importance == "essential"]
        missing_essential = sum(i.status == "missing" for i in essential)
        return message(
            "gap.summary", self.provenance.language, employee=self.employee_id,
            profile=self.profile_title,
            total=counted("required_skills", len(self.items), self.provenance.language),
            met=self.count("met"),
            below=self.count("below"), related=self.count("related"),
            missing=self.count("missing"), missing_essential=missing_essential,
        )

    def gaps(self) -> list[GapItem]:
        """Requirements not met, biggest loss of score first."""
        open_items = [item for item in self.items if item.status != "met"]
        return sorted(open_items, key=lambda i: (i.contribution - i.share, i.label))

    def to_frame(self) -> pd.DataFrame:
        """One row per requirement (index: skill URI)."""
        import pandas as pd

        rows = [item.model_dump() for item in self.items]
        frame = pd.DataFrame(rows)
        if frame.empty:
            return frame
        frame["path"] = [" -> ".join(item.path) for item in self.items]
        return frame.set_index("skill_uri")

    def _repr_html_(self) -> str:
        return _gap_card(self)

    def to_excel(self, path: OutputPath | IO[bytes]) -> None:
        """Write the report to the Excel workbook ``path`` (``.xlsx``): a summary sheet, a
        sheet with a row per requirement (levels, status, the sentence explaining it, share
        and contribution) and the versions sheet. See :func:`skilltwin.to_excel`.

        Raises:
            OutputError: the target is refused (a database, a folder, not ``.xlsx``...).
        """
        from skilltwin._excel import write_book

        write_book(self.excel_book(), path)

    def excel_book(self) -> Book:
        """What :meth:`to_excel` writes: the views as a book of sheets (so that
        :func:`skilltwin.to_excel` writes it too)."""
        from skilltwin.scoring._workbook import gap_book

        return gap_book(self)


class MatchComponents(BaseModel):
    """The parts of a match score; they add up to the score.

    ``score = essential_coverage + optional_coverage + level_fit + partial_credit``

    Attributes:
        essential_coverage: Sum of the shares of essential requirements the twin holds.
        optional_coverage: Sum of the shares of optional requirements the twin holds.
        level_fit: Zero or negative: minus ``share * (1 - level / min_level)`` summed over
            requirements held below their minimum level.
        partial_credit: Sum of ``share * credit`` over requirements not held but covered by
            a related skill.
        essential_share: The part of the score carried by essential requirements.
    """

    model_config = ConfigDict(frozen=True)

    essential_coverage: float
    optional_coverage: float
    level_fit: float
    partial_credit: float
    essential_share: float

    @property
    def total(self) -> float:
        """The sum of the four components."""
        return self.essential_coverage + self.optional_coverage + self.level_fit \
            + self.partial_credit


class MatchResult(BaseModel):
    """How well a twin fits a profile: a score in [0, 1] that explains itself."""

    model_config = ConfigDict(frozen=True)

    employee_id: str
    profile_id: str
    profile_title: str
    score: float
    components: MatchComponents
    formula: str
    explanation: str
    contributions: tuple[GapItem, ...]
    provenance: Provenance

    def _repr_html_(self) -> str:
        return _match_card(self)

    def to_excel(self, path: OutputPath | IO[bytes]) -> None:
        """Write the result to the Excel workbook ``path`` (``.xlsx``): the score with its
        components and explanation, the contribution of every requirement and the versions
        sheet. See :func:`skilltwin.to_excel` (also for a list of results).

        Raises:
            OutputError: the target is refused (a database, a folder, not ``.xlsx``...).
        """
        from skilltwin._excel import write_book

        write_book(self.excel_book(), path)

    def excel_book(self) -> Book:
        """What :meth:`to_excel` writes: the views as a book of sheets (so that
        :func:`skilltwin.to_excel` writes it too)."""
        from skilltwin.scoring._workbook import match_book

        return match_book(self)


def _gap_card(report: GapReport, *, max_rows: int = 15) -> str:
    """A gap report as HTML: its summary line and the open requirements, biggest loss first."""
    import pandas as pd

    from skilltwin._html import card, column_names, escape, table

    language = report.provenance.language
    frame = pd.DataFrame(
        [(item.label, message(f"importance.{item.importance}", language),
          message(f"state.{item.status}", language), item.level, item.min_level,
          " → ".join(item.path)) for item in report.gaps()],
        columns=column_names(language, "skill", "importance", "status", "level", "min_level",
                         "related_via"),
    ).set_index(message("column.skill", language))
    body = table(frame, caption=message("gap.open", language), max_rows=max_rows) \
        if len(frame) else f"<p>{escape(message('gap.none', language))}</p>"
    return card(message("gap.card", language, employee=report.employee_id,
                        profile=report.profile_title), report.summary, body)


def _match_card(result: MatchResult, *, max_rows: int = 10) -> str:
    """A match result as HTML: the score as a bar, its components and the largest
    contributions."""
    import pandas as pd

    from skilltwin._html import bar, card, column_names, rows, table

    language = result.provenance.language
    parts = result.components
    components = rows([
        (message("column.score", language), bar(result.score)),
        (message("column.essential_coverage", language), f"{parts.essential_coverage:.3f}"),
        (message("column.optional_coverage", language), f"{parts.optional_coverage:.3f}"),
        (message("column.level_fit", language), f"{parts.level_fit:.3f}"),
        (message("column.partial_credit", language), f"{parts.partial_credit:.3f}"),
    ])
    frame = pd.DataFrame(
        [(item.label, message(f"state.{item.status}", language), item.contribution,
          item.share) for item in sorted(result.contributions, key=lambda i: -i.contribution)],
        columns=column_names(language, "skill", "status", "contribution", "share"),
    ).set_index(message("column.skill", language))
    caption = message("match.contributions", language)
    return card(message("match.card", language, employee=result.employee_id,
                        profile=result.profile_title), result.explanation,
                components + table(frame, caption=caption, max_rows=max_rows))
