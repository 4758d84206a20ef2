"""The EU AI Act dates skilltwin states, with the source of each, in one place.

The notice to workers, the request to the works council and the docs (``docs/oversight.md``,
section *EU AI Act dates and their source*; a test keeps them in step with this module) all
take the dates from here.

What the sources show (checked on :data:`CHECKED_ON`):

* Regulation (EU) 2024/1689 (the AI Act), art. 113 as published in the Official Journal
  (OJ L, 2024/1689, 12.7.2024), applied the rules for the high-risk systems of Annex III —
  point 4 is employment and workers management — from 2 August 2026.
* The Commission proposed to move that date in the "Digital Omnibus on AI", COM(2025) 836
  final (procedure 2025/0359(COD)) of 19 November 2025.
* The co-legislators agreed on fixed dates (political agreement of 7 May 2026); the Council
  gave its final approval on 29 June 2026 (Council press release of that day), after the
  European Parliament's vote of 16 June 2026: 2 December 2027 for stand-alone high-risk
  systems (Annex III), 2 August 2028 for those embedded in products (Annex I).
* Secondary sources report its publication as Regulation (EU) 2026/1744 of 8 July 2026
  (OJ L, 2026/1744, 24.7.2026), in force since 27 July 2026, amending art. 113 so that
  Chapter III, sections 1 to 3 (including the deployer's duties of art. 26) apply to Annex
  III systems from 2 December 2027. That reference was not checked against the Official
  Journal itself: :data:`CHECK_OFFICIAL_JOURNAL` asks users to do so.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "AI_ACT",
    "AI_ACT_DATES_TEXT",
    "ANNEX_III_DATE",
    "ANNEX_III_ORIGINAL_DATE",
    "CHECKED_ON",
    "CHECK_OFFICIAL_JOURNAL",
    "OMNIBUS_ADOPTED",
    "OMNIBUS_PROPOSAL",
    "OMNIBUS_REPORTED_AS",
    "ai_act_dates",
    "long_date",
]

AI_ACT = "Regulation (EU) 2024/1689 (AI Act)"
"""The act, as the notices name it."""

ANNEX_III_ORIGINAL_DATE = dt.date(2026, 8, 2)
"""When the Annex III high-risk rules were to apply under art. 113 as first published."""

ANNEX_III_DATE = dt.date(2027, 12, 2)
"""When the Annex III high-risk rules (employment: point 4) apply after the Digital Omnibus."""

OMNIBUS_PROPOSAL = "COM(2025) 836 final, procedure 2025/0359(COD), 19 November 2025"
"""The Commission's proposal (EUR-Lex, CELEX 52025PC0836)."""

OMNIBUS_ADOPTED = ("approved by the European Parliament on 16 June 2026 and by the Council on "
                   "29 June 2026 (Council press release, 29 June 2026)")
"""Its adoption, as the Council's press release and the Parliament's record show."""

OMNIBUS_REPORTED_AS = ("Regulation (EU) 2026/1744 of 8 July 2026, OJ L, 2026/1744, 24.7.2026 "
                       "(as reported by secondary sources; not checked against the Official "
                       "Journal)")
"""The amending regulation's reference as reported; see :data:`CHECK_OFFICIAL_JOURNAL`."""

CHECK_OFFICIAL_JOURNAL = ("Check the amending regulation in the Official Journal of the EU "
                          "(eur-lex.europa.eu) for the text in force.")
"""The note every statement of these dates carries."""

CHECKED_ON = dt.date(2026, 12, 3)
"""When the sources above were last read for skilltwin."""

AI_ACT_DATES_TEXT: dict[str, str] = {
    "en": (
        "The EU AI Act (Regulation (EU) 2024/1689) applies its rules for high-risk AI systems "
        "in employment (Annex III, point 4), including the deployer's duties of article 26, "
        "from {date}: article 113 as amended by the Digital Omnibus on AI (Commission "
        "proposal COM(2025) 836, approved by the Council on 29 June 2026). The date first "
        "set was {original}. Check the amending regulation in the Official Journal of the EU "
        "(eur-lex.europa.eu) for the text in force."
    ),
    "nl": (
        "De AI-verordening (Verordening (EU) 2024/1689) is op AI-systemen met een hoog risico "
        "op het gebied van werkgelegenheid (bijlage III, punt 4), met inbegrip van de "
        "verplichtingen van de gebruiksverantwoordelijke in artikel 26, van toepassing vanaf "
        "{date}: artikel 113 zoals gewijzigd door de Digital Omnibus on AI (voorstel van de "
        "Europese Commissie COM(2025) 836, op 29 juni 2026 door de Raad goedgekeurd). De "
        "oorspronkelijke datum was {original}. Raadpleeg voor de geldende tekst de "
        "wijzigingsverordening in het Publicatieblad van de Europese Unie "
        "(eur-lex.europa.eu)."
    ),
}
"""The sentence the notices print, per language (dates filled in by :func:`ai_act_dates`)."""

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
}


def long_date(date: dt.date, language: str) -> str:
    """``date`` written out, e.g. "2 December 2027" or "2 december 2027"."""
    months = _MONTHS.get(language, _MONTHS["en"])
    return f"{date.day} {months[date.month - 1]} {date.year}"


def ai_act_dates(language: str) -> str:
    """The notices' sentence on when the AI Act's employment rules apply, with its source."""
    text = AI_ACT_DATES_TEXT.get(language, AI_ACT_DATES_TEXT["en"])
    return text.format(date=long_date(ANNEX_III_DATE, language),
                       original=long_date(ANNEX_III_ORIGINAL_DATE, language))
