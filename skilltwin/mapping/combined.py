"""Two or more models as one: the weighted cosines of several encoders in one vector.

Each model's unit vector is scaled by the square root of its mixing weight and the parts are
concatenated. With mixing weights summing to 1 the result is again a unit vector, and the dot
product of two such vectors is the weighted mean of the models' cosines. So a combination fits
the mapper unchanged: one index, one matrix product.

When every model declares its :class:`~skilltwin.mapping.calibration.CosineScale`, the
weights apply to the *calibrated* cosines: a model that spreads its cosines narrowly (e5: sd
0.023) gets a mixing weight larger by the ratio of the spreads, so that each model moves the
combined score as much as its weight says. The combination then declares the scale of its own
cosine, so the mapper calibrates it like any model: with weights ``w`` (summing to 1) and
scales ``(mean, std)``, ``Z = sum(w / std)``, the mixing weights are ``w / std / Z`` and the
combined scale is ``(sum(mixing * mean), 1 / Z)``; the calibrated combined cosine is then
exactly the weighted mean of the calibrated cosines of the models.

Descriptions may weigh the models differently from labels (``description_weights``): the
packaged multilingual combination trusts multilingual-e5-small more on a concept's description
(a paragraph, which e5 was trained to retrieve) than on its short labels. The vectors stay the
same; :meth:`CombinedEncoder.description_view` gives the factor per dimension that turns a
stored description vector into one with those weights, and the scale of the resulting cosine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from skilltwin.errors import ConfigurationError
from skilltwin.mapping.calibration import CosineScale
from skilltwin.mapping.encoder import Encoder

__all__ = ["CombinedEncoder"]


class CombinedEncoder:
    """Score fusion of several encoders (see the module docstring).

    Args:
        parts: ``(encoder, weight)`` pairs; weights are positive and normalised to sum to 1.
        description_weights: Other weights for the description cosines, one per part
            (normalised likewise); only used when every encoder has a cosine scale.
        cross_language_gap: How much lower the combination's cosines across languages run
            (the mapper's ``fallback`` weight); by default the weighted mean of the parts'
            gaps when every part declares one.

    Attributes:
        weights: The normalised weights, as given.
        parts: ``(encoder, mixing weight)`` pairs: the weights of the raw cosines in the
            combined vector (the weights themselves unless every encoder has a cosine scale).
        cosine_scale: The scale of the combined cosine, or ``None`` when not every encoder has
            one.
        description_weights: The normalised description weights, or ``None`` (descriptions
            weigh the parts as labels do).
        cross_language_gap: The ``fallback`` weight the mapper uses, or ``None`` (no
            correction).
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
        encoders = [encoder for encoder, _ in parts]
        scales = [getattr(encoder, "cosine_scale", None) for encoder in encoders]
        self._scales = [scale for scale in scales if isinstance(scale, CosineScale)]
        calibrated = len(self._scales) == len(encoders)
        self.cosine_scale: CosineScale | None = None
        mixing = self.weights
        if calibrated:
            mixing, self.cosine_scale = _mixing(self.weights, self._scales)
        self.parts = list(zip(encoders, mixing, strict=True))
        dimensions = [getattr(encoder, "dimension", None) for encoder in encoders]
        self._dimensions = [value if isinstance(value, int) else 0 for value in dimensions]
        if description_weights is not None and 0 in self._dimensions:
            raise ConfigurationError(
                "description_weights needs encoders that declare their `dimension` (the "
                "packaged models do)."
            )
        self.description_weights = (_normalised(description_weights)
                                    if description_weights is not None and calibrated
                                    else None)
        self.name = "+".join(f"{encoder.name}*{weight:.2f}"
                             for encoder, weight in zip(encoders, self.weights, strict=True))
        if self.cosine_scale is not None:
            self.name += "#calibrated"
        if self.description_weights is not None:
            self.name += "#descriptions*" + "/".join(f"{w:.2f}" for w in self.description_weights)
        self.multilingual = any(getattr(encoder, "multilingual", False) for encoder in encoders)
        gaps = [getattr(encoder, "cross_language_gap", None) for encoder in encoders]
        declared = [float(gap) for gap in gaps if isinstance(gap, (int, float))]
        if cross_language_gap is None and len(declared) == len(encoders):
            cross_language_gap = sum(w * gap for w, gap in zip(self.weights, declared,
                                                                strict=True))
        self.cross_language_gap = cross_language_gap

    def description_view(self) -> tuple[np.ndarray, CosineScale] | None:
        """``(factors, scale)`` when descriptions weigh the parts differently: multiplying a
        stored vector by ``factors`` (one per dimension) makes its dot product with a query
        the description-weighted cosine, whose scale is ``scale``; ``None`` otherwise."""
        if self.description_weights is None:
            return None
        mixing, scale = _mixing(self.description_weights, self._scales)
        factors = np.concatenate([
            np.full(dimension, wanted / stored, dtype=np.float32)
            for dimension, (_, stored), wanted in zip(self._dimensions, self.parts, mixing,
                                                      strict=True)
        ])
        return factors, scale

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


def _mixing(weights: Sequence[float], scales: Sequence[CosineScale]
            ) -> tuple[list[float], CosineScale]:
    """The raw-cosine mixing weights that give calibrated weights ``weights``, and the scale of
    the mixed cosine (see the module docstring)."""
    spread = sum(w / scale.std for w, scale in zip(weights, scales, strict=True))
    mixing = [w / scale.std / spread for w, scale in zip(weights, scales, strict=True)]
    mean = sum(m * scale.mean for m, scale in zip(mixing, scales, strict=True))
    return mixing, CosineScale(mean=mean, std=1 / spread)
