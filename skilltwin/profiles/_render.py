"""Markdown rendering of job profiles, in the language of their taxonomy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skilltwin._i18n import decimal, level_name, message
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile, Requirement

__all__ = ["render_profile"]


def render_profile(profile: JobProfile, scale: ProficiencyScale | None = None,
                   language: str | None = None) -> str:
    """The profile as Markdown: purpose, essential and optional skills with levels, source.

    Headings and fixed words are in ``language`` (default: the language of the taxonomy the
    profile was made from, see :attr:`Provenance.language`); skill labels are as the profile
    holds them, from that taxonomy.
    """
    scale = scale or ProficiencyScale.default()
    if language is None and profile.provenance is not None:
        language = profile.provenance.language
    lines = [f"# {profile.title}", ""]
    if profile.purpose:
        lines += [f"## {message('profile.purpose', language)}", "", profile.purpose.strip(), ""]
    for heading, requirements in (("profile.essential", profile.essential),
                                  ("profile.optional", profile.optional)):
        if requirements:
            lines += [f"## {message(heading, language)}", ""]
            lines += [_requirement_line(r, scale, language) for r in requirements]
            lines.append("")
    release = (profile.provenance.taxonomy_release if profile.provenance
               else message("profile.unknown_release", language))
    uri = f" (<{profile.occupation_uri}>)" if profile.occupation_uri else ""
    source = message(f"source.{profile.source}", language, default=profile.source)
    lines += ["---", message("profile.footer", language, source=source, uri=uri,
                             release=release), ""]
    return "\n".join(lines)


def _requirement_line(requirement: Requirement, scale: ProficiencyScale,
                      language: str | None) -> str:
    level = requirement.min_level
    shown = decimal(level, "g", language) if level <= scale.maximum else message(
        "profile.beyond", language, level=decimal(level, "g", language), scale=scale.name)
    name = scale.name_of(level) if level <= scale.maximum else ""
    if name and scale == ProficiencyScale.default():  # a user's own scale keeps its names
        name = level_name(name, language)
    return (f"- {requirement.label} — {message('profile.level', language, level=shown)}"
            + (f" ({name})" if name else ""))
