"""Word .docx to paragraphs with python-docx: body paragraphs, table cells and text boxes, in
document order (headers and footers are left out)."""

from __future__ import annotations

import io
import re
import zipfile

from skilltwin.documents._extra import require

__all__ = ["DocxProblem", "read_docx"]

_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>")
#: Largest total of the XML parts of a .docx, uncompressed (a long CV holds well under 5 MB);
#: a small file can inflate to gigabytes (a "zip bomb"), so sizes are checked before parsing.
MAX_XML_BYTES = 50_000_000
#: Largest total of all parts, uncompressed (XML, images and other embedded files).
MAX_TOTAL_BYTES = 200_000_000


class DocxProblem(Exception):
    """Why a .docx cannot be read; the reader turns it into a DocumentError."""


def read_docx(data: bytes, *, max_pages: int) -> tuple[list[tuple[str, int | None]], list[str]]:
    """``(paragraphs as (text, None), warnings)``.

    Raises:
        DocxProblem: damaged, larger than :data:`MAX_XML_BYTES` of XML or
            :data:`MAX_TOTAL_BYTES` in all once uncompressed, or more pages than
            ``max_pages`` (as Word last counted them).
    """
    require("docx", "Word")
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    _check_sizes(data)
    pages = _saved_page_count(data)
    if pages is not None and pages > max_pages:
        raise DocxProblem(
            f"has {pages} pages (as Word last counted them), more than the limit of "
            f"{max_pages}; a CV or job ad is rarely that long, so check that it is the right "
            "file. To read it anyway, raise the limit: read_document(path, max_pages=...) "
            "and pass the Document on, or --max-pages on the command line."
        )
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        fallback = _FALLBACK
        paragraphs: list[tuple[str, int | None]] = []
        for element in body.iter(qn("w:p")):
            # A text box is stored twice (new and old drawing markup); read the new one.
            if any(ancestor.tag == fallback for ancestor in element.iterancestors()):
                continue
            paragraphs.append((Paragraph(element, document).text, None))
    except Exception as exc:  # python-docx, zipfile and lxml raise many kinds of errors
        raise DocxProblem(
            f"cannot be read as a Word file ({type(exc).__name__}: {exc}); it may be damaged: "
            "open it in Word and save it again as .docx, or export it as PDF."
        ) from None
    return paragraphs, []


def _check_sizes(data: bytes) -> None:
    """Refuse a file whose parts would inflate past the limits, before anything is read.

    The sizes come from the zip's directory; :mod:`zipfile` (which python-docx reads with)
    never inflates a part past the size the directory states, so they are a true bound.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocxProblem(
            f"cannot be read as a Word file ({type(exc).__name__}: {exc}); it may be damaged: "
            "open it in Word and save it again as .docx, or export it as PDF."
        ) from None
    xml = sum(member.file_size for member in members
              if member.filename.lower().endswith((".xml", ".rels")))
    total = sum(member.file_size for member in members)
    for size, limit, what in ((xml, MAX_XML_BYTES, "MB of XML"),
                              (total, MAX_TOTAL_BYTES, "MB in all")):
        if size > limit:
            raise DocxProblem(
                f"holds {size / 1e6:,.0f} {what} once uncompressed, more than the limit of "
                f"{limit // 1_000_000} {what} for a Word file; a CV or job ad is far smaller, "
                "so check that it is the right file (or save it again from Word without "
                "embedded files, or export it as PDF)."
            )


def _saved_page_count(data: bytes) -> int | None:
    """The page count Word stored in docProps/app.xml when it last saved the file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = _PAGES.search(archive.read("docProps/app.xml"))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    return int(found.group(1)) if found else None
