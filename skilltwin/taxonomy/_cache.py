"""On-disk cache of parsed taxonomies, keyed by a hash of the input files."""

from __future__ import annotations

import json
import os
import pickle
import tempfile
import time
from pathlib import Path

from skilltwin._version import __version__
from skilltwin.config import cache_dir, cache_root
from skilltwin.taxonomy._data import TaxonomyData

__all__ = ["CACHE_FORMAT", "cache_path", "read_cache", "write_cache"]

# Bump when TaxonomyData or the parser changes what it stores, so old caches are not reused.
CACHE_FORMAT = 3


def cache_path(fingerprint: str, language: str, fallback: str | None = None) -> Path:
    """Where the taxonomy parsed from inputs with this fingerprint is cached (one file per
    language and fallback language)."""
    languages = language if not fallback or fallback == language else f"{language}+{fallback}"
    name = f"esco-{languages}-f{CACHE_FORMAT}-{fingerprint[:32]}.pkl"
    try:
        return cache_dir("taxonomy") / name
    except OSError:  # a read-only cache (a team's shared one) without a taxonomy folder
        return cache_root() / "taxonomy" / name


def read_cache(path: Path) -> TaxonomyData | None:
    """The cached taxonomy, or ``None`` when absent or unreadable (it is then rebuilt)."""
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    return data if isinstance(data, TaxonomyData) else None


def write_cache(path: Path, data: TaxonomyData, sources: list[str]) -> None:
    """Write the cache atomically, with a small JSON card describing it beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    card = {
        "what": "ESCO taxonomy parsed by skilltwin from the official CSV download",
        "esco_version": data.version,
        "language": data.language,
        "fallback_language": data.fallback_language,
        "sources": sources,
        "skilltwin_version": __version__,
        "cache_format": CACHE_FORMAT,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "attribution": "ESCO, European Commission, © European Union, CC BY 4.0",
    }
    path.with_suffix(".json").write_text(json.dumps(card, indent=2), encoding="utf-8")
