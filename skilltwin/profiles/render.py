"""Markdown rendering of job profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile, Requirement

__all__ = ["render_profile"]


def render_profile(profile: JobProfile, scale: ProficiencyScale | None = None) -> str:
    """The profile as Markdown: purpose, essential and optional skills with levels, source."""
    scale = scale or ProficiencyScale.default()
    lines = [f"# {profile.title}", ""]
    if profile.purpose:
        lines += ["## Purpose", "", profile.purpose.strip(), ""]
    for heading, requirements in (("Essential skills", profile.essential),
                                  ("Optional skills", profile.optional)):
        if requirements:
            lines += [f"## {heading}", ""]
            lines += [_requirement_line(r, scale) for r in requirements]
            lines.append("")
    release = profile.provenance.taxonomy_release if profile.provenance else "unknown"
    lines += [
        "---",
        f"Source: {profile.source}"
        + (f" (<{profile.occupation_uri}>)" if profile.occupation_uri else "")
        + f". Skills from {release}. ESCO © European Union, CC BY 4.0.",
        "",
    ]
    return "\n".join(lines)


def _requirement_line(requirement: Requirement, scale: ProficiencyScale) -> str:
    level = requirement.min_level
    shown = f"{level:g}" if level <= scale.maximum else f"{level:g} (beyond {scale.name})"
    name = scale.name_of(level) if level <= scale.maximum else ""
    return f"- {requirement.label} — level {shown}" + (f" ({name})" if name else "")
