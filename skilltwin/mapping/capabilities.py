"""What an encoder declares beyond ``name`` and ``encode``: :class:`EncoderCapabilities`.

An :class:`~skilltwin.mapping.Encoder` has a ``name``, ``encode(texts)`` and ``capabilities``:
whatever else the mapper should know of the model (whether it is multilingual, how its cosines
spread, its dimension...) it states in that one attribute, an :class:`EncoderCapabilities`, as
scikit-learn estimators state their tags. ``EncoderCapabilities()``, the defaults (which
:class:`~skilltwin.mapping.BaseEncoder` declares), fit a model of one language whose cosines
spread like all-MiniLM-L6-v2's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from skilltwin._validation import check_count, check_number

__all__ = ["CosineCalibration", "EncoderCapabilities"]


@dataclass(frozen=True)
class CosineCalibration:
    """How a model's cosines spread between unrelated texts (labels of different ESCO
    occupations): their ``mean`` and standard deviation ``std``. The mapper maps the model's
    cosines from this spread to the default model's before it fuses them (docs/mapping.md)."""

    mean: float
    std: float

    def __post_init__(self) -> None:
        hint = "Measure them as the cosines between labels of different concepts."
        # frozen: store the checked numbers (numeric text such as "0.2" becomes 0.2)
        object.__setattr__(self, "mean", check_number(self.mean, "mean", hint=hint))
        object.__setattr__(self, "std", check_number(self.std, "std", minimum=0,
                                                     exclusive_minimum=True, hint=hint))


@dataclass(frozen=True)
class EncoderCapabilities:
    """What an encoder can do beyond ``name`` and ``encode``; every field has a default.

    Attributes:
        multilingual: The model embeds several languages into one space; the mapper then
            weighs its signals for text in another language than the labels (default
            ``False``).
        calibration: How its cosines spread (a :class:`CosineCalibration`), for a model whose
            cosines sit far from all-MiniLM-L6-v2's (mean 0.20, sd 0.11); ``None`` (default):
            taken as they are.
        cross_language_gap: How much lower, on the calibrated scale, its cosines across
            languages run than within one (the mapper's ``fallback`` weight), from 0 to 1;
            ``None`` (default): no correction.
        dimension: The length of its vectors, when known before the model loads (``None``,
            the default, when not).
        description_view: For a model that weighs its parts differently on descriptions (a
            :class:`~skilltwin.mapping.CombinedEncoder` with ``description_weights``): the
            factor per dimension that turns a stored description vector into one with those
            weights, and the calibration of the resulting cosine; ``None`` (default) otherwise.
    """

    multilingual: bool = False
    calibration: CosineCalibration | None = None
    cross_language_gap: float | None = None
    dimension: int | None = None
    description_view: tuple[np.ndarray, CosineCalibration] | None = field(
        default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.cross_language_gap is not None:
            gap = check_number(self.cross_language_gap, "cross_language_gap", minimum=0,
                               maximum=1, hint="Give how much lower, on the calibrated scale, "
                               "the model's cosines across languages run, or None.")
            object.__setattr__(self, "cross_language_gap", gap)
        if self.dimension is not None:
            check_count(self.dimension, "dimension", minimum=1,
                        hint="Give the length of the model's vectors, or None.")

