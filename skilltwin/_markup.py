"""HTML to plain text, and the JSON-LD blocks of a page, with the standard library's parser.

Europass CVs keep their descriptions as HTML (the online editor's rich text), schema.org job
postings carry HTML in ``description``, and a vacancy page holds its ``JobPosting`` in
``<script type="application/ld+json">`` blocks. Nothing here runs scripts, fetches links or
expands anything but the standard HTML character references.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "json_ld_blocks", "looks_like_html"]

# Tags that end a line of text (a list item is a line: one skill per item).
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul",
})
_SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "title"})
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` contains something shaped like an HTML tag."""
    return bool(_TAG.search(text))


def html_to_text(markup: str, *, show_links: bool = False) -> str:
    """The readable text of ``markup``: block elements and ``<br>`` end lines, list items are
    lines of their own, scripts and styles are left out, character references are decoded
    and white space within a line is collapsed. Blank lines are dropped.

    With ``show_links`` a link's address follows its text in angle brackets
    (``SQL <http://data.europa.eu/esco/skill/...>``), so that identifiers carried by links
    survive. Markup escaped once more (``&lt;p&gt;``, as some editors store it) is read as
    markup too.
    """
    text = _convert(markup, show_links)
    if looks_like_html(text):  # the markup itself was escaped: read it once more
        text = _convert(text, show_links)
    return text


def json_ld_blocks(page: str) -> list[str]:
    """The contents of every ``<script type="application/ld+json">`` of an HTML page."""
    parser = _JsonLdParser()
    parser.feed(page)
    parser.close()
    return parser.blocks


def _convert(markup: str, show_links: bool) -> str:
    parser = _TextParser(show_links)
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _TextParser(HTMLParser):
    def __init__(self, show_links: bool):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._show_links = show_links
        self._links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            self._links.append(dict(attrs).get("href"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a" and self._links:
            href = self._links.pop()
            if self._show_links and href and not self._skipping:
                self.parts.append(f" <{href.strip()}>")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


class _JsonLdParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # script contents are raw text anyway
        self.blocks: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            kind = (dict(attrs).get("type") or "").split(";", 1)[0].strip().lower()
            self._current = [] if kind == "application/ld+json" else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.blocks.append("".join(self._current))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)
