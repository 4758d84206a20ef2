"""The settings of the match score and of partial credit through the taxonomy."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from skilltwin._validation import CheckedModel

__all__ = ["CreditPolicy", "ScoringPolicy"]


class CreditPolicy(CheckedModel):
    """Credit a held skill gives towards a required skill it is directly related to in ESCO.

    Only direct neighbours count (one hop), so the skill x skill credit matrix stays sparse.
    When several held skills are related to a requirement, the best one counts.

    Attributes:
        narrower: The held skill is a narrower (more specific) skill of the required one.
        broader: The held skill is broader (more general) than the required one.
        essential_relation: ESCO links the two skills with an essential skill-skill relation
            (either direction).
        optional_relation: ESCO links them with an optional skill-skill relation.
    """

    model_config = ConfigDict(frozen=True)

    narrower: float = Field(default=0.5, ge=0, le=1, allow_inf_nan=False)
    broader: float = Field(default=0.4, ge=0, le=1, allow_inf_nan=False)
    essential_relation: float = Field(default=0.4, ge=0, le=1, allow_inf_nan=False)
    optional_relation: float = Field(default=0.25, ge=0, le=1, allow_inf_nan=False)


class ScoringPolicy(CheckedModel):
    """How requirements are weighed in :func:`skilltwin.match`.

    Attributes:
        essential_share: Part of the score carried by essential requirements when a profile
            has both essential and optional ones (the rest goes to optional ones). A profile
            with only one kind gives that kind the whole score.
        credit: Partial credit through the taxonomy; ``None`` switches it off.
    """

    model_config = ConfigDict(frozen=True)

    essential_share: float = Field(default=0.75, gt=0, le=1, allow_inf_nan=False)
    credit: CreditPolicy | None = Field(default_factory=CreditPolicy)
