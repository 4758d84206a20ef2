"""Real CV files for the document tests, made by the tests: PDF with fpdf2, Word with
python-docx, HTML and text by hand, and the broken files HR teams actually receive."""

from __future__ import annotations

from pathlib import Path

PAGE_ONE = ("Curriculum vitae", "Analyst at the municipality since 2019.")
PAGE_TWO = ("Skills", "Daily work with SQL and Python.", "I managed budgets for the department.")


def make_pdf(path: Path, pages: list[tuple[str, ...]], *, encrypt: bool = False,
             drawing_only: bool = False) -> Path:
    """A PDF with one page per entry of ``pages``, one paragraph per string."""
    from fpdf import FPDF

    pdf = FPDF()
    if encrypt:
        pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    pdf.set_font("helvetica", size=12)
    for paragraphs in pages:
        pdf.add_page()
        if drawing_only:  # what a scan looks like to a text extractor: no text at all
            pdf.rect(20, 20, 120, 60, style="F")
            continue
        for paragraph in paragraphs:
            pdf.multi_cell(0, 8, paragraph)
            pdf.ln(10)
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    """A Word CV: paragraphs (one empty), a table of skills, and a closing paragraph."""
    import docx

    document = docx.Document()
    document.add_paragraph("Profile")
    document.add_paragraph("")
    document.add_paragraph("Experience with SQL and Python.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Skill"
    table.cell(0, 1).text = "Level"
    table.cell(1, 0).text = "manage budgets"
    table.cell(1, 1).text = "expert"
    document.add_paragraph("References on request.")
    document.save(str(path))
    return path


HTML = """<!DOCTYPE html>
<html><head><title>Vacature</title><style>p { color: red; }</style>
<script>var skills = "bake bread";</script></head>
<body><h1>Data analyst</h1>
<p>You work with <b>SQL</b> and
   Python every day.</p>
<ul><li>manage budgets</li><li>statistics &amp; data mining</li></ul>
</body></html>
"""
