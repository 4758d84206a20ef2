"""Skill claims and how a twin's current level is derived from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from skilltwin._validation import CheckedModel, NonEmptyText

__all__ = [
    "CLAIM_COLUMNS",
    "ClaimSource",
    "ClaimSuggestion",
    "LevelPolicy",
    "SkillClaim",
    "derive_level",
]

CLAIM_COLUMNS = ("employee_id", "skill", "level", "source", "observed", "confidence",
                 "evidence")
"""The columns of a claims table, one row per claim (``EmployeeTwin.from_frame``,
``Store.import_claims``, :func:`skilltwin.outofcore.claim_levels`): ``employee_id`` and
``skill`` (an ESCO URI or label, or a company skill) are required, the others optional."""

ClaimSource = Literal["self", "manager", "certificate", "assessment", "inferred"]

_DEFAULT_TRUST: dict[str, float] = {
    "assessment": 1.0,
    "certificate": 0.9,
    "manager": 0.8,
    "self": 0.6,
    "inferred": 0.3,
}


class SkillClaim(CheckedModel):
    """A statement that an employee holds an ESCO skill at a level, with its evidence.

    Claims are never edited: a new claim is added instead, so the twin keeps its history.

    Attributes:
        skill_uri: The ESCO skill.
        skill_label: Its ESCO preferred label (for people reading the twin).
        level: Level on the twin's proficiency scale.
        source: Who or what says so: self, manager, certificate, assessment, or inferred
            (extracted from text; awaits a person's confirmation).
        evidence: Free text backing the claim (a certificate name, a CV sentence...).
        observed: The date the claim was true.
        confidence: How sure the source is, 0-1.
        company_skill: The company skill id the claim was made with, if any.
    """

    model_config = ConfigDict(frozen=True)

    skill_uri: NonEmptyText
    skill_label: str
    level: float = Field(ge=0, allow_inf_nan=False)
    source: ClaimSource = "self"
    evidence: str = ""
    observed: dt.date
    confidence: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    company_skill: str | None = None


class ClaimSuggestion(CheckedModel):
    """A skill text extraction found, not sure enough to become a claim by itself: a person
    accepts it (it becomes a claim) or rejects it (it never does).

    Attributes:
        skill_uri: The ESCO skill.
        skill_label: Its ESCO preferred label.
        level: The level the claim gets when accepted.
        evidence: The span of text the skill was found in.
        start, end: Where that span is in the text (``text[start:end] == evidence``).
        confidence: The extraction's calibrated confidence, 0-1 (see docs/mapping.md).
        observed: The date the claim gets when accepted.
        decision: ``pending`` until a person accepts or rejects it.
    """

    model_config = ConfigDict(frozen=True)

    skill_uri: NonEmptyText
    skill_label: str
    level: float = Field(ge=0, allow_inf_nan=False)
    evidence: str = ""
    start: int = Field(default=0, ge=0)
    end: int = Field(default=0, ge=0)
    confidence: float = Field(ge=0, le=1, allow_inf_nan=False)
    observed: dt.date
    decision: Literal["pending", "accepted", "rejected"] = "pending"


_LEVEL_DECIMALS = 6  # far below any meaningful level difference, far above float noise


class LevelPolicy(CheckedModel):
    """How the current level of a skill follows from its claims.

    1. For each source only its most recent claim counts (a newer self-assessment replaces
       an older one; claims from other sources stay).
    2. Those claims are averaged, each weighted by ``trust[source] * confidence``, and the
       result is rounded to 6 decimals: claims that agree on level 3 give exactly 3, never
       2.9999999999999996, so a requirement of 3 counts as met.
    3. With ``half_life_years`` set, each claim's level first decays by
       ``0.5 ** (age_in_years / half_life_years)``: evidence that is not renewed fades.
       ``None`` (the default) switches decay off.

    Attributes:
        trust: Weight of each source (defaults: assessment 1.0, certificate 0.9, manager 0.8,
            self 0.6, inferred 0.3). Set a source to 0 to ignore its claims.
        half_life_years: Years after which an unrenewed claim counts for half its level.
    """

    model_config = ConfigDict(frozen=True)

    trust: Mapping[str, float] = Field(default_factory=lambda: dict(_DEFAULT_TRUST))
    half_life_years: float | None = Field(default=None, gt=0, allow_inf_nan=False)

    @field_validator("trust")
    @classmethod
    def _trust_is_a_weight_per_source(cls, trust: Mapping[str, float]) -> Mapping[str, float]:
        known = set(_DEFAULT_TRUST)
        for source, weight in trust.items():
            if source not in known:
                raise ValueError(f"unknown source {source!r}; sources are {sorted(known)}")
            if not 0 <= weight < float("inf"):
                raise ValueError(f"the trust of {source!r} must be a number of 0 or more, "
                                 f"not {weight!r}")
        return trust


def derive_level(
    claims: Iterable[SkillClaim], level_policy: LevelPolicy, as_of: dt.date
) -> float:
    """The current level of one skill from its claims up to ``as_of`` (0 when none count)."""
    latest: dict[str, SkillClaim] = {}
    for claim in claims:
        if claim.observed > as_of:
            continue
        kept = latest.get(claim.source)
        if kept is None or claim.observed >= kept.observed:
            latest[claim.source] = claim
    total = weighted = 0.0
    for claim in latest.values():
        weight = level_policy.trust.get(claim.source, 0.0) * claim.confidence
        level = claim.level
        if level_policy.half_life_years is not None:
            years = (as_of - claim.observed).days / 365.25
            level *= 0.5 ** (years / level_policy.half_life_years)
        total += weight
        weighted += weight * level
    return round(weighted / total, _LEVEL_DECIMALS) if total > 0 else 0.0
