"""Putting the cosines of different models on one scale.

Models spread their cosines very differently. Between the labels of two different ESCO
occupations, all-MiniLM-L6-v2 gives 0.20 on average (standard deviation 0.11), USE
multilingual 0.21 (0.12), but multilingual-e5-small 0.81 (0.023): for e5 every pair of texts
looks alike, and what matters are differences of a few hundredths. The mapper adds lexical
signals and description cosines to the label cosine with fixed weights, which only works when
the cosine moves as much as the default model's does, and two models can only be averaged
fairly on one scale.

An encoder may therefore say how its cosines spread (:class:`CosineScale`, measured as above
over 200,000 random label pairs of different occupations); the mapper then maps each cosine
``c`` to ``REFERENCE.mean + REFERENCE.std * (c - scale.mean) / scale.std``, where
:data:`REFERENCE` is the spread of the default model. An encoder without a scale (the default
model, any model a user passes) is taken as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from skilltwin.errors import ConfigurationError

__all__ = ["IDENTITY", "REFERENCE", "Calibration", "CosineScale", "calibration_for",
           "description_view"]


@dataclass(frozen=True)
class CosineScale:
    """How a model's cosines spread between unrelated texts (labels of different ESCO
    occupations): their ``mean`` and standard deviation ``std``."""

    mean: float
    std: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.mean) and math.isfinite(self.std) and self.std > 0):
            raise ConfigurationError(
                f"CosineScale needs a finite mean and a positive standard deviation, not "
                f"mean={self.mean}, std={self.std}: measure them as the cosines between "
                "labels of different concepts."
            )


#: The spread of the default model (all-MiniLM-L6-v2): the scale every model is mapped to.
REFERENCE = CosineScale(mean=0.20, std=0.11)


@dataclass(frozen=True)
class Calibration:
    """The affine map ``slope * cosine + offset`` from a model's cosines to the reference
    scale."""

    slope: float
    offset: float

    def apply(self, cosines: np.ndarray) -> np.ndarray:
        """``cosines`` on the reference scale, in place when they are a float32 array. Like a
        cosine, a calibrated cosine is at most 1 (a text equal to a label would otherwise
        score above it, and its explanation, whose signals are at most 1, would not add up)."""
        if self.slope == 1.0 and self.offset == 0.0:
            return cosines
        cosines *= np.float32(self.slope)
        cosines += np.float32(self.offset)
        np.minimum(cosines, np.float32(1.0), out=cosines)
        return cosines


IDENTITY = Calibration(slope=1.0, offset=0.0)


def calibration_for(encoder: object) -> Calibration:
    """The calibration of ``encoder``'s cosines: from its ``cosine_scale`` attribute when it
    has one, else :data:`IDENTITY`."""
    scale = getattr(encoder, "cosine_scale", None)
    return _to_reference(scale) if isinstance(scale, CosineScale) else IDENTITY


def _to_reference(scale: CosineScale) -> Calibration:
    slope = REFERENCE.std / scale.std
    return Calibration(slope=slope, offset=REFERENCE.mean - slope * scale.mean)


def description_view(encoder: object) -> tuple[np.ndarray, Calibration] | None:
    """For a combined model that weighs its parts differently for descriptions: the factors
    per dimension that give a stored description vector those weights, and the calibration of
    the resulting cosine (``None`` for any other encoder)."""
    view = getattr(encoder, "description_view", None)
    found = view() if callable(view) else None
    if found is None:
        return None
    factors, scale = found
    return factors, _to_reference(scale)
