"""Mapping many texts (job ads, CV lines, vacancy titles) to ESCO, on Dask or in one process.

On Dask the taxonomy travels to each worker once (one graph key), and each worker process
builds its :class:`~skilltwin.SkillMapper` (model and embedding index) once, on its first
partition, and keeps it for the following partitions and computations.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from skilltwin._validation import check_top_k
from skilltwin.errors import ConfigurationError
from skilltwin.outofcore._dask import is_dask, require_dask

if TYPE_CHECKING:
    from skilltwin.mapping import SkillMapper
    from skilltwin.mapping.encoder import Backend
    from skilltwin.taxonomy import Taxonomy

__all__ = ["MAPPING_COLUMNS", "map_texts", "read_texts", "worker_mapper"]

MAPPING_COLUMNS = ["text_id", "rank", "uri", "label", "score"]
_BATCH = 512  # texts encoded together
_PARTITION_TEXTS = 20_000  # texts per partition when a pandas Series goes to Dask
_MAPPERS: OrderedDict[str, SkillMapper] = OrderedDict()  # per process: one per taxonomy/model
_KEEP_MAPPERS = 2


def read_texts(path: str | Path, column: str, *, dask: bool = False) -> Any:
    """The ``column`` of a .parquet or .csv table as a Series indexed by row number (0-based);
    a Dask Series with ``dask=True``."""
    file = Path(path)
    if not file.exists():
        raise ConfigurationError(f"texts file {file} not found; check the path.")
    suffix = file.suffix.lower()
    if suffix not in (".parquet", ".pq", ".csv") and not file.is_dir():
        raise ConfigurationError(f"texts file {file}: unknown format {suffix!r}; give a "
                                 ".parquet or .csv file.")
    if dask:
        dd = require_dask()
        frame = dd.read_csv(str(file), dtype=str) if suffix == ".csv" \
            else dd.read_parquet(str(file))
    else:
        frame = pd.read_csv(file, dtype=str) if suffix == ".csv" else pd.read_parquet(file)
    if column not in frame.columns:
        raise ConfigurationError(f"texts file {file} has no column {column!r}; its columns "
                                 f"are {sorted(map(str, frame.columns))}.")
    texts = frame[column]
    if dask:
        one = texts.map_partitions(lambda part: pd.Series(1, index=part.index),
                                   meta=(column, "int64"))
        return texts.map_partitions(_reindexed, one.cumsum() - 1, meta=(column, "object"))
    return texts.reset_index(drop=True)


def _reindexed(texts: pd.Series, positions: pd.Series) -> pd.Series:
    return pd.Series(texts.to_numpy(), index=positions.to_numpy(), name=texts.name)


def worker_mapper(taxonomy: Taxonomy, model: str | None, token: str,
                  backend: Backend = "auto") -> SkillMapper:
    """The mapper of this process for ``token`` (built on first use, then reused)."""
    mapper = _MAPPERS.get(token)
    if mapper is None:
        from skilltwin.mapping import SkillMapper

        mapper = SkillMapper(taxonomy, model=model, backend=backend, progress=False)
        _MAPPERS[token] = mapper
        while len(_MAPPERS) > _KEEP_MAPPERS:
            _MAPPERS.popitem(last=False)
    return mapper


def map_texts(
    texts: Any,
    taxonomy: Taxonomy,
    *,
    kind: Literal["skill", "occupation"] = "skill",
    top_k: int = 10,
    model: str | None = None,
    backend: Backend = "auto",
    client: Any = None,
    progress: bool | None = None,
) -> Any:
    """Map every text to its ``top_k`` best ESCO skills or occupations.

    Args:
        texts: A pandas or Dask Series of texts (its index is the text id), or a list.
        taxonomy: The taxonomy to map to.
        kind: ``"skill"`` (:meth:`SkillMapper.map_skills`) or ``"occupation"``
            (:meth:`SkillMapper.map_occupations`).
        top_k: Matches per text.
        model: As ``SkillMapper(model=...)``: a packaged model name (``"minilm"``, ``"use"``,
            ``"multilingual"``) or a local sentence-transformers folder (default: chosen by
            the taxonomy's language).
        backend: ``"auto"`` (ONNX Runtime where it can run the model), ``"torch"`` or
            ``"onnx"`` for sentence-transformers models.
        client: A ``distributed.Client``: map on its cluster.
        progress: Progress bar in one process (``None``: when stderr is a terminal).

    Returns:
        One row per (text, match): ``text_id``, ``rank`` (1 = best), ``uri``, ``label``,
        ``score`` (the mapper's scores). Blank texts have no rows. A Dask DataFrame for Dask
        input or with a client, else pandas (``attrs``: library, taxonomy and model versions).
    """
    if kind not in ("skill", "occupation"):
        raise ConfigurationError(f"kind must be 'skill' or 'occupation', not {kind!r}.")
    check_top_k(top_k)
    token = f"{taxonomy.release}:{id(taxonomy)}:{model}:{backend}"
    meta = _empty()
    if client is not None or is_dask(texts):
        from dask.delayed import delayed

        dd = require_dask()
        series = texts if is_dask(texts) else dd.from_pandas(
            _as_series(texts), npartitions=max(1, -(-len(texts) // _PARTITION_TEXTS)))
        shared = delayed(taxonomy, pure=False)  # one key: shipped once per worker
        return series.map_partitions(_map_partition, shared, model, backend, token, kind, top_k,
                                     meta=meta, enforce_metadata=False)
    series = _as_series(texts)
    mapper = worker_mapper(taxonomy, model, token, backend)
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm.auto import tqdm

    parts = [
        _mapped(mapper, kind, top_k, series.iloc[start:start + _BATCH])
        for start in tqdm(range(0, len(series), _BATCH), desc="mapping", unit="batch",
                          disable=not show)
    ]
    result = pd.concat(parts, ignore_index=True) if parts else meta
    result.attrs.update(mapper.provenance.model_dump())
    return result


def _map_partition(texts: pd.Series, taxonomy: Taxonomy, model: str | None,
                   backend: Backend, token: str, kind: str, top_k: int) -> pd.DataFrame:
    mapper = worker_mapper(taxonomy, model, token, backend)
    parts = [_mapped(mapper, kind, top_k, texts.iloc[start:start + _BATCH])
             for start in range(0, len(texts), _BATCH)]
    result = pd.concat(parts, ignore_index=True) if parts else _empty()
    result.attrs.update(mapper.provenance.model_dump())
    return result


def _mapped(mapper: SkillMapper, kind: str, top_k: int, texts: pd.Series) -> pd.DataFrame:
    values = ["" if pd.isna(text) else str(text) for text in texts.tolist()]
    run = mapper.map_skills if kind == "skill" else mapper.map_occupations
    results = run(values, top_k)
    counts = np.array([len(matches) for matches in results], dtype=np.int64)
    flat = [match for matches in results for match in matches]
    return pd.DataFrame({
        "text_id": np.repeat(texts.index.to_numpy(), counts),
        "rank": np.concatenate([np.arange(1, n + 1) for n in counts]).astype(np.int32)
        if len(counts) else np.zeros(0, dtype=np.int32),
        "uri": pd.Series([m.uri for m in flat], dtype="str"),
        "label": pd.Series([m.label for m in flat], dtype="str"),
        "score": np.array([m.score for m in flat], dtype=float),
    })


def _as_series(texts: Any) -> pd.Series:
    if isinstance(texts, str):
        raise ConfigurationError("pass a Series or list of texts, not a single string.")
    return texts if isinstance(texts, pd.Series) else pd.Series(list(texts))


def _empty() -> pd.DataFrame:
    return pd.DataFrame({
        "text_id": pd.Series([], dtype=np.int64),
        "rank": pd.Series([], dtype=np.int32),
        "uri": pd.Series([], dtype="str"),
        "label": pd.Series([], dtype="str"),
        "score": pd.Series([], dtype=float),
    })
