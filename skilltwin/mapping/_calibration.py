"""Putting the cosines of different models on one scale.

Models spread their cosines very differently. Between the labels of two different ESCO
occupations, all-MiniLM-L6-v2 gives 0.20 on average (standard deviation 0.11), USE
multilingual 0.21 (0.12), but multilingual-e5-small 0.81 (0.023): for e5 every pair of texts
looks alike, and what matters are differences of a few hundredths. The mapper adds lexical
signals and description cosines to the label cosine with fixed weights, which only works when
the cosine moves as much as the default model's does, and two models can only be averaged
fairly on one scale.

An encoder may therefore declare how its cosines spread (the ``calibration`` of its
:class:`~skilltwin.mapping.EncoderCapabilities`, a :class:`~skilltwin.mapping.CosineCalibration`
measured as above over 200,000 random label pairs of different occupations); the mapper then
maps each cosine ``c`` to ``REFERENCE.mean + REFERENCE.std * (c - cal.mean) / cal.std``, where
:data:`REFERENCE` is the spread of the default model. An encoder without one (the default
model, any model a user passes) is taken as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from skilltwin.mapping.capabilities import CosineCalibration

if TYPE_CHECKING:
    from skilltwin.mapping.encoder import Encoder

__all__ = ["IDENTITY", "REFERENCE", "AffineMap", "calibration_for", "description_view"]


#: The spread of the default model (all-MiniLM-L6-v2): the scale every model is mapped to.
REFERENCE = CosineCalibration(mean=0.20, std=0.11)


@dataclass(frozen=True)
class AffineMap:
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
        capped: np.ndarray = np.minimum(cosines, np.float32(1.0), out=cosines)
        return capped


IDENTITY = AffineMap(slope=1.0, offset=0.0)


def calibration_for(encoder: Encoder) -> AffineMap:
    """The map of ``encoder``'s cosines to the reference scale: from the ``calibration`` its
    capabilities declare, else :data:`IDENTITY`."""
    calibration = encoder.capabilities.calibration
    return IDENTITY if calibration is None else _to_reference(calibration)


def _to_reference(calibration: CosineCalibration) -> AffineMap:
    slope = REFERENCE.std / calibration.std
    return AffineMap(slope=slope, offset=REFERENCE.mean - slope * calibration.mean)


def description_view(encoder: Encoder) -> tuple[np.ndarray, AffineMap] | None:
    """For a combined model that weighs its parts differently for descriptions: the factors
    per dimension that give a stored description vector those weights, and the map of the
    resulting cosine to the reference scale (``None`` for any other encoder)."""
    view = encoder.capabilities.description_view
    if view is None:
        return None
    factors, calibration = view
    return factors, _to_reference(calibration)
