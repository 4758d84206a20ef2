"""ONNX Runtime backend for sentence-transformers models (BERT-style encoder + mean pooling).

The model is exported once from the local weights (``torch.onnx.export``) and, by default,
its weights quantised to int8 (dynamic quantisation, per channel), then kept in skilltwin's
cache folder with a ``card.json`` saying what it is and how it was made. Operators are fused by
ONNX Runtime when the session loads: fusing them offline first
(``onnxruntime.transformers.optimizer``) made the int8 model slower here (1,760 against
1,990 skill labels/s) and the float32 one no faster. The model's fast tokenizer is saved
beside the export (``tokenizer.json``, set up as transformers sets it up) with its maximum
length and padding token in the card. Later runs load the ONNX file and the tokenizer
directly: torch and transformers are needed for the export only; running needs onnxruntime,
``tokenizers`` and numpy. Nothing is downloaded.

Batches run side by side, one single-threaded session per core, rather than one batch at a
time on a session with a thread per core: the matrices of a batch of short texts are too
small to split well across cores. On two cores this gives about 5% more texts per second with
the same batches, and with batches of 32 (the encoder's default for this backend, which pad
less) 2.3-2.4 times PyTorch's speed (docs/benchmarks.md).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from skilltwin._staging import can_write, staged_folder
from skilltwin._version import __version__
from skilltwin.config import cache_dir, cache_root
from skilltwin.errors import ConfigurationError

__all__ = ["OnnxModel", "exported_model", "load_tokenizer", "onnx_cache_folder"]

# 2: no offline operator fusion (ONNX Runtime fuses at load time); 3: the tokenizer beside it
_FORMAT = 3
_FILES = ("model.onnx", "tokenizer.json", "card.json")
_OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OnnxModel:
    """An exported model: an ONNX Runtime session and the model's tokenizer.

    Args:
        source: Folder of the sentence-transformers model (the exported copy is cached).
        quantize: Use the int8 dynamically quantised export (faster on CPU, slightly different
            vectors) instead of the float32 one.
        threads: Batches embedded side by side (one single-threaded ONNX Runtime session
            each).
    """

    def __init__(self, source: Path, *, quantize: bool = True, threads: int = 2):
        try:
            import onnxruntime
        except ImportError as exc:
            raise ConfigurationError(
                "backend='onnx' needs the `onnxruntime` package; install it with "
                "`pip install onnxruntime` (or `pip install skilltwin[onnx]`), or use "
                "backend='torch'."
            ) from exc

        self.path = exported_model(source, quantize=quantize)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._sessions = [
            onnxruntime.InferenceSession(str(self.path), options,
                                         providers=["CPUExecutionProvider"])
            for _ in range(max(1, threads))
        ]
        # one tokenizer per lane, configured once (the Rust object is not shared by threads)
        self._tokenizers = [load_tokenizer(self.path.parent) for _ in self._sessions]
        self._wanted = {item.name for item in self._sessions[0].get_inputs()}
        self.dimension = int(self._sessions[0].get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """Mean-pooled, unit-length float32 rows (texts of similar length batched together)."""

        def embed(lane: int, batch: list[str]) -> np.ndarray:
            feed = _feed(self._tokenizers[lane], batch, self._wanted)
            rows: np.ndarray = self._sessions[lane].run(None, feed)[0]
            return rows

        return in_lanes(texts, batch_size, len(self._sessions), self.dimension, embed)


def in_lanes(texts: Sequence[str], batch_size: int, lanes: int, dimension: int,
             embed: Callable[[int, list[str]], np.ndarray]) -> np.ndarray:
    """Unit-length rows of ``embed(lane, batch)`` for every text, in the texts' order.

    Texts of similar length (in characters) go into one batch of at most ``batch_size``
    (smaller when there are few texts, so that every lane has some); lane ``i`` of ``lanes``
    (one ONNX session each, run side by side on threads) takes every ``lanes``-th batch, so
    the lanes get texts of every length and finish together.
    """
    order = np.argsort([len(text) for text in texts], kind="stable")
    size = max(1, min(batch_size, math.ceil(len(texts) / lanes)))
    batches = [order[start:start + size] for start in range(0, len(order), size)]
    vectors = np.zeros((len(texts), dimension), dtype=np.float32)

    def run_lane(lane: int) -> None:
        for rows in batches[lane::lanes]:
            vectors[rows] = embed(lane, [texts[i] for i in rows])

    if lanes == 1 or len(batches) == 1:
        for lane in range(lanes):
            run_lane(lane)
    else:
        with ThreadPoolExecutor(max_workers=lanes) as pool:
            list(pool.map(run_lane, range(lanes)))  # list(): raise a lane's error here
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return unit


def exported_model(source: Path, *, quantize: bool) -> Path:
    """The cached ONNX export of the model in ``source`` (exported on first use).

    The export folder holds ``model.onnx``, the model's fast tokenizer (``tokenizer.json``) and
    ``card.json``; running it needs neither torch nor transformers. When the cache folder
    cannot be written (a team's shared cache, read-only for its users) and holds no export of
    this model, the model is exported into a temporary folder for this process, with a
    warning.
    """
    folder = onnx_cache_folder() / _folder_name(source, quantize)
    target = folder / "model.onnx"
    if all((folder / name).is_file() for name in _FILES):
        return target
    if not can_write(folder):
        warnings.warn(
            f"The skilltwin cache folder {folder.parent} cannot be written and holds no ONNX "
            f"export of {source}: exporting into a temporary folder for this process (slow). "
            "Run `skilltwin index build` once with write access to that folder, or set "
            "SKILLTWIN_CACHE_DIR to a folder you can write.", stacklevel=3)
        private = Path(tempfile.mkdtemp(prefix="skilltwin-onnx-"))
        atexit.register(shutil.rmtree, private, True)
        _write_export(source, private, quantize)
        return private / "model.onnx"
    with staged_folder(folder) as staging:
        _write_export(source, staging, quantize)
    return target


def onnx_cache_folder() -> Path:
    """Where ONNX exports are cached (``onnx`` in skilltwin's cache folder; not created in a
    read-only cache)."""
    try:
        return cache_dir("onnx")
    except OSError:  # a read-only cache without an onnx folder
        return cache_root() / "onnx"


def _write_export(source: Path, staging: Path, quantize: bool) -> None:
    details = _export(source, staging, quantize)
    card = {
        "what": "ONNX export of a sentence-transformers model (transformer + mean "
                "pooling; outputs are normalised by skilltwin) and its tokenizer, for "
                "skilltwin's ONNX Runtime backend (which needs neither torch nor transformers).",
        "source": str(source),
        "quantization": "int8 dynamic (weights), per channel" if quantize else "none",
        "opset": _OPSET,
        **details,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "library_version": __version__,
        "format": _FORMAT,
        "rebuild": "Delete this folder; the next encoder with backend='onnx' exports the "
                   "model again.",
    }
    (staging / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def load_tokenizer(folder: Path) -> Any:
    """The fast tokenizer saved beside an export, set up as the export's card says (truncation
    at the model's maximum length, padding to the longest text of a batch)."""
    from tokenizers import Tokenizer

    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=int(card["max_length"]))
    tokenizer.enable_padding(pad_id=int(card["pad_id"]), pad_token=str(card["pad_token"]),
                             pad_type_id=int(card.get("pad_type_id", 0)))
    return tokenizer


