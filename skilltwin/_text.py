"""Text normalisation shared by label look-up and lexical search."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_label", "tokenize"]

_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W_]+[+#]*", re.UNICODE)


def normalize_label(text: str) -> str:
    """Case-fold, apply Unicode NFKC and collapse white space: the key for label look-ups."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def tokenize(text: str) -> list[str]:
    """Split normalised text into word tokens, keeping ``C++`` and ``C#`` intact."""
    return _TOKEN.findall(normalize_label(text))
