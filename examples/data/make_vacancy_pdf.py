"""Writes vacature-financieel-adviseur.pdf, the fictional vacancy notebook 1 reads.

Run from this folder with fpdf2 installed (a development dependency):
``python make_vacancy_pdf.py``. The PDF is committed, so the notebook needs no fpdf2.
"""

import datetime as dt

from fpdf import FPDF

PAGES = [
    ("Vacature: financieel adviseur (Gemeente Zuiderveen, fictief)", [
        "Het team Financien zoekt een financieel adviseur voor 36 uur per week.",
        "Je adviseert budgethouders over budget management en de begrotingscyclus.",
        "Je kent public finance en de regels voor gemeentelijke begrotingen.",
    ]),
    ("Wat je meebrengt", [
        "Ervaring met financial forecasting en risk analysis.",
        "Je bent sterk in communicating with stakeholders, binnen en buiten het gemeentehuis.",
        "Een afgeronde hbo-opleiding in bedrijfseconomie of accountancy.",
    ]),
]


def main() -> None:
    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))  # same bytes each run
    for heading, paragraphs in PAGES:
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=14)
        pdf.multi_cell(0, 8, heading)
        pdf.ln(4)
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(4)
    pdf.output("vacature-financieel-adviseur.pdf")


if __name__ == "__main__":
    main()