def _feed(tokenizer: Any, texts: list[str], wanted: set[str]) -> dict[str, np.ndarray]:
    """The ONNX inputs for one batch (the inputs the graph has, as int64 matrices)."""
    encodings = tokenizer.encode_batch(texts)
    columns = {"input_ids": "ids", "attention_mask": "attention_mask",
               "token_type_ids": "type_ids"}
    return {name: np.array([getattr(item, columns[name]) for item in encodings],
                           dtype=np.int64)
            for name in _INPUTS if name in wanted}


def _export(source: Path, staging: Path, quantize: bool) -> dict[str, Any]:
    import torch
    from transformers import AutoModel, AutoTokenizer

    _check_mean_pooling(source)
    tokenizer = AutoTokenizer.from_pretrained(str(source), use_fast=True)
    if not getattr(tokenizer, "is_fast", False) or tokenizer.pad_token_id is None:
        raise ConfigurationError(
            f"backend='onnx' needs a model with a fast tokenizer that pads; {source} has "
            "none. Use backend='torch' for this model."
        )
    # as transformers set it up (normaliser options from tokenizer_config.json included)
    tokenizer.backend_tokenizer.save(str(staging / "tokenizer.json"))
    model = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()
    config = model.config
    wrapper = _mean_pooled(model)
    sample = [[101, 7592, 102], [101, 7592, 2088]]  # any ids: shapes are dynamic
    ids = torch.tensor(sample, dtype=torch.int64)
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    exported = staging / "exported.onnx"
    axes = {name: {0: "batch", 1: "tokens"} for name in _INPUTS}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about constant shapes: expected here
        torch.onnx.export(wrapper, args, str(exported), input_names=list(_INPUTS),
                          output_names=["embedding"],
                          dynamic_axes={**axes, "embedding": {0: "batch"}},
                          opset_version=_OPSET, dynamo=False)
    target = staging / "model.onnx"
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(exported), str(target), weight_type=QuantType.QInt8,
                         per_channel=True, extra_options={"DefaultTensorType": 1})
        exported.unlink()
    else:
        os.replace(exported, target)
    return {"model_type": getattr(config, "model_type", "unknown"),
            "torch_version": torch.__version__,
            "max_length": _max_length(source), "pad_token": str(tokenizer.pad_token),
            "pad_id": int(tokenizer.pad_token_id),
            "pad_type_id": int(getattr(tokenizer, "pad_token_type_id", 0) or 0)}


