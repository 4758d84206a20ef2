"""Reading JSON documents from .json (one document or a list) and .jsonl files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skilltwin.errors import ConfigurationError

__all__ = ["read_documents"]


def read_documents(path: str | Path) -> list[dict[str, Any]]:
    """The JSON objects in ``path``: a JSON object, a JSON list of objects, or JSON Lines."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"{file}: file not found; check the path.") from None
    try:
        if file.suffix == ".jsonl":
            documents: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            documents = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(
            f"{file}: not valid JSON ({exc}); use a .json object or list, or .jsonl with one "
            "object per line."
        ) from None
    if isinstance(documents, dict):
        documents = [documents]
    if not isinstance(documents, list) or not all(isinstance(d, dict) for d in documents):
        raise ConfigurationError(f"{file}: expected JSON objects, one per record.")
    return documents
