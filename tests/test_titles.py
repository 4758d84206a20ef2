"""Vacancy-title normalisation: gender markers and forms, seniority words, working hours."""

from __future__ import annotations

import pytest

from skilltwin.mapping._titles import strip_title_noise


@pytest.mark.parametrize(("title", "expected"), [
    ("Senior Java Developer (m/f/d)", "Java Developer"),
    ("Ervaren medewerker/medewerkster klantenservice (m/v/x) 32-40 uur",
     "medewerker klantenservice"),
    ("leraar/lerares lager onderwijs", "leraar lager onderwijs"),
    ("Acteur/actrice (M/V)", "Acteur"),
    ("medewerk(st)er administratie", "medewerker administratie"),
    ("Docent(e) Nederlands m/v/x", "Docent Nederlands"),
    ("Medior accountmanager (parttime)", "accountmanager"),
    ("Allround operator chemische industrie", "operator chemische industrie"),
    ("Zelfstandig werkend kok fulltime", "kok"),
    ("Junior data-analist (v/m)", "data-analist"),
    ("Stagiaire marketing", "marketing"),
])
def test_dutch_and_english_title_noise_is_removed(title, expected):
    assert strip_title_noise(title) == expected


@pytest.mark.parametrize("title", [
    "hoofd financiën",  # "head of": an occupation of its own
    "chauffeur/pompbediener",  # two occupations, not two gender forms
    "QA/QC engineer",
    "CAD/CAM-tekenaar",
    "Junior",  # nothing else would be left
])
def test_words_that_name_the_occupation_stay(title):
    assert strip_title_noise(title) == title
