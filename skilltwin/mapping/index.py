"""Embeddings of every taxonomy label, computed once and cached on disk with a model card.

An :class:`EmbeddingIndex` holds one vector per text of a concept kind: the preferred,
alternative and hidden labels of every skill (or occupation) and its description. Building one
for the full English ESCO takes minutes; afterwards it loads from the cache in well under two
seconds. The cache key is the model name, the taxonomy's language and a fingerprint of the
texts, so a different model, release, language or subset never reuses stale vectors. A
taxonomy loaded in one language with a fallback language (Dutch with English) contributes the
labels of both: the fallback-language labels count as alternative labels, flagged so the mapper
can allow for cosines across languages running lower. Vectors are stored
as float16 (half the disk) and widened to float32 in memory for fast matrix products.

A build embeds each distinct text once, shortest first in chunks of similar length, with a
progress bar that advances by each text's expected cost (so its time estimate holds when the
long descriptions come last). A cache folder that cannot be written (a team's shared one) is
read; what it lacks is built in memory, with a warning.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict
from tqdm.auto import tqdm

from skilltwin._staging import can_write, staged_folder
from skilltwin._version import __version__
from skilltwin.config import cache_dir, cache_root
from skilltwin.errors import ConfigurationError
from skilltwin.mapping.combined import CombinedEncoder
from skilltwin.mapping.encoder import Encoder
from skilltwin.taxonomy import Taxonomy
from skilltwin.taxonomy.results import ROLES, MatchKind

__all__ = ["EmbeddingIndex", "IndexCard", "LabelTable"]

# Texts per encoder call while building (one progress-bar step): at most this many, and at
# most this much expected cost (about as long as 2,048 short labels take)
_CHUNK = 2048
_CHUNK_COST = 2048 * 40
_FORMAT = 1


@dataclass(frozen=True)
class LabelTable:
    """The texts of one concept kind: every label grouped by concept, then the descriptions.

    Attributes:
        kind: ``"skill"`` or ``"occupation"``.
        uris: Concept URIs; ``owners`` index into this list.
        preferred: Preferred label of each concept (same order as ``uris``).
        texts: The labels, concept by concept (the preferred label first), then the
            descriptions.
        owners: Position in ``uris`` of each text's concept.
        roles: Position in :data:`ROLES` of each text's role.
        in_fallback_language: True where a text is in the taxonomy's fallback language
            (English labels beside Dutch ones, or every text of a concept the language has no
            label for).
            Not part of the fingerprint: it does not change the vectors.
    """

    kind: MatchKind
    uris: tuple[str, ...]
    preferred: tuple[str, ...]
    texts: tuple[str, ...]
    owners: np.ndarray
    roles: np.ndarray
    in_fallback_language: np.ndarray

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy, kind: MatchKind) -> LabelTable:
        """Collect the labels and descriptions of every concept of ``kind``."""
        if kind not in ("skill", "occupation"):
            raise ConfigurationError(f"kind must be 'skill' or 'occupation', not {kind!r}.")
        concepts = taxonomy.concepts_frame()
        frame = concepts[concepts["kind"] == kind].sort_index()
        texts: list[str] = []
        owners: list[int] = []
        roles: list[int] = []
        fallback: list[bool] = []
        # labels in the fallback language (English beside Dutch): more alternative labels
        other = (frame["fallback_labels"] if "fallback_labels" in frame.columns
                 else [()] * len(frame))
        # a concept the taxonomy's language has no label for has only fallback-language texts
        untranslated = (frame["language"].notna() & (frame["language"] != taxonomy.language)
                        if "language" in frame.columns else pd.Series(False, frame.index))
        for position, (label, alt, hidden, extra_labels, foreign) in enumerate(
            zip(frame["label"], frame["alt_labels"], frame["hidden_labels"], other,
                untranslated, strict=True)
        ):
            seen: set[str] = set()
            extra = tuple(extra_labels) if isinstance(extra_labels, (tuple, list)) else ()
            for role, values, in_fallback in ((0, (label,), foreign), (1, alt, foreign),
                                              (1, extra, True), (2, hidden, foreign)):
                for text in (str(value).strip() for value in values):
                    if text and text not in seen:
                        seen.add(text)
                        texts.append(text)
                        owners.append(position)
                        roles.append(role)
                        fallback.append(bool(in_fallback))
        for position, (description, foreign) in enumerate(
            zip(frame["description"], untranslated, strict=True)
        ):
            text = str(description).strip() if isinstance(description, str) else ""
            if text:
                texts.append(text)
                owners.append(position)
                roles.append(3)
                fallback.append(bool(foreign))
        return cls(
            kind=kind,
            uris=tuple(frame.index),
            preferred=tuple(frame["label"]),
            texts=tuple(texts),
            owners=np.asarray(owners, dtype=np.int32),
            roles=np.asarray(roles, dtype=np.int8),
            in_fallback_language=np.asarray(fallback, dtype=bool),
        )

    @property
    def label_count(self) -> int:
        """How many texts are labels (they come before the descriptions)."""
        return int(np.count_nonzero(self.roles != ROLES.index("description")))

    def fingerprint(self) -> str:
        """SHA-256 over kind, URIs, texts and their roles: changes whenever any label does."""
        digest = hashlib.sha256(self.kind.encode())
        for uri in self.uris:
            digest.update(uri.encode() + b"\x00")
        for text, owner, role in zip(self.texts, self.owners.tolist(), self.roles.tolist(),
                                     strict=True):
            digest.update(f"{owner}\x01{role}\x01{text}\x00".encode())
        return digest.hexdigest()

    def role_counts(self) -> dict[str, int]:
        """How many texts of each role the table holds."""
        counts = np.bincount(self.roles, minlength=len(ROLES))
        return {role: int(count) for role, count in zip(ROLES, counts, strict=True)}


class IndexCard(BaseModel):
    """The model card stored beside a cached index (``card.json``): what it is and how it was
    made."""

    model_config = ConfigDict(frozen=True)

    what: str
    kind: MatchKind
    model_name: str
    language: str = "en"
    taxonomy_release: str
    fingerprint: str
    concepts: int
    texts: dict[str, int]
    dimension: int
    storage_dtype: str
    created: str
    library_version: str
    format: int = _FORMAT
    rebuild: str


class EmbeddingIndex:
    """Unit-length vectors of every text of a :class:`LabelTable`, row for row.

    Build or load one with :meth:`for_taxonomy`; the mapper does that for you.
    """

    def __init__(self, table: LabelTable, vectors: np.ndarray, card: IndexCard):
        if vectors.shape[0] != len(table.texts):
            raise ConfigurationError(
                f"The index has {vectors.shape[0]} vectors for {len(table.texts)} texts; "
                "delete the cached index to rebuild it."
            )
        self.table = table
        # as given (float16 when read from the cache): widened to float32 when first needed
        self._stored = vectors
        self._vectors: np.ndarray | None = None
        self.card = card
        #: The cache folder the index was read from or written to (``None``: memory only);
        #: the mapper keeps its lexical index of the same labels beside it.
        self.folder: Path | None = None

    def __repr__(self) -> str:
        return (f"<EmbeddingIndex {self.card.kind}s of {self.card.taxonomy_release}: "
                f"{len(self.table.texts)} texts, model {self.card.model_name}>")

    @property
    def vectors(self) -> np.ndarray:
        """The float32 vectors, row for row with ``table.texts``."""
        if self._vectors is None:
            self._vectors = np.ascontiguousarray(self._stored, dtype=np.float32)
            self._stored = self._vectors
        return self._vectors

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        return int(self._stored.shape[1])

    def rows(self, positions: np.ndarray) -> np.ndarray:
        """The float32 vectors of these rows, as a new contiguous array (without widening
        every stored vector first: the mapper reorders the label rows once, at start-up)."""
        return np.ascontiguousarray(self._stored[positions], dtype=np.float32)

    @property
    def nbytes(self) -> int:
        """Memory held by the vectors (as float32)."""
        return int(self._stored.shape[0] * self._stored.shape[1] * 4)

    @classmethod
    def build(
        cls,
        table: LabelTable,
        encoder: Encoder,
        *,
        taxonomy_release: str,
        language: str = "en",
        progress: bool | None = None,
    ) -> EmbeddingIndex:
        """Embed every text of ``table``: each distinct text once (a label shared by several
        concepts or languages), shortest first in chunks of similar length (little padding),
        with a progress bar when ``progress`` is true (or when ``None`` and stderr is a
        terminal) whose time estimate weighs each text by its expected cost."""
        distinct, rows = _distinct(table.texts)
        lengths = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
        order = np.argsort(lengths, kind="stable")
        costs = _costs(lengths)
        chunks = list(_chunks(order, costs))
        unique_vectors = np.zeros((len(distinct), 0), dtype=np.float32)
        if chunks:  # before the clock starts: it loads the model (or exports it)
            part = encoder.encode([distinct[i] for i in chunks[0]])
            unique_vectors = np.zeros((len(distinct), part.shape[1]), dtype=np.float32)
            unique_vectors[chunks[0]] = part
        show = sys.stderr.isatty() if progress is None else progress
        model = str(encoder.name).split("#", 1)[0].rsplit("/", 1)[-1]
        with _Progress(f"Embedding {table.kind} labels ({model})", costs, show,
                       chunks[0] if chunks else None) as bar:
            for chunk in chunks[1:]:
                unique_vectors[chunk] = encoder.encode([distinct[i] for i in chunk])
                bar.advance(int(costs[chunk].sum()), len(chunk))
        # rounded as stored: the run that builds the index maps as the runs that load it
        vectors = unique_vectors.astype(np.float16)[rows].astype(np.float32)
        dimension = vectors.shape[1]
        card = IndexCard(
            what=f"Sentence embeddings of the labels and descriptions of every {table.kind} "
                 f"of {taxonomy_release}, for skilltwin.SkillMapper.",
            kind=table.kind,
            model_name=encoder.name,
            language=language,
            taxonomy_release=taxonomy_release,
            fingerprint=table.fingerprint(),
            concepts=len(table.uris),
            texts=table.role_counts(),
            dimension=int(dimension),
            storage_dtype="float16",
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            library_version=__version__,
            rebuild="Delete this folder; the next SkillMapper using this model and taxonomy "
                    "rebuilds it (or call skilltwin.mapping.EmbeddingIndex.for_taxonomy).",
        )
        return cls(table, vectors, card)

    @classmethod
    def for_taxonomy(
        cls,
        taxonomy: Taxonomy,
        kind: MatchKind,
        encoder: Encoder,
        *,
        cache: bool = True,
        progress: bool | None = None,
    ) -> EmbeddingIndex:
        """The index of ``kind`` concepts: from the cache when there, else built (and cached
        when ``cache`` is true) under :func:`skilltwin.config.cache_dir` ``("index")``."""
        if isinstance(encoder, CombinedEncoder):
            # one cached index per model, joined in memory: the models' caches are reused
            pieces = [cls.for_taxonomy(taxonomy, kind, part, cache=cache, progress=progress)
                      for part, _ in encoder.parts]
            return cls.joined(pieces, encoder)
        table = LabelTable.from_taxonomy(taxonomy, kind)
        fingerprint = table.fingerprint()
        language = taxonomy.language
        folder = cls.cache_folder(kind, encoder.name, language, fingerprint)
        if cache:
            cached = cls._load(folder, table, fingerprint, encoder.name, language)
            if cached is not None:
                cached.folder = folder
                return cached
        index = cls.build(table, encoder, taxonomy_release=taxonomy.release, language=language,
                          progress=progress)
        if cache:
            if can_write(folder):
                index.save(folder)
                index.folder = folder
            else:
                warnings.warn(
                    f"The skilltwin cache folder {folder.parent} cannot be written: the "
                    f"{kind} index just built is kept in memory only and is built again next "
                    "time. Prepare it once with `skilltwin index build` by someone who can "
                    "write that folder, or set SKILLTWIN_CACHE_DIR to a folder you can write.",
                    stacklevel=2)
        return index

    @classmethod
    def cache_folders(cls, taxonomy: Taxonomy, kind: MatchKind, encoder: Encoder
                      ) -> dict[str, Path]:
        """Where :meth:`for_taxonomy` caches the index of ``kind`` concepts: one folder per
        model (several for a :class:`~skilltwin.mapping.CombinedEncoder`), by model name."""
        if isinstance(encoder, CombinedEncoder):
            return {name: folder for part, _ in encoder.parts
                    for name, folder in cls.cache_folders(taxonomy, kind, part).items()}
        fingerprint = LabelTable.from_taxonomy(taxonomy, kind).fingerprint()
        return {encoder.name: cls.cache_folder(kind, encoder.name, taxonomy.language,
                                               fingerprint)}

    @staticmethod
    def cache_folder(kind: MatchKind, model_name: str, language: str,
                     fingerprint: str) -> Path:
        """Where the index of these texts (``fingerprint``) for this model is cached (the
        folder may not exist; nothing is created in a read-only cache)."""
        try:
            root = cache_dir("index")
        except OSError:  # a read-only cache without an index folder
            root = cache_root() / "index"
        return root / _folder_name(kind, model_name, language, fingerprint)

    @classmethod
    def joined(cls, pieces: list[EmbeddingIndex], encoder: CombinedEncoder) -> EmbeddingIndex:
        """The index of a :class:`~skilltwin.mapping.CombinedEncoder` from the indexes of its
        parts (same table, one per part, in order): weight-scaled vectors side by side."""
        vectors = np.concatenate(
            [math.sqrt(weight) * piece.vectors
             for piece, (_, weight) in zip(pieces, encoder.parts, strict=True)], axis=1)
        card = pieces[0].card.model_copy(update={
            "model_name": encoder.name, "dimension": int(vectors.shape[1]),
            "what": pieces[0].card.what + " Joined from the cached indexes of: "
                    + ", ".join(piece.card.model_name for piece in pieces) + ".",
        })
        joined = cls(pieces[0].table, vectors, card)
        joined.folder = pieces[0].folder  # the same texts: one lexical index serves all
        return joined

    def save(self, folder: Path) -> None:
        """Write ``vectors.npy`` (float16) and ``card.json`` into ``folder`` atomically."""
        with staged_folder(folder) as staging:
            np.save(staging / "vectors.npy", self.vectors.astype(np.float16))
            (staging / "card.json").write_text(
                json.dumps(self.card.model_dump(), indent=2) + "\n", encoding="utf-8"
            )

    @classmethod
    def _load(
        cls, folder: Path, table: LabelTable, fingerprint: str, model_name: str, language: str
    ) -> EmbeddingIndex | None:
        card_path, vectors_path = folder / "card.json", folder / "vectors.npy"
        if not (card_path.is_file() and vectors_path.is_file()):
            return None
        try:
            card = IndexCard.model_validate_json(card_path.read_text(encoding="utf-8"))
            vectors = np.load(vectors_path)
        except (OSError, ValueError):
            return None  # damaged cache entry: rebuild it
        if (card.fingerprint != fingerprint or card.model_name != model_name
                or card.language != language or card.format != _FORMAT
                or vectors.shape[0] != len(table.texts)):
            return None
        return cls(table, vectors, card)


def _folder_name(kind: str, model_name: str, language: str, fingerprint: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", model_name.rsplit("/", 1)[-1]).strip("-").lower()
    model_hash = hashlib.sha256(model_name.encode()).hexdigest()[:8]
    # English indexes keep the folder names of earlier versions: no rebuild after an upgrade
    prefix = kind if language == "en" else f"{kind}-{language}"
    return f"{prefix}-{slug[:40] or 'model'}-{model_hash}-{fingerprint[:16]}"


def _distinct(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts in order of first appearance, and for each text its position among
    them."""
    positions: dict[str, int] = {}
    rows = np.fromiter((positions.setdefault(text, len(positions)) for text in texts),
                       dtype=np.int64, count=len(texts))
    return list(positions), rows


