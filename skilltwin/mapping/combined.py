"""Two or more models as one: the weighted cosines of several encoders in one vector.

Each model's unit vector is scaled by the square root of its mixing weight and the parts are
concatenated. With mixing weights summing to 1 the result is again a unit vector, and the dot
product of two such vectors is the weighted mean of the models' cosines. So a combination fits
the mapper unchanged: one index, one matrix product.

When every model declares its :class:`~skilltwin.mapping.CosineCalibration` (in its
:class:`~skilltwin.mapping.EncoderCapabilities`), the weights apply to the *calibrated*
cosines: a model that spreads its cosines narrowly (e5: sd 0.023) gets a mixing weight larger by
the ratio of the spreads, so that each model moves the combined score as much as its weight
says. The combination then declares the calibration of its
own cosine, so the mapper calibrates it like any model: with weights ``w`` (summing to 1) and
calibrations ``(mean, std)``, ``Z = sum(w / std)``, the mixing weights are ``w / std / Z`` and
the combined calibration is ``(sum(mixing * mean), 1 / Z)``; the calibrated combined cosine is then
exactly the weighted mean of the calibrated cosines of the models.

Descriptions may weigh the models differently from labels (``description_weights``): the
packaged multilingual combination trusts multilingual-e5-small more on a concept's description
(a paragraph, which e5 was trained to retrieve) than on its short labels. The vectors stay the
same; the ``description_view`` of the combination's capabilities gives the factor per dimension
that turns a stored description vector into one with those weights, and the calibration of the
resulting cosine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from skilltwin.errors import ConfigurationError
from skilltwin.mapping.capabilities import (
    CosineCalibration,
    EncoderCapabilities,
)
from skilltwin.mapping.encoder import BaseEncoder, Encoder, check_encoder

__all__ = ["CombinedEncoder"]


class CombinedEncoder(BaseEncoder):
    """Score fusion of several encoders (see the module docstring).

    Args:
        parts: ``(encoder, weight)`` pairs; weights are positive and normalised to sum to 1.
        description_weights: Other weights for the description cosines, one per part
            (normalised likewise); only used when every encoder declares its calibration.
        cross_language_gap: How much lower the combination's cosines across languages run
            (the mapper's ``fallback`` weight); by default the weighted mean of the parts'
            gaps when every part declares one.

    Attributes:
        weights: The normalised weights, as given.
        parts: ``(encoder, mixing weight)`` pairs: the weights of the raw cosines in the
            combined vector (the weights themselves unless every encoder declares its
            calibration).
        description_weights: The normalised description weights, or ``None`` (descriptions
            weigh the parts as labels do).
        capabilities: Multilingual when any part is; the ``calibration`` of the combined
            cosine (``None`` unless every part declares one); the ``cross_language_gap``
            (``None``: no correction); the ``dimension`` (the sum of the parts', when each
            declares one) and the ``description_view`` for ``description_weights``.
    """

    def __init__(self, parts: Sequence[tuple[Encoder, float]],
                 description_weights: Sequence[float] | None = None,
                 cross_language_gap: float | None = None):
        if len(parts) < 2 or any(weight <= 0 for _, weight in parts):
            raise ConfigurationError(
                "CombinedEncoder needs at least two (encoder, weight) pairs with positive "
                "weights."
            )
        if description_weights is not None and (
                len(description_weights) != len(parts)
                or any(weight <= 0 for weight in description_weights)):
            raise ConfigurationError(
                f"description_weights needs one positive weight per part ({len(parts)}), not "
                f"{list(description_weights)}."
            )
        self.weights = _normalised([weight for _, weight in parts])
        encoders = [check_encoder(encoder, f"parts[{index}]")
                    for index, (encoder, _) in enumerate(parts)]
        declared = [encoder.capabilities for encoder in encoders]
        calibrations = [c.calibration for c in declared if c.calibration is not None]
        calibrated = len(calibrations) == len(encoders)
        calibration: CosineCalibration | None = None
        mixing = self.weights
        if calibrated:
            mixing, calibration = _mixing(self.weights, calibrations)
        self.parts = list(zip(encoders, mixing, strict=True))
        dimensions = [c.dimension for c in declared]
        if description_weights is not None and None in dimensions:
            raise ConfigurationError(
                "description_weights needs encoders that declare their `dimension` in their "
                "capabilities (the packaged models do)."
            )
        self.description_weights = (_normalised(description_weights)
                                    if description_weights is not None and calibrated
                                    else None)
        self.name = "+".join(f"{encoder.name}*{weight:.2f}"
                             for encoder, weight in zip(encoders, self.weights, strict=True))
        if calibration is not None:
            self.name += "#calibrated"
        if self.description_weights is not None:
            self.name += "#descriptions*" + "/".join(f"{w:.2f}" for w in self.description_weights)
        gaps = [c.cross_language_gap for c in declared if c.cross_language_gap is not None]
        if cross_language_gap is None and len(gaps) == len(encoders):
            cross_language_gap = sum(w * gap for w, gap in zip(self.weights, gaps, strict=True))
        known = [dimension for dimension in dimensions if dimension is not None]
        self.capabilities = EncoderCapabilities(
            multilingual=any(c.multilingual for c in declared),
            calibration=calibration,
            cross_language_gap=cross_language_gap,
            dimension=sum(known) if len(known) == len(encoders) else None,
            description_view=self._description_view(known, calibrations),
        )

    def _description_view(self, dimensions: Sequence[int],
                          calibrations: Sequence[CosineCalibration]
                          ) -> tuple[np.ndarray, CosineCalibration] | None:
        """``(factors, calibration)`` when descriptions weigh the parts differently:
        multiplying a stored vector by ``factors`` (one per dimension) makes its dot product
        with a query the description-weighted cosine, whose calibration is ``calibration``;
        ``None`` otherwise."""
        if self.description_weights is None:
            return None
        mixing, calibration = _mixing(self.description_weights, calibrations)
        factors = np.concatenate([
            np.full(dimension, wanted / stored, dtype=np.float32)
            for dimension, (_, stored), wanted in zip(dimensions, self.parts, mixing,
                                                      strict=True)
        ])
        return factors, calibration

    def __repr__(self) -> str:
        return f"CombinedEncoder({self.name!r})"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The concatenated, mixing-weight-scaled unit vectors of every part (unit length)."""
        return np.concatenate(
            [math.sqrt(weight) * encoder.encode(texts) for encoder, weight in self.parts],
            axis=1,
        ).astype(np.float32, copy=False)


def _normalised(weights: Sequence[float]) -> list[float]:
    total = sum(weights)
    return [weight / total for weight in weights]


def _mixing(weights: Sequence[float], calibrations: Sequence[CosineCalibration]
            ) -> tuple[list[float], CosineCalibration]:
    """The raw-cosine mixing weights that give calibrated weights ``weights``, and the
    calibration of the mixed cosine (see the module docstring)."""
    spread = sum(w / c.std for w, c in zip(weights, calibrations, strict=True))
    mixing = [w / c.std / spread for w, c in zip(weights, calibrations, strict=True)]
    mean = sum(m * c.mean for m, c in zip(mixing, calibrations, strict=True))
    return mixing, CosineCalibration(mean=mean, std=1 / spread)
