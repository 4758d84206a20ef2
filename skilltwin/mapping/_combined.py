"""Two or more models as one: the weighted cosines of several encoders in one vector.

Each model's unit vector is scaled by the square root of its weight and the parts are
concatenated. With weights summing to 1 the result is again a unit vector, and the dot
product of two such vectors is the weighted mean of the models' cosines. So a combination of
an English model (strong on English phrasing) and a multilingual one (which also places Dutch
text next to its English meaning) fits the mapper unchanged: one index, one matrix product.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from skilltwin.errors import ConfigurationError
from skilltwin.mapping.encoder import Encoder

__all__ = ["CombinedEncoder"]


class CombinedEncoder:
    """Score fusion of several encoders (see the module docstring).

    Args:
        parts: ``(encoder, weight)`` pairs; weights are positive and normalised to sum to 1.
    """

    def __init__(self, parts: Sequence[tuple[Encoder, float]]):
        if len(parts) < 2 or any(weight <= 0 for _, weight in parts):
            raise ConfigurationError(
                "CombinedEncoder needs at least two (encoder, weight) pairs with positive "
                "weights."
            )
        total = sum(weight for _, weight in parts)
        self.parts = [(encoder, weight / total) for encoder, weight in parts]
        self.name = "+".join(f"{encoder.name}*{weight:.2f}" for encoder, weight in self.parts)
        self.multilingual = any(getattr(encoder, "multilingual", False) for encoder, _ in parts)

    def __repr__(self) -> str:
        return f"CombinedEncoder({self.name!r})"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The concatenated, weight-scaled unit vectors of every part (unit length)."""
        return np.concatenate(
            [math.sqrt(weight) * encoder.encode(texts) for encoder, weight in self.parts],
            axis=1,
        ).astype(np.float32, copy=False)