def _costs(lengths: np.ndarray) -> np.ndarray:
    """The expected cost of embedding texts of these lengths (characters), relative to each
    other: a fixed part per text, a part linear in its length and one quadratic (attention);
    models truncate at a few hundred tokens. Measured with all-MiniLM-L6-v2 on ONNX Runtime
    over ESCO's skill labels and descriptions (a 10-character label costs about as much as a
    26-character one; a 430-character description about 25 times as much)."""
    chars = np.minimum(lengths.astype(np.float64), 1200.0)
    # whole numbers: the bar's sums are exact, so it ends at 100% and no time left
    return np.rint(np.maximum(chars, 26.0) + chars ** 2 / 2000.0).astype(np.int64)


def _chunks(order: np.ndarray, costs: np.ndarray) -> Iterator[np.ndarray]:
    """``order`` cut into consecutive chunks of at most ``_CHUNK`` texts and (unless one text
    alone exceeds it) ``_CHUNK_COST`` expected cost."""
    start, total = 0, 0
    for end, cost in enumerate(costs[order].tolist()):
        if end > start and (end - start == _CHUNK or total + cost > _CHUNK_COST):
            yield order[start:end]
            start, total = end, 0
        total += cost
    if start < len(order):
        yield order[start:]


class _Progress:
    """A progress bar over the expected cost of the texts (so its time estimate holds while
    the texts get longer), showing how many texts are done."""

    def __init__(self, description: str, costs: np.ndarray, show: bool,
                 done: np.ndarray | None = None):
        self._done, self._texts = 0 if done is None else len(done), len(costs)
        self._bar = _CostBar(total=int(costs.sum()), disable=not show, desc=description,
                             initial=0 if done is None else int(costs[done].sum()),
                             smoothing=0.1,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {texts} "
                                        "[{elapsed}<{remaining}]")
        self._bar.texts = f"{self._done:,}/{self._texts:,} texts"

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self._bar.close()

    def advance(self, cost: int, texts: int) -> None:
        """Count ``texts`` more texts done, of expected cost ``cost``."""
        self._done += texts
        self._bar.texts = f"{self._done:,}/{self._texts:,} texts"
        self._bar.update(cost)


class _CostBar(tqdm):  # type: ignore[misc]  # tqdm has no type hints
    """tqdm counting cost, showing texts (``{texts}`` in its format)."""

    texts = ""

    @property
    def format_dict(self) -> dict[str, object]:
        return {**super().format_dict, "texts": self.texts}
