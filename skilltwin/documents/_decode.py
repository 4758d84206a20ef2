"""Bytes of a text or HTML file to text: UTF-8 (with or without a byte-order mark), UTF-16
with a byte-order mark, a declared charset, and otherwise Windows-1252/Latin-1 with a warning."""

from __future__ import annotations

import codecs
import re

__all__ = ["decode"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode(data: bytes, *, html: bool = False) -> tuple[str, list[str]]:
    """The text of ``data`` and the warnings to announce (a guessed encoding)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        failure = f"line {line} is not valid UTF-8 (byte 0x{data[exc.start]:02x})"
    declared = _declared_charset(data) if html else None
    if declared is not None:
        try:
            return data.decode(declared), []
        except UnicodeDecodeError:
            failure += f" nor valid {declared} as the page declares"
    try:
        text, encoding = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "Latin-1"
    return text, [
        f"{failure}; read as {encoding}. If accented letters look wrong, save the file as "
        "UTF-8 and read it again."
    ]


def _declared_charset(data: bytes) -> str | None:
    found = _CHARSET.search(data[:4096])
    if found is None:
        return None
    name = found.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
