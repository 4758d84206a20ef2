"""Vacancy-title words that say nothing about the occupation, removed before mapping a title.

ESCO occupations do not depend on seniority, working hours or who may apply, but vacancy
titles often say all three: "Senior Java Developer (m/f/d)", "Junior HR officer (m/v)",
"Ervaren medewerker/medewerkster klantenservice (m/v/x) 32-40 uur". Left in, such words pull
a title towards the few ESCO labels that happen to carry them ("senior product developer", an
alternative label of *footwear product development manager*) instead of the occupation the
rest of the title names. Removing them costs nothing on the job-title dev set and fixes such
cases. Dutch titles also name both gender forms ("leraar/lerares", "medewerk(st)er"): the
first form is kept.
"""

from __future__ import annotations

import re

__all__ = ["strip_title_noise"]

# Gender markers of vacancy titles: (m/f), (m/f/d), (M/W/D), (m/v), (m/v/x), (h/f), (f/m/x)...
_GENDER = re.compile(
    r"[(\[]\s*[mfwvhdx*](?:\s*[/|,]\s*[mfwvhdx*]){1,3}\s*[)\]]"
    r"|\b[mfwvh]\s*/\s*[mfwvh]\s*/\s*[dx*](?![\w/])",
    re.IGNORECASE,
)
# Seniority and career-stage words (English and Dutch); "hoofd" (head of) stays: it names
# an occupation of its own.
_SENIORITY = re.compile(
    r"\b(?:senior|junior|medior|sr|jr|trainee|intern|internship|experienced|entry[- ]level"
    r"|ervaren|allround|all-round|startende?|starter|stagiair[e]?"
    r"|zelfstandig\s+werkende?)\b\.?",
    re.IGNORECASE,
)
# Working hours: "fulltime", "parttime", "voltijds", "32-40 uur", "(24 uur)"
_HOURS = re.compile(
    r"[(\[]?\s*\b(?:fulltime|parttime|voltijds?|deeltijds?|\d+\s*(?:[-–]|tot)\s*\d+\s*uur"
    r"|\d+\s*uur)\b\s*[)\]]?",
    re.IGNORECASE,
)
# A word with its female ending in brackets: "medewerk(st)er", "docent(e)", "verkoper(ster)"
_BRACKETED_ENDING = re.compile(r"(?<=\w)\((?:st|ster|e|es|in|sse)\)", re.IGNORECASE)
# Two forms of one word joined by a slash ("leraar/lerares", "medewerker/medewerkster",
# "acteur/actrice"): they share their first three letters
_PAIR = re.compile(r"\b(\w{3,})\s*/\s*(\w{3,})\b")
_SPACES = re.compile(r"\s+")


def strip_title_noise(title: str) -> str:
    """``title`` without gender markers, seniority words and working hours ("Senior Java
    Developer (m/f/d)" gives "Java Developer"; "Ervaren medewerker/medewerkster
    klantenservice (m/v/x)" gives "medewerker klantenservice"); the title itself when nothing
    else would be left."""
    stripped = _GENDER.sub(" ", title)
    stripped = _BRACKETED_ENDING.sub("", stripped)
    stripped = _PAIR.sub(_first_form, stripped)
    stripped = _HOURS.sub(" ", _SENIORITY.sub(" ", stripped))
    stripped = _SPACES.sub(" ", stripped).strip(" -–,/|")
    return stripped if any(char.isalnum() for char in stripped) else title


def _first_form(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    if first[:3].lower() == second[:3].lower() and not first.isupper():
        return first
    return match.group(0)
