"""Reading CV and job-ad files: text, PDF, Word and HTML made by the tests, with the page and
paragraph of every span, and every broken file a clear DocumentError (never a traceback, never
an empty document)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from documents_files import HTML, PAGE_ONE, PAGE_TWO, make_docx, make_pdf

from skilltwin import DocumentError, InputValidationError
from skilltwin.documents import (
    Document,
    DocumentWarning,
    Location,
    as_document,
    document_from_bytes,
    read_document,
)


def _span(document: Document, needle: str) -> tuple[int, int]:
    start = document.text.index(needle)
    return start, start + len(needle)


# -- what is read -----------------------------------------------------------------------------
def test_pdf_is_read_page_by_page_and_spans_know_their_page(tmp_path: Path) -> None:
    document = read_document(make_pdf(tmp_path / "cv.pdf", [PAGE_ONE, PAGE_TWO]))
    assert document.format == "pdf" and document.pages == 2
    assert document.locate(*_span(document, "Analyst at the municipality")) == Location(
        page=1, paragraph=2)
    where = document.locate(*_span(document, "SQL and Python"))
    assert where == Location(page=2, paragraph=2)  # paragraphs restart on each page
    assert str(where) == "page 2, paragraph 2"
    assert document.cite(*_span(document, "managed budgets")).startswith("page 2, paragraph 3")
    for part in document.parts:  # every paragraph of the file, in order, once
        assert document.text[part.start:part.end] in PAGE_ONE + PAGE_TWO
    assert [document.text[p.start:p.end] for p in document.parts] == [*PAGE_ONE, *PAGE_TWO]


def test_docx_reads_paragraphs_and_table_cells_in_order(tmp_path: Path) -> None:
    document = read_document(make_docx(tmp_path / "cv.docx"))
    assert document.format == "docx" and document.pages is None
    assert [document.text[p.start:p.end] for p in document.parts] == [
        "Profile", "Experience with SQL and Python.", "Skill", "Level", "manage budgets",
        "expert", "References on request."]
    # the empty paragraph is not counted; a table cell is a paragraph
    assert document.locate(*_span(document, "manage budgets")) == Location(paragraph=5)
    assert str(document.locate(*_span(document, "SQL"))) == "paragraph 2"


def test_html_drops_scripts_and_styles_and_makes_blocks_paragraphs(tmp_path: Path) -> None:
    page = tmp_path / "vacancy.html"
    page.write_text(HTML, encoding="utf-8")
    document = read_document(page)
    assert document.format == "html"
    assert [document.text[p.start:p.end] for p in document.parts] == [
        "Data analyst", "You work with SQL and Python every day.", "manage budgets",
        "statistics & data mining"]
    assert "bake bread" not in document.text and "color" not in document.text
    assert "Vacature" not in document.text  # the head is not the page's text


def test_text_paragraphs_are_blocks_between_blank_lines(tmp_path: Path) -> None:
    cv = tmp_path / "cv.txt"
    cv.write_bytes(b"Profiel\r\nAnalist\r\n\r\n- SQL\r\n- Python\r\n")
    document = read_document(cv)
    assert document.text == "Profiel\nAnalist\n\n- SQL\n- Python\n"
    assert document.locate(*_span(document, "Python")) == Location(paragraph=2)
    assert document.warnings == ()


def test_text_from_a_string_is_kept_as_it_is() -> None:
    text = "  Analyst.\r\n\r\nI know SQL.  "
    document = Document.from_text(text)
    assert document.text == text
    assert document.locate(*_span(document, "SQL")).paragraph == 2


def test_text_that_is_not_utf8_is_read_with_a_warning(tmp_path: Path) -> None:
    cv = tmp_path / "cv.txt"
    cv.write_bytes("Ervaring: café-beheer en Excel\n".encode("cp1252"))
    with pytest.warns(DocumentWarning, match="not valid UTF-8.*Windows-1252"):
        document = read_document(cv)
    assert "café" in document.text
    assert document.warnings and "UTF-8" in document.warnings[0]


def test_byte_order_marks_are_not_text(tmp_path: Path) -> None:
    for data in (b"\xef\xbb\xbfSQL", "SQL".encode("utf-16")):
        cv = tmp_path / "bom.txt"
        cv.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert read_document(cv).text == "SQL"


def test_content_decides_the_format_of_a_file_without_extension(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "cv.pdf", [PAGE_ONE]).read_bytes()
    assert document_from_bytes(data, name="-").format == "pdf"
    assert document_from_bytes(b"<p>SQL</p>", name="-").format == "html"
    assert document_from_bytes(b"SQL", name="-").format == "text"


# -- broken inputs --------------------------------------------------------------------------
def _refused(source: object, *match: str, **options: int) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read_document(source, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    for part in match:
        assert part in message, message
    assert "\n" not in message
    assert isinstance(caught.value, InputValidationError)  # the CLI's one line, exit 2
    return caught.value


def test_scanned_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    scan = make_pdf(tmp_path / "scan.pdf", [()], drawing_only=True)
    _refused(scan, "scan.pdf", "no text layer", "OCR")


def test_pdf_with_some_pages_without_text_warns_which(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "I know SQL.")
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(tmp_path / "half.pdf"))
    with pytest.warns(DocumentWarning, match="page 2 has no text layer"):
        document = read_document(tmp_path / "half.pdf")
    assert document.text == "I know SQL."


def test_encrypted_pdf_is_a_clear_error(tmp_path: Path) -> None:
    locked = make_pdf(tmp_path / "locked.pdf", [PAGE_ONE], encrypt=True)
    _refused(locked, "locked.pdf", "encrypted", "password")


def test_encrypted_word_file_is_a_clear_error(tmp_path: Path) -> None:
    # Word stores a password-protected .docx as an OLE container with an EncryptedPackage
    # stream; this is its signature and directory name (the rest does not matter here).
    locked = tmp_path / "locked.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
                       + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    _refused(locked, "locked.docx", "encrypted", "password")


def test_pdf_over_the_page_limit_names_the_option(tmp_path: Path) -> None:
    long = make_pdf(tmp_path / "long.pdf", [("page text",)] * 201)
    _refused(long, "long.pdf", "201 pages", "limit of 200", "max_pages", "--max-pages")
    assert read_document(long, max_pages=201).pages == 201


def test_a_file_that_is_not_what_its_extension_says(tmp_path: Path) -> None:
    word_as_pdf = tmp_path / "cv.pdf"
    word_as_pdf.write_bytes(make_docx(tmp_path / "real.docx").read_bytes())
    _refused(word_as_pdf, "cv.pdf", "is not a PDF: it looks like a Word (.docx) file",
             "Rename it to .docx")
    text_as_docx = tmp_path / "cv.docx"
    text_as_docx.write_text("I know SQL.", encoding="utf-8")
    _refused(text_as_docx, "cv.docx", "is not a Word (.docx) file: it looks like plain text")
    image_as_pdf = tmp_path / "scan2.pdf"
    image_as_pdf.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    _refused(image_as_pdf, "is not a PDF: it looks like an image", "OCR")


def test_unsupported_types_say_what_is_supported(tmp_path: Path) -> None:
    for name, what in (("cv.odt", "OpenDocument text"), ("cv.doc", "old Word"),
                       ("cv.rtf", "Rich Text")):
        file = tmp_path / name
        file.write_bytes(b"PK\x03\x04 not really a zip" if name.endswith("odt") else b"{\\rtf1}")
        _refused(file, name, what, ".txt, .md, .pdf, .docx, .html and .htm", "PDF or .docx")


def test_empty_missing_and_folder_inputs(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    _refused(empty, "empty.pdf", "is empty")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n", encoding="utf-8")
    _refused(blank, "blank.txt", "is empty")
    no_text = tmp_path / "no_text.html"
    no_text.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    _refused(no_text, "no_text.html", "holds no text")
    _refused(tmp_path / "absent.pdf", "absent.pdf", "file not found")
    _refused(tmp_path, "is a folder", "*.pdf")


def test_damaged_pdf_is_a_clear_error(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(make_pdf(tmp_path / "cv.pdf", [PAGE_ONE]).read_bytes()[:300])
    with pytest.raises(DocumentError, match=r"damaged\.pdf"):
        read_document(damaged)


def test_missing_extra_says_what_to_install(tmp_path: Path, monkeypatch) -> None:
    from skilltwin.documents import _extra

    monkeypatch.setattr(_extra.importlib.util, "find_spec", lambda name: None)
    cv = make_pdf(tmp_path / "cv.pdf", [PAGE_ONE])
    _refused(cv, "cv.pdf", "pdfminer.six", "pip install 'skilltwin[documents]'")


# -- a path or the text itself ----------------------------------------------------------------
def test_str_is_a_file_only_when_it_looks_like_one(tmp_path: Path, monkeypatch) -> None:
    make_pdf(tmp_path / "cv.pdf", [PAGE_ONE])
    monkeypatch.chdir(tmp_path)
    assert as_document("cv.pdf").format == "pdf"
    assert as_document(tmp_path / "cv.pdf").format == "pdf"
    # more than one line, or no document extension: the text itself
    assert as_document("Analyst.\nI know cv.pdf").text == "Analyst.\nI know cv.pdf"
    assert as_document("I know SQL.").text == "I know SQL."
    # a one-line name of a missing file is an error, not a CV that says "gone.pdf"
    with pytest.raises(DocumentError, match=r"gone\.pdf.*file not found.*Document\.from_text"):
        as_document("gone.pdf")
    with pytest.raises(DocumentError, match="OpenDocument"):
        (tmp_path / "cv.odt").write_bytes(b"x")
        as_document("cv.odt")
    assert as_document(Document.from_text("see cv.pdf")).text == "see cv.pdf"


def test_locate_refuses_a_span_outside_the_text() -> None:
    document = Document.from_text("SQL")
    with pytest.raises(ValueError, match="not in the document"):
        document.locate(2, 9)
