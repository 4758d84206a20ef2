"""A document read as plain text, with where each part of the text came from."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from skilltwin.errors import ConfigurationError

__all__ = ["Document", "DocumentFormat", "DocumentPart", "Location"]

DocumentFormat = Literal["text", "pdf", "docx", "html"]

#: What separates two paragraphs in :attr:`Document.text` of a file read by skilltwin.
PARAGRAPH_SEPARATOR = "\n\n"

# A run of lines that are not blank: a paragraph of plain text.
_TEXT_BLOCK = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")


class Location(BaseModel):
    """Where a stretch of a document's text is in the original file.

    Attributes:
        page: The 1-based page (PDF only; ``None`` for formats without pages).
        paragraph: The 1-based paragraph: on its page for a PDF (text blocks in reading
            order), in the whole document otherwise. Empty paragraphs are not counted; a table
            cell of a Word file counts as a paragraph.
    """

    model_config = ConfigDict(frozen=True)

    page: int | None = Field(default=None, ge=1)
    paragraph: int = Field(ge=1)

    def __str__(self) -> str:
        paragraph = f"paragraph {self.paragraph}"
        return paragraph if self.page is None else f"page {self.page}, {paragraph}"


class DocumentPart(BaseModel):
    """One paragraph of a document: ``document.text[start:end]``, and where it came from.

    Attributes:
        start: Offset of its first character in :attr:`Document.text`.
        end: Offset just past its last character.
        page: The 1-based page (PDF only).
        paragraph: The 1-based paragraph (see :class:`Location`).
    """

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = Field(default=None, ge=1)
    paragraph: int = Field(ge=1)

    @property
    def location(self) -> Location:
        """Its page and paragraph."""
        return Location(page=self.page, paragraph=self.paragraph)


class Document(BaseModel):
    """A CV or job ad as plain text, with the page and paragraph of every part of it.

    Made by :func:`~skilltwin.documents.read_document` from a file, or by :meth:`from_text`
    from a string. :meth:`locate` tells where a character span (such as a
    :class:`~skilltwin.Mention`'s ``start``/``end``) is in the original.

    Attributes:
        text: The text. In a file read by skilltwin, paragraphs are separated by a blank line
            and the lines of one paragraph are joined.
        parts: The paragraphs, in text order; they do not overlap.
        format: ``"text"``, ``"pdf"``, ``"docx"`` or ``"html"``.
        source: The file it was read from, as given (``None`` for a string).
        pages: The number of pages (PDF only).
        warnings: What was read with a caveat (a guessed text encoding, pages without text);
            also issued as :class:`~skilltwin.documents.DocumentWarning`.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    parts: tuple[DocumentPart, ...]
    format: DocumentFormat = "text"
    source: str | None = None
    pages: int | None = Field(default=None, ge=1)
    warnings: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _parts_lie_in_the_text_in_order(self) -> Document:
        previous_end = 0
        for part in self.parts:
            if not previous_end <= part.start <= part.end <= len(self.text):
                raise ValueError(
                    f"part {part.start}:{part.end} is out of order or outside the text "
                    f"(length {len(self.text)})"
                )
            previous_end = part.end
        return self

    @classmethod
    def from_text(cls, text: str, *, source: str | None = None) -> Document:
        """A document of ``text`` as it is (not changed): its paragraphs are the runs of lines
        between blank lines."""
        if not isinstance(text, str):
            raise ConfigurationError(f"the document text must be a str, not {type(text).__name__}.")
        parts = [
            DocumentPart(start=found.start(), end=_trimmed_end(text, found.end()),
                         paragraph=number)
            for number, found in enumerate(_TEXT_BLOCK.finditer(text), start=1)
        ]
        return cls(text=text, parts=tuple(parts), format="text", source=source)

    def locate(self, start: int, end: int | None = None) -> Location:
        """The page and paragraph of the span ``text[start:end]``: those of the paragraph
        its first character is in (a span that starts between paragraphs belongs to the next
        one; extraction spans never cross a paragraph)."""
        stop = start if end is None else end
        for value, name in ((start, "start"), (stop, "end")):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigurationError(f"{name} must be a whole number, not {value!r}.")
        if not 0 <= start <= stop <= len(self.text):
            raise ConfigurationError(
                f"the span {start}:{stop} is not in the document (its text has "
                f"{len(self.text)} characters)."
            )
        if not self.parts:
            raise ConfigurationError("the document has no paragraphs to locate a span in.")
        ends = [part.end for part in self.parts]
        position = min(bisect.bisect_right(ends, start), len(self.parts) - 1)
        part = self.parts[position]
        if start == part.end and position + 1 < len(self.parts):  # just past a paragraph
            part = self.parts[position + 1]
        return part.location

    def cite(self, start: int, end: int) -> str:
        """Where ``text[start:end]`` is, in words: ``"page 2, paragraph 3, characters
        120-145"`` (offsets in :attr:`text`); the form claims and requirements keep as evidence.
        """
        return f"{self.locate(start, end)}, characters {start}-{end}"


def build_document(
    paragraphs: Iterable[tuple[str, int | None]],
    *,
    format: DocumentFormat,
    source: str | None,
    pages: int | None = None,
    warnings: Iterable[str] = (),
) -> Document:
    """A document from its non-empty ``(text, page)`` paragraphs in reading order; paragraph
    numbers restart on each page."""
    chunks: list[str] = []
    parts: list[DocumentPart] = []
    offset = 0
    numbers: dict[int | None, int] = {}
    for text, page in paragraphs:
        text = text.strip()
        if not text:
            continue
        if chunks:
            chunks.append(PARAGRAPH_SEPARATOR)
            offset += len(PARAGRAPH_SEPARATOR)
        numbers[page] = numbers.get(page, 0) + 1
        parts.append(DocumentPart(start=offset, end=offset + len(text), page=page,
                                  paragraph=numbers[page]))
        chunks.append(text)
        offset += len(text)
    return Document(text="".join(chunks), parts=tuple(parts), format=format, source=source,
                    pages=pages, warnings=tuple(warnings))


def _trimmed_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end
