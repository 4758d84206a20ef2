"""Bytes of a text or HTML file to text: UTF-8 (with or without a byte-order mark), UTF-16
with a byte-order mark, a declared charset, and otherwise Windows-1252/Latin-1 with a warning.

Every reader of text files (documents, vacancy pages) decodes through :func:`decode`, so a page
is read the same way wherever it comes in, and no codec problem escapes as anything but a
:class:`DecodeProblem` (the caller turns it into its own error).
"""

from __future__ import annotations

import codecs
import re
import warnings

__all__ = ["DecodeProblem", "decode"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class DecodeProblem(Exception):
    """Why the bytes cannot be read as text; the reader turns it into its own error."""


def decode(data: bytes, *, html: bool = False) -> tuple[str, list[str]]:
    """The text of ``data`` and the warnings to announce (a guessed encoding).

    Raises:
        DecodeProblem: an HTML page that is not UTF-8 declares a charset Python knows but that
            is not a text encoding (``rot13``, ``zlib``, ``base64``, ``hex``...).
    """
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
        if not _ascii_compatible(declared):
            failure += (f"; the page declares {declared}, but a page in {declared} could not "
                        "declare it in ASCII, so the declaration was ignored")
        else:
            try:
                return _decode_declared(data, declared), []
            except UnicodeError:
                failure += f" nor valid {declared} as the page declares"
    try:
        text, encoding = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "Latin-1"
    return text, [
        f"{failure}; read as {encoding}. If accented letters look wrong, save the file as "
        "UTF-8 and read it again."
    ]


def _decode_declared(data: bytes, charset: str) -> str:
    """``data`` in the charset the page declares.

    Raises:
        UnicodeError: the bytes are not valid in that charset (the caller falls back).
        DecodeProblem: the charset is not a text encoding, or its codec fails otherwise.
    """
    try:
        text = data.decode(charset)
    except UnicodeError:
        raise
    except LookupError:  # a codec, but bytes to bytes (zlib, base64, hex) or str to str (rot13)
        raise DecodeProblem(_not_text(charset)) from None
    except Exception as exc:  # a codec failing in another way is the page's problem too
        raise DecodeProblem(
            f"declares the charset {charset!r}, which cannot decode it ({type(exc).__name__}); "
            "save the page as UTF-8 and read it again."
        ) from None
    if not isinstance(text, str):  # a third-party codec registered as a text encoding
        raise DecodeProblem(_not_text(charset))
    return text


def _ascii_compatible(charset: str) -> bool:
    """Whether ``charset`` reads ASCII text (and backslash escapes) as ASCII. The declaration
    was found as ASCII bytes, so a page cannot really be in UTF-16, UTF-7, EBCDIC or an
    escape codec (``unicode_escape``); as browsers do, such a declaration is ignored.

    Raises:
        DecodeProblem: ``charset`` is not a text encoding.
    """
    probe = bytes(range(0x20, 0x7F)) + b"\t\r\n\\n\\u0041\\x41+-"
    try:
        with warnings.catch_warnings():  # escape codecs warn about unknown escapes
            warnings.simplefilter("ignore")
            text = _decode_declared(probe, charset)
    except UnicodeError:
        return False
    return text == probe.decode("ascii")


def _not_text(charset: str) -> str:
    return (f"declares the charset {charset!r}, which is not a text encoding, and is not "
            "UTF-8; save the page as UTF-8 (or with its real charset) and read it again.")


def _declared_charset(data: bytes) -> str | None:
    found = _CHARSET.search(data[:4096])
    if found is None:
        return None
    name = found.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
