"""Matplotlib plots for notebooks: a twin against a profile, a team heatmap, supply vs demand.

Each function draws on ``ax`` when given (else on a new figure) and returns the Axes, so
callers can restyle or save it (``ax.figure.savefig(...)``). Matplotlib is imported only
when a plot is drawn. Titles, axis labels and legends are in ``language`` when given, else in
the language of the taxonomy behind what is plotted (English when none is known).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from skilltwin._i18n import message
from skilltwin.errors import ConfigurationError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["plot_supply_demand", "plot_team_heatmap", "plot_twin_vs_profile"]


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _language_of(*taxonomies: Taxonomy | None) -> str | None:
    """The language of the first known taxonomy (None: English)."""
    return next((t.language for t in taxonomies if t is not None), None)


def plot_twin_vs_profile(twin: EmployeeTwin, profile: JobProfile, taxonomy: Taxonomy | None
                         = None, *, ax: Axes | None = None, language: str | None = None
                         ) -> Axes:
    """Horizontal bars per required skill: the twin's level against the profile's minimum
    level (a black tick). Essential skills first; bars are green when met, orange when
    below level, grey when not held.

    Words are in ``language``, by default that of ``taxonomy``, the twin's taxonomy or the
    profile's provenance."""
    if language is None:
        language = _language_of(taxonomy, twin.taxonomy) or (
            profile.provenance.language if profile.provenance is not None else None)
    requirements = sorted(profile.requirements,
                          key=lambda r: (r.importance != "essential", r.label))
    if not requirements:
        raise ConfigurationError(f"profile {profile.profile_id!r} has no requirements to plot.")
    levels = twin.levels()
    held = np.array([levels.get(r.skill_uri, 0.0) for r in requirements])
    needed = np.array([r.min_level for r in requirements])
    ax = _axes(ax, (8, 0.3 * len(requirements) + 1.5))
    colours = np.where(held >= needed, "#54a24b", np.where(held > 0, "#f58518", "#bab0ac"))
    positions = np.arange(len(requirements))
    ax.barh(positions, held, color=colours, label=message("plot.level_held", language))
    ax.scatter(needed, positions, marker="|", s=200, color="black",
               label=message("plot.level_required", language), zorder=3)
    ax.set_yticks(positions,
                  [r.label if r.importance == "essential"
                   else message("plot.optional", language, label=r.label)
                   for r in requirements])
    ax.invert_yaxis()
    maximum = max(twin.scale.maximum, float(needed.max()))
    ax.set_xlim(0, maximum + 0.2)
    ax.set_xlabel(message("plot.level_axis", language, scale=twin.scale.name))
    ax.set_title(message("plot.twin_vs_profile", language, employee=twin.employee_id,
                         profile=profile.title))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_team_heatmap(twins: Sequence[EmployeeTwin], skills: Sequence[str] | None = None, *,
                      taxonomy: Taxonomy | None = None, max_skills: int = 25,
                      ax: Axes | None = None, language: str | None = None) -> Axes:
    """Employees (rows) x skills (columns), coloured by level.

    ``skills`` are URIs, or labels when a ``taxonomy`` is given; by default the
    ``max_skills`` skills most employees hold. Words are in ``language``, by default that of
    ``taxonomy`` or the first twin's taxonomy.
    """
    if not twins:
        raise ConfigurationError("plot_team_heatmap needs at least one twin.")
    if language is None:
        language = _language_of(taxonomy, *(twin.taxonomy for twin in twins))
    levels = [twin.levels() for twin in twins]
    labels: dict[str, str] = {}
    for twin in twins:
        labels.update(twin.labels())
    if skills is None:
        counts: dict[str, int] = {}
        for held in levels:
            for uri in held:
                counts[uri] = counts.get(uri, 0) + 1
        uris = sorted(counts, key=lambda u: (-counts[u], labels.get(u, u)))[:max_skills]
    else:
        uris = [taxonomy.skill(s).uri if taxonomy is not None else s for s in skills]
        if taxonomy is not None:
            labels.update({uri: taxonomy.skill(uri).label for uri in uris})
    grid = np.array([[held.get(uri, 0.0) for uri in uris] for held in levels])
    ax = _axes(ax, (0.35 * len(uris) + 3, 0.3 * len(twins) + 2))
    image = ax.imshow(grid, aspect="auto", cmap="Blues", vmin=0,
                      vmax=max(twins[0].scale.maximum, float(grid.max(initial=0))))
    ax.set_xticks(np.arange(len(uris)), [labels.get(u, u) for u in uris], rotation=60,
                  ha="right", fontsize="small")
    ax.set_yticks(np.arange(len(twins)), [twin.employee_id for twin in twins],
                  fontsize="small")
    ax.figure.colorbar(image, ax=ax, label=message("plot.level", language))
    ax.set_title(message("plot.team", language))
    return ax


def plot_supply_demand(table: pd.DataFrame, *, top_k: int = 20, ax: Axes | None = None,
                       language: str | None = None) -> Axes:
    """Paired bars of ``headcount`` and ``qualified`` per row of a
    :meth:`WorkforcePlan.supply_demand` table (by skill or skill group), the ``top_k``
    rows with the largest shortfall.

    Words are in ``language``, by default the plan's taxonomy language that the table
    carries in ``attrs["language"]``."""
    if language is None:
        language = table.attrs.get("language")
    missing = {"headcount", "qualified"} - set(table.columns)
    if missing:
        raise ConfigurationError(
            f"plot_supply_demand needs a supply_demand() table; missing columns {sorted(missing)}.")
    shown = table.head(top_k)
    names = shown["label"] if "label" in shown.columns else shown.index.astype(str)
    positions = np.arange(len(shown))
    ax = _axes(ax, (8, 0.35 * len(shown) + 1.5))
    ax.barh(positions - 0.2, shown["headcount"], height=0.4, color="#e45756",
            label=message("plot.needed", language))
    ax.barh(positions + 0.2, shown["qualified"], height=0.4, color="#4c78a8",
            label=message("plot.qualified", language))
    ax.set_yticks(positions, list(names), fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel(message("plot.people", language))
    ax.set_title(message("plot.supply_demand", language))
    ax.legend(loc="lower right", fontsize="small")
    return ax
