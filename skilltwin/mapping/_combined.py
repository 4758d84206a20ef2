"""Two or more models as one: the weighted cosines of several encoders in one vector.

Each model's unit vector is scaled by the square root of its mixing weight and the parts are
concatenated. With mixing weights summing to 1 the result is again a unit vector, and the dot
product of two such vectors is the weighted mean of the models' cosines. So a combination fits
the mapper unchanged: one index, one matrix product.

When every model declares its :class:`~skilltwin.mapping._calibration.CosineScale`, the
weights apply to the *calibrated* cosines: a model that spreads its cosines narrowly (e5: sd
0.023) gets a mixing weight larger by the ratio of the spreads, so that each model moves the
combined score as much as its weight says. The combination then declares the scale of its own
cosine, so the mapper calibrates it like any model: with weights ``w`` (summing to 1) and
scales ``(mean, std)``, ``Z = sum(w / std)``, the mixing weights are ``w / std / Z`` and the
combined scale is ``(sum(mixing * mean), 1 / Z)``; the calibrated combined cosine is then
exactly the weighted mean of the calibrated cosines of the models.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from skilltwin.errors import ConfigurationError
from skilltwin.mapping._calibration import CosineScale
from skilltwin.mapping.encoder import Encoder

__all__ = ["CombinedEncoder"]


class CombinedEncoder:
    """Score fusion of several encoders (see the module docstring).

    Args:
        parts: ``(encoder, weight)`` pairs; weights are positive and normalised to sum to 1.

    Attributes:
        weights: The normalised weights, as given.
        parts: ``(encoder, mixing weight)`` pairs: the weights of the raw cosines in the
            combined vector (the weights themselves unless every encoder has a cosine scale).
        cosine_scale: The scale of the combined cosine, or ``None`` when not every encoder has
            one.
    """

    def __init__(self, parts: Sequence[tuple[Encoder, float]]):
        if len(parts) < 2 or any(weight <= 0 for _, weight in parts):
            raise ConfigurationError(
                "CombinedEncoder needs at least two (encoder, weight) pairs with positive "
                "weights."
            )
        total = sum(weight for _, weight in parts)
        self.weights = [weight / total for _, weight in parts]
        encoders = [encoder for encoder, _ in parts]
        scales = [getattr(encoder, "cosine_scale", None) for encoder in encoders]
        self.cosine_scale: CosineScale | None = None
        mixing = self.weights
        if all(isinstance(scale, CosineScale) for scale in scales):
            known = [scale for scale in scales if isinstance(scale, CosineScale)]
            spread = sum(w / scale.std for w, scale in zip(self.weights, known, strict=True))
            mixing = [w / scale.std / spread
                      for w, scale in zip(self.weights, known, strict=True)]
            self.cosine_scale = CosineScale(
                mean=sum(m * scale.mean for m, scale in zip(mixing, known, strict=True)),
                std=1 / spread,
            )
        self.parts = list(zip(encoders, mixing, strict=True))
        self.name = "+".join(f"{encoder.name}*{weight:.2f}"
                             for encoder, weight in zip(encoders, self.weights, strict=True))
        if self.cosine_scale is not None:
            self.name += "#calibrated"
        self.multilingual = any(getattr(encoder, "multilingual", False) for encoder in encoders)

    def __repr__(self) -> str:
        return f"CombinedEncoder({self.name!r})"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The concatenated, mixing-weight-scaled unit vectors of every part (unit length)."""
        return np.concatenate(
            [math.sqrt(weight) * encoder.encode(texts) for encoder, weight in self.parts],
            axis=1,
        ).astype(np.float32, copy=False)
