"""Vacancy-title words that say nothing about the occupation, removed before mapping a title.

ESCO occupations do not depend on seniority or on who may apply, but vacancy titles often say
both: "Senior Java Developer (m/f/d)", "Junior HR officer (m/v)". Left in, such words pull a
title towards the few ESCO labels that happen to carry them ("senior product developer", an
alternative label of *footwear product development manager*) instead of the occupation the
rest of the title names. Removing them costs nothing on the job-title dev set and fixes such
cases.
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
# Seniority and career-stage words
_SENIORITY = re.compile(
    r"\b(?:senior|junior|medior|sr|jr|trainee|intern|internship|experienced|entry[- ]level)\b\.?",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def strip_title_noise(title: str) -> str:
    """``title`` without gender markers and seniority words ("Senior Java Developer (m/f/d)"
    gives "Java Developer"); the title itself when nothing else would be left."""
    stripped = _SPACES.sub(" ", _SENIORITY.sub(" ", _GENDER.sub(" ", title))).strip(" -–,/|")
    return stripped if any(char.isalnum() for char in stripped) else title
