"""On-disk cache of ESCO Web API answers: one JSON file per request.

The key is a SHA-256 of the base URL, the endpoint and every query parameter (URI, text,
language, release, limit, ...), so answers in another language or release are separate
entries. Files hold the raw JSON document, not parsed models, so a new skilltwin reads old
entries. Only answers that parsed cleanly are written.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skilltwin._version import __version__

__all__ = ["ResponseCache"]

# Bump when the layout of a cache file changes, so old files are not misread.
_FORMAT = 1


class ResponseCache:
    """JSON documents stored under ``directory``, keyed by request."""

    def __init__(self, directory: Path):
        self.directory = directory

    @staticmethod
    def key(base_url: str, endpoint: str, params: Mapping[str, str]) -> str:
        """The cache key of a GET request."""
        canonical = json.dumps([_FORMAT, base_url.rstrip("/"), endpoint, sorted(params.items())],
                               ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached document, or ``None`` when absent or unreadable (it is then re-fetched)."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != _FORMAT:
            return None
        body = entry.get("body")
        return body if isinstance(body, dict) else None

    def put(self, key: str, url: str, params: Mapping[str, str], body: dict[str, Any]) -> None:
        """Store ``body`` atomically, with the request that produced it."""
        entry = {
            "format": _FORMAT,
            "url": url,
            "params": dict(params),
            "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "skilltwin_version": __version__,
            "attribution": "ESCO, European Commission, © European Union, CC BY 4.0",
            "body": body,
        }
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def clear(self) -> int:
        """Delete every cached answer; return how many were deleted."""
        removed = 0
        for path in self.directory.glob("*/*.json"):
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"
