"""PDF to paragraphs with pdfminer.six, page by page (text blocks in reading order)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from skilltwin.documents._extra import require

__all__ = ["read_pdf"]

# A line that starts a list item keeps its own line; other lines of a block are joined.
_LIST_ITEM = re.compile(r"^\s*(?:[-–—*•·▪●◦○■□➢►✓]|\d{1,2}[.)]\s)")
# Glyphs a PDF font gives no character for (no ToUnicode map): pdfminer writes "(cid:12)".
_UNMAPPED = re.compile(r"\(cid:\d+\)")


class PdfProblem(Exception):
    """Why a PDF cannot be read; the reader turns it into a DocumentError."""


def read_pdf(data: bytes, *, max_pages: int) -> tuple[list[tuple[str, int | None]], int,
                                                      list[str]]:
    """``(paragraphs as (text, page), page count, warnings)``.

    Raises:
        PdfProblem: encrypted, extraction forbidden, over ``max_pages``, no text layer, or
            damaged.
    """
    require("pdfminer", "PDF")
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import (
        PDFDocument,
        PDFEncryptionError,
        PDFPasswordIncorrect,
        PDFTextExtractionNotAllowed,
    )
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        if not document.is_extractable:
            raise PdfProblem(
                "its author forbids copying its text (a PDF permission); ask for a copy "
                "without that restriction, or print it to a new PDF."
            )
        # The count the file states refuses a long file before any page is read; the file
        # may lie about it, so the pages actually read are held to the limit too (below).
        count = _page_count(document, max_pages)
        if count > max_pages:
            raise PdfProblem(_too_long(f"{count} pages", max_pages))
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        paragraphs: list[tuple[str, int | None]] = []
        empty: list[int] = []
        unmapped: list[int] = []
        pages = 0
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > max_pages:  # stop at the first page past the limit
                raise PdfProblem(_too_long(f"more than {max_pages} pages", max_pages))
            pages = number
            interpreter.process_page(page)
            blocks = list(_blocks(device.get_result(), LTTextContainer, LTTextLine))
            if any(_UNMAPPED.search(block) for block in blocks):
                unmapped.append(number)
            blocks = [text for text in (_UNMAPPED.sub("", b).strip() for b in blocks) if text]
            if not blocks:
                empty.append(number)
            paragraphs.extend((block, number) for block in blocks)
    except PdfProblem:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise PdfProblem(
            "is encrypted (password-protected); open it with its password and save or print "
            "it as a PDF without one, then read that copy."
        ) from None
    except PDFTextExtractionNotAllowed:
        raise PdfProblem(
            "its author forbids copying its text (a PDF permission); ask for a copy without "
            "that restriction."
        ) from None
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise PdfProblem(
            f"cannot be read as a PDF ({type(exc).__name__}: {exc}); it may be damaged: open "
            "it in a PDF viewer and save or print it as a new PDF."
        ) from None
    if not paragraphs:
        raise PdfProblem(
            "has no text layer: it is probably a scanned image. Run OCR on it first (for "
            "example `ocrmypdf in.pdf out.pdf`, or your scanner's 'searchable PDF' option) "
            "and read the result."
        )
    warnings = []
    if empty:
        warnings.append(
            f"{_pages(empty)} no text layer (scanned?), so {'its' if len(empty) == 1 else 'their'}"
            " content is missing; run OCR on the file for a complete reading."
        )
    if unmapped:
        warnings.append(
            f"{_pages(unmapped)} characters without a text encoding (a font without a "
            "character map); they were left out. Print the file to a new PDF or run OCR "
            "if skills are missing."
        )
    return paragraphs, pages, warnings


def _too_long(pages: str, max_pages: int) -> str:
    return (f"has {pages}, more than the limit of {max_pages}; a CV or job ad is rarely that "
            "long, so check that it is the right file. To read it anyway, raise the limit: "
            "read_document(path, max_pages=...) and pass the Document on, or --max-pages on "
            "the command line.")


def _page_count(document: Any, max_pages: int) -> int:
    """The page count the file states (``/Count`` of its page tree), or else the pages
    counted, up to ``max_pages + 1``. Only a first check: a file can state any count."""
    from itertools import islice

    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(document.catalog["Pages"])["Count"])
        return int(count)
    except Exception:  # no usable count: count the pages themselves
        from pdfminer.pdfpage import PDFPage

        return sum(1 for _ in islice(PDFPage.create_pages(document), max_pages + 1))


def _blocks(layout: Any, container: Any, line_type: Any) -> Iterator[str]:
    """The text of each text block of a page (nested in figures too), lines joined."""
    element: Any
    for element in layout:
        if isinstance(element, container) and not isinstance(element, line_type):
            yield _joined([line.get_text() for line in element if isinstance(line, line_type)]
                          or [element.get_text()])
        elif isinstance(element, line_type):
            yield _joined([element.get_text()])
        elif hasattr(element, "__iter__"):
            yield from _blocks(element, container, line_type)


def _joined(lines: list[str]) -> str:
    """Lines of one block as one paragraph: joined by a space, but a list item starts a new
    line (extraction treats each line as its own sentence)."""
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if text:
            text += "\n" if _LIST_ITEM.match(line) else " "
        text += line
    return text


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} has"
    shown = ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")
    return f"pages {shown} have"
