"""Reading a CV or job ad file (plain text, PDF, Word .docx, HTML) as a :class:`Document`."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from skilltwin._validation import check_path
from skilltwin.documents._sniff import (
    EXTENSIONS,
    REFUSED_EXTENSIONS,
    SUPPORTED,
    describe,
    sniff,
)
from skilltwin.documents.decode import DecodeProblem, decode
from skilltwin.documents.document import Document, build_document
from skilltwin.errors import ConfigurationError, DocumentError

__all__ = [
    "DEFAULT_MAX_PAGES",
    "SUPPORTED_EXTENSIONS",
    "DocumentWarning",
    "as_document",
    "document_from_bytes",
    "read_document",
]

#: Files with more pages than this are refused unless a higher ``max_pages`` is given.
DEFAULT_MAX_PAGES = 200
#: The file extensions :func:`read_document` reads.
SUPPORTED_EXTENSIONS = tuple(EXTENSIONS)
# A str is taken as a file name only when it is this short (and one line, see as_document).
_MAX_PATH_LENGTH = 4096
_SUPPORTED_TEXT = ".txt, .md, .pdf, .docx, .html and .htm"


class DocumentWarning(UserWarning):
    """A document was read with a caveat: a guessed text encoding, pages without text."""


def read_document(source: str | os.PathLike[str], *,
                  max_pages: int = DEFAULT_MAX_PAGES) -> Document:
    """Read a CV or job ad file as text, keeping the page and paragraph of every part.

    The format is decided by the file's content, not its name: plain text (UTF-8; a file that
    is not UTF-8 is read as Windows-1252 with a :class:`DocumentWarning`), PDF (pdfminer.six,
    page by page), Word .docx (python-docx: paragraphs, table cells and text boxes) and HTML
    (scripts and styles dropped, each block element a paragraph). PDF and Word need the
    ``documents`` extra (``pip install 'skilltwin[documents]'``).

    Args:
        source: The file.
        max_pages: Refuse PDF files (and Word files, by the page count Word saved) with more
            pages than this; a document that long is rarely a CV or job ad.

    Raises:
        DocumentError: the file is missing or a folder; its type is not one of .txt, .md,
            .pdf, .docx, .html, .htm; it is not what its extension says (``cv.pdf`` that is a
            Word file); it is encrypted; a PDF without a text layer (a scan: OCR it first);
            more than ``max_pages`` pages; damaged; or it holds no text.
    """
    path = check_path(source, "source", what="document")
    shown = os.fspath(source)
    if not path.exists():
        raise DocumentError("file not found; check the path of the document.", path=shown)
    if path.is_dir():
        raise DocumentError(
            "is a folder, not a file; pass the files themselves (e.g. "
            f"{Path(shown) / '*.pdf'} in a shell, or Path(folder).glob('*.pdf') in Python).",
            path=shown,
        )
    if not path.is_file():
        raise DocumentError("is not a regular file; pass the document itself.", path=shown)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot be read ({exc.strerror or exc}); check its permissions.",
                            path=shown) from None
    return document_from_bytes(data, name=shown, max_pages=max_pages)


def document_from_bytes(data: bytes, *, name: str,
                        max_pages: int = DEFAULT_MAX_PAGES) -> Document:
    """A document from the bytes of a file (for instance standard input); ``name`` is shown in
    errors and kept as the document's source, and its extension, if any, must agree with the
    content (see :func:`read_document`)."""
    if not isinstance(data, bytes):
        raise ConfigurationError(f"data must be bytes, not {type(data).__name__}.")
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise ConfigurationError(f"max_pages must be a positive whole number, not {max_pages!r}.")
    kind = sniff(data)
    if kind == "empty":
        raise DocumentError("is empty; check that it is the right file.", path=name)
    fmt = _format(kind, Path(name).suffix.lower(), name)
    try:
        document = _parse(data, fmt, name, max_pages)
    except DocumentError as exc:
        raise exc.at(path=name) from None
    if not document.parts:
        raise DocumentError(
            f"holds no text (read as {describe(kind)}); check that it is the right file.",
            path=name,
        )
    for message in document.warnings:
        warnings.warn(f"{name}: {message}", DocumentWarning, stacklevel=3)
    return document


def as_document(value: object, *, max_pages: int = DEFAULT_MAX_PAGES) -> Document:
    """A :class:`Document` from what ``from_cv`` and ``from_text`` accept.

    * a :class:`Document`: itself;
    * a ``pathlib.Path`` (any ``os.PathLike``): always a file, read with
      :func:`read_document`;
    * a ``str``: a file name when it is one line (no line break), ends in a document extension
      (.txt, .md, .pdf, .docx, .html, .htm, or one skilltwin refuses such as .doc or .odt);
      the file must then exist (a missing one is an error, never mapped as text).
      Any other ``str`` is the text itself. To map a one-line text that ends like a file
      name, pass ``Document.from_text(text)``.

    Raises:
        DocumentError: the file cannot be read (see :func:`read_document`), or the text (or
            the Document's text) is empty or only white space.
    """
    if isinstance(value, Document):
        return _not_blank(value)
    if isinstance(value, os.PathLike):
        return read_document(value, max_pages=max_pages)
    if not isinstance(value, str):
        raise ConfigurationError(
            f"expected a document: its text (str), a file path or a Document, not "
            f"{type(value).__name__}."
        )
    if looks_like_a_path(value):
        if not Path(value.strip()).expanduser().exists():
            raise DocumentError(
                "file not found. A one-line text ending in a document extension is taken as "
                "a file name: check the path, or, to map the text itself, pass "
                "Document.from_text(text).",
                path=value.strip(),
            )
        return read_document(value.strip(), max_pages=max_pages)
    return _not_blank(Document.from_text(value))


def _not_blank(document: Document) -> Document:
    """``document``, unless its text is empty or only white space: refused as an empty file is,
    so that no twin or profile is made, in silence, from nothing."""
    if not document.text.strip():
        raise DocumentError(
            "the text is empty (or only white space): there is nothing to find skills in. "
            "Check that the CV or job ad was read (an empty cell, a file read as ''), and "
            "pass its text or its file.",
            path=document.source,
        )
    return document


def looks_like_a_path(text: str) -> bool:
    """Whether a str is taken as a file name (see :func:`as_document`)."""
    candidate = text.strip()
    if not candidate or len(candidate) > _MAX_PATH_LENGTH or "\n" in text or "\r" in text:
        return False
    suffix = Path(candidate).suffix.lower()
    return suffix in EXTENSIONS or suffix in REFUSED_EXTENSIONS


def _format(kind: str, suffix: str, name: str) -> str:
    """The format to read ``kind`` content as, given the file's extension; or a clear error."""
    promised = EXTENSIONS.get(suffix)
    actual = SUPPORTED.get(kind)
    if kind == "office-encrypted":
        raise DocumentError(
            "is encrypted (a password-protected Office file); open it with its password, save "
            "a copy without one and read that copy.",
            path=name,
        )
    if promised is None and suffix in REFUSED_EXTENSIONS:
        readable = actual is not None and kind != "text"
        looks = f", though it looks like {describe(kind)}" if readable else ""
        hint = (f"Rename it to {_extension(kind)} if that is what it is." if readable else
                "Save or export it as PDF or .docx and read that file.")
        raise DocumentError(
            f"skilltwin does not read {suffix} files ({REFUSED_EXTENSIONS[suffix]}){looks}; it "
            f"reads {_SUPPORTED_TEXT}. {hint}",
            path=name,
        )
    if promised is not None and actual != promised:
        if promised == "text" and actual == "html":
            return "text"  # Markdown and text may hold tags: read as written
        if promised == "html" and actual == "text":
            return "html"  # a page without tags: its text
        hint = (f"Rename it to {_extension(kind)} if that is what it is, or export it again."
                if actual is not None else _unreadable_hint(kind))
        raise DocumentError(
            f"is not {describe(promised)}: it looks like {describe(kind)}. {hint}", path=name)
    if actual is None:
        raise DocumentError(
            f"is {describe(kind)}, which skilltwin does not read; it reads {_SUPPORTED_TEXT}. "
            f"{_unreadable_hint(kind)}",
            path=name,
        )
    return actual


def _parse(data: bytes, fmt: str, name: str, max_pages: int) -> Document:
    if fmt == "pdf":
        from skilltwin.documents._pdf import PdfProblem, read_pdf

        try:
            paragraphs, pages, notes = read_pdf(data, max_pages=max_pages)
        except PdfProblem as problem:
            raise DocumentError(str(problem), path=name) from None
        return build_document(paragraphs, format="pdf", source=name, pages=pages,
                              warnings=notes)
    if fmt == "docx":
        from skilltwin.documents._docx import DocxProblem, read_docx

        try:
            paragraphs, notes = read_docx(data, max_pages=max_pages)
        except DocxProblem as problem:
            raise DocumentError(str(problem), path=name) from None
        return build_document(paragraphs, format="docx", source=name, warnings=notes)
    try:
        text, notes = decode(data, html=fmt == "html")
    except DecodeProblem as problem:
        raise DocumentError(str(problem), path=name) from None
    if fmt == "html":
        from skilltwin.documents._htmltext import html_paragraphs

        try:
            blocks = html_paragraphs(text)
        except Exception as exc:  # the parser is lenient; a failure is a damaged page
            raise DocumentError(
                f"cannot be read as an HTML page ({type(exc).__name__}: {exc}); save the page "
                "again from a browser, or as PDF.",
                path=name,
            ) from None
        return build_document(((block, None) for block in blocks),
                              format="html", source=name, warnings=notes)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    plain = Document.from_text(text, source=name)
    return plain.model_copy(update={"warnings": tuple(notes)})


def _extension(kind: str) -> str:
    return {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt", "odt": ".odt",
            "xlsx": ".xlsx", "pptx": ".pptx", "rtf": ".rtf", "epub": ".epub"}.get(kind, "?")


def _unreadable_hint(kind: str) -> str:
    if kind == "image":
        return ("A scan or photo has no text: run OCR on it first (e.g. a searchable PDF) and "
                "read the result.")
    return "Save or export it as PDF or .docx and read that file."
