"""Proficiency scales: the named levels a skill claim is expressed in."""

from __future__ import annotations

from pathlib import Path

from pydantic import ConfigDict, ValidationError, model_validator

from skilltwin._validation import (
    CheckedModel,
    NonEmptyText,
    check_level,
    check_path,
    describe_validation_error,
    read_text_file,
    repeated_key,
)
from skilltwin.errors import InputValidationError, TaxonomyLoadError

__all__ = ["DEFAULT_LEVEL", "ProficiencyScale", "ScaleLevel", "load_scale"]

DEFAULT_LEVEL: float = 2.0
"""The level a claim or requirement gets when none is given: 2, "Working" on the default
scale."""


class ScaleLevel(CheckedModel):
    """One level of a scale: a whole number with a name and a description."""

    model_config = ConfigDict(frozen=True)

    value: int
    name: NonEmptyText
    description: str = ""


class ProficiencyScale(CheckedModel):
    """An ordered set of proficiency levels, from 0 (none) to the scale's maximum.

    Scores use levels as numbers; names and descriptions are for people. The default scale
    (:meth:`default`) runs 0 None, 1 Awareness, 2 Working, 3 Advanced, 4 Expert; the same scale
    is in ``taxonomies/scales/default-0-4.yaml`` as a model for your own scale files.
    """

    model_config = ConfigDict(frozen=True)

    name: NonEmptyText
    levels: tuple[ScaleLevel, ...]

    @model_validator(mode="after")
    def _levels_run_from_zero(self) -> ProficiencyScale:
        values = [level.value for level in self.levels]
        if values != list(range(len(values))) or len(values) < 2:
            raise ValueError(
                f"levels must be listed in order as 0, 1, 2, ... (at least two); got {values}"
            )
        return self

    @classmethod
    def default(cls) -> ProficiencyScale:
        """The 0-4 scale skilltwin uses unless told otherwise."""
        return cls(
            name="skilltwin 0-4",
            levels=(
                ScaleLevel(value=0, name="None",
                           description="No working knowledge of the skill."),
                ScaleLevel(value=1, name="Awareness",
                           description="Knows what the skill is about; can do simple tasks "
                           "with guidance."),
                ScaleLevel(value=2, name="Working",
                           description="Applies the skill independently in routine situations."),
                ScaleLevel(value=3, name="Advanced",
                           description="Handles complex or new situations; advises and coaches "
                           "colleagues."),
                ScaleLevel(value=4, name="Expert",
                           description="Recognised authority; shapes practice and standards in "
                           "the organisation."),
            ),
        )

    @property
    def maximum(self) -> int:
        """The highest level."""
        return self.levels[-1].value

    def validate_level(self, level: float, field: str = "level") -> float:
        """Return ``level`` as a float, or raise when it is not a number on the scale.

        Booleans, NaN and infinity are refused: ``true`` is not level 1.
        """
        return check_level(level, field, scale=self.name, maximum=self.maximum)

    def name_of(self, level: float) -> str:
        """The name of the level ``level`` rounds down to (e.g. 2.6 -> "Working")."""
        return self.levels[int(self.validate_level(level))].name


def load_scale(path: str | Path) -> ProficiencyScale:
    """Read a proficiency scale from a YAML file (see ``taxonomies/scales/``)."""
    import yaml

    check_path(path, what="scale file")
    try:
        text = read_text_file(path, what="scale file")
    except InputValidationError as exc:
        raise TaxonomyLoadError(exc.detail, path=exc.path or path) from None
    file = Path(path)
    try:
        repeated = repeated_key(yaml.compose(text, Loader=yaml.SafeLoader))
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyLoadError(f"not valid YAML ({exc}).", path=file) from None
    except ValueError as exc:  # e.g. a number too long to convert
        raise TaxonomyLoadError(f"holds a value YAML cannot read ({exc}).", path=file) from None
    if repeated:
        raise TaxonomyLoadError(
            f"the key {repeated[0]!r} at line {repeated[1]} repeats a key of the same mapping; "
            "YAML would keep only the last one. Merge the two.",
            path=file,
        )
    try:
        return ProficiencyScale.model_validate(raw)
    except ValidationError as exc:
        raise TaxonomyLoadError(
            f"not a proficiency scale: {describe_validation_error(exc)}; see "
            "taxonomies/scales/default-0-4.yaml for the format.",
            path=file,
        ) from None
