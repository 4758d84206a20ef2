"""Workforce planning: supply and demand, key-person risk, coverage, reskilling paths,
adjacent roles, what-if scenarios and plots."""

from skilltwin.planning.adjacent import adjacent_roles
from skilltwin.planning.groups import UNGROUPED, skill_groups
from skilltwin.planning.plots import plot_supply_demand, plot_team_heatmap, plot_twin_vs_profile
from skilltwin.planning.reskilling import (
    EFFORT_FORMULA,
    EffortModel,
    ReskillingPath,
    ReskillingStep,
    reskilling_path,
)
from skilltwin.planning.scenarios import (
    AddProfile,
    Leave,
    RetireProfile,
    Scenario,
    SetHeadcount,
    Train,
)
from skilltwin.planning.supply import WorkforcePlan

__all__ = [
    "EFFORT_FORMULA",
    "UNGROUPED",
    "AddProfile",
    "EffortModel",
    "Leave",
    "ReskillingPath",
    "ReskillingStep",
    "RetireProfile",
    "Scenario",
    "SetHeadcount",
    "Train",
    "WorkforcePlan",
    "adjacent_roles",
    "plot_supply_demand",
    "plot_team_heatmap",
    "plot_twin_vs_profile",
    "reskilling_path",
    "skill_groups",
]
