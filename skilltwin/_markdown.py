"""Printing untrusted text into Markdown: :func:`escape_markdown`.

Notices and requests are Markdown documents built from a store's settings and log, so every
value in them (an organisation's name, a purpose, a contact, an attribute name) is text that
someone typed. Printed raw, a newline followed by ``## Who decides`` would become a heading
of its own, ``<script>`` an HTML element and ``[text](url)`` a disguised link. Every value is
therefore put on one line and its Markdown punctuation escaped, so it reads as typed.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["escape_markdown"]

# Characters that start Markdown or HTML syntax anywhere in a line.
_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Syntax that counts only at the start of a line: list markers, heading underlines and
# numbered lists ("1." or "1)").
_MARKER = re.compile(r"^([-+=])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def escape_markdown(value: object) -> str:
    """``value`` as one line of Markdown text that renders exactly as typed.

    Line breaks, tabs and other control or format characters (including the Unicode line
    and paragraph separators and bidirectional controls) become single spaces; Markdown
    and HTML punctuation is backslash-escaped; a leading list marker, number-dot or
    underline is escaped too; an HTML entity is shown, not decoded.
    """
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
                   for c in text)
    text = " ".join(text.split())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _MARKER.sub(r"\\\1", text)
    return _NUMBERED.sub(r"\1\\\2", text)
