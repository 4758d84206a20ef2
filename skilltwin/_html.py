"""Compact HTML for Jupyter's ``_repr_html_``: a titled card holding small tables."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from skilltwin._i18n import level_name, message

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.profiles.draft import ProfileDraft
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.scoring.results import GapReport, MatchResult
    from skilltwin.twin.twin import EmployeeTwin

__all__ = [
    "bar",
    "card",
    "draft_html",
    "escape",
    "frame_html",
    "gap_report_html",
    "match_result_html",
    "profile_html",
    "rows_html",
    "twin_html",
]

_STYLE = ("font-family:system-ui,sans-serif;font-size:13px;border:1px solid #ddd;"
          "border-radius:6px;padding:8px 12px;max-width:960px")


def escape(value: object) -> str:
    """``value`` as HTML-safe text."""
    return html.escape(str(value))


def card(title: str, subtitle: str, body: str) -> str:
    """A bordered box with a bold title, a grey subtitle and ``body`` (already HTML)."""
    return (f'<div style="{_STYLE}"><div style="font-weight:600;font-size:14px">'
            f'{escape(title)}</div><div style="color:#666;margin-bottom:6px">'
            f"{escape(subtitle)}</div>{body}</div>")


def frame_html(frame: pd.DataFrame, *, caption: str = "", max_rows: int = 20) -> str:
    """A DataFrame as a compact HTML table: floats to 2 decimals, at most ``max_rows`` rows
    (with a note saying how many were left out)."""
    shown = frame.head(max_rows)
    table = shown.to_html(float_format=lambda x: f"{x:.2f}", border=0, na_rep="",
                          classes="skilltwin", escape=True)
    note = ""
    if len(frame) > max_rows:
        note = f'<div style="color:#666">… {len(frame) - max_rows} more rows</div>'
    head = f'<div style="font-weight:600;margin-top:6px">{escape(caption)}</div>' \
        if caption else ""
    return head + table + note


def rows_html(rows: Iterable[tuple[str, str]]) -> str:
    """Key/value rows (values already HTML) as a two-column table without header."""
    cells = "".join(f'<tr><td style="color:#666;padding-right:12px">{escape(key)}</td>'
                    f"<td>{value}</td></tr>" for key, value in rows)
    return f"<table>{cells}</table>"


def bar(fraction: float, *, width: int = 80) -> str:
    """A small horizontal bar filled to ``fraction`` (0-1), with the percentage."""
    fraction = min(1.0, max(0.0, fraction))
    return (f'<span style="display:inline-block;width:{width}px;height:8px;background:#eee;'
            f'vertical-align:middle"><span style="display:block;height:8px;width:'
            f'{fraction * width:.0f}px;background:#4c78a8"></span></span> {fraction:.0%}')


def twin_html(twin: EmployeeTwin, *, max_rows: int = 15) -> str:
    """A twin: its current skills with levels (highest first), claims count, attributes."""
    import pandas as pd

    levels = twin.levels()
    labels = twin.labels()
    latest = {claim.skill_uri: claim for claim in twin.claims}
    from skilltwin.twin.scale import ProficiencyScale

    language = twin.taxonomy.language if twin.taxonomy is not None else None
    default_scale = twin.scale == ProficiencyScale.default()
    columns = _columns(language, "skill", "level", "name", "last_source", "last_observed")
    frame = pd.DataFrame(
        [(labels.get(uri, uri), level,
          level_name(twin.scale.name_of(level), language) if default_scale
          else twin.scale.name_of(level), latest[uri].source, latest[uri].observed)
         for uri, level in levels.items()],
        columns=columns,
    ).sort_values(columns[1::-1], ascending=[False, True], kind="stable")
    attributes = ", ".join(f"{key}: {value}" for key, value in twin.attributes.items())
    subtitle = message("twin.subtitle", language, skills=len(levels),
                       claims=len(twin.claims)) + (f" — {attributes}" if attributes else "")
    return card(message("twin.card", language, employee=twin.employee_id), subtitle,
                frame_html(frame.set_index(columns[0]), max_rows=max_rows))


def profile_html(profile: JobProfile, *, max_rows: int = 25) -> str:
    """A job profile: essential skills then optional ones, with minimum levels."""
    import pandas as pd

    language = profile.provenance.language if profile.provenance else None
    frame = pd.DataFrame(
        [(r.label, message(f"importance.{r.importance}", language), r.min_level, r.weight)
         for r in sorted(profile.requirements,
                         key=lambda r: (r.importance != "essential", r.label))],
        columns=_columns(language, "skill", "importance", "min_level", "weight"),
    ).set_index(message("column.skill", language))
    release = (profile.provenance.taxonomy_release if profile.provenance
               else message("profile.unknown_release", language))
    subtitle = message("profile.card", language, profile_id=profile.profile_id,
                       essential=len(profile.essential), optional=len(profile.optional),
                       source=message(f"source.{profile.source}", language,
                                      default=profile.source), release=release)
    purpose = f"<p>{escape(profile.purpose)}</p>" if profile.purpose else ""
    return card(profile.title, subtitle, purpose + frame_html(frame, max_rows=max_rows))


def gap_report_html(report: GapReport, *, max_rows: int = 15) -> str:
    """A gap report: its summary line and the open requirements, biggest loss first."""
    import pandas as pd

    language = report.provenance.language
    frame = pd.DataFrame(
        [(item.label, message(f"importance.{item.importance}", language),
          message(f"state.{item.status}", language), item.level, item.min_level,
          " → ".join(item.path)) for item in report.gaps()],
        columns=_columns(language, "skill", "importance", "status", "level", "min_level",
                         "related_via"),
    ).set_index(message("column.skill", language))
    body = frame_html(frame, caption=message("gap.open", language), max_rows=max_rows) \
        if len(frame) else f"<p>{escape(message('gap.none', language))}</p>"
    return card(message("gap.card", language, employee=report.employee_id,
                        profile=report.profile_title), report.summary, body)


def match_result_html(result: MatchResult, *, max_rows: int = 10) -> str:
    """A match result: the score as a bar, its components and the largest contributions."""
    import pandas as pd

    language = result.provenance.language
    parts = result.components
    components = rows_html([
        (message("column.score", language), bar(result.score)),
        (message("column.essential_coverage", language), f"{parts.essential_coverage:.3f}"),
        (message("column.optional_coverage", language), f"{parts.optional_coverage:.3f}"),
        (message("column.level_fit", language), f"{parts.level_fit:.3f}"),
        (message("column.partial_credit", language), f"{parts.partial_credit:.3f}"),
    ])
    frame = pd.DataFrame(
        [(item.label, message(f"state.{item.status}", language), item.contribution,
          item.share) for item in sorted(result.contributions, key=lambda i: -i.contribution)],
        columns=_columns(language, "skill", "status", "contribution", "share"),
    ).set_index(message("column.skill", language))
    caption = message("match.contributions", language)
    return card(message("match.card", language, employee=result.employee_id,
                        profile=result.profile_title), result.explanation,
                components + frame_html(frame, caption=caption, max_rows=max_rows))


def _columns(language: str | None, *keys: str) -> list[str]:
    return [message(f"column.{key}", language) for key in keys]


def draft_html(draft: ProfileDraft, *, max_rows: int = 20) -> str:
    """A profile draft: the given skills and the suggestions with their decisions."""
    import pandas as pd

    given = ", ".join(escape(r.label) for r in draft.profile.requirements)
    language = draft.profile.provenance.language if draft.profile.provenance else None
    frame = pd.DataFrame(
        [(s.label, message(f"importance.{s.importance}", language), s.score,
          message(f"decision.{s.decision}", language), s.reason) for s in draft.suggestions],
        columns=_columns(language, "suggested_skill", "importance", "score", "decision",
                         "reason"),
    ).set_index(message("column.suggested_skill", language))
    closest = ", ".join(f"{label} ({similarity:.2f})" for _, label, similarity in
                        draft.occupations)
    pending = sum(s.decision == "pending" for s in draft.suggestions)
    given_line = escape(message("draft.given", language, skills="")) + given
    return card(message("draft.card", language, title=draft.profile.title),
                message("draft.subtitle", language, pending=pending,
                        total=len(draft.suggestions), occupations=closest),
                f"<p>{given_line}</p>" + frame_html(frame, max_rows=max_rows))