def _mean_pooled(model: Any) -> Any:
    """``model`` wrapped in a torch module that returns the masked mean of its token vectors
    (torch is imported here: only an export needs it)."""
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    return MeanPooled().eval()


def _check_mean_pooling(source: Path) -> None:
    config = source / "1_Pooling" / "config.json"
    if config.is_file():
        pooling = json.loads(config.read_text(encoding="utf-8"))
        if pooling.get("pooling_mode_mean_tokens"):
            return
    raise ConfigurationError(
        f"backend='onnx' supports sentence-transformers models with mean pooling; {source} "
        "has none (no 1_Pooling/config.json with pooling_mode_mean_tokens). Use "
        "backend='torch' for this model."
    )


def _max_length(source: Path) -> int:
    config = source / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", 256))
    return 256


def _folder_name(source: Path, quantize: bool) -> str:
    """Model folder name plus a hash of what its files hold (names, sizes, the small files
    whole and samples of the large ones), so a changed model is exported again, and the same
    model installed elsewhere (another user's environment) finds the same export in a shared
    cache."""
    digest = hashlib.sha256(f"{_FORMAT}\x00".encode())
    for path in sorted(source.rglob("*")):
        if path.is_file():
            size = path.stat().st_size
            digest.update(f"{path.relative_to(source).as_posix()}\x00{size}\x00".encode())
            digest.update(_content_sample(path, size))
    name = f"{source.parent.name}-{source.name}"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "model"
    return f"{slug}-{digest.hexdigest()[:12]}-{'int8' if quantize else 'fp32'}"


def _content_sample(path: Path, size: int) -> bytes:
    """A file's bytes when small; else 32 chunks of 32 KiB spread over it (1 MiB read: a
    fine-tuned model changes weights everywhere, so the samples change too)."""
    chunk, chunks = 32 * 1024, 32
    with path.open("rb") as stream:
        if size <= chunk * chunks:
            return stream.read()
        parts = []
        for position in range(chunks):
            stream.seek((size - chunk) * position // (chunks - 1))
            parts.append(stream.read(chunk))
        return b"".join(parts)
