"""HTML to paragraphs with the standard library's parser: scripts and styles dropped, every
block element (paragraph, heading, list item, table cell...) a paragraph of its own."""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["html_paragraphs"]

_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "math",
                      "iframe", "object", "select", "button"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._chunks: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            if tag == "body":  # a <head> left open ends where the body starts
                self._skipping.clear()
                self._flush()
            elif tag == self._skipping[-1] and tag not in _VOID:
                self._skipping.append(tag)
            return
        if tag in _SKIPPED:
            self._skipping.append(tag)
        elif tag in _BLOCKS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skipping and tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._chunks.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = " ".join("".join(self._chunks).split())
        if text:
            self.paragraphs.append(text)
        self._chunks = []


def html_paragraphs(text: str) -> list[str]:
    """The paragraphs of an HTML page's visible text, in order."""
    parser = _Paragraphs()
    parser.feed(text)
    parser.close()
    return parser.paragraphs
